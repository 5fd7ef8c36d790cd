// Fact store benchmarks: loading facts from JSONL, the memory a grant costs,
// and resolving a policy's names against large facts.
//
//   BM_LoadFactsJsonl/grants:N/checked:C
//       N grants (and the grant world's 11k entities, bench/grant_world.hpp)
//       as JSONL text in memory -> FactsReader (parse; with C=1 checked
//       against the policy's names, as `warden eval` reads) ->
//       replace_facts() (build the store, bind the policy, publish).
//       parse_ms and build_ms split the wall time of one load.
//   BM_FactsMemory/grants:N
//       heap bytes held by the fact store of the grant world with N grants
//       and without grants (malloc's own count: mallinfo2), and the process's
//       resident set afterwards; bytes_per_grant = the difference / N.
//   BM_PolicyReload/grants:N
//       Engine::load_policy() with N grants loaded, alternating two versions
//       of model_permissions: checking the artifact, indexing it, and
//       resolving its names against the facts (the binding) — what changes
//       with N is only the last, which does not depend on N.
//   BM_Bind/grants:N
//       the binding alone (FactStore::with_names + Binding::build).
//   BM_VisitFacts/grants:N/names:B
//       every fact record in service walked (Engine::visit_facts), whole
//       (B=0) or names only (B=1).
//   BM_CheckFactsInService/grants:N
//       what a policy load adds to a watched, served or embedded reload: the
//       facts in service checked against the new policy's names
//       (check_facts_in_service; the world names only what it declares, so
//       one walk of names suffices).
//
// Run from the repository root (see docs/performance.md).
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <chrono>
#include <fstream>
#include <random>

#include "bench/compiled_policy.hpp"
#include "bench/grant_world.hpp"
#include "runtime/binding.hpp"
#include "table/artifact.hpp"
#include "warden/engine.hpp"
#include "warden/facts_check.hpp"
#include "warden/facts_json.hpp"

namespace {

using namespace warden;
using Clock = std::chrono::steady_clock;

FactSet world_with(int grants) {
  std::mt19937 rng(7);
  bench::GrantWorldShape shape;
  shape.grants = grants;
  return bench::grant_world(shape, rng);
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  out += s;  // ids and names here need no escaping
  out += '"';
  return out;
}

// The fact set as JSONL, one record per line (docs/facts.md).
std::string to_jsonl(const FactSet& f) {
  std::string out;
  out.reserve(f.grants.size() * 160 + f.entities.size() * 160);
  for (const Entity& e : f.entities) {
    out += "{\"kind\":\"entity\",\"type\":" + json_string(e.type) + ",\"id\":" + json_string(e.id) + ",\"tenant\":" + json_string(e.tenant);
    if (!e.attributes.empty()) {
      out += ",\"attributes\":{";
      for (std::size_t i = 0; i < e.attributes.size(); ++i) {
        const auto& [name, v] = e.attributes[i];
        out += (i ? "," : "") + json_string(name) + ":";
        out += v.kind == FactValue::Kind::String ? json_string(v.text)
               : v.kind == FactValue::Kind::Int  ? std::to_string(v.number)
                                                 : (v.boolean ? "true" : "false");
      }
      out += "}";
    }
    out += "}\n";
  }
  for (const Membership& m : f.memberships) {
    out += "{\"kind\":\"membership\",\"member_type\":" + json_string(m.member_type) + ",\"member_id\":" + json_string(m.member_id) +
           ",\"collection_type\":" + json_string(m.collection_type) + ",\"collection_id\":" + json_string(m.collection_id) + "}\n";
  }
  for (const Grant& g : f.grants) {
    out += "{\"kind\":\"grant\",\"id\":" + json_string(g.id) + ",\"subject_type\":" + json_string(g.subject_type) +
           ",\"subject_id\":" + json_string(g.subject_id) + ",\"resource_type\":" + json_string(g.resource_type) +
           ",\"resource_id\":" + json_string(g.resource_id) + ",\"level\":" + json_string(g.level);
    if (g.expires_at) out += ",\"expires_at\":" + std::to_string(*g.expires_at);
    if (!g.active) out += ",\"active\":false";
    out += "}\n";
  }
  return out;
}

double rss_mb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

std::size_t heap_in_use() { return mallinfo2().uordblks; }

const std::string& artifact(bool variant) {
  static const std::string a = bench::artifact_of("policies/model_permissions");
  static const std::string b =
      bench::variant_artifact("policies/model_permissions", "# reload benchmark: same rules, new fingerprint\n");
  return variant ? b : a;
}

void BM_LoadFactsJsonl(benchmark::State& state) {
  const int grants = static_cast<int>(state.range(0));
  const bool checked = state.range(1) != 0;
  const std::string text = to_jsonl(world_with(grants));
  Engine engine;
  if (!engine.load_policy(artifact(false)).ok) std::abort();
  double parse_s = 0, build_s = 0;
  std::size_t findings = 0;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    FactsReader reader;
    if (checked) reader.check_against(engine.fact_schema(), FactsCheck::Refuse);
    if (reader.add(text, "facts.jsonl")) std::abort();  // the world names only what the policy declares
    findings = reader.findings_total();
    FactSet facts = reader.take();
    const auto t1 = Clock::now();
    if (!engine.replace_facts(facts).ok) std::abort();
    const auto t2 = Clock::now();
    parse_s += std::chrono::duration<double>(t1 - t0).count();
    build_s += std::chrono::duration<double>(t2 - t1).count();
  }
  const auto n = static_cast<double>(state.iterations());
  state.counters["parse_ms"] = parse_s / n * 1e3;
  state.counters["build_ms"] = build_s / n * 1e3;
  state.counters["jsonl_mb"] = static_cast<double>(text.size()) / 1e6;
  state.counters["grants"] = grants;
  state.counters["findings"] = static_cast<double>(findings);
}
BENCHMARK(BM_LoadFactsJsonl)
    ->ArgNames({"grants", "checked"})
    ->ArgsProduct({{1000, 100000, 1000000}, {0, 1}})
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_FactsMemory(benchmark::State& state) {
  const int grants = static_cast<int>(state.range(0));
  double with = 0, without = 0, rss = 0;
  for (auto _ : state) {
    FactSet facts = world_with(grants);
    const std::size_t base = heap_in_use();
    auto engine = std::make_unique<Engine>();
    if (!engine->replace_facts(facts).ok) std::abort();
    with = static_cast<double>(heap_in_use() - base);
    facts.grants.clear();
    facts.grants.shrink_to_fit();
    const std::size_t base0 = heap_in_use();
    {
      Engine no_grants;
      if (!no_grants.replace_facts(facts).ok) std::abort();
      without = static_cast<double>(heap_in_use() - base0);
    }
    facts = FactSet{};
    malloc_trim(0);
    rss = rss_mb();
    benchmark::DoNotOptimize(engine);
  }
  state.counters["store_mb"] = with / 1e6;
  state.counters["store_without_grants_mb"] = without / 1e6;
  state.counters["bytes_per_grant"] = (with - without) / grants;
  state.counters["rss_mb"] = rss;
  state.counters["grants"] = grants;
}
BENCHMARK(BM_FactsMemory)->ArgName("grants")->Arg(1000000)->Iterations(1)->Unit(benchmark::kMillisecond);

