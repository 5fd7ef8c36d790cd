// The PostgreSQL fact source: connection, first load, following, faults
// (see source.hpp).
#include "postgres/source.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cmath>
#include <limits>

#include "postgres/changes.hpp"
#include "postgres/loader.hpp"
#include "postgres/plan.hpp"
#include "support/diagnostic_render.hpp"
#include "support/file_io.hpp"

namespace warden::postgres {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

// Refused rows are reported one by one up to this many per load or batch,
// then counted.
constexpr std::size_t kRefusalsReported = 20;
constexpr std::size_t kHistory = 4096;

}  // namespace

MappingFileResult read_mapping_file(const std::string& path) {
  MappingFileResult out;
  FileRead file = read_file(path);
  if (!file.ok()) {
    out.diagnostics.push_back(make_diagnostic(Code::P0100, Span{}, "cannot read mapping file `" + path + "`: " + file.error));
    return out;
  }
  auto owned = std::make_shared<MappingFile>();
  MappingResult r = parse_mapping(owned->sources, path, std::move(file.bytes));
  out.diagnostics = std::move(r.diagnostics);
  if (r.mapping) {
    owned->mapping = std::move(*r.mapping);
    out.file = std::move(owned);
    out.sources = out.file->sources;
  } else {
    out.sources = owned->sources;
  }
  return out;
}

const char* source_state_name(SourceState s) {
  switch (s) {
    case SourceState::Starting: return "starting";
    case SourceState::Live: return "live";
    case SourceState::Resyncing: return "resyncing";
    case SourceState::Disconnected: return "disconnected";
    case SourceState::Stopped: return "stopped";
  }
  return "?";
}

struct PostgresFactSource::State {
  State(Engine& e, std::shared_ptr<const MappingFile> f, SourceOptions o, Callback c)
      : engine(e), file(std::move(f)), options(std::move(o)), callback(std::move(c)) {}

  Engine& engine;
  std::shared_ptr<const MappingFile> file;
  SourceOptions options;
  Callback callback;

  // The source thread's own (never touched by readers).
  Connection db;
  // The checker of the policy in service, built again when it changes.
  std::shared_ptr<const FactSchema> checked_schema;
  std::optional<FactRecordChecker> checker;
  std::optional<Plan> plan;
  std::unique_ptr<ChangeBatch> batch;
  RowIndex index;
  bool was_connected = false;
  bool need_resync = true;
  std::thread thread;
  int stop_fd = -1;

  // Read by any thread. Relaxed: a timestamp and a flag read on their own,
  // ordered with nothing else (the facts themselves are published by the
  // Engine, which orders its own snapshots).
  std::atomic<std::int64_t> last_sync_ns{0};  // 0: never
  std::atomic<std::uint8_t> state{static_cast<std::uint8_t>(SourceState::Starting)};

  mutable std::mutex mutex;  // what follows
  std::string position;
  std::uint64_t facts_version = 0;
  bool loaded = false;
  std::string last_error;
  SourceCounters counters;
  std::deque<std::pair<std::uint64_t, std::string>> history;

  void set_state(SourceState s) { state.store(static_cast<std::uint8_t>(s), std::memory_order_relaxed); }

  void emit(const SourceEvent& e) {
    if (callback) callback(e);
  }

  void fail(SourceEvent::Kind kind, Code code, const std::string& message) {
    {
      const std::lock_guard lock(mutex);
      last_error = std::string(code_name(code)) + ": " + message;
      if (kind == SourceEvent::Kind::Failed) ++counters.failures;
    }
    SourceEvent e;
    e.kind = kind;
    e.code = std::string(code_name(code));
    e.message = message;
    emit(e);
  }

  void report_refused(const std::vector<Refusal>& refused) {
    if (refused.empty()) return;
    {
      const std::lock_guard lock(mutex);
      counters.rows_refused += refused.size();
    }
    for (std::size_t i = 0; i < refused.size() && i < kRefusalsReported; ++i) {
      SourceEvent e;
      e.kind = SourceEvent::Kind::RowRefused;
      e.code = std::string(code_name(refused[i].code));
      e.message = refused[i].message;
      emit(e);
    }
    if (refused.size() > kRefusalsReported) {
      SourceEvent e;
      e.kind = SourceEvent::Kind::RowRefused;
      e.code = std::string(code_name(refused.back().code));
      e.message = std::to_string(refused.size() - kRefusalsReported) + " more rows refused";
      emit(e);
    }
  }

