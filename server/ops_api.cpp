// Operations: health, readiness, metrics, and what is in service (see
// service.hpp).
#include <cmath>
#include <cstdio>

#include "server/endpoints.hpp"
#include "server/responses.hpp"
#include "support/json_writer.hpp"
#include "warden/explain.hpp"

namespace warden::server {

void healthz_endpoint(const Exchange& x) { set_json(x.res, 200, "{\"status\":\"ok\"}"); }

// Ready only with a policy and facts loaded: a load balancer sends no
// traffic to a replica that would deny everything with NO_POLICY (or, past
// `--facts-max-staleness`, with FACTS_STALE). A database source that is not
// live makes the replica `degraded`: still ready, deciding on its last facts.
void readyz_endpoint(const Exchange& x) {
  Engine& engine = x.service.engine();
  const bool policy = engine.has_policy();
  const bool facts = engine.facts_version() > 0;
  const bool ready = x.service.ready();
  std::string body;
  json::Writer w(body);
  w.begin_object().field("ready", ready).field("policy", policy).field("facts", facts);
  if (const postgres::PostgresFactSource* source = x.service.facts_source()) {
    const postgres::SourceStatus s = source->status();
    w.field("degraded", s.state != postgres::SourceState::Live);
    w.key("source").begin_object();
    w.field("state", postgres::source_state_name(s.state));
    if (std::isinf(s.staleness_seconds)) {
      w.key("staleness_seconds").null();
    } else {
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%.3f", s.staleness_seconds);
      w.key("staleness_seconds").raw(seconds);
    }
    w.field("position", s.position);
    w.field("last_error", s.last_error);
    w.end_object();
  }
  w.end_object();
  set_json(x.res, ready ? 200 : 503, std::move(body));
}

void metrics_endpoint(const Exchange& x) {
  x.res.result(200);
  x.res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
  x.res.body() = x.service.metrics().render(x.service.gauges());
}

void policy_endpoint(const Exchange& x) {
  const PolicyInfo info = x.service.policy_info();
  std::string body;
  json::Writer w(body);
  w.begin_object();
  w.field("loaded", x.service.engine().has_policy());
  w.field("fingerprint", info.loaded_at_ms > 0 ? fingerprint_hex(info.fingerprint) : std::string());
  w.field("source", info.source).field("kind", info.kind);
  w.key("format_version").unsigned_integer(info.format_version);
  w.field("compiler_version", info.compiler_version);
  w.field("loaded_at", info.loaded_at_ms > 0 ? utc_timestamp(info.loaded_at_ms) : std::string());
  w.field("signature", info.signature).field("signed_by", info.signed_by);
  w.end_object();
  set_json(x.res, 200, std::move(body));
}

}  // namespace warden::server