struct LoadedWorld {
  Engine engine;
  std::shared_ptr<const runtime::FactStore> store;
};

LoadedWorld& loaded(int grants) {
  static std::pair<int, std::unique_ptr<LoadedWorld>> cache;
  if (cache.first != grants) {
    cache.second.reset();
    auto w = std::make_unique<LoadedWorld>();
    const FactSet facts = world_with(grants);
    if (!w->engine.replace_facts(facts).ok) std::abort();
    if (!runtime::FactStore::build(facts, w->store).ok) std::abort();
    cache = {grants, std::move(w)};
  }
  return *cache.second;
}

void BM_PolicyReload(benchmark::State& state) {
  LoadedWorld& w = loaded(static_cast<int>(state.range(0)));
  std::size_t i = 0;
  for (auto _ : state) {
    if (!w.engine.load_policy(artifact(i++ % 2 == 1)).ok) std::abort();
  }
  state.counters["grants"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_PolicyReload)->ArgName("grants")->Arg(1000)->Arg(1000000)->Unit(benchmark::kMicrosecond);

void BM_Bind(benchmark::State& state) {
  LoadedWorld& w = loaded(static_cast<int>(state.range(0)));
  const table::ArtifactLoad load = table::load_artifact(artifact(false));
  const table::Program& p = *load.program;
  const runtime::PolicyNames names = runtime::Binding::names(p);
  for (auto _ : state) {
    auto store = w.store->with_names(names, w.store);
    auto binding = runtime::Binding::build(p, *store);
    benchmark::DoNotOptimize(binding);
  }
  state.counters["grants"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_Bind)->ArgName("grants")->Arg(1000)->Arg(1000000)->Unit(benchmark::kMicrosecond);

void BM_VisitFacts(benchmark::State& state) {
  LoadedWorld& w = loaded(static_cast<int>(state.range(0)));
  const auto detail = state.range(1) != 0 ? Engine::FactsDetail::Names : Engine::FactsDetail::Records;
  std::size_t records = 0;
  for (auto _ : state) {
    records = 0;
    w.engine.visit_facts([&](const Engine::FactsVisit&, const FactChange&) { ++records; }, detail);
  }
  state.counters["grants"] = static_cast<double>(state.range(0));
  state.counters["records"] = static_cast<double>(records);
}
BENCHMARK(BM_VisitFacts)
    ->ArgNames({"grants", "names"})
    ->ArgsProduct({{1000, 1000000}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_CheckFactsInService(benchmark::State& state) {
  LoadedWorld& w = loaded(static_cast<int>(state.range(0)));
  if (!w.engine.load_policy(artifact(false)).ok) std::abort();
  std::size_t findings = 0;
  for (auto _ : state) findings = check_facts_in_service(w.engine).findings_total;
  state.counters["grants"] = static_cast<double>(state.range(0));
  state.counters["findings"] = static_cast<double>(findings);
}
BENCHMARK(BM_CheckFactsInService)->ArgName("grants")->Arg(1000)->Arg(1000000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