  // The checker for the policy in service now (null without one).
  const FactRecordChecker* current_checker() {
    std::shared_ptr<const FactSchema> schema = engine.fact_schema();
    if (!schema) {
      checked_schema.reset();
      checker.reset();
      return nullptr;
    }
    if (schema != checked_schema) {
      checker.emplace(schema);
      checked_schema = std::move(schema);
    }
    return &*checker;
  }

  // Rows naming what the policy does not declare: counted, and under
  // FactsCheck::Refuse a failure (returned, with the findings in its event),
  // which publishes nothing.
  std::optional<Status> refuse_findings(std::vector<InputError>& findings, std::size_t total, bool in_batch) {
    if (total == 0) return std::nullopt;
    {
      const std::lock_guard lock(mutex);
      counters.fact_findings += total;
    }
    if (options.facts_check != FactsCheck::Refuse) {
      for (InputError& e : findings) e.warning = true;
      return std::nullopt;
    }
    const std::string code = findings.front().code;
    const std::string m = std::to_string(total) + (total == 1 ? " name" : " names") +
                          " the policy does not declare (refused: --facts-check refuse): " + findings.front().message +
                          (in_batch ? "; resynchronizing" : "");
    {
      const std::lock_guard lock(mutex);
      last_error = code + ": " + m;
      ++counters.failures;
    }
    SourceEvent e;
    e.kind = SourceEvent::Kind::Failed;
    e.code = code;
    e.message = m;
    e.findings = std::move(findings);
    e.findings_total = total;
    emit(e);
    return Status::error(code, m);
  }

  void published(const std::string& where) {
    const std::lock_guard lock(mutex);
    position = where;
    facts_version = engine.facts_version();
    loaded = true;
    history.emplace_back(facts_version, where);
    if (history.size() > kHistory) history.pop_front();
  }

  void lost(const std::string& why) {
    db.close();
    need_resync = true;
    if (was_connected) {
      was_connected = false;
      {
        const std::lock_guard lock(mutex);
        ++counters.reconnects;
      }
      set_state(SourceState::Disconnected);
      fail(SourceEvent::Kind::Disconnected, Code::P0404, why);
    }
  }

