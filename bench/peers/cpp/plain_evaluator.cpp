// The plain, hand-written evaluator (see plain_evaluator.hpp).
#include "plain_evaluator.hpp"

#include <stdexcept>

namespace warden::peers {
namespace {

enum class Action : std::uint8_t { Read, Update, RegisterVersion, Execute, Deploy, Delete, ManagePermissions };

constexpr unsigned kRead = 1, kWrite = 2, kExecute = 4, kAdmin = 8;

struct Route {
  Action action;
  unsigned required_scopes;
};

// /api/models/{id}[/{suffix}] -> the route and the model id.
std::optional<Route> route(std::string_view method, std::string_view path, std::string_view& id) {
  constexpr std::string_view prefix = "/api/models/";
  if (!path.starts_with(prefix)) return std::nullopt;
  path.remove_prefix(prefix.size());
  const std::size_t slash = path.find('/');
  id = path.substr(0, slash);
  const std::string_view suffix = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
  if (id.empty()) return std::nullopt;
  if (suffix.empty()) {
    if (method == "GET") return Route{Action::Read, kRead};
    if (method == "PATCH") return Route{Action::Update, kWrite};
    if (method == "DELETE") return Route{Action::Delete, kAdmin};
  } else if (method == "POST") {
    if (suffix == "versions") return Route{Action::RegisterVersion, kWrite};
    if (suffix == "invocations") return Route{Action::Execute, kExecute};
    if (suffix == "deployments") return Route{Action::Deploy, kExecute | kWrite};
  } else if (method == "PUT" && suffix == "permissions") {
    return Route{Action::ManagePermissions, kAdmin};
  }
  return std::nullopt;
}

// A scope with everything it implies.
unsigned scope_closure(const std::string& scope) {
  if (scope == "model:read") return kRead;
  if (scope == "model:write") return kRead | kWrite;
  if (scope == "model:execute") return kRead | kExecute;
  if (scope == "model:admin") return kRead | kWrite | kExecute | kAdmin;
  throw std::runtime_error("unknown scope `" + scope + "`");
}

int level_rank(const std::string& level) {
  if (level == "read") return 0;
  if (level == "write") return 1;
  if (level == "execute") return 2;
  if (level == "admin") return 3;
  throw std::runtime_error("unknown level `" + level + "`");
}

int role_rank(const std::string& role) {
  if (role == "viewer") return 0;
  if (role == "developer") return 1;
  if (role == "manager") return 2;
  if (role == "admin") return 3;
  throw std::runtime_error("unknown org role `" + role + "`");
}

// The lowest grant level, and the lowest org role, that permit the action.
int action_rank(Action a) {
  switch (a) {
    case Action::Read: return 0;
    case Action::Update:
    case Action::RegisterVersion: return 1;
    case Action::Execute:
    case Action::Deploy: return 2;
    case Action::Delete:
    case Action::ManagePermissions: return 3;
  }
  return 4;
}

}  // namespace

PlainEvaluator::PlainEvaluator(const Scenario& s) : now_(s.now) {
  Map<std::string> team_org;
  for (const auto& t : s.teams) team_org[t.id] = t.org;
  for (const auto& u : s.users) {
    User& user = users_[u.id];
    user.id = u.id;
    user.holders.insert("user:" + u.id);
    user.holders.insert("org:" + u.home_org);
    for (const auto& t : u.teams) {
      user.holders.insert("team:" + t);
      user.holders.insert("org:" + team_org.at(t));
    }
  }
  for (const auto& r : s.roles) {
    User& user = users_.at(r.user);
    if (!r.org) {
      if (r.role == "platform_admin") user.platform_admin = true;
      continue;
    }
    const int rank = role_rank(r.role);
    auto [it, added] = user.org_roles.try_emplace(*r.org, rank);
    if (!added && rank > it->second) it->second = rank;
  }
  for (const auto& k : s.keys) {
    Key& key = keys_[k.id];
    key.user = &users_.at(k.user);
    for (const auto& scope : k.scopes) key.scopes |= scope_closure(scope);
  }
  for (const auto& m : s.models) {
    Model& model = models_[m.id];
    model.org = m.org;
    model.owner = m.owner;
    if (m.stage == "none") model.stage = Stage::None;
    else if (m.stage == "staging") model.stage = Stage::Staging;
    else if (m.stage == "production") model.stage = Stage::Production;
    else if (m.stage == "archived") model.stage = Stage::Archived;
    else throw std::runtime_error("unknown stage `" + m.stage + "`");
  }
  for (const auto& g : s.grants) {
    models_.at(g.model).grants.push_back({g.subject_type + ":" + g.subject_id, level_rank(g.level), g.expires_at, g.active});
  }
}

bool PlainEvaluator::decide(const HttpRequest& request) const {
  std::string_view id;
  const auto r = route(request.method, request.path, id);
  if (!r) return false;
  const auto key = keys_.find(std::string_view(request.key));
  if (key == keys_.end() || (key->second.scopes & r->required_scopes) != r->required_scopes) return false;
  const auto found = models_.find(id);
  if (found == models_.end()) return false;
  const Model& model = found->second;

  const Action a = r->action;
  const bool changes = a == Action::Update || a == Action::RegisterVersion || a == Action::Execute || a == Action::Deploy;
  if (model.stage == Stage::Archived && changes) return false;
  if (a == Action::Deploy && model.stage != Stage::Staging && model.stage != Stage::Production) return false;

  const User& user = *key->second.user;
  if (user.platform_admin || model.owner == user.id) return true;
  const int need = action_rank(a);
  if (const auto role = user.org_roles.find(std::string_view(model.org)); role != user.org_roles.end() && role->second >= need) return true;
  for (const Grant& g : model.grants) {
    if (g.rank >= need && g.active && (!g.expires_at || now_ < *g.expires_at) && user.holders.contains(std::string_view(g.holder))) return true;
  }
  return false;
}

}  // namespace warden::peers
