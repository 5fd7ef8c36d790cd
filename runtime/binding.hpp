// The names of one policy resolved against one fact store: program ids to
// the store's dense ids and back, made once per (policy, facts) pair and
// never on the decision path.
//
// Pipeline position: runtime/, between PolicyIndex (the loaded table) and
// FactStore (facts keyed by name, independent of the policy). Facts speak of
// roles, scopes, levels, types and attributes by name; the store interns
// those names to vocabulary ids, the policy knows them as program ids. A
// Binding holds the translation both ways as plain arrays.
//
// Why it survives fact updates: before binding, every name the policy uses
// is interned into the store (FactStore::with_names), and interned ids
// never change in the stores derived from it. A later update may add names,
// but none the policy knows (those were all there already), so a name id
// past the end of an array here is simply not the policy's. The engine
// rebinds when the policy changes or the facts are replaced whole.
#pragma once

#include <memory>
#include <vector>

#include "runtime/fact_store.hpp"
#include "table/program.hpp"

namespace warden::runtime {

struct Binding {
  // Program ids to fact ids.
  std::vector<NameId> principal_type;  // per principal type
  std::vector<NameId> resource_type;   // per resource type
  std::vector<NameId> attribute;       // per row of Program::attributes
  std::vector<Sym> constant;           // per constant: its string (kNoId when it has none)
  std::vector<Sym> enum_value;         // per entry of Program::ids that names an enum value
  Sym default_tenant = kNoId;

  // Fact vocabulary ids to program ids (table::kNone: not a name of the policy).
  std::vector<table::Id> role_of, scope_of, level_of, principal_of_type, resource_of_type;

  static table::Id lookup(const std::vector<table::Id>& v, NameId n) { return n < v.size() ? v[n] : table::kNone; }
  table::Id role(NameId n) const { return lookup(role_of, n); }
  table::Id scope(NameId n) const { return lookup(scope_of, n); }
  table::Id level(NameId n) const { return lookup(level_of, n); }
  table::Id principal_type_of(NameId n) const { return lookup(principal_of_type, n); }
  table::Id resource_type_of(NameId n) const { return lookup(resource_of_type, n); }

  // Every name of `p` that a binding resolves (what the store must hold).
  static PolicyNames names(const table::Program& p);
  // `facts` must hold names(p) (FactStore::with_names).
  static std::shared_ptr<const Binding> build(const table::Program& p, const FactStore& facts);
};

}  // namespace warden::runtime
