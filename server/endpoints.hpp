// The endpoint functions of the decision service, one file per group:
// decide_api.cpp (decisions and list filtering), authz_api.cpp (nginx and
// Envoy), facts_api.cpp (admin fact updates), ops_api.cpp (health,
// readiness, metrics, policy and facts versions).
//
// Internal to server/: Service::handle() routes to these. Each fills `res`
// completely and never throws for bad input.
#pragma once

#include <chrono>
#include <string_view>

#include "server/http_server.hpp"
#include "server/service.hpp"

namespace warden::server {

struct Exchange {
  Service& service;
  const HttpRequest& req;
  const Peer& peer;
  HttpResponse& res;
  std::string_view path;   // the target before `?`
  std::string_view query;  // after `?`, raw
};

void decide_endpoint(const Exchange& x);
void decide_batch_endpoint(const Exchange& x);
void authorized_endpoint(const Exchange& x);

void nginx_authz_endpoint(const Exchange& x);
// `original_target`: the target after the ext_authz path prefix.
void envoy_authz_endpoint(const Exchange& x, std::string_view original_target);

void facts_replace_endpoint(const Exchange& x);
void facts_patch_endpoint(const Exchange& x);
void facts_delete_endpoint(const Exchange& x, std::string_view record_path);
void facts_version_endpoint(const Exchange& x);
void facts_findings_endpoint(const Exchange& x);

void healthz_endpoint(const Exchange& x);
void readyz_endpoint(const Exchange& x);
void metrics_endpoint(const Exchange& x);
void policy_endpoint(const Exchange& x);

// Shared helpers.
// The value of a request header, empty when absent (or when `name` is empty).
std::string_view header(const HttpRequest& req, std::string_view name);
// The request id for an exchange: the configured header's, else a new one.
std::string request_id_for(const Exchange& x);
// What the decision log adds to a decision: endpoint, user agent, session,
// the time since `start`.
DecisionContext decision_context(const Exchange& x, const Request& r, std::string_view endpoint,
                                 std::chrono::steady_clock::time_point start);
// Refuse with a service code (counted).
void refuse(const Exchange& x, unsigned status, std::string_view code, std::string message, std::string hint = {});

}  // namespace warden::server
