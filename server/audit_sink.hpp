// The audit sink: every decision written as a row of a PostgreSQL table
// shaped like the model access log, by a thread of its own, so that a slow
// or absent database never slows or blocks a decision.
//
// Pipeline position: server/, beside the DecisionLog. Producers (the
// request handlers, any worker thread) hand over rows formatted by
// audit_row.hpp through a bounded lock-free queue; when it is full the row
// is dropped and counted (`warden_audit_rows_total{result="dropped"}`): an
// audit gap is reported, a decision is never held. The writer sends up to
// `batch` rows with one `COPY … FROM STDIN`. A row the table refuses (a
// constraint, a type) would fail its whole COPY, so a failed batch is sent
// again row by row and only the refused rows are lost (counted "rejected",
// logged). When the connection is lost the writer keeps its batch, the
// queue fills and then drops, and it reconnects with backoff (100 ms
// doubling to 5 s). stop() sends what is queued, giving up — counted as
// dropped — if the database is not there to take it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "postgres/pg.hpp"
#include "server/bounded_queue.hpp"
#include "server/options.hpp"

namespace warden::server {

struct AuditCounters {
  std::uint64_t written = 0;
  std::uint64_t dropped = 0;    // queue full, or not sent at shutdown
  std::uint64_t rejected = 0;   // refused by the table
  std::uint64_t batches = 0;    // COPY statements that stored rows
  std::uint64_t failures = 0;   // batches that failed (connection or rows)
  std::uint64_t reconnects = 0;
  std::uint64_t depth = 0;
  std::uint64_t capacity = 0;
  bool connected = false;
};

class AuditSink {
 public:
  // What the sink reports to the service's log: a refused row (the
  // server's message), a lost or regained connection.
  using EventLog = std::function<void(std::string_view event, std::string_view message)>;

  AuditSink(AuditOptions options, EventLog log);
  ~AuditSink();  // stop()
  AuditSink(const AuditSink&) = delete;
  AuditSink& operator=(const AuditSink&) = delete;

  // Connect, check that the table has every column of kAuditColumns, and
  // start the writer. An error text (naming the table or the column) when
  // the database cannot be reached or the table does not fit.
  std::optional<std::string> start();

  const AuditOptions& options() const { return options_; }

  // Producers (any thread). Never blocks: false (and counted) when the
  // queue is full. `row` is taken on success.
  bool submit(std::string& row);

  // Send what is queued, close, join. Idempotent.
  void stop();

  AuditCounters counters() const;

 private:
  void run();
  bool connect();
  bool send(const std::string& rows, std::uint64_t count);
  void send_one_by_one();

  AuditOptions options_;
  EventLog log_;
  std::string copy_statement_;
  BoundedQueue<std::string> queue_;
  std::thread writer_;
  postgres::Connection connection_;  // writer thread only (start() before it runs)
  std::vector<std::string> batch_;   // writer thread only: rows taken from the queue, not yet stored
  std::chrono::milliseconds backoff_{100};
  std::chrono::steady_clock::time_point next_attempt_{};

  // Relaxed: statistics. stop_ is release/acquire, as in the DecisionLog:
  // every submit() before stop() is seen by the final drain.
  std::atomic<bool> stop_{false};
  std::atomic<bool> connected_{false};
  std::atomic<std::uint64_t> written_{0}, dropped_{0}, rejected_{0}, batches_{0}, failures_{0}, reconnects_{0};
};

}  // namespace warden::server
