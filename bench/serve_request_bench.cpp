// The request path of `warden serve`, phase by phase: reading the JSON body
// of POST /v1/decide (the runtime's strict reader, and simdjson's DOM parse
// of the same bytes for comparison), deciding, and rendering the response.
// The HTTP exchange itself is measured end to end by bench/serve/run.sh (wrk).
// Run from the repository root (docs/performance.md, "warden serve").
#include <benchmark/benchmark.h>

#include <simdjson.h>

#include "bench/compiled_policy.hpp"
#include "runtime_io/request_reader.hpp"
#include "support/json.hpp"
#include "warden/explain.hpp"
#include "warden/facts_json.hpp"
#include "warden/request_json.hpp"

namespace {

using namespace warden;

const std::string kBody =
    R"({"request_id":"req-1","api_key":"k-write","method":"POST","path":"/api/2.0/mlflow/registered-models/create",)"
    R"("headers":{"X-Tenant-ID":"acme"},"context":{"client_ip":"10.0.0.7"}})";

Engine& gateway() {
  static Engine* engine = [] {
    auto* e = new Engine();
    bench::load_policy(*e, "policies/gateway");
    FactsReader reader;
    if (reader.add_file("fixtures/facts/gateway.jsonl") || !e->replace_facts(reader.take()).ok) std::abort();
    return e;
  }();
  return *engine;
}

// What the service does: parse to a DOM (with depth and size limits), then
// read the request strictly (unknown fields refused).
void BM_ReadRequest(benchmark::State& state) {
  OwnedRequest owned;
  json::Limits limits;
  limits.max_depth = 32;
  for (auto _ : state) {
    auto parsed = json::parse(kBody, limits);
    auto error = runtime_io::read_request(*parsed.value, owned);
    benchmark::DoNotOptimize(error);
  }
}
BENCHMARK(BM_ReadRequest);

// simdjson's DOM parse of the same body, without reading a field: a lower
// bound for what a simdjson-based reader could cost.
void BM_SimdjsonParseOnly(benchmark::State& state) {
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(kBody);
  for (auto _ : state) {
    auto doc = parser.parse(padded);
    benchmark::DoNotOptimize(doc);
  }
}
BENCHMARK(BM_SimdjsonParseOnly);

void BM_Decide(benchmark::State& state) {
  OwnedRequest owned;
  parse_request(kBody, owned);
  Decision d;
  for (auto _ : state) {
    gateway().decide(owned.request, d);
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(BM_Decide);

void BM_RenderDecision(benchmark::State& state) {
  OwnedRequest owned;
  parse_request(kBody, owned);
  const Decision d = gateway().decide(owned.request);
  std::string out;
  for (auto _ : state) {
    out.clear();
    append_decision_json(out, d);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_RenderDecision);

}  // namespace

BENCHMARK_MAIN();
