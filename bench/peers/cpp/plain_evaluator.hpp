// The plain, hand-written evaluator in C++: the scenario's rules
// (../warden/*.warden) coded directly over standard containers, indexes
// built once from the application's records — what a team writes when it
// uses no policy engine, and the baseline of the design's "≥ 7× a plain
// hand-written evaluator". No explanation, no generality. The JavaScript
// twin is ../js/plain_evaluator.mjs.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "scenario_data.hpp"

namespace warden::peers {

class PlainEvaluator {
 public:
  explicit PlainEvaluator(const Scenario& scenario);
  bool decide(const HttpRequest& request) const;

 private:
  // Lets the maps be searched with a string_view.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <typename T>
  using Map = std::unordered_map<std::string, T, Hash, std::equal_to<>>;

  enum class Stage : std::uint8_t { None, Staging, Production, Archived };
  struct User {
    std::string id;
    std::unordered_set<std::string, Hash, std::equal_to<>> holders;  // "user:u1", "team:t7", "org:o3"
    Map<int> org_roles;                                              // org -> highest role rank held there
    bool platform_admin = false;
  };
  struct Key {
    const User* user = nullptr;
    unsigned scopes = 0;  // with everything they imply
  };
  struct Grant {
    std::string holder;
    int rank = 0;
    std::optional<std::int64_t> expires_at;
    bool active = true;
  };
  struct Model {
    std::string org, owner;
    Stage stage = Stage::None;
    std::vector<Grant> grants;
  };

  std::int64_t now_;
  Map<User> users_;
  Map<Key> keys_;
  Map<Model> models_;
};

}  // namespace warden::peers
