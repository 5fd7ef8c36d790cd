// Routing and the cross-cutting parts of the service (see service.hpp).
#include "server/service.hpp"

#include "server/audit_row.hpp"
#include "server/endpoints.hpp"
#include "server/responses.hpp"
#include "support/diagnostic.hpp"
#include "warden/explain.hpp"

namespace warden::server {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

constexpr std::string_view kEnvoyPrefix = "/v1/envoy/authz";

// GET (and HEAD, which a client may use for probes) on read-only endpoints.
bool is_get(const HttpRequest& req) { return req.method() == http::verb::get || req.method() == http::verb::head; }

void route(const Exchange& x) {
  const HttpRequest& req = x.req;
  const std::string_view p = x.path;
  const bool admin_here = x.service.options().admin_listen.empty() || x.peer.admin;
  auto method_not_allowed = [&](std::string_view allowed) {
    x.res.set(http::field::allow, allowed);
    refuse(x, 405, "S0106", "method `" + std::string(req.method_string()) + "` is not allowed on `" + std::string(p) + "`",
           "use " + std::string(allowed));
  };
  if (p == "/v1/decide") {
    if (req.method() != http::verb::post) return method_not_allowed("POST");
    return decide_endpoint(x);
  }
  if (p == "/v1/decide/batch") {
    if (req.method() != http::verb::post) return method_not_allowed("POST");
    return decide_batch_endpoint(x);
  }
  if (p == "/v1/authorized") {
    if (req.method() != http::verb::post) return method_not_allowed("POST");
    return authorized_endpoint(x);
  }
  if (p == "/v1/authz") return nginx_authz_endpoint(x);
  if (p == kEnvoyPrefix || (starts_with(p, kEnvoyPrefix) && p[kEnvoyPrefix.size()] == '/')) {
    // Envoy appends the original path (and query) to the prefix.
    std::string_view target = std::string_view(req.target()).substr(kEnvoyPrefix.size());
    return envoy_authz_endpoint(x, target.empty() ? std::string_view("/") : target);
  }
  if (p == "/v1/facts/version") {
    if (!is_get(req)) return method_not_allowed("GET");
    return facts_version_endpoint(x);
  }
  if (p == "/v1/facts" || starts_with(p, "/v1/facts/")) {
    if (!admin_here) {
      return refuse(x, 404, "S0105", "no endpoint `" + std::string(p) + "` on this address",
                    "the admin API listens on its own address (--admin-listen)");
    }
    if (p == "/v1/facts") {
      if (req.method() == http::verb::put) return facts_replace_endpoint(x);
      if (req.method() == http::verb::patch) return facts_patch_endpoint(x);
      return method_not_allowed("PUT, PATCH");
    }
    if (p == "/v1/facts/findings") {
      if (!is_get(req)) return method_not_allowed("GET");
      return facts_findings_endpoint(x);
    }
    if (req.method() != http::verb::delete_) return method_not_allowed("DELETE");
    return facts_delete_endpoint(x, p.substr(std::string_view("/v1/facts/").size()));
  }
  if (p == "/v1/policy" || p == "/healthz" || p == "/readyz" || p == "/metrics") {
    if (!is_get(req)) return method_not_allowed("GET");
    if (p == "/v1/policy") return policy_endpoint(x);
    if (p == "/healthz") return healthz_endpoint(x);
    if (p == "/readyz") return readyz_endpoint(x);
    return metrics_endpoint(x);
  }
  refuse(x, 404, "S0105", "no endpoint `" + std::string(p) + "`", "see docs/server.md for the endpoints");
}

}  // namespace

Service::Service(Engine& engine, const ServeOptions& options, Metrics& metrics, DecisionLog& log,
                 ServiceLog& service_log, std::shared_ptr<PolicyInfoCell> policy_info)
    : engine_(engine),
      options_(options),
      metrics_(metrics),
      log_(log),
      service_log_(service_log),
      policy_info_(std::move(policy_info)),
      mask_(options.log.mask) {}

void Service::handle(const HttpRequest& req, const Peer& peer, HttpResponse& res) noexcept {
  const std::string_view target = req.target();
  const auto question = target.find('?');
  const Exchange x{*this, req, peer, res, target.substr(0, question),
                   question == std::string_view::npos ? std::string_view{} : target.substr(question + 1)};
  try {
    res.version(req.version());
    res.set(http::field::server, "warden");
    route(x);
  } catch (const std::exception& e) {
    // Out of memory and the like: the request fails, the service does not.
    res = HttpResponse{};
    set_error(res, 500, {"S0113", "internal error: " + std::string(e.what()), {}, {}, {}});
    metrics_.count_error(peer.worker, "S0113", 500);
  }
}

void Service::refuse(unsigned status, std::string_view code, std::string_view detail, const Peer& peer,
                     HttpResponse& res) noexcept {
  try {
    const auto known = code_from_name(code);
    std::string message(known ? code_info(*known).title : std::string_view("refused"));
    if (!detail.empty()) message += ": " + std::string(detail);
    set_error(res, status, {code, std::move(message), {}, {}, {}});
    metrics_.count_error(peer.worker, code, status);
  } catch (...) {
    res.result(status);
  }
}

void Service::connection_event(bool opened, bool refused) noexcept {
  if (refused) {
    metrics_.connection_refused();
  } else if (opened) {
    metrics_.connection_opened();
  } else {
    metrics_.connection_closed();
  }
}

