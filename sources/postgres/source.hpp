// The PostgreSQL fact source: an Engine's facts follow the database live.
//
// Pipeline position: sources/postgres/, the top of the layer and what a
// front end (`warden serve --facts postgresql://…`, `warden facts follow`,
// an embedding service) uses. It owns one connection and one thread:
//
//   connect → LISTEN channel → plan the mapping (plan.hpp) → load everything
//   in one snapshot (loader.hpp) → Engine::replace_facts → then, for every
//   batch of notifications, re-read the rows they name in one snapshot →
//   Engine::apply (one FactsUpdate, one new facts version).
//
// Faults: when the connection drops, the engine keeps the facts it has (its
// published snapshot is never touched), the source reports itself degraded
// and its staleness grows; it reconnects with exponential backoff and
// resynchronizes fully (a new full load, published with replace_facts)
// before applying notifications again. More rows waiting than
// `max_backlog`, a notification it cannot read, a refresh that fails or an
// update the engine refuses: a full resynchronization too (P0405, P0406).
//
// Staleness is the time since the source last knew it was up to date: the
// moment it sent a statement (a refresh, or the heartbeat it sends every
// `heartbeat`) that came back with no change left to apply. With
// `max_staleness` set, deny_if_stale() makes decisions fail closed
// (FACTS_STALE) once the facts are older than that.
//
// Rows are read under the policy in service: a row whose fact names a type,
// role, scope, level, attribute or value the policy does not declare
// (F04xx) is reported with its table and row key, counted, and — by
// default (`facts_check` Warn) — loaded anyway, since such a fact matches
// nothing in the policy and so never allows anything; a load or batch with
// findings is refused whole under FactsCheck::Refuse (the facts in service
// stay, and the source retries like after any failed load, so the facts
// grow stale until the row is fixed or the policy declares the name).
//
// Threads: start() and stop() from one owner thread; status(),
// staleness(), deny_if_stale() and position_of() from any thread (the
// staleness check is one atomic load and one clock read: cheap enough for
// every decision). Events go to the callback on the source's thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "postgres/mapping.hpp"
#include "warden/decision.hpp"
#include "warden/engine.hpp"
#include "warden/facts_json.hpp"
#include "warden/status.hpp"

namespace warden::postgres {

// A mapping file read and checked, with the text its spans point into.
struct MappingFile {
  SourceSet sources;
  Mapping mapping;
};
struct MappingFileResult {
  std::shared_ptr<const MappingFile> file;  // set when there is no error
  std::vector<Diagnostic> diagnostics;
  SourceSet sources;  // for rendering the diagnostics
};
MappingFileResult read_mapping_file(const std::string& path);

struct SourceOptions {
  std::string url;  // postgresql://… or a conninfo string
  std::chrono::milliseconds heartbeat{1000};
  std::chrono::milliseconds reconnect_min{100};
  std::chrono::milliseconds reconnect_max{10'000};
  std::size_t max_backlog = 100'000;  // rows waiting to be re-read; more: full resync
  std::optional<std::chrono::milliseconds> max_staleness;  // fail closed (FACTS_STALE) past this
  // Rows naming what the policy in service does not declare: loaded with
  // warnings, or the load or batch refused.
  FactsCheck facts_check = FactsCheck::Warn;
};

enum class SourceState : std::uint8_t { Starting, Live, Resyncing, Disconnected, Stopped };
const char* source_state_name(SourceState s);  // "starting", "live", …

struct SourceCounters {
  std::uint64_t full_loads = 0;     // the first load and every resynchronization
  std::uint64_t resyncs = 0;        // full loads after the first
  std::uint64_t reconnects = 0;
  std::uint64_t batches = 0;        // updates published from notifications
  std::uint64_t notifications = 0;
  std::uint64_t changes = 0;        // fact changes published
  std::uint64_t rows_refused = 0;
  std::uint64_t overflows = 0;      // backlogs past max_backlog
  std::uint64_t failures = 0;       // loads, refreshes or publications that failed
  std::uint64_t fact_findings = 0;  // rows' names the policy does not declare (F04xx), loaded or refused
};

struct SourceStatus {
  SourceState state = SourceState::Starting;
  bool loaded = false;              // facts have been published at least once
  double staleness_seconds = 0;     // since last known up to date (infinite before the first load)
  std::string position;             // the database position the published facts reflect
  std::uint64_t facts_version = 0;  // the engine's, when published
  std::string last_error;           // "P0404: …"
  SourceCounters counters;
};

struct SourceEvent {
  enum class Kind : std::uint8_t { Loaded, Applied, RowRefused, Disconnected, Failed, Overflow } kind = Kind::Loaded;
  std::string code;     // P04xx, P03xx for failures and refusals
  std::string message;
  std::uint64_t facts_version = 0;
  std::string position;
  std::size_t changes = 0;           // Applied: fact changes; Loaded: facts
  std::chrono::microseconds duration{0};
  // Loaded, Applied: the rows read whose facts name what the policy does not
  // declare (warnings, loaded anyway); Failed with an F04xx code: the same,
  // refused (FactsCheck::Refuse). At most kMaxFactFindings, all counted.
  std::vector<InputError> findings;
  std::size_t findings_total = 0;
};

class PostgresFactSource {
 public:
  using Callback = std::function<void(const SourceEvent&)>;
  PostgresFactSource(Engine& engine, std::shared_ptr<const MappingFile> mapping, SourceOptions options,
                     Callback on_event = {});
  ~PostgresFactSource();  // stop()
  PostgresFactSource(const PostgresFactSource&) = delete;
  PostgresFactSource& operator=(const PostgresFactSource&) = delete;

  // Connect, load and publish the facts, then follow changes on a thread of
  // its own. A first load that fails is returned (the thread is not
  // started): P0301 cannot connect, P03xx the mapping does not fit the
  // database (the diagnostics are in the message), P0406 the engine refused.
  Status start();
  // Start following without a first load of its own (it happens on the
  // thread, with retries): for a service that starts degraded rather than
  // not at all.
  void start_background();
  void stop();

  SourceStatus status() const;
  double staleness_seconds() const;
  bool stale() const;  // past max_staleness (always false without it)
  // Fail closed: when stale(), make `out` a FACTS_STALE deny and return true.
  bool deny_if_stale(Decision& out) const;
  // The database position a facts version reflects ("" if not recent).
  std::string position_of(std::uint64_t facts_version) const;

  struct State;  // internal

 private:
  std::unique_ptr<State> state_;
};

}  // namespace warden::postgres
