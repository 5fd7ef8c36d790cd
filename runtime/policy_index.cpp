// Building the name lookups of a loaded policy.
#include "runtime/policy_index.hpp"

namespace warden::runtime {

std::shared_ptr<const PolicyIndex> PolicyIndex::build(std::shared_ptr<const table::Program> program,
                                                      std::uint64_t fingerprint) {
  auto ix = std::make_shared<PolicyIndex>();
  const table::Program& p = *program;
  auto name = [&](table::Id id) { return std::string_view(p.strings[id]); };
  for (table::Id i = 0; i < p.scopes.size(); ++i) ix->scopes.emplace(name(p.scopes[i].name), i);
  for (table::Id i = 0; i < p.roles.size(); ++i) ix->roles.emplace(name(p.roles[i].name), i);
  for (table::Id i = 0; i < p.levels.size(); ++i) ix->levels.emplace(name(p.levels[i].name), i);
  for (table::Id i = 0; i < p.principals.size(); ++i) ix->principals.emplace(name(p.principals[i].name), i);
  ix->actions.resize(p.resources.size());
  for (table::Id i = 0; i < p.resources.size(); ++i) {
    const table::ResourceTypeRow& r = p.resources[i];
    ix->resources.emplace(name(r.name), i);
    for (table::Id a = 0; a < r.actions.count; ++a) ix->actions[i].emplace(name(p.action_names[r.actions.begin + a]), a);
  }
  ix->fingerprint = fingerprint;
  ix->program = std::move(program);
  return ix;
}

}  // namespace warden::runtime
