// Hot-reload benchmarks: what publication costs readers, how fast a change
// on disk reaches decisions, and what one fact update costs as facts grow.
//
//   BM_Reader/quiet, BM_Reader/reloading
//       one reader deciding on the model_permissions policy (10k models, 50k
//       grants), alone and while a writer reloads the policy every 10 ms
//       (alternating two versions) and another applies single-grant updates
//       at 10k/s; p50/p99 per decision, timed one by one with the steady
//       clock (its ~20 ns included), plus the reloads and updates achieved.
//   BM_ReloadLatency/artifact, BM_ReloadLatency/sources
//       a new artifact renamed over the watched file (or a policy source
//       rewritten) -> the first decision made with the new fingerprint, as
//       seen by a thread deciding in a loop; p50/p99 over the iterations.
//       The Watcher runs with a zero debounce here; the default 10 ms
//       debounce adds up to 10 ms.
//   BM_GrantUpdate/N
//       Engine::apply() with one grant upsert at N = 1k, 100k, 1M grants
//       (10k models): copy-on-write of the touched shards plus publication.
//   BM_ReplaceFacts/N
//       a full replace_facts() of the same fact set, for scale: what every
//       update would cost without structural sharing.
// Run from the repository root (see docs/performance.md).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <random>
#include <thread>

#include <stdlib.h>

#include "bench/compiled_policy.hpp"
#include "support/file_io.hpp"
#include "warden/engine.hpp"
#include "warden/watcher.hpp"
#include "watch/source_target.hpp"

