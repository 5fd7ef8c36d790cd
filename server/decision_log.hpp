// The decision log: every decision as one JSON line, written by a thread of
// its own so that logging never slows or blocks a decision.
//
// Pipeline position: server/, fed by the request handlers (producers, any
// worker thread) through a bounded lock-free queue (bounded_queue.hpp); one
// writer thread drains it into a file or standard output. When the queue is
// full the record is dropped and counted (`warden_decision_log_records_total
// {result="dropped"}`): an audit gap is reported, a decision is never held.
//
// Rotation: past `max_bytes` the writer renames PATH to PATH.1 (PATH.1 to
// PATH.2, …, keeping `keep` files) and starts a new PATH; reopen() — on
// SIGHUP — closes and reopens PATH, for logrotate's rename-then-signal.
// stop() writes every queued record, flushes and closes: graceful shutdown
// loses nothing that was accepted.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>

#include "server/bounded_queue.hpp"
#include "server/options.hpp"

namespace warden::server {

struct DecisionLogCounters {
  std::uint64_t written = 0;
  std::uint64_t dropped = 0;
  std::uint64_t sampled_out = 0;
  std::uint64_t rotations = 0;
  std::uint64_t write_errors = 0;
  std::uint64_t depth = 0;
  std::uint64_t capacity = 0;
};

class DecisionLog {
 public:
  explicit DecisionLog(DecisionLogOptions options);
  ~DecisionLog();  // stop()
  DecisionLog(const DecisionLog&) = delete;
  DecisionLog& operator=(const DecisionLog&) = delete;

  // Open the file (nothing to do for stdout or a disabled log) and start the
  // writer thread. An error text when the file cannot be opened.
  std::optional<std::string> start();

  bool enabled() const { return enabled_; }

  // Producers (any thread). Whether to log this decision: denies always,
  // allows at the configured rate (counted when left out).
  bool sample(bool allowed);
  // Never blocks: false (and counted) when the queue is full. `line` has no
  // newline; it is taken on success.
  bool submit(std::string& line);

  // Any thread, also a signal handler's: close and reopen the file at the
  // writer's next turn.
  void reopen() noexcept { reopen_.store(true, std::memory_order_relaxed); }

  // Write what is queued, flush, close, join. Idempotent.
  void stop();

  DecisionLogCounters counters() const;

 private:
  void run();
  void flush_batch();
  bool open_file();
  void rotate();

  DecisionLogOptions options_;
  bool enabled_ = false;
  bool to_stdout_ = false;
  BoundedQueue<std::string> queue_;
  std::thread writer_;
  std::FILE* file_ = nullptr;
  std::uint64_t file_bytes_ = 0;  // writer thread only
  static constexpr std::size_t kBatchBytes = 256 * 1024;
  std::string batch_;              // writer thread only: records gathered for one write
  std::uint64_t batch_records_ = 0;

  // Relaxed everywhere: flags polled by the writer loop and statistics.
  // stop_ is also read after join()-free polling, so it is release/acquire:
  // every submit() that happened before stop() is visible to the final drain.
  std::atomic<bool> stop_{false};
  std::atomic<bool> reopen_{false};
  std::atomic<std::uint64_t> written_{0}, dropped_{0}, sampled_out_{0}, rotations_{0}, write_errors_{0};
};

}  // namespace warden::server
