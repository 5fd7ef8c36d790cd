// Concurrency stress: readers decide continuously while one writer reloads
// the policy every millisecond, alternating two versions with different
// answers (and now and then a corrupt artifact), and another applies fact
// updates (and now and then one that must fail). Every decision must be what
// the (policy, facts) pair it reports answers — never a mix of two snapshots
// — and no reader may ever see an error.
//
// Run under ThreadSanitizer (scripts/test.sh, build-tsan) and
// AddressSanitizer; the duration is bounded (stress_clock.hpp).
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "tests/concurrency/stress_clock.hpp"
#include "tests/concurrency/stress_world.hpp"

namespace {

using namespace warden;
using namespace std::chrono_literals;

// What the reader threads saw. Catch2 assertions are not thread-safe, so
// threads count and keep the first few problems; the test thread checks.
struct Observed {
  std::atomic<std::uint64_t> decisions{0};
  std::atomic<std::uint64_t> mismatches{0};
  std::atomic<std::uint64_t> seen_a{0}, seen_b{0};
  std::atomic<std::uint64_t> max_facts_version{0};
  std::mutex mutex;
  std::vector<std::string> problems;

  void problem(std::string what) {
    mismatches.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard<std::mutex> lock(mutex);
    if (problems.size() < 10) problems.push_back(std::move(what));
  }
};

void reader(const Engine& engine, const test::StressArtifacts& w, const std::atomic<bool>& stop, Observed& seen) {
  const Request read = test::stress_request(false), write = test::stress_request(true);
  Decision d;
  std::uint64_t n = 0, a = 0, b = 0, max_version = 0, last_version = 0;
  while (!stop.load(std::memory_order_relaxed)) {
    const bool is_write = (n & 1) != 0;
    engine.decide(is_write ? write : read, d);
    ++n;
    if (std::string e = test::check_decision(w, d, is_write); !e.empty()) seen.problem(std::move(e));
    // Facts versions only grow: one thread never sees an older pair after a newer one.
    if (d.facts_version < last_version) seen.problem("facts version went back from " + std::to_string(last_version));
    last_version = d.facts_version;
    max_version = std::max(max_version, d.facts_version);
    (d.policy_fingerprint == w.fingerprint_a ? a : b) += 1;
  }
  seen.decisions.fetch_add(n, std::memory_order_relaxed);
  seen.seen_a.fetch_add(a, std::memory_order_relaxed);
  seen.seen_b.fetch_add(b, std::memory_order_relaxed);
  std::uint64_t m = seen.max_facts_version.load(std::memory_order_relaxed);
  while (m < max_version && !seen.max_facts_version.compare_exchange_weak(m, max_version, std::memory_order_relaxed)) {
  }
}

}  // namespace

TEST_CASE("readers see one consistent (policy, facts) pair while policies reload every millisecond and facts change") {
  const test::StressArtifacts w;
  Engine engine;
  REQUIRE(engine.load_policy(w.a).ok);
  REQUIRE(engine.replace_facts(test::initial_stress_facts()).ok);
  REQUIRE(engine.facts_version() == 1);

  std::atomic<bool> stop{false};
  Observed seen;
  std::vector<std::thread> readers;
  for (unsigned i = 0; i < test::kStressReaders; ++i) {
    readers.emplace_back([&] { reader(engine, w, stop, seen); });
  }

  // The policy writer: A, B, A, … every millisecond; every 10th load is a
  // corrupt artifact, which must be refused and change nothing.
  std::atomic<std::uint64_t> reloads{0}, refused{0}, writer_problems{0};
  std::thread policy_writer([&] {
    for (unsigned i = 0; !stop.load(std::memory_order_relaxed); ++i) {
      if (i % 10 == 9) {
        const std::uint64_t before = engine.policy_fingerprint();
        const Status s = engine.load_policy(w.corrupt(i / 10));
        refused += !s.ok;
        writer_problems += s.ok || s.code.rfind("E050", 0) != 0 || engine.policy_fingerprint() != before;
      } else {
        writer_problems += !engine.load_policy(i % 2 ? w.b : w.a).ok;
        ++reloads;
      }
      std::this_thread::sleep_for(1ms);
    }
  });

  // The facts writer: v -> v + 1 continuously; every 50th update is one that
  // must fail (removing a grant that does not exist) and change nothing.
  std::atomic<std::uint64_t> updates{0}, facts_problems{0};
  std::thread facts_writer([&] {
    std::uint64_t v = 1;
    for (unsigned i = 0; !stop.load(std::memory_order_relaxed); ++i) {
      if (i % 50 == 49) {
        FactsUpdate bad = test::next_update(v);
        bad.remove(test::stress_grant(v + 100));
        facts_problems += engine.apply(bad).ok || engine.facts_version() != v;
      } else {
        facts_problems += !engine.apply(test::next_update(v)).ok;
        ++v;
        ++updates;
      }
      std::this_thread::sleep_for(100us);
    }
  });

  // Time-bounded, but long enough for the writers to have done some work
  // even on a loaded machine where they get little CPU.
  const auto start = std::chrono::steady_clock::now();
  const auto done = [&] {
    const auto elapsed = std::chrono::steady_clock::now() - start;
    const bool enough = reloads.load() >= 20 && refused.load() >= 2 && updates.load() >= 20;
    return (elapsed >= test::stress_duration() && enough) || elapsed >= 10 * test::stress_duration();
  };
  while (!done()) std::this_thread::sleep_for(10ms);
  stop.store(true, std::memory_order_relaxed);
  for (auto& t : readers) t.join();
  policy_writer.join();
  facts_writer.join();

  INFO("decisions " << seen.decisions.load() << ", policy reloads " << reloads.load() << ", corrupt refused "
                    << refused.load() << ", fact updates " << updates.load());
  for (const auto& p : seen.problems) UNSCOPED_INFO(p);
  CHECK(seen.mismatches.load() == 0);
  CHECK(writer_problems.load() == 0);
  CHECK(facts_problems.load() == 0);
  // The run exercised what it claims to: both versions served, facts moved.
  CHECK(seen.decisions.load() > 0);
  CHECK(seen.seen_a.load() > 0);
  CHECK(seen.seen_b.load() > 0);
  CHECK(reloads.load() >= 20);
  CHECK(refused.load() >= 2);
  CHECK(updates.load() >= 20);
  CHECK(seen.max_facts_version.load() > 1);
}
