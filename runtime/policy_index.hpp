// A loaded policy: the validated decision table plus the name lookups the
// evaluator needs to meet requests and facts, which speak in names.
//
// Built once per artifact load (never on the decision path). Keys are views
// into the Program's own strings, so the index lives exactly as long as the
// Program it indexes.
#pragma once

#include <boost/unordered/unordered_flat_map.hpp>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "runtime/interner.hpp"
#include "table/program.hpp"

namespace warden::runtime {

struct NameHash {
  using is_avalanching = void;  // XXH3
  std::size_t operator()(std::string_view s) const noexcept { return hash_text(s); }
};
using NameMap = boost::unordered_flat_map<std::string_view, table::Id, NameHash>;

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
