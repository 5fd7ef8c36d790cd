// A loaded policy: the validated decision table plus the name lookups the
// evaluator needs to meet requests and facts, which speak in names.
//
// Built once per artifact load (never on the decision path). Keys are views
// into the Program's own strings, so the index lives exactly as long as the
// Program it indexes.
#pragma once

#include <array>
#include <boost/unordered/unordered_flat_map.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/interner.hpp"
#include "table/program.hpp"
#include "warden/fact_schema.hpp"

namespace warden::runtime {

struct NameHash {
  using is_avalanching = void;  // XXH3
  std::size_t operator()(std::string_view s) const noexcept { return hash_text(s); }
};

// A request's type and action names to program ids. Most maps hold a few
// names (a type's actions, a policy's principal types): those are compared
// in a short scan, length first, cheaper than hashing the name; larger maps
// hash it (XXH3) into a flat map.
class NameMap {
 public:
  void emplace(std::string_view name, table::Id id) {
    if (small_.size() < kSmall && map_.empty()) {
      small_.push_back({name, id});
      return;
    }
    if (map_.empty()) {
      for (const auto& [n, i] : small_) map_.emplace(n, i);
    }
    map_.emplace(name, id);
  }
  table::Id find(std::string_view name) const {
    if (map_.empty()) {
      for (const auto& [n, i] : small_) {
        if (same_text(n, name)) return i;
      }
      return table::kNone;
    }
    auto it = map_.find(name);
    return it == map_.end() ? table::kNone : it->second;
  }

 private:
  static constexpr std::size_t kSmall = 8;
  std::vector<std::pair<std::string_view, table::Id>> small_;
  boost::unordered_flat_map<std::string_view, table::Id, NameHash> map_;
};

struct PolicyIndex {
  std::shared_ptr<const table::Program> program;
  std::uint64_t fingerprint = 0;

  NameMap principals;
  NameMap resources;
  std::vector<NameMap> actions;  // per resource type

  // Endpoints whose pattern is all literal segments, by exact path and
  // method: the most specific match there can be, so a request path found
  // here needs no walk of the routing trie (router.cpp).
  boost::unordered_flat_map<std::string_view, std::array<table::Id, table::kMethodCount>, NameHash> static_routes;
  std::vector<std::unique_ptr<std::string>> static_paths;  // the keys' text

  // Per path: kAttrId or kAttrTenant when the path is `principal.id` or
  // `principal.tenant`, else kNone. Every principal has these two, also one
  // of a type the policy does not declare (or a policy that declares none,
  // where the compiler has no per-type step to give): conditions.cpp falls
  // back to them when no first step matches the request's principal type.
  std::vector<table::Id> principal_builtin;
  table::AttributeRow builtin_string;  // the row such a path reports as its attribute

  // The policy's names for facts (Engine::fact_schema()).
  std::shared_ptr<const FactSchema> fact_schema;

  static std::shared_ptr<const PolicyIndex> build(std::shared_ptr<const table::Program> program, std::uint64_t fingerprint);

  table::Id find(const NameMap& map, std::string_view name) const { return map.find(name); }
};

}  // namespace warden::runtime
