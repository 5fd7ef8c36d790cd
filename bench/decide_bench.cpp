// Decision benchmarks: one decision in process with the summary explanation
// (always on), with the full trace, across threads, and how latency grows
// with the number of grants and of rules.
//
// Scenarios (generated, fixed seed):
//   gateway  — the reference gateway policy, HTTP requests by API key;
//   grants   — the reference model_permissions policy with 1k users, 100
//              teams, 20 orgs, 10k models and 50k grants
//              (bench/grant_world.hpp), requests on random models by random
//              users;
//   growth   — the grants scenario from 1k to 1M grants (10k models), and
//              generated policies of 100 to 100k rules (generated_policy.hpp).
// Each decision is timed alone (bench/timed.hpp): p50/p90/p99 counters,
// with timer_ns, the clock's own cost, measured in the same run. Names and
// counters are stable (the growth curves are plotted from the JSON output);
// run from the repository root (see docs/performance.md).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>
#include <random>

#include "bench/compiled_policy.hpp"
#include "bench/generated_policy.hpp"
#include "bench/grant_world.hpp"
#include "bench/timed.hpp"
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
  for (int o = 0; o < 10; ++o) {
    facts.entities.push_back({"org", "o" + std::to_string(o), "t" + std::to_string(o), {{"status", FactValue::string("active")}}});
  }
  for (int u = 0; u < 1000; ++u) {
    facts.entities.push_back({"user", "u" + std::to_string(u), "t" + std::to_string(u % 10),
                              {{"org", FactValue::string("o" + std::to_string(u % 10))}}});
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
  std::mt19937 rng(7);
  bench::GrantWorldShape shape;
  shape.models = models;
  shape.grants = grants;
  if (!s->engine.replace_facts(bench::grant_world(shape, rng)).ok) std::abort();
  s->requests = bench::grant_requests(shape, rng, s->storage);
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

const Scenario& gateway() {
  static const auto s = gateway_scenario();
  return *s;
}
const Scenario& grants_50k() {
  static const auto s = grants_scenario(10000, 50000);
  return *s;
}

void BM_DecideGateway(benchmark::State& state) { bench::run_timed(state, gateway().engine, gateway().requests, false); }
BENCHMARK(BM_DecideGateway);

void BM_DecideGatewayTrace(benchmark::State& state) { bench::run_timed(state, gateway().engine, gateway().requests, true); }
BENCHMARK(BM_DecideGatewayTrace);

void BM_DecideGrants50k(benchmark::State& state) { bench::run_timed(state, grants_50k().engine, grants_50k().requests, false); }
BENCHMARK(BM_DecideGrants50k);

void BM_DecideGrants50kTrace(benchmark::State& state) { bench::run_timed(state, grants_50k().engine, grants_50k().requests, true); }
BENCHMARK(BM_DecideGrants50kTrace);

// Throughput across threads: decisions/s (items_per_second) from one thread
// to one per CPU.
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
BENCHMARK(BM_ThroughputGrants50k)->ThreadRange(1, benchmark::CPUInfo::Get().num_cpus)->UseRealTime();

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
BENCHMARK(BM_ThroughputGateway)->ThreadRange(1, benchmark::CPUInfo::Get().num_cpus)->UseRealTime();

// Growth with the number of grants (1k → 1M, 10k models). One scenario at a
// time: the previous one is freed before the next is built.
void BM_GrowthGrants(benchmark::State& state) {
  static std::pair<std::int64_t, std::unique_ptr<Scenario>> cache;
  if (cache.first != state.range(0)) {
    cache.second.reset();
    cache = {state.range(0), grants_scenario(10000, static_cast<int>(state.range(0)))};
  }
  bench::run_timed(state, cache.second->engine, cache.second->requests, false);
  state.counters["grants"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_GrowthGrants)->ArgName("grants")->Arg(1000)->Arg(10000)->Arg(100000)->Arg(1000000)->Iterations(2000000);

// Growth with the number of rules (100 → 100k).
void BM_GrowthRules(benchmark::State& state) {
  static std::pair<std::int64_t, std::unique_ptr<Scenario>> cache;
  if (cache.first != state.range(0)) {
    cache.second.reset();
    cache = {state.range(0), rules_scenario(static_cast<int>(state.range(0)))};
  }
  bench::run_timed(state, cache.second->engine, cache.second->requests, false);
  state.counters["rules"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_GrowthRules)->ArgName("rules")->Arg(100)->Arg(1000)->Arg(10000)->Arg(100000)->Iterations(2000000);

}  // namespace

BENCHMARK_MAIN();
