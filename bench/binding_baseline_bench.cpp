// The in-process C++ figure the Python and Node benchmarks are compared
// with: the same scenarios (binding_scenarios.hpp), read by the same runtime
// readers, decided by the same Engine — per decision, timed one by one with
// the steady clock (its own ~20 ns included, as in decide_bench.cpp).
//
//   BM_Decide/<scenario>        Engine::decide(), summary explanation
//   BM_DecideJson/<scenario>    decide + the explanation JSON (what the Node
//                               addon does in C++ per call)
//   …/threads:2                 the same on two threads at once
//
// With `--write-data DIR` it writes the scenario files the Python and Node
// benchmarks read instead (DIR/<scenario>.facts.jsonl, .requests.jsonl).
// Run from the repository root (docs/performance.md, "Bindings").
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "bench/binding_scenarios.hpp"
#include "bench/compiled_policy.hpp"
#include "warden/explain.hpp"
#include "warden/facts_json.hpp"
#include "warden/request_json.hpp"

namespace {

using namespace warden;

struct Loaded {
  Engine engine;
  std::deque<OwnedRequest> requests;  // 4096
};

std::unique_ptr<Loaded> load(const char* policy, const bench::ScenarioFiles& files) {
  auto s = std::make_unique<Loaded>();
  bench::load_policy(s->engine, policy);
  const FactsResult facts = parse_facts(files.facts, "facts.jsonl", FactsFormat::Lines);
  if (!facts.ok() || !s->engine.replace_facts(facts.facts).ok) std::abort();
  std::size_t start = 0;
  while (start < files.requests.size()) {
    const std::size_t end = files.requests.find('\n', start);
    s->requests.emplace_back();
    if (parse_request(std::string_view(files.requests).substr(start, end - start), s->requests.back())) std::abort();
    start = end + 1;
  }
  return s;
}

const Loaded& gateway() {
  static const auto s = load("policies/gateway", bench::gateway_files());
  return *s;
}

const Loaded& model_permissions() {
  static const auto s = load("policies/model_permissions", bench::model_permissions_files());
  return *s;
}

template <bool Json>
void run(benchmark::State& state, const Loaded& s) {
  std::vector<std::uint32_t> samples;
  samples.reserve(1 << 20);
  Decision d;
  std::string json;
  std::size_t i = static_cast<std::size_t>(state.thread_index()) * 997;
  for (auto _ : state) {
    const Request& r = s.requests[i++ & 4095].request;
    const auto t0 = std::chrono::steady_clock::now();
    s.engine.decide(r, d);
    if constexpr (Json) {
      json.clear();
      append_decision_json(json, d);
    }
    const auto t1 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(d);
    if (samples.size() < samples.capacity()) {
      samples.push_back(static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()));
    }
  }
  if (samples.empty()) return;
  std::sort(samples.begin(), samples.end());
  state.counters["p50_ns"] = benchmark::Counter(samples[samples.size() / 2], benchmark::Counter::kAvgThreads);
  state.counters["p99_ns"] = benchmark::Counter(samples[samples.size() * 99 / 100], benchmark::Counter::kAvgThreads);
}

void BM_Decide_gateway(benchmark::State& state) { run<false>(state, gateway()); }
void BM_Decide_model_permissions(benchmark::State& state) { run<false>(state, model_permissions()); }
void BM_DecideJson_gateway(benchmark::State& state) { run<true>(state, gateway()); }
void BM_DecideJson_model_permissions(benchmark::State& state) { run<true>(state, model_permissions()); }

BENCHMARK(BM_Decide_gateway)->ThreadRange(1, 2)->UseRealTime();
BENCHMARK(BM_Decide_model_permissions)->ThreadRange(1, 2)->UseRealTime();
BENCHMARK(BM_DecideJson_gateway)->ThreadRange(1, 2)->UseRealTime();
BENCHMARK(BM_DecideJson_model_permissions)->ThreadRange(1, 2)->UseRealTime();

int write_data(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  const std::pair<const char*, bench::ScenarioFiles> scenarios[] = {
      {"gateway", bench::gateway_files()}, {"model_permissions", bench::model_permissions_files()}};
  for (const auto& [name, files] : scenarios) {
    std::ofstream(dir / (std::string(name) + ".facts.jsonl")) << files.facts;
    std::ofstream(dir / (std::string(name) + ".requests.jsonl")) << files.requests;
  }
  std::cout << "scenario files written to " << dir.string() << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "--write-data") == 0) return write_data(argv[2]);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
