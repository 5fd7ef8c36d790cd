// Counters and histograms of `warden serve`, rendered in the Prometheus text
// exposition format (GET /metrics). Every name starts with `warden_`.
//
// Pipeline position: server/, written by the request handlers on the worker
// threads and read by the /metrics handler. Decision counters are per worker
// (a shard each, indexed by the worker's number): a shard's mutex is only
// ever contended by a scrape, so counting a decision costs an uncontended
// lock, and codes — which come from the policy, so are not known in advance —
// need no global table. Process-wide counters (reloads, connections) are
// relaxed atomics: they are statistics, ordered with nothing else.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "warden/decision.hpp"

namespace warden::server {

// The endpoints that decide, as the `endpoint` label says them.
enum class DecisionEndpoint : std::uint8_t { Decide, Batch, Authorized, Authz, ExtAuthz };
inline constexpr std::size_t kDecisionEndpoints = 5;
const char* endpoint_label(DecisionEndpoint e);

// Latency buckets (seconds): 10 µs … 10 ms, then +Inf.
inline constexpr std::array<double, 11> kLatencyBuckets = {1e-5,   2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4,
                                                          1e-3,   2.5e-3, 5e-3, 1e-2, 2.5e-2};

// What /metrics also reports that lives elsewhere (read at scrape time).
struct Gauges {
  std::uint64_t policy_fingerprint = 0;
  std::uint64_t facts_version = 0;
  bool policy_loaded = false;
  bool ready = false;
  std::uint64_t log_queue_depth = 0;
  std::uint64_t log_queue_capacity = 0;
  std::uint64_t log_written = 0;
  std::uint64_t log_dropped = 0;
  std::uint64_t log_sampled_out = 0;
  std::uint64_t log_rotations = 0;
  std::uint64_t log_write_errors = 0;
  // With `--facts postgresql://…` only (docs/postgres.md, "Faults").
  bool facts_source = false;
  bool facts_source_live = false;
  double facts_staleness_seconds = 0;  // +Inf before the first load
  std::uint64_t facts_source_resyncs = 0;
  std::uint64_t facts_source_reconnects = 0;
  std::uint64_t facts_source_changes = 0;
  std::uint64_t facts_source_failures = 0;
  std::uint64_t facts_source_fact_findings = 0;
  // With `--audit-db` only (docs/server.md, "Audit to PostgreSQL").
  bool audit = false;
  bool audit_connected = false;
  std::uint64_t audit_queue_depth = 0;
  std::uint64_t audit_queue_capacity = 0;
  std::uint64_t audit_written = 0;
  std::uint64_t audit_dropped = 0;
  std::uint64_t audit_rejected = 0;
  std::uint64_t audit_batches = 0;
  std::uint64_t audit_failures = 0;
  std::uint64_t audit_reconnects = 0;
};

class Metrics {
 public:
  explicit Metrics(std::size_t shards);

  // Worker threads: `shard` is the worker's number (below `shards`).
  void count_decision(std::size_t shard, DecisionEndpoint endpoint, Outcome outcome, std::string_view code,
                      std::chrono::nanoseconds latency);
  // A refused HTTP request (any endpoint), by its stable code.
  void count_error(std::size_t shard, std::string_view code, unsigned status);

  // Any thread.
  void count_reload(std::string_view target, bool ok);
  void count_fact_update(bool ok);
  void connection_opened() { connections_open_.fetch_add(1, std::memory_order_relaxed); connections_total_.fetch_add(1, std::memory_order_relaxed); }
  void connection_closed() { connections_open_.fetch_sub(1, std::memory_order_relaxed); }
  void connection_refused() { connections_refused_.fetch_add(1, std::memory_order_relaxed); }
  std::uint64_t connections_open() const { return connections_open_.load(std::memory_order_relaxed); }

  std::string render(const Gauges& gauges) const;

 private:
  struct CodeCount {
    DecisionEndpoint endpoint;
    Outcome outcome;
    std::string code;
    std::uint64_t count = 0;
  };
  struct ErrorCount {
    std::string code;
    unsigned status = 0;
    std::uint64_t count = 0;
  };
  struct Histogram {
    std::array<std::uint64_t, kLatencyBuckets.size() + 1> buckets{};  // the last: +Inf
    std::uint64_t count = 0;
    double sum_seconds = 0;
  };
  struct alignas(64) Shard {
    mutable std::mutex mutex;
    std::vector<CodeCount> decisions;  // few distinct codes: a linear scan beats hashing
    std::vector<ErrorCount> errors;
    std::array<Histogram, kDecisionEndpoints> latency;
  };

  std::vector<std::unique_ptr<Shard>> shards_;
  std::atomic<std::uint64_t> connections_open_{0}, connections_total_{0}, connections_refused_{0};
  std::atomic<std::uint64_t> policy_reloads_ok_{0}, policy_reloads_failed_{0};
  std::atomic<std::uint64_t> facts_reloads_ok_{0}, facts_reloads_failed_{0};
  std::atomic<std::uint64_t> fact_updates_ok_{0}, fact_updates_failed_{0};
};

}  // namespace warden::server
