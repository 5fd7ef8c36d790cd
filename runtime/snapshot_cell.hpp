// A cell holding the current immutable snapshot: readers never lock and
// never wait; writers never wait for readers.
//
// Pipeline position: runtime/, under Engine (engine.cpp), which keeps its
// (policy, facts) pair in one cell. The design and its proof are written out
// in docs/architecture.md ("Concurrency"); in short, it is epoch-based
// reclamation (Fraser's EBR with three epochs) over a plain atomic pointer:
//
//   reader:  e = epoch; ++active[e % 3]; re-check epoch == e (else undo and
//            retry); p = current; … use *p …; --active[e % 3]
//   writer:  (serialized by a mutex) current = next; retire the old snapshot
//            tagged with the epoch; advance the epoch while the previous
//            epoch has no active reader; free what was retired two or more
//            epochs ago.
//
// Invariant: while the epoch is E, every reader that passed its re-check is
// registered in E or E - 1 (the writer advances from E - 1 to E only once
// nobody is left in E - 2). A reader holding a snapshot retired at epoch R
// registered in an epoch <= R, so once the epoch reaches R + 2 it has left,
// and the snapshot can be freed. A reader that stalls (preempted in the
// middle of a decision) only holds the epoch back: snapshots retired
// meanwhile wait in the retire list, and no writer ever waits for it.
//
// Why not std::atomic<std::shared_ptr<const T>>: in GCC 12's libstdc++ it is
// not lock-free (is_lock_free() is false: loads and stores take an internal
// spin lock), and every load would also increment and decrement one shared
// reference count — a cache line bounced between every core on every
// decision. Here a reader touches a counter of its own stripe.
//
// Memory orders: the protocol's operations on `current_`, `epoch_` and the
// counters are sequentially consistent except where a comment says why less
// is enough; the argument needs them in one total order (a reader's
// increment must be ordered before its re-check, a StoreLoad ordering only
// seq_cst gives). On x86-64 the seq_cst RMWs are the same `lock xadd` a
// relaxed one would be, and seq_cst loads are plain loads.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace warden::runtime {

template <typename T>
class SnapshotCell {
 public:
  static constexpr std::size_t kStripes = 64;
  static constexpr std::size_t kEpochs = 3;

  SnapshotCell() = default;
  explicit SnapshotCell(std::shared_ptr<const T> initial) { publish(std::move(initial)); }
  // No reader may be active: destroying the cell frees every snapshot.
  ~SnapshotCell() = default;
  SnapshotCell(const SnapshotCell&) = delete;
  SnapshotCell& operator=(const SnapshotCell&) = delete;

  // Keeps the snapshot alive while in scope. Cheap: one atomic increment on
  // entry, one decrement on exit, both on this thread's stripe.
  class ReadGuard {
   public:
    ReadGuard(ReadGuard&& o) noexcept : counter_(o.counter_), value_(o.value_) { o.counter_ = nullptr; }
    ReadGuard(const ReadGuard&) = delete;
    ReadGuard& operator=(const ReadGuard&) = delete;
    ReadGuard& operator=(ReadGuard&&) = delete;
    ~ReadGuard() {
      // release: every read of the snapshot through this guard happens
      // before a writer's (seq_cst, hence acquire) load that sees the count
      // drop, and so before the snapshot is freed. Later RMWs on the counter
      // by other readers continue this release sequence.
      if (counter_) counter_->fetch_sub(1, std::memory_order_release);
    }
    const T* get() const { return value_; }
    const T* operator->() const { return value_; }
    explicit operator bool() const { return value_ != nullptr; }

   private:
    friend class SnapshotCell;
    ReadGuard(std::atomic<std::int64_t>* c, const T* v) : counter_(c), value_(v) {}
    std::atomic<std::int64_t>* counter_;
    const T* value_;
  };

