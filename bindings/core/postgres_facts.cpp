// Starting a PostgreSQL fact source for a binding (see postgres_facts.hpp).
#include "bindings/core/postgres_facts.hpp"

#include <cmath>
#include <cstdio>

#include "support/diagnostic_render.hpp"
#include "support/json_writer.hpp"

namespace warden::bindings {

std::unique_ptr<PostgresFacts> PostgresFacts::start(std::shared_ptr<Engine> engine,
                                                    const PostgresFactsOptions& options, Status& error,
                                                    postgres::PostgresFactSource::Callback on_event) {
  postgres::MappingFileResult mapping = postgres::read_mapping_file(options.mapping);
  if (!mapping.file) {
    std::string text;
    for (const auto& d : mapping.diagnostics) text += (text.empty() ? "" : "\n") + render_text(d, mapping.sources);
    const std::string code = mapping.diagnostics.empty() ? "P0101" : std::string(code_name(mapping.diagnostics[0].code));
    error = Status::error(code, "the mapping file `" + options.mapping + "` is refused:\n" + text);
    return nullptr;
  }
  std::unique_ptr<PostgresFacts> out(new PostgresFacts());
  out->engine_ = std::move(engine);
  out->mapping_ = mapping.file;
  postgres::SourceOptions o;
  o.url = options.url;
  if (options.max_staleness.count() > 0) o.max_staleness = options.max_staleness;
  o.facts_check = options.facts_check;
  out->source_ = std::make_unique<postgres::PostgresFactSource>(*out->engine_, out->mapping_, o, std::move(on_event));
  if (const Status s = out->source_->start(); !s.ok) {
    error = s;
    return nullptr;
  }
  return out;
}

std::string PostgresFacts::status_json() const {
  const postgres::SourceStatus s = source_->status();
  std::string out;
  json::Writer w(out);
  w.begin_object().field("state", postgres::source_state_name(s.state)).field("loaded", s.loaded);
  w.key("staleness_seconds");
  if (std::isfinite(s.staleness_seconds)) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", s.staleness_seconds);
    w.raw(text);
  } else {
    w.null();
  }
  w.field("position", s.position).key("facts_version").unsigned_integer(s.facts_version);
  w.field("last_error", s.last_error);
  const postgres::SourceCounters& c = s.counters;
  w.key("counters").begin_object();
  w.key("full_loads").unsigned_integer(c.full_loads).key("resyncs").unsigned_integer(c.resyncs);
  w.key("reconnects").unsigned_integer(c.reconnects).key("batches").unsigned_integer(c.batches);
  w.key("notifications").unsigned_integer(c.notifications).key("changes").unsigned_integer(c.changes);
  w.key("rows_refused").unsigned_integer(c.rows_refused).key("overflows").unsigned_integer(c.overflows);
  w.key("failures").unsigned_integer(c.failures).key("fact_findings").unsigned_integer(c.fact_findings);
  w.end_object().end_object();
  return out;
}

PostgresFacts::~PostgresFacts() { stop(); }

void PostgresFacts::stop() {
  if (source_) source_->stop();
}

}  // namespace warden::bindings
