// Generating the binding benchmark scenarios (see binding_scenarios.hpp).
#include "bench/binding_scenarios.hpp"

#include <random>
#include <utility>

#include "support/json_writer.hpp"

namespace warden::bench {
namespace {

std::string n(const char* prefix, unsigned i) { return prefix + std::to_string(i); }

// One JSONL line written by `write` (a Writer writes one value, so each
// record gets its own).
template <typename F>
void line(std::string& out, F&& write) {
  std::string record;
  json::Writer w(record);
  write(w);
  out += record;
  out += '\n';
}

void context_time(json::Writer& w) { w.key("context").begin_object().key("time").integer(1790000000).end_object(); }

}  // namespace

ScenarioFiles gateway_files() {
  ScenarioFiles f;
  const char* scopes[] = {"model:read", "model:write", "mlflow:read", "mlflow:write", "experiment:write"};
  for (unsigned u = 0; u < 1000; ++u) {
    line(f.facts, [&](json::Writer& w) {
      w.begin_object().field("kind", "entity").field("type", "user").field("id", n("u", u));
      w.field("tenant", n("t", u % 10)).end_object();
    });
    line(f.facts, [&](json::Writer& w) {
      w.begin_object().field("kind", "key").field("id", n("k", u)).field("principal_id", n("u", u));
      w.key("scopes").begin_array().string(scopes[u % 5]).end_array().end_object();
    });
  }
  const std::pair<const char*, const char*> endpoints[] = {
      {"POST", "/api/2.0/mlflow/registered-models/create"},
      {"GET", "/api/2.0/mlflow/registered-models/get"},
      {"GET", "/api/2.0/mlflow/registered-models/search"},
      {"POST", "/api/2.0/mlflow/model-versions/create"},
      {"GET", "/api/2.0/mlflow/experiments/get"},
      {"GET", "/health"},
  };
  std::mt19937 rng(42);
  for (int i = 0; i < 4096; ++i) {
    const unsigned u = rng() % 1000;
    const auto& e = endpoints[rng() % std::size(endpoints)];
    line(f.requests, [&](json::Writer& w) {
      w.begin_object().field("request_id", "bench").field("api_key", n("k", u)).field("method", e.first);
      w.field("path", e.second).key("headers").begin_object().field("X-Tenant-ID", n("t", u % 10)).end_object();
      context_time(w);
      w.end_object();
    });
  }
  return f;
}

ScenarioFiles model_permissions_files() {
  ScenarioFiles f;
  std::mt19937 rng(7);
  const unsigned users = 1000, teams = 100, orgs = 20, models = 10000, grants = 50000;
  for (unsigned o = 0; o < orgs; ++o) {
    line(f.facts, [&](json::Writer& w) {
      w.begin_object().field("kind", "entity").field("type", "org").field("id", n("o", o));
      w.field("tenant", n("t", o % 10)).end_object();
    });
  }
  for (unsigned t = 0; t < teams; ++t) {
    line(f.facts, [&](json::Writer& w) {
      w.begin_object().field("kind", "membership").field("member_type", "team").field("member_id", n("team", t));
      w.field("collection_type", "org").field("collection_id", n("o", t % orgs)).end_object();
    });
  }
  for (unsigned u = 0; u < users; ++u) {
    line(f.facts, [&](json::Writer& w) {
      w.begin_object().field("kind", "entity").field("type", "user").field("id", n("u", u));
      w.field("tenant", n("t", u % 10)).end_object();
    });
    // Two teams each; the same team twice is one membership.
    const unsigned first = u % teams, second = (u * 7 + 3) % teams;
    for (unsigned team : {first, second}) {
      line(f.facts, [&](json::Writer& w) {
        w.begin_object().field("kind", "membership").field("member_id", n("u", u)).field("collection_type", "team");
        w.field("collection_id", n("team", team)).end_object();
      });
      if (second == first) break;
    }
  }
  const char* stages[] = {"none", "staging", "production", "archived"};
  for (unsigned m = 0; m < models; ++m) {
    const std::string owner = n("u", rng() % users);
    const char* stage = stages[rng() % 4];
    const bool sensitive = rng() % 5 == 0;
    line(f.facts, [&](json::Writer& w) {
      w.begin_object().field("kind", "entity").field("type", "model").field("id", n("m", m));
      w.field("tenant", n("t", m % 10)).key("attributes").begin_object().field("org", n("o", m % orgs));
      w.field("owner", owner).field("stage", stage).field("sensitive", sensitive).end_object().end_object();
    });
  }
  const char* levels[] = {"read", "write", "execute", "admin"};
  const char* subject_types[] = {"user", "user", "user", "team", "org"};
  for (unsigned g = 0; g < grants; ++g) {
    const std::string subject_type = subject_types[rng() % 5];
    const unsigned count = subject_type == "user" ? users : subject_type == "team" ? teams : orgs;
    const char* prefix = subject_type == "user" ? "u" : subject_type == "team" ? "team" : "o";
    const std::string subject = n(prefix, rng() % count), model = n("m", rng() % models);
    const char* level = levels[rng() % 4];
    const bool expired = rng() % 10 == 0;
    const bool active = rng() % 20 != 0;
    line(f.facts, [&](json::Writer& w) {
      w.begin_object().field("kind", "grant").field("id", n("g", g)).field("subject_type", subject_type);
      w.field("subject_id", subject).field("resource_type", "model").field("resource_id", model).field("level", level);
      if (expired) w.key("expires_at").integer(1700000000);
      w.field("active", active).end_object();
    });
  }
  const char* actions[] = {"read", "read", "read", "list", "download", "update", "delete", "deploy"};
  for (int i = 0; i < 4096; ++i) {
    const std::string user = n("u", rng() % users), model = n("m", rng() % models);
    const char* action = actions[rng() % std::size(actions)];
    line(f.requests, [&](json::Writer& w) {
      w.begin_object().field("request_id", "bench").key("principal").begin_object().field("id", user).end_object();
      w.field("action", action).key("resource").begin_object().field("type", "model").field("id", model).end_object();
      context_time(w);
      w.end_object();
    });
  }
  return f;
}

}  // namespace warden::bench
