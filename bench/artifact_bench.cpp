// Back-end benchmarks over generated policies of 100, 1k and 10k rules (and
// about as many endpoints): the whole compile (the compiler driver: parse,
// check, lower, validate, serialize), the lowering alone, writing the
// artifact, and loading it the way a service does (header, checksum, decode,
// validate) — also signed, with the signature checked — with the artifact
// size as a counter. Targets
// (docs/performance.md): 10k rules compile < 1 s, load < 20 ms.
#include <benchmark/benchmark.h>

#include "bench/generated_policy.hpp"
#include "compiler/driver.hpp"
#include "compiler/lower.hpp"
#include "table/artifact.hpp"
#include "table/validate.hpp"

namespace {

using namespace warden;

compiler::Compilation compile_generated(int rules, bool keep_model = false) {
  compiler::Options options;
  options.keep_model = keep_model;
  return compiler::compile_sources("generated", {{"generated.warden", bench::generated_policy(rules)}}, options);
}

std::string artifact_for(int rules) {
  const compiler::Compilation c = compile_generated(rules);
  return c.ok() ? c.artifact : std::string();
}

// The whole driver, as `warden compile` runs it (without writing the file).
void BM_Compile(benchmark::State& state) {
  const std::string text = bench::generated_policy(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    const compiler::Compilation c = compiler::compile_sources("generated", {{"generated.warden", text}});
    if (!c.ok()) {
      state.SkipWithError("generated policy does not compile");
      break;
    }
    benchmark::DoNotOptimize(c.artifact.data());
  }
  state.counters["source_bytes"] = static_cast<double>(text.size());
}
BENCHMARK(BM_Compile)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_Lower(benchmark::State& state) {
  const compiler::Compilation c = compile_generated(static_cast<int>(state.range(0)), true);
  if (!c.model) {
    state.SkipWithError("generated policy does not check");
    return;
  }
  for (auto _ : state) {
    const table::Program program = compiler::lower(*c.model, c.sources, "generated", {});
    benchmark::DoNotOptimize(program.rules.data());
  }
}
BENCHMARK(BM_Lower)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_WriteArtifact(benchmark::State& state) {
  const compiler::Compilation c = compile_generated(static_cast<int>(state.range(0)));
  if (!c.ok()) {
    state.SkipWithError("generated policy does not compile");
    return;
  }
  std::size_t size = 0;
  for (auto _ : state) {
    const std::string bytes = table::write_artifact(*c.program, {"warden bench", 0});
    size = bytes.size();
    benchmark::DoNotOptimize(bytes.data());
  }
  state.counters["artifact_bytes"] = static_cast<double>(size);
}
BENCHMARK(BM_WriteArtifact)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_LoadArtifact(benchmark::State& state) {
  const std::string bytes = artifact_for(static_cast<int>(state.range(0)));
  if (bytes.empty()) {
    state.SkipWithError("generated policy does not check");
    return;
  }
  for (auto _ : state) {
    const table::ArtifactLoad loaded = table::load_artifact(std::span<const char>(bytes.data(), bytes.size()));
    if (!loaded.ok()) {
      state.SkipWithError("artifact refused");
      break;
    }
    benchmark::DoNotOptimize(loaded.program.get());
  }
  state.counters["artifact_bytes"] = static_cast<double>(bytes.size());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
}
BENCHMARK(BM_LoadArtifact)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

// Loading a signed artifact with its verify key, as a service configured
// with keys does: the Ed25519 check of header and payload comes on top of
// BM_LoadArtifact.
void BM_LoadSignedArtifact(benchmark::State& state) {
  compiler::Options options;
  options.signing_key = table::generate_signing_key();
  if (!options.signing_key) {
    state.SkipWithError("no signing key");
    return;
  }
  const compiler::Compilation c = compiler::compile_sources(
      "generated", {{"generated.warden", bench::generated_policy(static_cast<int>(state.range(0)))}}, options);
  if (!c.ok()) {
    state.SkipWithError("generated policy does not compile");
    return;
  }
  const std::string& bytes = c.artifact;
  const table::VerifyKey trusted[] = {options.signing_key->verify_key()};
  for (auto _ : state) {
    const table::ArtifactLoad loaded = table::load_artifact(std::span<const char>(bytes.data(), bytes.size()), trusted);
    if (!loaded.ok()) {
      state.SkipWithError("artifact refused");
      break;
    }
    benchmark::DoNotOptimize(loaded.program.get());
  }
  state.counters["artifact_bytes"] = static_cast<double>(bytes.size());
}
BENCHMARK(BM_LoadSignedArtifact)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_Validate(benchmark::State& state) {
  const std::string bytes = artifact_for(static_cast<int>(state.range(0)));
  const table::ArtifactLoad loaded = table::load_artifact(std::span<const char>(bytes.data(), bytes.size()));
  if (!loaded.ok()) {
    state.SkipWithError("artifact refused");
    return;
  }
  for (auto _ : state) {
    auto problem = table::validate(*loaded.program);
    benchmark::DoNotOptimize(problem);
  }
}
BENCHMARK(BM_Validate)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