  // Connect if needed, (re)plan, load everything and publish it. The
  // result for start(); the thread only looks at ok.
  Status sync_fully() {
    set_state(loaded ? SourceState::Resyncing : SourceState::Starting);
    if (!db.connected()) {
      if (!db.open(options.url)) {
        const std::string m = "cannot connect to the database: " + db.error();
        fail(SourceEvent::Kind::Failed, Code::P0301, m);
        set_state(loaded ? SourceState::Disconnected : SourceState::Starting);
        return Status::error(std::string(code_name(Code::P0301)), m);
      }
      was_connected = true;
      Result listen = db.exec("LISTEN " + quote_identifier(file->mapping.channel));
      if (!listen.ok()) {
        const std::string m = "cannot listen on channel `" + file->mapping.channel + "`: " + listen.error();
        fail(SourceEvent::Kind::Failed, Code::P0308, m);
        db.close();
        return Status::error(std::string(code_name(Code::P0308)), m);
      }
    }
    // The plan again: the schema may have changed while we were away.
    batch.reset();
    PlanResult planned = plan_mapping(db, file->mapping, file->sources);
    if (!planned.plan) {
      std::string m = "the mapping does not fit the database";
      Code code = Code::P0304;
      for (const Diagnostic& d : planned.diagnostics) {
        if (d.severity != Severity::Error) continue;
        if (m.back() != ':') code = d.code, m += ":";
        m += "\n" + render_text(d, file->sources);
      }
      while (!m.empty() && m.back() == '\n') m.pop_back();
      fail(SourceEvent::Kind::Failed, code, m);
      if (!db.connected()) lost("connection lost while checking the mapping");
      return Status::error(std::string(code_name(code)), m);
    }
    plan = std::move(planned.plan);
    batch = std::make_unique<ChangeBatch>(*plan);
    const std::int64_t begun = now_ns();
    const auto t0 = Clock::now();
    LoadResult load = load_all(db, *plan, current_checker());
    if (!load.ok) {
      fail(SourceEvent::Kind::Failed, Code::P0308, load.error);
      if (!db.connected()) lost("connection lost during the load");
      return Status::error(std::string(code_name(Code::P0308)), load.error);
    }
    report_refused(load.refused);
    if (auto refused = refuse_findings(load.findings, load.findings_total, false)) return *refused;
    const std::size_t facts = load.facts.entities.size() + load.facts.memberships.size() + load.facts.roles.size() +
                              load.facts.grants.size() + load.facts.keys.size();
    if (const Status st = engine.replace_facts(load.facts); !st.ok) {
      const std::string m = "the engine refused the facts: " + st.code + ": " + st.message;
      fail(SourceEvent::Kind::Failed, Code::P0406, m);
      return Status::error(std::string(code_name(Code::P0406)), m);
    }
    index = std::move(load.index);
    const std::string where = "snapshot " + load.snapshot;
    {
      const std::lock_guard lock(mutex);
      ++counters.full_loads;
      if (counters.full_loads > 1) ++counters.resyncs;
    }
    published(where);
    need_resync = false;
    last_sync_ns.store(begun, std::memory_order_relaxed);
    set_state(SourceState::Live);
    SourceEvent e;
    e.kind = SourceEvent::Kind::Loaded;
    e.facts_version = engine.facts_version();
    e.position = where;
    e.changes = facts;
    e.duration = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0);
    e.findings = std::move(load.findings);
    e.findings_total = load.findings_total;
    emit(e);
    return Status::success();
  }

  // Take every notification libpq has buffered into the batch.
  void drain() {
    std::uint64_t n = 0;
    while (auto note = db.next_notification()) {
      if (note->channel != file->mapping.channel) continue;
      batch->add(note->payload);
      ++n;
    }
    if (n) {
      const std::lock_guard lock(mutex);
      counters.notifications += n;
    }
  }

  void apply_batch() {
    const std::int64_t begun = now_ns();
    const auto t0 = Clock::now();
    RefreshResult r = refresh(db, *plan, index, *batch, current_checker());
    const std::uint64_t xid = batch->last_xid();
    batch->clear();
    if (!r.ok) {
      if (!db.connected()) {
        lost("connection lost while reading changes: " + r.error);
      } else {
        fail(SourceEvent::Kind::Failed, Code::P0308, r.error + "; resynchronizing");
        need_resync = true;
      }
      return;
    }
    report_refused(r.refused);
    if (refuse_findings(r.findings, r.findings_total, true)) {
      // The index already holds the batch: only a full load sets the index
      // and the engine right again.
      need_resync = true;
      return;
    }
    if (!r.update.changes.empty()) {
      if (const Status st = engine.apply(r.update); !st.ok) {
        fail(SourceEvent::Kind::Failed, Code::P0406, "the engine refused an update: " + st.code + ": " + st.message + "; resynchronizing");
        need_resync = true;
        return;
      }
    }
    const std::string where = xid ? "xid " + std::to_string(xid) : std::string();
    if (!r.update.changes.empty()) {
      {
        const std::lock_guard lock(mutex);
        ++counters.batches;
        counters.changes += r.update.changes.size();
      }
      published(where.empty() ? position_copy() : where);
      SourceEvent e;
      e.kind = SourceEvent::Kind::Applied;
      e.facts_version = engine.facts_version();
      e.position = where;
      e.changes = r.update.changes.size();
      e.duration = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0);
      e.findings = std::move(r.findings);
      e.findings_total = r.findings_total;
      emit(e);
    } else if (!where.empty()) {
      const std::lock_guard lock(mutex);
      position = where;
    }
    last_sync_ns.store(begun, std::memory_order_relaxed);
  }

  std::string position_copy() {
    const std::lock_guard lock(mutex);
    return position;
  }

  // Wait for the connection's socket (or stop) up to `timeout`. 1: input,
  // 0: timeout, -1: stop requested.
  int wait(std::chrono::milliseconds timeout, bool with_socket) {
    pollfd fds[2] = {{stop_fd, POLLIN, 0}, {with_socket ? db.socket() : -1, POLLIN, 0}};
    const int n = ::poll(fds, with_socket ? 2 : 1, static_cast<int>(std::max<std::int64_t>(0, timeout.count())));
    if (n > 0 && (fds[0].revents & POLLIN)) return -1;
    if (n > 0) return 1;
    return 0;
  }

  void run() {
    auto backoff = options.reconnect_min;
    auto next_heartbeat = Clock::now() + options.heartbeat;
    for (;;) {
      if (need_resync || !db.connected()) {
        if (!sync_fully().ok) {
          if (!db.connected()) lost("cannot reach the database");
          if (wait(backoff, false) < 0) break;
          backoff = std::min(backoff * 2, options.reconnect_max);
          continue;
        }
        backoff = options.reconnect_min;
        next_heartbeat = Clock::now() + options.heartbeat;
        continue;
      }
      drain();
      if (batch->rows() > options.max_backlog) {
        {
          const std::lock_guard lock(mutex);
          ++counters.overflows;
        }
        fail(SourceEvent::Kind::Overflow, Code::P0405,
             std::to_string(batch->rows()) + " changed rows waiting (more than " + std::to_string(options.max_backlog) +
                 "): resynchronizing fully");
        batch->clear();
        need_resync = true;
        continue;
      }
      if (!batch->empty()) {
        apply_batch();
        continue;
      }
      const auto now = Clock::now();
      if (now >= next_heartbeat) {
        const std::int64_t sent = now_ns();
        Result r = db.exec("SELECT 1");
        next_heartbeat = Clock::now() + options.heartbeat;
        if (!r.ok()) {
          lost("heartbeat failed: " + db.last_error());
          continue;
        }
        drain();
        if (batch->empty()) last_sync_ns.store(sent, std::memory_order_relaxed);
        continue;
      }
      const int w = wait(std::chrono::duration_cast<std::chrono::milliseconds>(next_heartbeat - now) +
                             std::chrono::milliseconds(1),
                         true);
      if (w < 0) break;
      if (w > 0 && !db.consume_input()) lost("connection lost: " + db.last_error());
    }
    db.close();
    set_state(SourceState::Stopped);
  }
};