  // Lock-free: it retries only when a writer advanced the epoch between its
  // two loads of it, which needs a writer to make progress.
  ReadGuard read() const {
    const std::size_t stripe = stripe_index();
    for (;;) {
      // relaxed: only a guess, validated by the seq_cst re-check below (the
      // epoch only grows, so reading `e` there means it is still current).
      const std::uint64_t e = epoch_.load(std::memory_order_relaxed);
      auto& counter = counters_[e % kEpochs][stripe].value;
      counter.fetch_add(1, std::memory_order_seq_cst);  // registered; ordered before the re-check
      if (epoch_.load(std::memory_order_seq_cst) == e) {
        // seq_cst (so also acquire): sees a snapshot fully built before the
        // writer's store, and is ordered after the re-check in the total order.
        return ReadGuard(&counter, current_.load(std::memory_order_seq_cst));
      }
      // The epoch moved between the loads: this registration may be in an
      // epoch a writer already checked. Undo it (it protected nothing) and retry.
      counter.fetch_sub(1, std::memory_order_release);
    }
  }

  // Replace the snapshot. Never waits for readers: the old snapshot is freed
  // later, by this or a later publish(), once no reader can hold it.
  void publish(std::shared_ptr<const T> next) {
    std::lock_guard<std::mutex> lock(writer_);
    std::shared_ptr<const T> old = std::exchange(owner_, std::move(next));
    // seq_cst: a reader that loads the old pointer does so before this store
    // in the total order, hence registered before the epoch checks below.
    current_.store(owner_.get(), std::memory_order_seq_cst);
    // relaxed: only writers store the epoch, under writer_, which orders
    // their stores before this load.
    if (old) retired_.emplace_back(epoch_.load(std::memory_order_relaxed), std::move(old));
    reclaim_locked();
  }

  // Try to free retired snapshots now (publish() does this too). Never waits.
  void reclaim() {
    std::lock_guard<std::mutex> lock(writer_);
    reclaim_locked();
  }

  // The current snapshot as an owning pointer (for writers building the next one).
  std::shared_ptr<const T> owner() const {
    std::lock_guard<std::mutex> lock(writer_);
    return owner_;
  }

  // How many replaced snapshots still wait for readers to leave (tests, metrics).
  std::size_t retired() const {
    std::lock_guard<std::mutex> lock(writer_);
    return retired_.size();
  }

 private:
  struct alignas(64) PaddedCounter {
    std::atomic<std::int64_t> value{0};
  };

  static std::size_t stripe_index() {
    // Threads spread over stripes so readers on different cores do not share
    // a cache line; collisions only cost contention, never correctness.
    static thread_local const std::size_t index = std::hash<std::thread::id>{}(std::this_thread::get_id()) % kStripes;
    return index;
  }

  bool drained(std::uint64_t epoch) const {
    for (const auto& c : counters_[epoch % kEpochs]) {
      // seq_cst: after this writer's pointer store and after any reader's
      // registration that passed its re-check in an epoch before the current
      // one; reading 0 acquires the leaving readers' releases.
      if (c.value.load(std::memory_order_seq_cst) != 0) return false;
    }
    return true;
  }

  void reclaim_locked() {
    // Advance at most twice (E -> E + 2 frees what was retired at E) and
    // only while the epoch before the current one has no reader left. Both
    // steps are checks, never waits.
    for (int step = 0; step < 2; ++step) {
      const std::uint64_t e = epoch_.load(std::memory_order_relaxed);  // writers only; see publish()
      if (e > 0 && !drained(e - 1)) break;
      // seq_cst: a reader whose re-check comes later in the total order sees
      // the new epoch (and registers there); one whose re-check came earlier
      // is counted in an epoch this or the next advance checks.
      epoch_.store(e + 1, std::memory_order_seq_cst);
    }
    const std::uint64_t now = epoch_.load(std::memory_order_relaxed);
    std::size_t kept = 0;
    for (auto& r : retired_) {
      if (r.first + 2 > now) retired_[kept++] = std::move(r);  // a reader may still hold it
    }
    retired_.resize(kept);  // frees the rest, here, on the writer's thread
  }

  mutable std::mutex writer_;
  std::shared_ptr<const T> owner_;
  std::vector<std::pair<std::uint64_t, std::shared_ptr<const T>>> retired_;  // (epoch retired at, snapshot)
  std::atomic<const T*> current_{nullptr};
  std::atomic<std::uint64_t> epoch_{0};
  mutable std::array<std::array<PaddedCounter, kStripes>, kEpochs> counters_{};
};

}  // namespace warden::runtime
