// Decision benchmarks: one decision in process with the summary explanation,
// with the full trace, across threads, and how latency grows with the number
// of rules and of grants.
//
// Scenarios (generated, fixed seed):
//   gateway  — the reference gateway policy, HTTP requests by API key;
//   grants   — the reference model_permissions policy with 10 tenants, 1k
//              users, 100 teams, 20 orgs, 10k models and 50k grants (and a
//              1M-grant variant), requests on random models by random users.
// Per-decision percentiles are measured by timing each decision with the
// steady clock (its own cost, ~20 ns, is included) and reported as counters.
// Run from the repository root (see docs/performance.md).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <random>

#include "bench/compiled_policy.hpp"
#include "bench/generated_policy.hpp"
#include "warden/engine.hpp"

namespace {

using namespace warden;

struct Scenario {
  Engine engine;
  std::vector<std::string> storage;  // keeps request strings alive
  std::vector<Request> requests;
  std::vector<KeyValue> headers;
};

// --- gateway: API keys and endpoints ------------------------------------------

std::unique_ptr<Scenario> gateway_scenario() {
  auto s = std::make_unique<Scenario>();
  bench::load_policy(s->engine, "policies/gateway");
  FactSet facts;
  const char* scopes[] = {"model:read", "model:write", "mlflow:read", "mlflow:write", "experiment:write"};
  for (int u = 0; u < 1000; ++u) {
    facts.entities.push_back({"user", "u" + std::to_string(u), "t" + std::to_string(u % 10), {}});
    facts.keys.push_back({"k" + std::to_string(u), "user", "u" + std::to_string(u), {scopes[u % 5]}, "", std::nullopt, false});
  }
  if (!s->engine.replace_facts(facts).ok) std::abort();
  const std::pair<const char*, const char*> endpoints[] = {
      {"POST", "/api/2.0/mlflow/registered-models/create"},
      {"GET", "/api/2.0/mlflow/registered-models/get"},
      {"GET", "/api/2.0/mlflow/registered-models/search"},
      {"POST", "/api/2.0/mlflow/model-versions/create"},
      {"GET", "/api/2.0/mlflow/experiments/get"},
      {"GET", "/health"},
  };
  std::mt19937 rng(42);
  s->storage.reserve(4096 * 2);
  s->headers.reserve(4096);
  for (int i = 0; i < 4096; ++i) {
    const int u = static_cast<int>(rng() % 1000);
    s->storage.push_back("k" + std::to_string(u));
    s->storage.push_back("t" + std::to_string(u % 10));
    s->headers.push_back({"X-Tenant-ID", s->storage.back()});
  }
  for (int i = 0; i < 4096; ++i) {
    Request r;
    r.api_key = s->storage[static_cast<std::size_t>(2 * i)];
    const auto& e = endpoints[rng() % std::size(endpoints)];
    r.method = e.first;
    r.path = e.second;
    r.headers = {&s->headers[static_cast<std::size_t>(i)], 1};
    r.request_id = "bench";
    r.time = 1790000000;
    s->requests.push_back(r);
  }
  return s;
}

// --- grants: model permissions at scale -----------------------------------------

std::unique_ptr<Scenario> grants_scenario(int models, int grants) {
  auto s = std::make_unique<Scenario>();
  bench::load_policy(s->engine, "policies/model_permissions");
  FactSet facts;
  std::mt19937 rng(7);
  const int users = 1000, teams = 100, orgs = 20;
  for (int o = 0; o < orgs; ++o) facts.entities.push_back({"org", "o" + std::to_string(o), "t" + std::to_string(o % 10), {}});
  for (int t = 0; t < teams; ++t) facts.memberships.push_back({"team", "team" + std::to_string(t), "org", "o" + std::to_string(t % orgs)});
  for (int u = 0; u < users; ++u) {
    const std::string id = "u" + std::to_string(u);
    facts.entities.push_back({"user", id, "t" + std::to_string(u % 10), {}});
    facts.memberships.push_back({"user", id, "team", "team" + std::to_string(u % teams)});
    facts.memberships.push_back({"user", id, "team", "team" + std::to_string((u * 7 + 3) % teams)});
  }
  const char* stages[] = {"none", "staging", "production", "archived"};
  for (int m = 0; m < models; ++m) {
    Entity e{"model", "m" + std::to_string(m), "t" + std::to_string(m % 10), {}};
    e.attributes.push_back({"org", FactValue::string("o" + std::to_string(m % orgs))});
    e.attributes.push_back({"owner", FactValue::string("u" + std::to_string(rng() % users))});
    e.attributes.push_back({"stage", FactValue::string(stages[rng() % 4])});
    e.attributes.push_back({"sensitive", FactValue::flag(rng() % 5 == 0)});
    facts.entities.push_back(std::move(e));
  }
  const char* levels[] = {"read", "write", "execute", "admin"};
  const char* subject_types[] = {"user", "user", "user", "team", "org"};
  for (int g = 0; g < grants; ++g) {
    Grant gr;
    gr.id = "g" + std::to_string(g);
    gr.subject_type = subject_types[rng() % 5];
    const int n = gr.subject_type == "user" ? users : gr.subject_type == "team" ? teams : orgs;
    gr.subject_id = (gr.subject_type == "user" ? "u" : gr.subject_type == "team" ? "team" : "o") + std::to_string(rng() % static_cast<unsigned>(n));
    gr.resource_type = "model";
    gr.resource_id = "m" + std::to_string(rng() % static_cast<unsigned>(models));
    gr.level = levels[rng() % 4];
    if (rng() % 10 == 0) gr.expires_at = 1700000000;  // expired
    gr.active = rng() % 20 != 0;
    facts.grants.push_back(std::move(gr));
  }
  if (!s->engine.replace_facts(facts).ok) std::abort();
  const char* actions[] = {"read", "read", "read", "list", "download", "update", "delete", "deploy"};
  s->storage.reserve(4096 * 2);
  for (int i = 0; i < 4096; ++i) {
    s->storage.push_back("u" + std::to_string(rng() % users));
    s->storage.push_back("m" + std::to_string(rng() % static_cast<unsigned>(models)));
  }
  for (int i = 0; i < 4096; ++i) {
    Request r;
    r.principal_id = s->storage[static_cast<std::size_t>(2 * i)];
    r.resource_type = "model";
    r.resource_id = s->storage[static_cast<std::size_t>(2 * i + 1)];
    r.action = actions[rng() % std::size(actions)];
    r.request_id = "bench";
    r.time = 1790000000;
    s->requests.push_back(r);
  }
  return s;
}

// --- rule growth: generated policies ------------------------------------------

std::unique_ptr<Scenario> rules_scenario(int rules) {
  auto s = std::make_unique<Scenario>();
  const std::string artifact = bench::artifact_of_sources("generated", {{"generated.warden", bench::generated_policy(rules)}});
  if (!s->engine.load_policy(artifact).ok) std::abort();
  const int types = std::max(1, rules / 10);
  FactSet facts;
  for (int u = 0; u < 100; ++u) facts.entities.push_back({"user", "u" + std::to_string(u), "default", {}});
  for (int u = 0; u < 100; ++u) facts.roles.push_back({"user", "u" + std::to_string(u), u % 2 ? "developer" : "viewer", "", ""});
  if (!s->engine.replace_facts(facts).ok) std::abort();
  std::mt19937 rng(3);
  const char* actions[] = {"read", "list", "create", "update"};
  for (int i = 0; i < 4096; ++i) {
    s->storage.push_back("u" + std::to_string(rng() % 100));
    s->storage.push_back("res" + std::to_string(rng() % static_cast<unsigned>(types)));
  }
  for (int i = 0; i < 4096; ++i) {
    Request r;
    r.principal_id = s->storage[static_cast<std::size_t>(2 * i)];
    r.resource_type = s->storage[static_cast<std::size_t>(2 * i + 1)];
    r.resource_id = "r1";
    r.action = actions[rng() % 4];
    r.time = 1790000000;
    s->requests.push_back(r);
  }
  return s;
}

// Runs decisions, timing each one, and reports p50/p99 (ns) and the allow ratio.
void run_timed(benchmark::State& state, const Scenario& s, bool with_trace) {
  std::vector<std::uint32_t> samples;
  samples.reserve(1 << 20);
  std::size_t i = 0, allowed = 0;
  Decision d;
  Trace trace;
  for (auto _ : state) {
    const Request& r = s.requests[i++ & 4095];
    const auto t0 = std::chrono::steady_clock::now();
    if (with_trace) {
      trace.events.clear();
      s.engine.decide(r, d, trace);
    } else {
      s.engine.decide(r, d);
    }
    const auto t1 = std::chrono::steady_clock::now();
    allowed += d.allowed();
    if (samples.size() < samples.capacity()) {
      samples.push_back(static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()));
    }
  }
  if (samples.empty()) return;
  std::sort(samples.begin(), samples.end());
  state.counters["p50_ns"] = samples[samples.size() / 2];
  state.counters["p99_ns"] = samples[samples.size() * 99 / 100];
  state.counters["allow_ratio"] = static_cast<double>(allowed) / static_cast<double>(i);
}

