// A bounded, lock-free multi-producer queue for the decision log.
//
// Pipeline position: server/, between the worker threads that decide (the
// producers) and the one thread that writes the decision log (the consumer).
// A decision must never wait for the log: try_push() either takes the item
// or reports the queue full at once, and the caller counts the drop.
//
// The algorithm is Dmitry Vyukov's bounded MPMC array queue: every cell
// carries a sequence number that says whose turn it is. A producer claims a
// cell by a CAS on `head_`, writes the item, then publishes it by storing the
// cell's sequence with release order; the consumer reads the sequence with
// acquire order before it touches the item, so the item's bytes are visible
// to it. No cell is ever touched by two threads at once, and no thread ever
// waits for another: a producer that finds its cell still occupied reports
// the queue full instead of spinning.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <utility>

namespace warden::server {

template <typename T>
class BoundedQueue {
 public:
  // `capacity` is rounded up to a power of two (at least 2).
  explicit BoundedQueue(std::size_t capacity) {
    std::size_t n = 2;
    while (n < capacity) n <<= 1;
    mask_ = n - 1;
    cells_ = std::make_unique<Cell[]>(n);
    for (std::size_t i = 0; i < n; ++i) cells_[i].sequence.store(i, std::memory_order_relaxed);
  }
  BoundedQueue(const BoundedQueue&) = delete;
  BoundedQueue& operator=(const BoundedQueue&) = delete;

  std::size_t capacity() const { return mask_ + 1; }

  // Any thread. False when the queue is full; `item` is then left as it was.
  bool try_push(T& item) {
    std::size_t pos = head_.load(std::memory_order_relaxed);
    for (;;) {
      Cell& cell = cells_[pos & mask_];
      // Acquire: pairs with the consumer's release after it emptied the cell,
      // so our write of `value` cannot overlap its read.
      const std::size_t seq = cell.sequence.load(std::memory_order_acquire);
      const auto diff = static_cast<std::intptr_t>(seq) - static_cast<std::intptr_t>(pos);
      if (diff == 0) {
        // The cell is free for position `pos`: claim it. Relaxed is enough for
        // the claim itself; publication is the release store below.
        if (head_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) {
          cell.value = std::move(item);
          // Release: the item's bytes happen-before the consumer's acquire load.
          cell.sequence.store(pos + 1, std::memory_order_release);
          return true;
        }
        // CAS failure reloaded `pos`; try again with the new head.
      } else if (diff < 0) {
        return false;  // the cell still holds an item a lap behind: full
      } else {
        pos = head_.load(std::memory_order_relaxed);  // another producer moved on
      }
    }
  }

  // The consumer thread only (one consumer). Empty when nothing is ready.
  std::optional<T> try_pop() {
    const std::size_t pos = tail_;
    Cell& cell = cells_[pos & mask_];
    // Acquire: pairs with the producer's release, so `value` is complete.
    const std::size_t seq = cell.sequence.load(std::memory_order_acquire);
    if (static_cast<std::intptr_t>(seq) - static_cast<std::intptr_t>(pos + 1) < 0) return std::nullopt;
    std::optional<T> out(std::move(cell.value));
    cell.value = T{};
    tail_ = pos + 1;
    // Release: our read of `value` happens-before the producer that reuses the
    // cell a lap later (it loads this sequence with acquire).
    cell.sequence.store(pos + mask_ + 1, std::memory_order_release);
    tail_published_.store(tail_, std::memory_order_relaxed);
    return out;
  }

  // Approximate number of queued items (for the queue-depth metric).
  std::size_t approximate_size() const {
    const std::size_t head = head_.load(std::memory_order_relaxed);
    const std::size_t tail = tail_published_.load(std::memory_order_relaxed);
    return head >= tail ? head - tail : 0;
  }

 private:
  struct Cell {
    std::atomic<std::size_t> sequence{0};
    T value{};
  };
  static constexpr std::size_t kLine = 64;

  std::unique_ptr<Cell[]> cells_;
  std::size_t mask_ = 0;
  alignas(kLine) std::atomic<std::size_t> head_{0};      // producers
  alignas(kLine) std::size_t tail_ = 0;                  // the consumer only
  std::atomic<std::size_t> tail_published_{0};           // the consumer's position, for readers
};

}  // namespace warden::server
