// The scenario's records as Warden facts (see warden_facts.hpp).
#include "warden_facts.hpp"

namespace warden::peers {

FactSet to_fact_set(const Scenario& s) {
  FactSet f;
  for (const auto& o : s.orgs) f.entities.push_back({"org", o, "", {}});
  for (const auto& t : s.teams) {
    f.entities.push_back({"team", t.id, "", {}});
    f.memberships.push_back({"team", t.id, "org", t.org});
  }
  for (const auto& u : s.users) {
    f.entities.push_back({"user", u.id, "", {}});
    f.memberships.push_back({"user", u.id, "org", u.home_org});
    for (const auto& t : u.teams) f.memberships.push_back({"user", u.id, "team", t});
  }
  for (const auto& r : s.roles) {
    f.roles.push_back({"user", r.user, r.role, r.org ? "org" : "", r.org.value_or("")});
  }
  for (const auto& k : s.keys) f.keys.push_back({k.id, "user", k.user, k.scopes, "", std::nullopt, false});
  for (const auto& m : s.models) {
    Entity e{"model", m.id, "", {}};
    e.attributes.push_back({"org", FactValue::string(m.org)});
    e.attributes.push_back({"owner", FactValue::string(m.owner)});
    e.attributes.push_back({"stage", FactValue::string(m.stage)});
    f.entities.push_back(std::move(e));
  }
  for (const auto& g : s.grants) {
    f.grants.push_back({g.id, g.subject_type, g.subject_id, "model", g.model, g.level, g.expires_at, g.active, ""});
  }
  return f;
}

}  // namespace warden::peers