const Scenario& gateway() {
  static const auto s = gateway_scenario();
  return *s;
}
const Scenario& grants_50k() {
  static const auto s = grants_scenario(10000, 50000);
  return *s;
}

void BM_DecideGateway(benchmark::State& state) { run_timed(state, gateway(), false); }
BENCHMARK(BM_DecideGateway);

void BM_DecideGatewayTrace(benchmark::State& state) { run_timed(state, gateway(), true); }
BENCHMARK(BM_DecideGatewayTrace);

void BM_DecideGrants50k(benchmark::State& state) { run_timed(state, grants_50k(), false); }
BENCHMARK(BM_DecideGrants50k);

void BM_DecideGrants50kTrace(benchmark::State& state) { run_timed(state, grants_50k(), true); }
BENCHMARK(BM_DecideGrants50kTrace);

// Throughput across threads: decisions/s (items_per_second) on 1 and 2 threads.
void BM_ThroughputGrants50k(benchmark::State& state) {
  const Scenario& s = grants_50k();
  std::size_t i = static_cast<std::size_t>(state.thread_index()) * 1000;
  Decision d;
  for (auto _ : state) {
    s.engine.decide(s.requests[i++ & 4095], d);
    benchmark::DoNotOptimize(d.outcome);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ThroughputGrants50k)->ThreadRange(1, 2)->UseRealTime();

void BM_ThroughputGateway(benchmark::State& state) {
  const Scenario& s = gateway();
  std::size_t i = static_cast<std::size_t>(state.thread_index()) * 1000;
  Decision d;
  for (auto _ : state) {
    s.engine.decide(s.requests[i++ & 4095], d);
    benchmark::DoNotOptimize(d.outcome);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_ThroughputGateway)->ThreadRange(1, 2)->UseRealTime();

// Growth with the number of grants (1k → 1M, 10k models).
void BM_GrowthGrants(benchmark::State& state) {
  static std::map<std::int64_t, std::unique_ptr<Scenario>> cache;
  auto& s = cache[state.range(0)];
  if (!s) s = grants_scenario(10000, static_cast<int>(state.range(0)));
  run_timed(state, *s, false);
}
BENCHMARK(BM_GrowthGrants)->Arg(1000)->Arg(10000)->Arg(100000)->Arg(1000000)->Iterations(2000000);

// Growth with the number of rules (100 → 100k).
void BM_GrowthRules(benchmark::State& state) {
  static std::map<std::int64_t, std::unique_ptr<Scenario>> cache;
  auto& s = cache[state.range(0)];
  if (!s) s = rules_scenario(static_cast<int>(state.range(0)));
  run_timed(state, *s, false);
}
BENCHMARK(BM_GrowthRules)->Arg(100)->Arg(1000)->Arg(10000)->Arg(100000)->Iterations(2000000);

}  // namespace

BENCHMARK_MAIN();