namespace {

using namespace warden;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// --- the model_permissions world (as decide_bench's, smaller code) ------------

FactSet grant_facts(int models, int grants, std::mt19937& rng) {
  FactSet facts;
  const int users = 1000, teams = 100, orgs = 20;
  for (int o = 0; o < orgs; ++o) facts.entities.push_back({"org", "o" + std::to_string(o), "t" + std::to_string(o % 10), {}});
  for (int t = 0; t < teams; ++t) facts.memberships.push_back({"team", "team" + std::to_string(t), "org", "o" + std::to_string(t % orgs)});
  for (int u = 0; u < users; ++u) {
    const std::string id = "u" + std::to_string(u);
    facts.entities.push_back({"user", id, "t" + std::to_string(u % 10), {}});
    facts.memberships.push_back({"user", id, "team", "team" + std::to_string(u % teams)});
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
  for (int g = 0; g < grants; ++g) {
    Grant gr;
    gr.id = "g" + std::to_string(g);
    gr.subject_id = "u" + std::to_string(rng() % users);
    gr.resource_type = "model";
    gr.resource_id = "m" + std::to_string(rng() % static_cast<unsigned>(models));
    gr.level = levels[rng() % 4];
    facts.grants.push_back(std::move(gr));
  }
  return facts;
}

// One grant upsert: grant `g<index>` moved to another level.
FactsUpdate one_grant(int index, int models, std::mt19937& rng) {
  const char* levels[] = {"read", "write", "execute", "admin"};
  Grant g;
  g.id = "g" + std::to_string(index);
  g.subject_id = "u" + std::to_string(rng() % 1000);
  g.resource_type = "model";
  g.resource_id = "m" + std::to_string(rng() % static_cast<unsigned>(models));
  g.level = levels[rng() % 4];
  FactsUpdate u;
  u.upsert(std::move(g));
  return u;
}

// A fresh temporary directory, removed with its contents at the end.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "warden-reload-bench-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) std::abort();
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

void replace(const std::filesystem::path& target, const std::string& bytes) {
  if (!write_file_atomically(target, bytes).empty()) std::abort();
}

struct World {
  Engine engine;
  std::string artifact_a, artifact_b;  // the policy and a variant with another fingerprint
  std::vector<std::string> storage;
  std::vector<Request> requests;
};

World& world() {
  static const std::unique_ptr<World> built = [] {
    auto w = std::make_unique<World>();
    w->artifact_a = bench::artifact_of("policies/model_permissions");
    w->artifact_b = bench::variant_artifact("policies/model_permissions", "# reload benchmark: same rules, new fingerprint\n");
    if (!w->engine.load_policy(w->artifact_a).ok) std::abort();
    std::mt19937 rng(7);
    if (!w->engine.replace_facts(grant_facts(10000, 50000, rng)).ok) std::abort();
    const char* actions[] = {"read", "read", "read", "list", "download", "update", "delete", "deploy"};
    w->storage.reserve(2 * 4096);
    for (int i = 0; i < 4096; ++i) {
      w->storage.push_back("u" + std::to_string(rng() % 1000));
      w->storage.push_back("m" + std::to_string(rng() % 10000));
    }
    for (int i = 0; i < 4096; ++i) {
      Request r;
      r.principal_id = w->storage[static_cast<std::size_t>(2 * i)];
      r.resource_type = "model";
      r.resource_id = w->storage[static_cast<std::size_t>(2 * i + 1)];
      r.action = actions[rng() % std::size(actions)];
      r.request_id = "bench";
      r.time = 1790000000;
      w->requests.push_back(r);
    }
    return w;
  }();
  return *built;
}

void report_percentiles(benchmark::State& state, std::vector<std::uint32_t>& ns, const char* prefix = "") {
  if (ns.empty()) return;
  std::sort(ns.begin(), ns.end());
  state.counters[std::string(prefix) + "p50_ns"] = ns[ns.size() / 2];
  state.counters[std::string(prefix) + "p99_ns"] = ns[ns.size() * 99 / 100];
  state.counters[std::string(prefix) + "max_ns"] = ns.back();
}

std::uint32_t ns_since(Clock::time_point t0, Clock::time_point t1) {
  return static_cast<std::uint32_t>(std::min<std::int64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count(), UINT32_MAX));
}

// --- readers with and without writers -------------------------------------------

void BM_Reader(benchmark::State& state) {
  World& w = world();
  const bool writers = state.range(0) != 0;
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> reloads{0}, updates{0};
  std::vector<std::thread> threads;
  if (writers) {
    threads.emplace_back([&] {  // a policy reload every 10 ms, alternating versions
      for (unsigned i = 0; !stop.load(std::memory_order_relaxed); ++i) {
        if (!w.engine.load_policy(i % 2 ? w.artifact_b : w.artifact_a).ok) std::abort();
        reloads.fetch_add(1, std::memory_order_relaxed);
        std::this_thread::sleep_for(10ms);
      }
    });
    threads.emplace_back([&] {  // single-grant updates paced at 10k/s
      std::mt19937 rng(11);
      const Clock::time_point start = Clock::now();
      std::uint64_t done = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        const auto due = static_cast<std::uint64_t>(std::chrono::duration<double>(Clock::now() - start).count() * 10000);
        for (; done < due && !stop.load(std::memory_order_relaxed); ++done) {
          if (!w.engine.apply(one_grant(static_cast<int>(rng() % 50000), 10000, rng)).ok) std::abort();
        }
        updates.store(done, std::memory_order_relaxed);
        std::this_thread::sleep_for(100us);
      }
    });
  }
  std::vector<std::uint32_t> samples;
  samples.reserve(1 << 21);
  std::size_t i = 0;
  Decision d;
  const Clock::time_point started = Clock::now();
  for (auto _ : state) {
    const Request& r = w.requests[i++ & 4095];
    const auto t0 = Clock::now();
    w.engine.decide(r, d);
    const auto t1 = Clock::now();
    benchmark::DoNotOptimize(d.outcome);
    if (samples.size() < samples.capacity()) samples.push_back(ns_since(t0, t1));
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  stop.store(true);
  for (auto& t : threads) t.join();
  report_percentiles(state, samples);
  state.counters["reloads_per_s"] = static_cast<double>(reloads.load()) / seconds;
  state.counters["updates_per_s"] = static_cast<double>(updates.load()) / seconds;
}
BENCHMARK(BM_Reader)->ArgName("writers")->Arg(0)->Arg(1)->Iterations(2'000'000)->UseRealTime();

// --- reload latency: file change -> new decisions ---------------------------------

// Replaces the watched input with the other version, then decides in a loop
// until a decision carries a fingerprint other than `before`.
void BM_ReloadLatency(benchmark::State& state) {
  const bool sources = state.range(0) != 0;
  const TempDir dir;
  World& w = world();
  std::vector<std::string> versions;
  std::filesystem::path target;
  if (sources) {
    const auto policy = dir / "model_permissions";
    std::filesystem::create_directories(policy);
    for (const auto& e : std::filesystem::directory_iterator("policies/model_permissions")) {
      std::filesystem::copy_file(e.path(), policy / e.path().filename());
    }
    target = policy / "principals.warden";
    const std::string text = read_file(target).bytes;
    versions = {text + "# edit A\n", text + "# edit B\n"};
  } else {
    target = dir / "policy.wdn";
    versions = {w.artifact_a, w.artifact_b};
  }
  replace(target, versions[1]);
  Engine engine;
  Watcher watcher(engine, {}, WatchOptions{0ms});
  const WatchTarget t = sources ? watch::policy_source_target(target.parent_path(), {})
                                         : artifact_target(target);
  if (!watcher.add(t).ok) std::abort();
  watcher.load_all();
  if (!watcher.start().ok) std::abort();

  Request probe;
  probe.principal_id = "u1";
  probe.resource_type = "model";
  probe.resource_id = "m1";
  probe.action = "read";
  std::vector<std::uint32_t> latencies;
  std::size_t n = 0;
  Decision d;
  for (auto _ : state) {
    const std::uint64_t before = engine.policy_fingerprint();
    const auto t0 = Clock::now();
    replace(target, versions[n++ % 2]);
    do {
      engine.decide(probe, d);
    } while (d.policy_fingerprint == before);
    const auto t1 = Clock::now();
    state.SetIterationTime(std::chrono::duration<double>(t1 - t0).count());
    latencies.push_back(ns_since(t0, t1));
  }
  watcher.stop();
  report_percentiles(state, latencies);
}
BENCHMARK(BM_ReloadLatency)->ArgName("sources")->Arg(0)->Arg(1)->Iterations(300)->UseManualTime()->Unit(benchmark::kMicrosecond);

// --- fact updates as facts grow -----------------------------------------------------

struct GrantWorld {
  Engine engine;
  FactSet facts;
};

GrantWorld& grant_world(int grants) {
  static std::map<int, std::unique_ptr<GrantWorld>> cache;
  auto& g = cache[grants];
  if (!g) {
    g = std::make_unique<GrantWorld>();
    std::mt19937 rng(5);
    g->facts = grant_facts(10000, grants, rng);
    if (!g->engine.replace_facts(g->facts).ok) std::abort();
  }
  return *g;
}

void BM_GrantUpdate(benchmark::State& state) {
  const int grants = static_cast<int>(state.range(0));
  GrantWorld& g = grant_world(grants);
  std::mt19937 rng(9);
  std::vector<FactsUpdate> updates;
  for (int i = 0; i < 1024; ++i) updates.push_back(one_grant(static_cast<int>(rng() % static_cast<unsigned>(grants)), 10000, rng));
  std::size_t i = 0;
  for (auto _ : state) {
    if (!g.engine.apply(updates[i++ & 1023]).ok) std::abort();
  }
  state.counters["grants"] = grants;
}
BENCHMARK(BM_GrantUpdate)->Arg(1000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMicrosecond);

void BM_ReplaceFacts(benchmark::State& state) {
  GrantWorld& g = grant_world(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    if (!g.engine.replace_facts(g.facts).ok) std::abort();
  }
}
BENCHMARK(BM_ReplaceFacts)->Arg(1000)->Arg(100000)->Arg(1000000)->Iterations(3)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
