// A loaded policy: the validated decision table plus the name lookups the
// evaluator needs to meet requests and facts, which speak in names.
//
// Built once per artifact load (never on the decision path). Keys are views
// into the Program's own strings, so the index lives exactly as long as the
// Program it indexes.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/fact_store.hpp"
#include "table/program.hpp"

namespace warden::runtime {

using NameMap = std::unordered_map<std::string_view, table::Id, StringHash, std::equal_to<>>;

struct PolicyIndex {
  std::shared_ptr<const table::Program> program;
  std::uint64_t fingerprint = 0;

  NameMap scopes;
  NameMap roles;
  NameMap levels;
  NameMap principals;
  NameMap resources;
  std::vector<NameMap> actions;  // per resource type

  static std::shared_ptr<const PolicyIndex> build(std::shared_ptr<const table::Program> program, std::uint64_t fingerprint);

  table::Id find(const NameMap& map, std::string_view name) const {
    auto it = map.find(name);
    return it == map.end() ? table::kNone : it->second;
  }
};

}  // namespace warden::runtime
