// The audit sink's writer thread, batching and reconnection (see audit_sink.hpp).
#include "server/audit_sink.hpp"

#include "server/audit_row.hpp"

namespace warden::server {
namespace {

constexpr std::chrono::milliseconds kFirstBackoff{100};
constexpr std::chrono::milliseconds kMaxBackoff{5000};
constexpr std::chrono::seconds kConnectTimeout{5};

}  // namespace

AuditSink::AuditSink(AuditOptions options, EventLog log)
    : options_(std::move(options)), log_(std::move(log)), queue_(options_.queue_capacity) {}

AuditSink::~AuditSink() { stop(); }

std::optional<std::string> AuditSink::start() {
  const auto [schema, table] = postgres::split_table_name(options_.table, "");
  const std::string qualified =
      (schema.empty() ? "" : postgres::quote_identifier(schema) + ".") + postgres::quote_identifier(table);
  std::string columns;
  for (const auto c : kAuditColumns) columns += (columns.empty() ? "" : ", ") + postgres::quote_identifier(c);
  if (!connection_.open(options_.url, kConnectTimeout)) {
    return "`--audit-db`: cannot connect to the database: " + connection_.error();
  }
  // The statement the writer will run, prepared once here: the server
  // names a missing table or column, and a column of the wrong type shows
  // when a row is refused.
  const postgres::Result described = connection_.describe("SELECT " + columns + " FROM " + qualified + " LIMIT 0");
  if (!described.ok()) {
    return "`--audit-table " + options_.table + "` cannot take audit rows (columns " + columns + "): " +
           described.error();
  }
  copy_statement_ = "COPY " + qualified + " (" + columns + ") FROM STDIN";
  connected_.store(true, std::memory_order_relaxed);
  writer_ = std::thread([this] { run(); });
  return std::nullopt;
}

bool AuditSink::submit(std::string& row) {
  if (queue_.try_push(row)) return true;
  dropped_.fetch_add(1, std::memory_order_relaxed);
  return false;
}

bool AuditSink::connect() {
  if (connection_.open(options_.url, kConnectTimeout)) {
    backoff_ = kFirstBackoff;
    reconnects_.fetch_add(1, std::memory_order_relaxed);
    connected_.store(true, std::memory_order_relaxed);
    log_("audit_connected", "");
    return true;
  }
  next_attempt_ = std::chrono::steady_clock::now() + backoff_;
  backoff_ = std::min(backoff_ * 2, kMaxBackoff);
  return false;
}

// One COPY for `count` rows. False when it failed; the connection's state
// says whether the rows or the connection were at fault.
bool AuditSink::send(const std::string& rows, std::uint64_t count) {
  const postgres::Result r = connection_.copy_in(copy_statement_, rows);
  if (r.ok()) {
    written_.fetch_add(count, std::memory_order_relaxed);
    batches_.fetch_add(1, std::memory_order_relaxed);
    return true;
  }
  failures_.fetch_add(1, std::memory_order_relaxed);
  if (!connection_.connected()) {
    connected_.store(false, std::memory_order_relaxed);
    log_("audit_disconnected", connection_.last_error());
    connection_.close();
    next_attempt_ = std::chrono::steady_clock::now();
  }
  return false;
}

// The batch failed while the connection stayed up: a row was refused. Each
// row goes alone, so only the refused ones are lost; one log line tells how
// many and why the first was refused.
void AuditSink::send_one_by_one() {
  std::uint64_t refused = 0;
  std::string first_error;
  std::size_t done = 0;
  for (; done < batch_.size(); ++done) {
    const postgres::Result r = connection_.copy_in(copy_statement_, batch_[done]);
    if (r.ok()) {
      written_.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    if (!connection_.connected()) {  // lost midway: the rest waits for the next connection
      connected_.store(false, std::memory_order_relaxed);
      log_("audit_disconnected", connection_.last_error());
      connection_.close();
      next_attempt_ = std::chrono::steady_clock::now();
      break;
    }
    ++refused;
    if (first_error.empty()) first_error = r.error();
  }
  batch_.erase(batch_.begin(), batch_.begin() + static_cast<std::ptrdiff_t>(done));
  if (refused > 0) {
    rejected_.fetch_add(refused, std::memory_order_relaxed);
    log_("audit_rows_rejected", std::to_string(refused) + " row(s) refused by `" + options_.table + "`: " + first_error);
  }
}

void AuditSink::run() {
  std::string rows;
  for (;;) {
    // Acquire: pairs with stop()'s release, so rows pushed before stop()
    // are seen by the drain below.
    const bool stopping = stop_.load(std::memory_order_acquire);
    while (batch_.size() < options_.batch) {
      auto row = queue_.try_pop();
      if (!row) break;
      batch_.push_back(std::move(*row));
    }
    if (!batch_.empty() && !connection_.connected() &&
        (stopping || std::chrono::steady_clock::now() >= next_attempt_)) {
      connect();
    }
    if (!batch_.empty() && connection_.connected()) {
      rows.clear();
      for (const auto& r : batch_) rows += r;
      if (send(rows, batch_.size())) {
        batch_.clear();
      } else if (connection_.connected()) {
        send_one_by_one();
      }
      if (batch_.empty() && queue_.approximate_size() > 0) continue;  // more to send: no nap
    }
    if (stopping) {
      if (batch_.empty() && queue_.approximate_size() == 0) return;
      if (!connection_.connected()) {
        // Shutting down without a database: what is left is lost, and counted.
        std::uint64_t lost = batch_.size();
        batch_.clear();
        while (queue_.try_pop()) ++lost;
        dropped_.fetch_add(lost, std::memory_order_relaxed);
        return;
      }
      continue;
    }
    // Producers never signal (a system call per decision would cost them
    // more than the row); the writer naps: a row waits about a millisecond
    // for its batch, longer while the database is away.
    std::this_thread::sleep_for(connection_.connected() ? std::chrono::milliseconds(1)
                                                        : std::chrono::milliseconds(10));
  }
}

void AuditSink::stop() {
  if (!writer_.joinable()) return;
  stop_.store(true, std::memory_order_release);
  writer_.join();
  connection_.close();
  connected_.store(false, std::memory_order_relaxed);
}

AuditCounters AuditSink::counters() const {
  AuditCounters c;
  c.written = written_.load(std::memory_order_relaxed);
  c.dropped = dropped_.load(std::memory_order_relaxed);
  c.rejected = rejected_.load(std::memory_order_relaxed);
  c.batches = batches_.load(std::memory_order_relaxed);
  c.failures = failures_.load(std::memory_order_relaxed);
  c.reconnects = reconnects_.load(std::memory_order_relaxed);
  c.depth = queue_.approximate_size();
  c.capacity = queue_.capacity();
  c.connected = connected_.load(std::memory_order_relaxed);
  return c;
}

}  // namespace warden::server
