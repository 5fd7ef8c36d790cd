// Back-end benchmarks over generated policies of 100, 1k and 10k rules (and
// about as many endpoints): the whole compile (parse + check + lower), the
// lowering alone, writing the artifact, and loading it the way a service
// does (header, checksum, decode, validate) — also signed, with the
// signature checked — with the artifact size as a counter. Targets
// (docs/performance.md): 10k rules compile < 1 s, load < 20 ms.
#include <benchmark/benchmark.h>

#include <optional>

#include "bench/generated_policy.hpp"
#include "compiler/check.hpp"
#include "compiler/lower.hpp"
#include "grammar/parse.hpp"
#include "table/artifact.hpp"
#include "table/validate.hpp"

namespace {

using namespace warden;

// Parse and check one generated policy; nullopt (and the benchmark skipped)
// if the generator produced something the compiler refuses.
std::optional<compiler::CheckedPolicy> front_end(const std::string& text, SourceSet& sources) {
  ast::Policy policy;
  DiagnosticSink sink;
  const auto id = sources.add("generated/generated.warden", text);
  grammar::parse_file(sources, id, policy, sink);
  if (sink.has_errors()) return std::nullopt;
  auto model = compiler::check(policy, sources, sink);
  if (sink.has_errors()) return std::nullopt;
  return model;
}

table::Program lower(const compiler::CheckedPolicy& model, const SourceSet& sources) {
  return compiler::lower(model, sources, "generated", "generated");
}

std::string artifact_for(int rules) {
  SourceSet sources;
  const std::string text = bench::generated_policy(rules);
  const auto model = front_end(text, sources);
  if (!model) return {};
  return table::write_artifact(lower(*model, sources), {"warden bench", table::fingerprint_sources({{"generated.warden", text}})});
}

void BM_Compile(benchmark::State& state) {
  const std::string text = bench::generated_policy(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    SourceSet sources;
    const auto model = front_end(text, sources);
    if (!model) {
      state.SkipWithError("generated policy does not check");
      break;
    }
    const table::Program program = lower(*model, sources);
    benchmark::DoNotOptimize(program.rules.data());
  }
  state.counters["source_bytes"] = static_cast<double>(text.size());
}
BENCHMARK(BM_Compile)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_Lower(benchmark::State& state) {
  SourceSet sources;
  const auto model = front_end(bench::generated_policy(static_cast<int>(state.range(0))), sources);
  if (!model) {
    state.SkipWithError("generated policy does not check");
    return;
  }
  for (auto _ : state) {
    const table::Program program = lower(*model, sources);
    benchmark::DoNotOptimize(program.rules.data());
  }
}
BENCHMARK(BM_Lower)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_WriteArtifact(benchmark::State& state) {
  SourceSet sources;
  const auto model = front_end(bench::generated_policy(static_cast<int>(state.range(0))), sources);
  if (!model) {
    state.SkipWithError("generated policy does not check");
    return;
  }
  const table::Program program = lower(*model, sources);
  std::size_t size = 0;
  for (auto _ : state) {
    const std::string bytes = table::write_artifact(program, {"warden bench", 0});
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
  const std::string unsigned_bytes = artifact_for(static_cast<int>(state.range(0)));
  const auto key = table::generate_signing_key();
  if (unsigned_bytes.empty() || !key) {
    state.SkipWithError("no artifact or no key");
    return;
  }
  const auto program = table::load_artifact(std::span<const char>(unsigned_bytes.data(), unsigned_bytes.size())).program;
  const std::string bytes = table::write_artifact(*program, {"warden bench", 0}, &*key);
  const table::VerifyKey trusted[] = {key->verify_key()};
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
