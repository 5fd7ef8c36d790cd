// A cell holding the current immutable snapshot, readable without locks.
//
// Readers enter one of two epochs by incrementing a striped counter, load the
// current pointer and use it; they never block and never wait for a writer.
// A writer (writers are serialized by a mutex) stores the new pointer, flips
// the epoch, and waits until the readers of the old epoch have left before it
// drops its reference to the old snapshot: RCU in the style of
// "quiescent-state by counting", with the wait on the writer's side only.
//
// Why it is correct: every operation on `current_`, `epoch_` and the counters
// is sequentially consistent. A reader that incremented counter[e] and then
// saw epoch == e either loaded its pointer before the writer's flip to !e
// (then the writer, which flips before scanning counter[e], waits for it), or
// after the flip, in which case the pointer store (which precedes the flip)
// is visible and it holds the new snapshot. A reader that sees the epoch
// changed after incrementing backs out and retries.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace warden::runtime {

template <typename T>
class SnapshotCell {
 public:
  static constexpr std::size_t kStripes = 64;

  SnapshotCell() = default;
  explicit SnapshotCell(std::shared_ptr<const T> initial) { publish(std::move(initial)); }
  ~SnapshotCell() = default;
  SnapshotCell(const SnapshotCell&) = delete;
  SnapshotCell& operator=(const SnapshotCell&) = delete;

  // Keeps the snapshot alive while in scope. Cheap: two atomic increments.
  class ReadGuard {
   public:
    ReadGuard(ReadGuard&& o) noexcept : counter_(o.counter_), value_(o.value_) { o.counter_ = nullptr; }
    ReadGuard(const ReadGuard&) = delete;
    ReadGuard& operator=(const ReadGuard&) = delete;
    ReadGuard& operator=(ReadGuard&&) = delete;
    ~ReadGuard() {
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

  ReadGuard read() const {
    const std::size_t stripe = stripe_index();
    for (;;) {
      const unsigned e = epoch_.load(std::memory_order_seq_cst);
      auto& counter = counters_[e][stripe].value;
      counter.fetch_add(1, std::memory_order_seq_cst);
      if (epoch_.load(std::memory_order_seq_cst) == e) {
        return ReadGuard(&counter, current_.load(std::memory_order_seq_cst));
      }
      counter.fetch_sub(1, std::memory_order_release);  // the writer flipped meanwhile: retry
    }
  }

  // Replace the snapshot. Returns once no reader can still see the old one.
  void publish(std::shared_ptr<const T> next) {
    std::lock_guard<std::mutex> lock(writer_);
    std::shared_ptr<const T> old = std::move(owner_);
    owner_ = std::move(next);
    current_.store(owner_.get(), std::memory_order_seq_cst);
    const unsigned old_epoch = epoch_.load(std::memory_order_seq_cst);
    epoch_.store(old_epoch ^ 1u, std::memory_order_seq_cst);
    wait_for_readers(old_epoch);
    // `old` is released here, after its last reader left.
  }

  // The current snapshot as an owning pointer (for writers building the next one).
  std::shared_ptr<const T> owner() const {
    std::lock_guard<std::mutex> lock(writer_);
    return owner_;
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

  void wait_for_readers(unsigned epoch) const {
    for (std::size_t i = 0; i < kStripes; ++i) {
      unsigned spins = 0;
      while (counters_[epoch][i].value.load(std::memory_order_seq_cst) != 0) {
        if (++spins > 64) std::this_thread::yield();
      }
    }
  }

  mutable std::mutex writer_;
  std::shared_ptr<const T> owner_;
  std::atomic<const T*> current_{nullptr};
  std::atomic<unsigned> epoch_{0};
  mutable std::array<std::array<PaddedCounter, kStripes>, 2> counters_{};
};

}  // namespace warden::runtime
