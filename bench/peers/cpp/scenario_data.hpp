// The peer benchmark's scenario as the application holds it: the records of
// scenario.tsv and the requests of requests.tsv, both written by
// ../js/generate.mjs (which documents the format). Read by the C++ harness
// for the hand-written evaluator and to build Warden's facts through the
// public API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace warden::peers {

struct TeamRecord {
  std::string id, org;
};
struct UserRecord {
  std::string id, home_org;
  std::vector<std::string> teams;
};
struct RoleRecord {
  std::string user, role;
  std::optional<std::string> org;  // none: held globally
};
struct KeyRecord {
  std::string id, user;
  std::vector<std::string> scopes;
};
struct ModelRecord {
  std::string id, org, owner, stage;
};
struct GrantRecord {
  std::string id, subject_type, subject_id, model, level;
  std::optional<std::int64_t> expires_at;
  bool active = true;
};

struct Scenario {
  std::int64_t now = 0;  // the instant every request is decided at (Unix seconds)
  std::vector<std::string> orgs;
  std::vector<TeamRecord> teams;
  std::vector<UserRecord> users;
  std::vector<RoleRecord> roles;
  std::vector<KeyRecord> keys;
  std::vector<ModelRecord> models;
  std::vector<GrantRecord> grants;
};

struct HttpRequest {
  std::string key, method, path;
};

// Both throw std::runtime_error naming the file and line of anything malformed.
Scenario read_scenario(const std::string& dir);
std::vector<HttpRequest> read_requests(const std::string& dir);

}  // namespace warden::peers
