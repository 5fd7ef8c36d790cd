// Fact records against a policy's names (see facts_check.hpp).
#include "runtime_io/facts_check.hpp"

#include "runtime_io/json_fields.hpp"
#include "support/literals.hpp"

namespace warden::runtime_io {
namespace {

const char* a_value_type(FactSchema::ValueType t) {
  switch (t) {
    case FactSchema::ValueType::String: return "a string";
    case FactSchema::ValueType::Int: return "an integer";
    case FactSchema::ValueType::Bool: return "a boolean";
    case FactSchema::ValueType::Time: return "a time (RFC 3339 text or Unix seconds)";
    case FactSchema::ValueType::Ip: return "an IP address";
    case FactSchema::ValueType::Enum: return "one of its enum's values";
    case FactSchema::ValueType::Entity: return "an entity id (a string)";
  }
  return "a value";
}

const char* a_fact_kind(FactValue::Kind k) {
  switch (k) {
    case FactValue::Kind::String: return "a string";
    case FactValue::Kind::Int: return "an integer";
    case FactValue::Kind::Bool: return "a boolean";
  }
  return "a value";
}

// Why `v` cannot be read as `t` (as the fact store and the evaluator read
// it: runtime/fact_writer.cpp, runtime/conditions.cpp), or "" when it can.
std::string misfit(const FactValue& v, FactSchema::ValueType t) {
  const auto not_a = [&] { return std::string("must be ") + a_value_type(t) + ", not " + a_fact_kind(v.kind); };
  switch (t) {
    case FactSchema::ValueType::String:
    case FactSchema::ValueType::Entity:
    case FactSchema::ValueType::Enum: return v.kind == FactValue::Kind::String ? "" : not_a();
    case FactSchema::ValueType::Int: return v.kind == FactValue::Kind::Int ? "" : not_a();
    case FactSchema::ValueType::Bool: return v.kind == FactValue::Kind::Bool ? "" : not_a();
    case FactSchema::ValueType::Time: {
      if (v.kind == FactValue::Kind::Int) return "";
      if (v.kind != FactValue::Kind::String) return not_a();
      const TimeResult r = parse_time(v.text);
      return r.error.empty() ? "" : "must be " + std::string(a_value_type(t)) + ": " + ticked(v.text) + ": " + r.error;
    }
    case FactSchema::ValueType::Ip: {
      if (v.kind != FactValue::Kind::String) return not_a();
      const IpResult r = parse_ip(v.text);
      return r.error.empty() ? "" : "must be " + std::string(a_value_type(t)) + ": " + ticked(v.text) + ": " + r.error;
    }
  }
  return "";
}

std::string record_name(const std::string& type, const std::string& id) { return ticked(type + ":" + id); }

}  // namespace

void FactChecker::Names::add(std::string_view name) {
  if (set.insert(name).second) list.push_back(name);
}

FactChecker::FactChecker(const FactSchema& schema) : schema_(schema) {
  for (const FactSchema::Type& t : schema.types) {
    (t.principal ? principal_types_ : resource_types_).add(t.name);
    all_types_.add(t.name);
  }
  for (const auto& r : schema.roles) roles_.add(r);
  for (const auto& s : schema.scopes) scopes_.add(s);
  for (const auto& l : schema.levels) levels_.add(l);
  check_principal_types_ = schema.declares_principals();
}

void FactChecker::name(Code code, std::string_view what, const Names& known, std::string_view field,
                       const std::string& value, const std::string& record, std::vector<FactFinding>& out,
                       std::size_t item) const {
  if (known.has(value)) return;
  FactFinding f;
  f.code = code;
  f.message = "unknown " + std::string(what) + " " + ticked(value) + " in " + record;
  if (auto near = closest_name(value, known.list)) f.suggestion = *near;
  f.field = field;
  f.item = item;
  out.push_back(std::move(f));
}

void FactChecker::principal_type(std::string_view field, const std::string& value, const std::string& record,
                                 std::vector<FactFinding>& out) const {
  if (!check_principal_types_) return;
  const std::size_t before = out.size();
  name(Code::F0401, "principal type", principal_types_, field, value, record, out);
  if (out.size() > before) out.back().defaulted = true;
}

void FactChecker::attributes(const Entity& e, const FactSchema::Type& type, std::vector<FactFinding>& out) const {
  const std::string record = "entity " + record_name(e.type, e.id);
  for (const auto& [attr_name, value] : e.attributes) {
    const FactSchema::Attribute* declared = nullptr;
    for (const auto& a : type.attributes) {
      if (a.name == attr_name) declared = &a;
    }
    FactFinding f;
    f.field = "attributes";
    f.attribute = attr_name;
    if (!declared) {
      f.code = Code::F0405;
      f.message = "unknown attribute " + ticked(attr_name) + " of type " + ticked(type.name) + " in " + record;
      std::vector<std::string_view> names;
      for (const auto& a : type.attributes) names.push_back(a.name);
      if (auto near = closest_name(attr_name, names)) f.suggestion = *near;
      out.push_back(std::move(f));
      continue;
    }
    f.at_value = true;
    if (std::string why = misfit(value, declared->type); !why.empty()) {
      f.code = Code::F0407;
      f.message = "attribute " + ticked(attr_name) + " of type " + ticked(type.name) + " in " + record + " " + why;
      out.push_back(std::move(f));
      continue;
    }
    if (declared->type != FactSchema::ValueType::Enum) continue;
    std::vector<std::string_view> values(declared->values.begin(), declared->values.end());
    bool member = false;
    for (const auto v : values) member = member || v == value.text;
    if (member) continue;
    f.code = Code::F0406;
    f.message = ticked(value.text) + " is not a value of attribute " + ticked(attr_name) + " of type " +
                ticked(type.name) + " in " + record;
    if (auto near = closest_name(value.text, values)) {
      f.suggestion = *near;
    } else {
      std::string list;
      for (const auto v : values) list += (list.empty() ? "" : ", ") + ticked(v);
      f.message += " (its values: " + list + ")";
    }
    out.push_back(std::move(f));
  }
}

void FactChecker::entity(const Entity& e, std::vector<FactFinding>& out) const {
  const std::string record = "entity " + record_name(e.type, e.id);
  const FactSchema::Type* type = schema_.find_type(e.type);
  if (type) {
    attributes(e, *type, out);
    return;
  }
  // Without principal types, an entity of a type the policy does not
  // declare is a principal, and its attributes are its own.
  if (!check_principal_types_ && !resource_types_.has(e.type)) return;
  name(Code::F0401, "type", all_types_, "type", e.type, record, out);
}

void FactChecker::check(const FactChange& c, std::vector<FactFinding>& out) const {
  if (c.op == FactChange::Op::Remove) return;
  switch (c.kind) {
    case FactChange::Kind::Entity: entity(c.entity, out); break;
    case FactChange::Kind::Membership: {
      const Membership& m = c.membership;
      const std::string record = "membership of " + record_name(m.member_type, m.member_id) + " in " +
                                 record_name(m.collection_type, m.collection_id);
      principal_type("member_type", m.member_type, record, out);
      if (check_principal_types_) {
        name(Code::F0401, "principal type", principal_types_, "collection_type", m.collection_type, record, out);
      }
      break;
    }
    case FactChange::Kind::Role: {
      const RoleAssignment& r = c.role;
      const std::string record = "role assignment of " + record_name(r.principal_type, r.principal_id);
      principal_type("principal_type", r.principal_type, record, out);
      name(Code::F0402, "role", roles_, "role", r.role, record, out);
      // The entity a role holds within (an organization) may be of any type;
      // without principal types, an undeclared one may be a principal.
      if (!r.scope_type.empty() && check_principal_types_) {
        name(Code::F0401, "type", all_types_, "scope_type", r.scope_type, record, out);
      }
      break;
    }
    case FactChange::Kind::Grant: {
      const Grant& g = c.grant;
      const std::string record = "grant " + ticked(g.id);
      principal_type("subject_type", g.subject_type, record, out);
      name(Code::F0401, "resource type", resource_types_, "resource_type", g.resource_type, record, out);
      name(Code::F0404, "level", levels_, "level", g.level, record, out);
      break;
    }
    case FactChange::Kind::ApiKey: {
      const ApiKey& k = c.key;
      const std::string record = "key " + ticked(k.id);
      principal_type("principal_type", k.principal_type, record, out);
      for (std::size_t i = 0; i < k.scopes.size(); ++i) {
        name(Code::F0403, "scope", scopes_, "scopes", k.scopes[i], record, out, i);
      }
      break;
    }
  }
}

PlacedFinding place(const json::Value& record, const FactFinding& f) {
  PlacedFinding p{record.line(), record.column(), f.message};
  const json::Member* member = nullptr;
  if (!f.field.empty() && record.is_object()) {
    for (const auto& m : record.members()) {
      if (m.key == f.field) member = &m;
    }
  }
  if (!member) {
    // Not given: the name is the field's default.
    if (f.defaulted) p.message += ", its default when not given";
  } else if (!f.attribute.empty() && member->value.is_object()) {
    p.line = member->line;
    p.column = member->column;
    for (const auto& a : member->value.members()) {
      if (a.key != f.attribute) continue;
      if (f.at_value) {
        p.line = a.value.line();
        p.column = a.value.column();
      } else {
        p.line = a.line;
        p.column = a.column;
      }
    }
  } else if (member->value.is_array() && f.item < member->value.items().size()) {
    p.line = member->value.items()[f.item].line();
    p.column = member->value.items()[f.item].column();
  } else {
    p.line = member->value.line();
    p.column = member->value.column();
  }
  if (!f.suggestion.empty()) p.message += " (did you mean `" + f.suggestion + "`?)";
  return p;
}

}  // namespace warden::runtime_io