PostgresFactSource::PostgresFactSource(Engine& engine, std::shared_ptr<const MappingFile> mapping,
                                       SourceOptions options, Callback on_event)
    : state_(std::make_unique<State>(engine, std::move(mapping), std::move(options), std::move(on_event))) {
  state_->stop_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

PostgresFactSource::~PostgresFactSource() {
  stop();
  if (state_->stop_fd >= 0) ::close(state_->stop_fd);
}

Status PostgresFactSource::start() {
  State& s = *state_;
  if (s.thread.joinable()) return Status::error("E0602", "the fact source is already running");
  Status st = s.sync_fully();
  if (!st.ok) {
    s.db.close();
    return st;
  }
  s.thread = std::thread([&s] { s.run(); });
  return st;
}

void PostgresFactSource::start_background() {
  State& s = *state_;
  if (s.thread.joinable()) return;
  s.thread = std::thread([&s] { s.run(); });
}

void PostgresFactSource::stop() {
  State& s = *state_;
  if (!s.thread.joinable()) return;
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto n = ::write(s.stop_fd, &one, sizeof one);
  s.thread.join();
}

double PostgresFactSource::staleness_seconds() const {
  const std::int64_t last = state_->last_sync_ns.load(std::memory_order_relaxed);
  if (last == 0) return std::numeric_limits<double>::infinity();
  return static_cast<double>(now_ns() - last) / 1e9;
}

bool PostgresFactSource::stale() const {
  const auto& limit = state_->options.max_staleness;
  if (!limit) return false;
  const std::int64_t last = state_->last_sync_ns.load(std::memory_order_relaxed);
  return last == 0 || now_ns() - last > std::chrono::duration_cast<std::chrono::nanoseconds>(*limit).count();
}

bool PostgresFactSource::deny_if_stale(Decision& out) const {
  if (!stale()) return false;
  out.reset();
  out.outcome = Outcome::Deny;
  out.code.assign("FACTS_STALE");
  const double age = staleness_seconds();
  std::string message = std::isinf(age) ? "no facts have been loaded from the database yet"
                                        : "the facts are " + std::to_string(static_cast<long long>(age)) +
                                              " s old, more than the " +
                                              std::to_string(state_->options.max_staleness->count()) +
                                              " ms allowed: the database cannot be followed";
  out.message.assign(message);
  out.hint.assign("retry later; the service resynchronizes when the database is back");
  out.facts_version = state_->engine.facts_version();
  out.policy_fingerprint = state_->engine.policy_fingerprint();
  return true;
}

SourceStatus PostgresFactSource::status() const {
  const State& s = *state_;
  SourceStatus out;
  out.state = static_cast<SourceState>(s.state.load(std::memory_order_relaxed));
  out.staleness_seconds = staleness_seconds();
  const std::lock_guard lock(s.mutex);
  out.loaded = s.loaded;
  out.position = s.position;
  out.facts_version = s.facts_version;
  out.last_error = s.last_error;
  out.counters = s.counters;
  return out;
}

std::string PostgresFactSource::position_of(std::uint64_t facts_version) const {
  const State& s = *state_;
  const std::lock_guard lock(s.mutex);
  for (auto it = s.history.rbegin(); it != s.history.rend(); ++it) {
    if (it->first == facts_version) return it->second;
  }
  return {};
}

}  // namespace warden::postgres
