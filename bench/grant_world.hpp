// The model-permissions world the decision, listing and fact benchmarks
// share: users in teams in organizations, models with owners and stages,
// grants to users, teams and organizations (some expired, some revoked),
// and the requests asked of them. Generated from a fixed seed.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "warden/facts.hpp"
#include "warden/request.hpp"

namespace warden::bench {

struct GrantWorldShape {
  int models = 10000;
  int grants = 50000;
  int users = 1000;
  int teams = 100;
  int orgs = 20;
  // Of every five grants: this many to users (the rest to a team, then an org).
  int user_share = 3;
};

// Users belong to two teams each, teams to one organization; everything
// lives in one of 10 tenants (the policy has no isolation). One grant in ten
// has expired, one in twenty is revoked.
inline FactSet grant_world(const GrantWorldShape& shape, std::mt19937& rng) {
  FactSet facts;
  for (int o = 0; o < shape.orgs; ++o) facts.entities.push_back({"org", "o" + std::to_string(o), "t" + std::to_string(o % 10), {}});
  for (int t = 0; t < shape.teams; ++t) {
    facts.memberships.push_back({"team", "team" + std::to_string(t), "org", "o" + std::to_string(t % shape.orgs)});
  }
  for (int u = 0; u < shape.users; ++u) {
    const std::string id = "u" + std::to_string(u);
    facts.entities.push_back({"user", id, "t" + std::to_string(u % 10), {}});
    facts.memberships.push_back({"user", id, "team", "team" + std::to_string(u % shape.teams)});
    facts.memberships.push_back({"user", id, "team", "team" + std::to_string((u * 7 + 3) % shape.teams)});
  }
  const char* stages[] = {"none", "staging", "production", "archived"};
  for (int m = 0; m < shape.models; ++m) {
    Entity e{"model", "m" + std::to_string(m), "t" + std::to_string(m % 10), {}};
    e.attributes.push_back({"org", FactValue::string("o" + std::to_string(m % shape.orgs))});
    e.attributes.push_back({"owner", FactValue::string("u" + std::to_string(rng() % static_cast<unsigned>(shape.users)))});
    e.attributes.push_back({"stage", FactValue::string(stages[rng() % 4])});
    e.attributes.push_back({"sensitive", FactValue::flag(rng() % 5 == 0)});
    facts.entities.push_back(std::move(e));
  }
  const char* levels[] = {"read", "write", "execute", "admin"};
  facts.grants.reserve(static_cast<std::size_t>(shape.grants));
  for (int g = 0; g < shape.grants; ++g) {
    Grant gr;
    gr.id = "g" + std::to_string(g);
    const unsigned roll = rng() % 5;
    gr.subject_type = roll < static_cast<unsigned>(shape.user_share) ? "user" : roll < 4 ? "team" : "org";
    const int n = gr.subject_type == "user" ? shape.users : gr.subject_type == "team" ? shape.teams : shape.orgs;
    gr.subject_id = (gr.subject_type == "user" ? "u" : gr.subject_type == "team" ? "team" : "o") +
                    std::to_string(rng() % static_cast<unsigned>(n));
    gr.resource_type = "model";
    gr.resource_id = "m" + std::to_string(rng() % static_cast<unsigned>(shape.models));
    gr.level = levels[rng() % 4];
    if (rng() % 10 == 0) gr.expires_at = 1700000000;  // expired
    gr.active = rng() % 20 != 0;
    facts.grants.push_back(std::move(gr));
  }
  return facts;
}

// Requests on random models by random users, mostly reads (the mix of a
// model registry's traffic); `storage` keeps their strings alive.
inline std::vector<Request> grant_requests(const GrantWorldShape& shape, std::mt19937& rng, std::vector<std::string>& storage,
                                           int count = 4096) {
  const char* actions[] = {"read", "read", "read", "list", "download", "update", "delete", "deploy"};
  storage.reserve(storage.size() + 2 * static_cast<std::size_t>(count));
  const std::size_t base = storage.size();
  for (int i = 0; i < count; ++i) {
    storage.push_back("u" + std::to_string(rng() % static_cast<unsigned>(shape.users)));
    storage.push_back("m" + std::to_string(rng() % static_cast<unsigned>(shape.models)));
  }
  std::vector<Request> requests;
  for (int i = 0; i < count; ++i) {
    Request r;
    r.principal_id = storage[base + 2 * static_cast<std::size_t>(i)];
    r.resource_type = "model";
    r.resource_id = storage[base + 2 * static_cast<std::size_t>(i) + 1];
    r.action = actions[rng() % std::size(actions)];
    r.request_id = "bench";
    r.time = 1790000000;
    requests.push_back(r);
  }
  return requests;
}

}  // namespace warden::bench
