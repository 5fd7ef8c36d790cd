// SnapshotCell (runtime/snapshot_cell.hpp) on its own: writers never wait
// for readers, a snapshot a reader holds outlives its replacement, and
// replaced snapshots are freed as soon as no reader can hold them.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "runtime/snapshot_cell.hpp"

namespace {

using warden::runtime::SnapshotCell;

// Counts live instances, so the test sees exactly when snapshots are freed.
struct Tracked {
  int value;
  std::atomic<int>* alive;
  Tracked(int v, std::atomic<int>* a) : value(v), alive(a) { alive->fetch_add(1); }
  ~Tracked() { alive->fetch_sub(1); }
  Tracked(const Tracked&) = delete;
  Tracked& operator=(const Tracked&) = delete;
};

}  // namespace

TEST_CASE("without readers a replaced snapshot is freed by the publish that replaces it") {
  std::atomic<int> alive{0};
  SnapshotCell<Tracked> cell(std::make_shared<const Tracked>(0, &alive));
  for (int i = 1; i <= 10; ++i) {
    cell.publish(std::make_shared<const Tracked>(i, &alive));
    CHECK(alive.load() == 1);
    CHECK(cell.retired() == 0);
  }
  CHECK(cell.read()->value == 10);
}

TEST_CASE("a stalled reader never blocks a writer and keeps its snapshot alive") {
  std::atomic<int> alive{0};
  SnapshotCell<Tracked> cell(std::make_shared<const Tracked>(0, &alive));
  std::atomic<bool> holding{false}, release{false};
  int seen_after = -1;

  // A reader that takes the snapshot and then stalls, as a preempted thread
  // in the middle of a decision would.
  std::thread reader([&] {
    auto guard = cell.read();
    holding.store(true);
    while (!release.load()) std::this_thread::yield();
    seen_after = guard->value;
  });
  while (!holding.load()) std::this_thread::yield();

  // With a writer that waited for readers this would never return.
  for (int i = 1; i <= 100; ++i) cell.publish(std::make_shared<const Tracked>(i, &alive));
  CHECK(cell.read()->value == 100);  // new readers see the newest
  CHECK(cell.retired() == 100);      // everything replaced since the reader entered waits for it
  CHECK(alive.load() == 101);

  release.store(true);
  reader.join();
  CHECK(seen_after == 0);  // the reader's snapshot was intact to the end

  cell.reclaim();  // the reader left: everything retired can go
  CHECK(cell.retired() == 0);
  CHECK(alive.load() == 1);
}

TEST_CASE("a reader entering during publications sees either snapshot, never a freed one") {
  std::atomic<int> alive{0};
  SnapshotCell<Tracked> cell(std::make_shared<const Tracked>(0, &alive));
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::thread reader([&] {
    int last = 0;
    while (!stop.load(std::memory_order_relaxed)) {
      auto guard = cell.read();
      // Values only grow, and a freed snapshot (ASan) or a torn one would show.
      if (guard->value < last || guard->alive != &alive) bad.fetch_add(1);
      last = guard->value;
    }
  });
  for (int i = 1; i <= 20000; ++i) cell.publish(std::make_shared<const Tracked>(i, &alive));
  stop.store(true);
  reader.join();
  CHECK(bad.load() == 0);
  cell.reclaim();
  CHECK(alive.load() == 1);
}
