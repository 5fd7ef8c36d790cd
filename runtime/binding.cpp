// Resolving a policy's names against a fact store (see binding.hpp).
#include "runtime/binding.hpp"

namespace warden::runtime {

PolicyNames Binding::names(const table::Program& p) {
  PolicyNames n;
  const auto str = [&](table::Id id) { return std::string_view(p.strings[id]); };
  for (const auto& t : p.principals) n.types.push_back(str(t.name));
  for (const auto& t : p.resources) n.types.push_back(str(t.name));
  for (const auto& r : p.roles) n.roles.push_back(str(r.name));
  for (const auto& s : p.scopes) n.scopes.push_back(str(s.name));
  for (const auto& l : p.levels) n.levels.push_back(str(l.name));
  for (const auto& a : p.attributes) n.attributes.push_back(str(a.name));
  for (const auto& c : p.constants) {
    if (c.string != table::kNone) n.values.push_back(str(c.string));
  }
  for (const auto& e : p.enums) {
    for (std::uint32_t i = 0; i < e.values.count; ++i) n.values.push_back(str(p.ids[e.values.begin + i]));
  }
  n.values.push_back(str(p.tenancy.default_tenant));
  return n;
}

std::shared_ptr<const Binding> Binding::build(const table::Program& p, const FactStore& facts) {
  auto b = std::make_shared<Binding>();
  const auto str = [&](table::Id id) { return std::string_view(p.strings[id]); };
  const auto value = [&](std::string_view text) { return facts.find_value(text).id; };
  // The reverse arrays cover the vocabulary as it is now: later names are not the policy's.
  const auto reverse = [&](int vocabulary) {
    return std::vector<table::Id>(facts.vocabulary_size(vocabulary), table::kNone);
  };
  b->role_of = reverse(FactStore::kRoles);
  b->scope_of = reverse(FactStore::kScopes);
  b->level_of = reverse(FactStore::kLevels);
  b->principal_of_type = reverse(FactStore::kTypes);
  b->resource_of_type = reverse(FactStore::kTypes);
  const auto bind = [&](int vocabulary, std::string_view name, std::vector<table::Id>& reverse_map, table::Id id) {
    const NameId n = facts.find_name(vocabulary, name);
    if (n != kNoId && n < reverse_map.size()) reverse_map[n] = id;
    return n;
  };
  for (table::Id i = 0; i < p.principals.size(); ++i) {
    b->principal_type.push_back(bind(FactStore::kTypes, str(p.principals[i].name), b->principal_of_type, i));
  }
  for (table::Id i = 0; i < p.resources.size(); ++i) {
    b->resource_type.push_back(bind(FactStore::kTypes, str(p.resources[i].name), b->resource_of_type, i));
  }
  for (table::Id i = 0; i < p.roles.size(); ++i) bind(FactStore::kRoles, str(p.roles[i].name), b->role_of, i);
  for (table::Id i = 0; i < p.scopes.size(); ++i) bind(FactStore::kScopes, str(p.scopes[i].name), b->scope_of, i);
  for (table::Id i = 0; i < p.levels.size(); ++i) bind(FactStore::kLevels, str(p.levels[i].name), b->level_of, i);
  b->attribute.reserve(p.attributes.size());
  for (const auto& a : p.attributes) b->attribute.push_back(facts.find_name(FactStore::kAttributes, str(a.name)));
  b->constant.reserve(p.constants.size());
  for (const auto& c : p.constants) b->constant.push_back(c.string == table::kNone ? kNoId : value(str(c.string)));
  b->enum_value.assign(p.ids.size(), kNoId);
  for (const auto& e : p.enums) {
    for (std::uint32_t i = 0; i < e.values.count; ++i) {
      b->enum_value[e.values.begin + i] = value(str(p.ids[e.values.begin + i]));
    }
  }
  b->default_tenant = value(str(p.tenancy.default_tenant));
  return b;
}

}  // namespace warden::runtime
