// Prometheus text rendering of the service's counters (see metrics.hpp).
#include "server/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>

#include "warden/explain.hpp"

namespace warden::server {
namespace {

void line(std::string& out, std::string_view text) {
  out.append(text);
  out += '\n';
}

void help(std::string& out, std::string_view name, std::string_view type, std::string_view text) {
  out.append("# HELP ").append(name).append(" ").append(text).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

// A label value, escaped as the exposition format wants (\\, \", \n).
std::string label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void sample(std::string& out, std::string_view name, std::string_view labels, std::uint64_t value) {
  out.append(name);
  if (!labels.empty()) out.append("{").append(labels).append("}");
  out.append(" ").append(std::to_string(value)).append("\n");
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

}  // namespace

const char* endpoint_label(DecisionEndpoint e) {
  switch (e) {
    case DecisionEndpoint::Decide: return "decide";
    case DecisionEndpoint::Batch: return "decide_batch";
    case DecisionEndpoint::Authorized: return "authorized";
    case DecisionEndpoint::Authz: return "authz";
    case DecisionEndpoint::ExtAuthz: return "ext_authz";
  }
  return "decide";
}

Metrics::Metrics(std::size_t shards) {
  for (std::size_t i = 0; i < std::max<std::size_t>(shards, 1); ++i) shards_.push_back(std::make_unique<Shard>());
}

void Metrics::count_decision(std::size_t shard, DecisionEndpoint endpoint, Outcome outcome, std::string_view code,
                             std::chrono::nanoseconds latency) {
  Shard& s = *shards_[shard % shards_.size()];
  const double seconds = std::chrono::duration<double>(latency).count();
  const std::lock_guard lock(s.mutex);
  auto it = std::find_if(s.decisions.begin(), s.decisions.end(), [&](const CodeCount& c) {
    return c.endpoint == endpoint && c.outcome == outcome && c.code == code;
  });
  if (it == s.decisions.end()) {
    s.decisions.push_back({endpoint, outcome, std::string(code), 1});
  } else {
    ++it->count;
  }
  Histogram& h = s.latency[static_cast<std::size_t>(endpoint)];
  std::size_t b = 0;
  while (b < kLatencyBuckets.size() && seconds > kLatencyBuckets[b]) ++b;
  ++h.buckets[b];
  ++h.count;
  h.sum_seconds += seconds;
}

void Metrics::count_error(std::size_t shard, std::string_view code, unsigned status) {
  Shard& s = *shards_[shard % shards_.size()];
  const std::lock_guard lock(s.mutex);
  auto it = std::find_if(s.errors.begin(), s.errors.end(),
                         [&](const ErrorCount& c) { return c.code == code && c.status == status; });
  if (it == s.errors.end()) {
    s.errors.push_back({std::string(code), status, 1});
  } else {
    ++it->count;
  }
}

void Metrics::count_reload(std::string_view target, bool ok) {
  auto& counter = target == "policy" ? (ok ? policy_reloads_ok_ : policy_reloads_failed_)
                                     : (ok ? facts_reloads_ok_ : facts_reloads_failed_);
  counter.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::count_fact_update(bool ok) {
  (ok ? fact_updates_ok_ : fact_updates_failed_).fetch_add(1, std::memory_order_relaxed);
}

std::string Metrics::render(const Gauges& g) const {
  // Sum the shards (ordered maps: the output is stable between scrapes).
  std::map<std::tuple<std::string, std::string, std::string>, std::uint64_t> decisions;
  std::map<std::pair<std::string, unsigned>, std::uint64_t> errors;
  std::array<Histogram, kDecisionEndpoints> latency{};
  for (const auto& shard : shards_) {
    const std::lock_guard lock(shard->mutex);
    for (const auto& c : shard->decisions) {
      decisions[{endpoint_label(c.endpoint), outcome_name(c.outcome), c.code}] += c.count;
    }
    for (const auto& e : shard->errors) errors[{e.code, e.status}] += e.count;
    for (std::size_t i = 0; i < kDecisionEndpoints; ++i) {
      for (std::size_t b = 0; b < latency[i].buckets.size(); ++b) latency[i].buckets[b] += shard->latency[i].buckets[b];
      latency[i].count += shard->latency[i].count;
      latency[i].sum_seconds += shard->latency[i].sum_seconds;
    }
  }

  std::string out;
  help(out, "warden_decisions_total", "counter", "Decisions made, by endpoint, outcome and code.");
  for (const auto& [key, count] : decisions) {
    const auto& [endpoint, outcome, code] = key;
    sample(out, "warden_decisions_total",
           "endpoint=\"" + endpoint + "\",outcome=\"" + outcome + "\",code=\"" + label(code) + "\"", count);
  }
  help(out, "warden_decision_duration_seconds", "histogram",
       "Time from a request's last byte to its response, by endpoint.");
  for (std::size_t i = 0; i < kDecisionEndpoints; ++i) {
    const Histogram& h = latency[i];
    if (h.count == 0) continue;
    const std::string ep = std::string("endpoint=\"") + endpoint_label(static_cast<DecisionEndpoint>(i)) + "\"";
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < h.buckets.size(); ++b) {
      cumulative += h.buckets[b];
      const std::string le = b < kLatencyBuckets.size() ? number(kLatencyBuckets[b]) : "+Inf";
      sample(out, "warden_decision_duration_seconds_bucket", ep + ",le=\"" + le + "\"", cumulative);
    }
    line(out, "warden_decision_duration_seconds_sum{" + ep + "} " + number(h.sum_seconds));
    sample(out, "warden_decision_duration_seconds_count", ep, h.count);
  }
  help(out, "warden_http_errors_total", "counter", "Requests refused, by stable code and HTTP status.");
  for (const auto& [key, count] : errors) {
    sample(out, "warden_http_errors_total", "code=\"" + label(key.first) + "\",status=\"" + std::to_string(key.second) + "\"",
           count);
  }
  help(out, "warden_reloads_total", "counter", "Policy and facts reloads (files, SIGHUP), by target and result.");
  sample(out, "warden_reloads_total", "target=\"policy\",result=\"ok\"", policy_reloads_ok_.load(std::memory_order_relaxed));
  sample(out, "warden_reloads_total", "target=\"policy\",result=\"failed\"", policy_reloads_failed_.load(std::memory_order_relaxed));
  sample(out, "warden_reloads_total", "target=\"facts\",result=\"ok\"", facts_reloads_ok_.load(std::memory_order_relaxed));
  sample(out, "warden_reloads_total", "target=\"facts\",result=\"failed\"", facts_reloads_failed_.load(std::memory_order_relaxed));
  help(out, "warden_fact_updates_total", "counter", "Fact updates through the admin API, by result.");
  sample(out, "warden_fact_updates_total", "result=\"ok\"", fact_updates_ok_.load(std::memory_order_relaxed));
  sample(out, "warden_fact_updates_total", "result=\"failed\"", fact_updates_failed_.load(std::memory_order_relaxed));
  help(out, "warden_decision_log_queue_depth", "gauge", "Decision-log records waiting to be written.");
  sample(out, "warden_decision_log_queue_depth", "", g.log_queue_depth);
  help(out, "warden_decision_log_queue_capacity", "gauge", "Decision-log records that may wait before drops.");
  sample(out, "warden_decision_log_queue_capacity", "", g.log_queue_capacity);
  help(out, "warden_decision_log_records_total", "counter", "Decision-log records, by fate.");
  sample(out, "warden_decision_log_records_total", "result=\"written\"", g.log_written);
  sample(out, "warden_decision_log_records_total", "result=\"dropped\"", g.log_dropped);
  sample(out, "warden_decision_log_records_total", "result=\"sampled_out\"", g.log_sampled_out);
  help(out, "warden_decision_log_rotations_total", "counter", "Decision-log files rotated or reopened.");
  sample(out, "warden_decision_log_rotations_total", "", g.log_rotations);
  help(out, "warden_decision_log_write_errors_total", "counter", "Failed writes to the decision log.");
  sample(out, "warden_decision_log_write_errors_total", "", g.log_write_errors);
  help(out, "warden_connections_open", "gauge", "Open HTTP connections.");
  sample(out, "warden_connections_open", "", connections_open_.load(std::memory_order_relaxed));
  help(out, "warden_connections_total", "counter", "HTTP connections accepted.");
  sample(out, "warden_connections_total", "", connections_total_.load(std::memory_order_relaxed));
  help(out, "warden_connections_refused_total", "counter", "Connections refused over the connection limit.");
  sample(out, "warden_connections_refused_total", "", connections_refused_.load(std::memory_order_relaxed));
  help(out, "warden_facts_version", "gauge", "Version of the facts in service.");
  sample(out, "warden_facts_version", "", g.facts_version);
  help(out, "warden_ready", "gauge", "1 when a policy and facts are loaded.");
  sample(out, "warden_ready", "", g.ready ? 1 : 0);
  if (g.facts_source) {
    help(out, "warden_facts_source_live", "gauge", "1 when the PostgreSQL fact source is following the database.");
    sample(out, "warden_facts_source_live", "", g.facts_source_live ? 1 : 0);
    help(out, "warden_facts_staleness_seconds", "gauge",
         "Seconds since the PostgreSQL fact source last knew its facts were up to date.");
    out.append("warden_facts_staleness_seconds ")
        .append(std::isinf(g.facts_staleness_seconds) ? std::string("+Inf") : number(g.facts_staleness_seconds))
        .append("\n");
    help(out, "warden_facts_source_resyncs_total", "counter", "Full reloads after the first (reconnects, overflows).");
    sample(out, "warden_facts_source_resyncs_total", "", g.facts_source_resyncs);
    help(out, "warden_facts_source_reconnects_total", "counter", "Connections to the database made again.");
    sample(out, "warden_facts_source_reconnects_total", "", g.facts_source_reconnects);
    help(out, "warden_facts_source_changes_total", "counter", "Fact changes applied from the database.");
    sample(out, "warden_facts_source_changes_total", "", g.facts_source_changes);
    help(out, "warden_facts_source_failures_total", "counter", "Loads, refreshes or updates that failed.");
    sample(out, "warden_facts_source_failures_total", "", g.facts_source_failures);
    help(out, "warden_facts_source_fact_findings_total", "counter",
         "Names in rows' facts that the policy in service does not declare (F04xx), loaded with warnings or refused.");
    sample(out, "warden_facts_source_fact_findings_total", "", g.facts_source_fact_findings);
  }
  if (g.audit) {
    help(out, "warden_audit_connected", "gauge", "1 while the audit sink holds a connection to its database.");
    sample(out, "warden_audit_connected", "", g.audit_connected ? 1 : 0);
    help(out, "warden_audit_queue_depth", "gauge", "Audit rows waiting to be written.");
    sample(out, "warden_audit_queue_depth", "", g.audit_queue_depth);
    help(out, "warden_audit_queue_capacity", "gauge", "Audit rows that may wait before drops.");
    sample(out, "warden_audit_queue_capacity", "", g.audit_queue_capacity);
    help(out, "warden_audit_rows_total", "counter", "Audit rows, by fate.");
    sample(out, "warden_audit_rows_total", "result=\"written\"", g.audit_written);
    sample(out, "warden_audit_rows_total", "result=\"dropped\"", g.audit_dropped);
    sample(out, "warden_audit_rows_total", "result=\"rejected\"", g.audit_rejected);
    help(out, "warden_audit_batches_total", "counter", "COPY statements sent by the audit sink, by result.");
    sample(out, "warden_audit_batches_total", "result=\"ok\"", g.audit_batches);
    sample(out, "warden_audit_batches_total", "result=\"failed\"", g.audit_failures);
    help(out, "warden_audit_reconnects_total", "counter", "Connections to the audit database made again.");
    sample(out, "warden_audit_reconnects_total", "", g.audit_reconnects);
  }
  help(out, "warden_policy_info", "gauge", "The policy in service, by fingerprint.");
  sample(out, "warden_policy_info",
         "fingerprint=\"" + (g.policy_loaded ? fingerprint_hex(g.policy_fingerprint) : std::string("none")) + "\"",
         1);
  return out;
}

}  // namespace warden::server
