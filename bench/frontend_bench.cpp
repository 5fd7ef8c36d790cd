// Front-end benchmarks: parse alone, and parse + semantic checks (the
// compiler driver in check-only mode, as `warden check` runs it), over
// generated policies of 100, 1k and 10k rules (about as many endpoints).
#include <benchmark/benchmark.h>

#include "bench/generated_policy.hpp"
#include "compiler/driver.hpp"
#include "grammar/parse.hpp"

namespace {

void BM_Parse(benchmark::State& state) {
  const std::string text = warden::bench::generated_policy(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    warden::SourceSet sources;
    warden::ast::Policy policy;
    warden::DiagnosticSink sink;
    const auto id = sources.add("generated.warden", text);
    warden::grammar::parse_file(sources, id, policy, sink);
    if (sink.has_errors()) state.SkipWithError("generated policy has syntax errors");
    benchmark::DoNotOptimize(policy.rules.data());
  }
  state.counters["bytes"] = static_cast<double>(text.size());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_Parse)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

// What `warden check` does per policy: the compiler driver up to the checks.
void BM_ParseAndCheck(benchmark::State& state) {
  const std::string text = warden::bench::generated_policy(static_cast<int>(state.range(0)));
  warden::compiler::Options options;
  options.check_only = true;
  for (auto _ : state) {
    const auto c = warden::compiler::compile_sources("generated", {{"generated.warden", text}}, options);
    if (!c.ok()) state.SkipWithError("generated policy has errors");
    benchmark::DoNotOptimize(c.diagnostics.data());
  }
}
BENCHMARK(BM_ParseAndCheck)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