void Service::on_reload(const ReloadReport& r) {
  metrics_.count_reload(r.target, r.ok);
  const auto ms = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(r.duration).count());
  if (r.ok) {
    if (r.target == "facts") facts_changed();
    service_log_.info(r.target + "_loaded", {{"trigger", r.trigger},
                                             {"policy_fingerprint", fingerprint_hex(r.policy_fingerprint)},
                                             {"facts_version", r.facts_version},
                                             {"duration_us", ms}});
    if (!r.warnings.empty()) {
      // Facts the policy does not declare, loaded anyway (F04xx).
      std::string warnings;
      for (const auto& w : r.warnings) warnings += (warnings.empty() ? "" : "\n") + w;
      service_log_.warn(r.target + "_findings", {{"trigger", r.trigger}, {"diagnostics", warnings}});
    }
  } else {
    std::string diagnostics;
    for (const auto& d : r.diagnostics) diagnostics += (diagnostics.empty() ? "" : "\n") + d;
    service_log_.error(r.target + "_reload_failed",
                       {{"trigger", r.trigger},
                        {"code", r.code},
                        {"message", r.message},
                        {"diagnostics", diagnostics},
                        {"serving_policy_fingerprint", fingerprint_hex(r.policy_fingerprint)},
                        {"serving_facts_version", r.facts_version}});
  }
}

// Ready with a policy and facts; with a database source, also not past its
// maximum staleness (decisions would be FACTS_STALE denies). A source that
// is only reconnecting keeps the replica ready but degraded: its last facts
// still decide, and taking every replica out while the database is away
// would turn a database outage into an authorization outage.
bool Service::ready() const {
  return engine_.has_policy() && engine_.facts_version() > 0 && (facts_source_ == nullptr || !facts_source_->stale());
}

bool Service::deny_if_stale(Decision& d, std::string_view request_id) const {
  if (facts_source_ == nullptr || !facts_source_->deny_if_stale(d)) return false;
  d.request_id.assign(request_id);
  return true;
}

Gauges Service::gauges() const {
  Gauges g;
  g.policy_loaded = engine_.has_policy();
  g.policy_fingerprint = engine_.policy_fingerprint();
  g.facts_version = engine_.facts_version();
  g.ready = ready();
  if (facts_source_ != nullptr) {
    const postgres::SourceStatus s = facts_source_->status();
    g.facts_source = true;
    g.facts_source_live = s.state == postgres::SourceState::Live;
    g.facts_staleness_seconds = s.staleness_seconds;
    g.facts_source_resyncs = s.counters.resyncs;
    g.facts_source_reconnects = s.counters.reconnects;
    g.facts_source_changes = s.counters.changes;
    g.facts_source_failures = s.counters.failures;
    g.facts_source_fact_findings = s.counters.fact_findings;
  }
  if (audit_) {
    const AuditCounters a = audit_->counters();
    g.audit = true;
    g.audit_connected = a.connected;
    g.audit_queue_depth = a.depth;
    g.audit_queue_capacity = a.capacity;
    g.audit_written = a.written;
    g.audit_dropped = a.dropped;
    g.audit_rejected = a.rejected;
    g.audit_batches = a.batches;
    g.audit_failures = a.failures;
    g.audit_reconnects = a.reconnects;
  }
  const auto c = log_.counters();
  g.log_queue_depth = c.depth;
  g.log_queue_capacity = log_.enabled() ? c.capacity : 0;
  g.log_written = c.written;
  g.log_dropped = c.dropped;
  g.log_sampled_out = c.sampled_out;
  g.log_rotations = c.rotations;
  g.log_write_errors = c.write_errors;
  return g;
}

void Service::record(const Decision& d, const DecisionContext& context, DecisionEndpoint endpoint,
                     std::size_t worker) {
  metrics_.count_decision(worker, endpoint, d.outcome, d.code.view(), context.latency);
  // The audit trail takes every decision; the decision log may sample allows.
  // The JSON record is formatted once for both.
  const bool logged = log_.sample(d.allowed());
  if (!audit_ && !logged) return;
  std::string line;
  line.reserve(1024);
  append_decision_record(line, d, context, mask_);
  if (audit_) {
    std::string row;
    row.reserve(line.size() + 512);
    append_audit_row(row, d, context, mask_, audit_->options().resource_type, line);
    audit_->submit(row);
  }
  if (logged) log_.submit(line);
}

// Helpers shared by the endpoint files (endpoints.hpp).

std::string_view header(const HttpRequest& req, std::string_view name) {
  if (name.empty()) return {};
  const auto it = req.find(boost::beast::string_view(name.data(), name.size()));
  if (it == req.end()) return {};
  const auto v = it->value();
  return {v.data(), v.size()};
}

std::string request_id_for(const Exchange& x) {
  const std::string_view given = header(x.req, x.service.options().request_id_header);
  if (!given.empty() && given.size() <= 128) return std::string(given);
  return new_request_id();
}

void refuse(const Exchange& x, unsigned status, std::string_view code, std::string message, std::string hint) {
  x.service.metrics().count_error(x.peer.worker, code, status);
  set_error(x.res, status, {code, std::move(message), std::move(hint), {}, request_id_for(x)});
}

DecisionContext decision_context(const Exchange& x, const Request& r, std::string_view endpoint,
                                 std::chrono::steady_clock::time_point start) {
  DecisionContext c;
  c.endpoint = endpoint;
  c.request = &r;
  c.user_agent = header(x.req, "User-Agent");
  c.session_id = header(x.req, x.service.options().session_header);
  c.latency = std::chrono::steady_clock::now() - start;
  c.unix_millis = now_unix_millis();
  return c;
}

}  // namespace warden::server
