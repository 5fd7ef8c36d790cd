// The decision service: what each HTTP endpoint of `warden serve` means.
//
// Pipeline position: server/, the Handler under http_server.hpp, over one
// shared warden::Engine. A thin front end: requests are read by the
// runtime's JSON readers (warden/request_json.hpp, warden/facts_json.hpp),
// decisions are made by the Engine and rendered by warden/explain.hpp; this
// layer maps HTTP to them and back, counts, and logs.
//
//   POST /v1/decide            one request → one decision (?explain=full: with the trace)
//   POST /v1/decide/batch      {"requests":[…]} → {"decisions":[…]}
//   POST /v1/authorized        list filtering: the ids of a type the caller may act on
//   ANY  /v1/authz             nginx auth_request (X-Original-Method, X-Original-URI)
//   ANY  /v1/envoy/authz/…     Envoy ext_authz, HTTP service (path_prefix)
//   PUT|PATCH /v1/facts, DELETE /v1/facts/{grants,keys,entities}/…   admin
//   GET  /v1/policy, /v1/facts/version, /healthz, /readyz, /metrics
//
// Threads: handle() runs on every worker at once. The Engine is lock-free
// for readers; metrics are sharded by worker; the decision log is a
// lock-free queue; per-thread scratch (a parsed request, a Decision) is
// thread_local, so a decision allocates only its response.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "server/decision_log.hpp"
#include "server/decision_record.hpp"
#include "server/http_server.hpp"
#include "server/metrics.hpp"
#include "server/options.hpp"
#include "server/policy_source.hpp"
#include "server/service_log.hpp"
#include "postgres/source.hpp"
#include "warden/engine.hpp"
#include "warden/watcher.hpp"

namespace warden::server {

class Service final : public Handler {
 public:
  Service(Engine& engine, const ServeOptions& options, Metrics& metrics, DecisionLog& log, ServiceLog& service_log,
          std::shared_ptr<PolicyInfoCell> policy_info);

  void set_admin_token(std::string token) { admin_token_ = std::move(token); }
  // Facts that follow a PostgreSQL database (serve.cpp owns the source):
  // readiness, metrics and the facts version endpoint report its state, and
  // every decision is first offered to its deny_if_stale().
  void set_facts_source(const postgres::PostgresFactSource* source) { facts_source_ = source; }
  const postgres::PostgresFactSource* facts_source() const { return facts_source_; }
  // Fail closed on facts older than `--facts-max-staleness`: `d` becomes a
  // FACTS_STALE deny (with `request_id` kept) and the caller skips decide().
  bool deny_if_stale(Decision& d, std::string_view request_id) const;

  void handle(const HttpRequest& req, const Peer& peer, HttpResponse& res) noexcept override;
  void refuse(unsigned status, std::string_view code, std::string_view detail, const Peer& peer,
              HttpResponse& res) noexcept override;
  void connection_event(bool opened, bool refused) noexcept override;

  // A reload report (file watcher or SIGHUP): counted and logged.
  void on_reload(const ReloadReport& report);

  bool ready() const;
  Gauges gauges() const;

  // Used by the endpoint files (decide_api.cpp, authz_api.cpp, …).
  Engine& engine() { return engine_; }
  const ServeOptions& options() const { return options_; }
  Metrics& metrics() { return metrics_; }
  ServiceLog& service_log() { return service_log_; }
  const std::string& admin_token() const { return admin_token_; }
  PolicyInfo policy_info() const { return policy_info_->get(); }
  std::int64_t facts_loaded_at_ms() const { return facts_loaded_at_ms_.load(std::memory_order_relaxed); }
  void facts_changed() { facts_loaded_at_ms_.store(now_unix_millis(), std::memory_order_relaxed); }

  // Count a decision and, if sampled, log it.
  void record(const Decision& d, const DecisionContext& context, DecisionEndpoint endpoint, std::size_t worker);

 private:
  Engine& engine_;
  const ServeOptions& options_;
  Metrics& metrics_;
  DecisionLog& log_;
  ServiceLog& service_log_;
  std::shared_ptr<PolicyInfoCell> policy_info_;
  FieldMask mask_;
  std::string admin_token_;
  const postgres::PostgresFactSource* facts_source_ = nullptr;
  std::atomic<std::int64_t> facts_loaded_at_ms_{0};
};

}  // namespace warden::server
