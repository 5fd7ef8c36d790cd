// Facts that follow a PostgreSQL database, for the host languages: the
// mapping file read and checked, and a PostgresFactSource started on an
// engine the binding holds.
//
// Pipeline position: bindings/core, on top of sources/postgres (source.hpp),
// exactly what `warden serve --facts postgresql://… --facts-mapping FILE`
// runs: one consistent snapshot loaded before start() returns, then changes
// followed on a thread of the source's own, reconnection and full resync on
// faults (docs/postgres.md). The engine is shared with the binding's Engine
// object, so it outlives the source whichever the host frees first.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "postgres/source.hpp"
#include "warden/engine.hpp"
#include "warden/status.hpp"

namespace warden::bindings {

struct PostgresFactsOptions {
  std::string url;      // postgresql://… or a conninfo string
  std::string mapping;  // the mapping file (docs/postgres.md)
  std::chrono::milliseconds max_staleness{0};  // 0: never stale (see stale())
  // Rows naming what the policy in service does not declare: loaded with
  // warnings, or the load refused (source.hpp).
  FactsCheck facts_check = FactsCheck::Warn;
};

class PostgresFacts {
 public:
  // Read the mapping, connect, load and publish the facts, start following.
  // Null with `error` set when any of it fails: the mapping's diagnostics
  // rendered as `warden facts check` prints them (its first code), P0301
  // cannot connect, P03xx the mapping does not fit the database, F04xx
  // rows the policy cannot read (FactsCheck::Refuse). `on_event` gets the
  // source's events (source.hpp) on its thread, the first load's on this one.
  static std::unique_ptr<PostgresFacts> start(std::shared_ptr<Engine> engine, const PostgresFactsOptions& options,
                                              Status& error, postgres::PostgresFactSource::Callback on_event = {});
  ~PostgresFacts();  // stop()

  void stop();
  postgres::SourceStatus status() const { return source_->status(); }
  // The status as one JSON object, for the host languages: state, loaded,
  // staleness_seconds (null before the first load), position,
  // facts_version, last_error, counters {full_loads, resyncs, …}.
  std::string status_json() const;
  // Past max_staleness: a host that prefers refusing to deciding on old
  // facts checks this (or fail_closed()) before it decides.
  bool stale() const { return source_->stale(); }
  // When stale(), make `d` the FACTS_STALE deny `warden serve` answers.
  bool fail_closed(Decision& d) const { return source_->deny_if_stale(d); }

 private:
  PostgresFacts() = default;
  std::shared_ptr<Engine> engine_;
  std::shared_ptr<const postgres::MappingFile> mapping_;
  std::unique_ptr<postgres::PostgresFactSource> source_;
};

}  // namespace warden::bindings
