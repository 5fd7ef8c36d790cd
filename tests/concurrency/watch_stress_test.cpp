// Hot reload through the file system under load: readers decide while a
// writer atomically renames new artifacts over the watched file, and the
// Watcher (inotify, its own thread) reloads them. Then a corrupt artifact is
// renamed in: the failure is counted and reported, decisions keep the last
// good policy, and the next good artifact is picked up.
//
// Under ThreadSanitizer this covers the watcher's thread, its counters read
// from another thread, and publication racing with readers.
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "tests/concurrency/stress_clock.hpp"
#include "tests/concurrency/stress_world.hpp"
#include "tests/concurrency/temp_dir.hpp"
#include "warden/watcher.hpp"

namespace {

using namespace warden;
using namespace std::chrono_literals;

struct Reports {
  std::mutex mutex;
  std::vector<ReloadReport> failed;
  std::uint64_t ok = 0;
};

}  // namespace

TEST_CASE("a watched artifact is reloaded on rename while readers decide; a corrupt one leaves decisions unchanged") {
  const test::StressArtifacts w;
  const test::TempDir dir("watch-stress");
  const auto file = dir / "policy.wdn";
  test::replace_file(file, w.a);

  Engine engine;
  REQUIRE(engine.replace_facts(test::initial_stress_facts()).ok);
  Reports reports;
  Watcher watcher(
      engine,
      [&](const ReloadReport& r) {
        std::lock_guard<std::mutex> lock(reports.mutex);
        if (r.ok) {
          ++reports.ok;
        } else {
          reports.failed.push_back(r);
        }
      },
      WatchOptions{0ms});
  REQUIRE(watcher.add(artifact_target(file)).ok);
  watcher.load_all();
  REQUIRE(engine.policy_fingerprint() == w.fingerprint_a);
  REQUIRE(watcher.start().ok);

  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> decisions{0}, mismatches{0};
  std::mutex problems_mutex;
  std::vector<std::string> problems;
  std::vector<std::thread> readers;
  for (unsigned i = 0; i < test::kStressReaders; ++i) {
    readers.emplace_back([&, i] {
      Decision d;
      std::uint64_t n = 0;
      for (; !stop.load(std::memory_order_relaxed); ++n) {
        const bool write = ((n + i) & 1) != 0;
        engine.decide(test::stress_request(write), d);
        if (std::string e = test::check_decision(w, d, write); !e.empty()) {
          mismatches.fetch_add(1, std::memory_order_relaxed);
          std::lock_guard<std::mutex> lock(problems_mutex);
          if (problems.size() < 10) problems.push_back(std::move(e));
        }
      }
      decisions.fetch_add(n, std::memory_order_relaxed);
    });
  }

  // Phase 1: new artifacts renamed in every 2 ms, alternating versions, with
  // the counters read concurrently as an operator's metrics scrape would.
  const auto phase_end = std::chrono::steady_clock::now() + test::stress_duration() / 2;
  unsigned renames = 0;
  while (std::chrono::steady_clock::now() < phase_end) {
    test::replace_file(file, ++renames % 2 ? w.b : w.a);
    (void)watcher.counters("policy");
    std::this_thread::sleep_for(2ms);
  }

  // Settle on A, then rename a corrupt artifact in.
  test::replace_file(file, w.a);
  REQUIRE(test::eventually([&] { return engine.policy_fingerprint() == w.fingerprint_a; }));
  std::this_thread::sleep_for(20ms);  // let reloads of the last events finish
  const std::uint64_t failures_before = watcher.counters("policy").failures;
  test::replace_file(file, w.flipped);
  REQUIRE(test::eventually([&] { return watcher.counters("policy").failures > failures_before; }));
  const ReloadCounters after_corrupt = watcher.counters("policy");
  CHECK(after_corrupt.consecutive_failures >= 1);
  REQUIRE(after_corrupt.last_failure.has_value());
  CHECK(after_corrupt.last_failure->code == "E0504");
  CHECK(after_corrupt.last_failure->trigger == file.string());
  CHECK(after_corrupt.last_failure->policy_fingerprint == w.fingerprint_a);
  // Decisions keep the last good version.
  for (int i = 0; i < 100; ++i) CHECK(engine.decide(test::stress_request(false)).policy_fingerprint == w.fingerprint_a);

  // The next good artifact is picked up.
  test::replace_file(file, w.b);
  REQUIRE(test::eventually([&] { return engine.policy_fingerprint() == w.fingerprint_b; }));
  REQUIRE(test::eventually([&] { return watcher.counters("policy").consecutive_failures == 0; }));

  stop.store(true, std::memory_order_relaxed);
  for (auto& t : readers) t.join();
  watcher.stop();

  for (const auto& p : problems) UNSCOPED_INFO(p);
  CHECK(mismatches.load() == 0);
  CHECK(decisions.load() > 0);
  const ReloadCounters c = watcher.counters("policy");
  INFO("renames " << renames << ", reloads " << c.successes << ", failures " << c.failures);
  CHECK(c.successes >= 3);
  CHECK(c.failures >= 1);
  std::lock_guard<std::mutex> lock(reports.mutex);
  CHECK(reports.ok == c.successes);
  CHECK(reports.failed.size() == c.failures);
  REQUIRE_FALSE(reports.failed.empty());
  CHECK(reports.failed.back().diagnostics.size() == 1);
}
