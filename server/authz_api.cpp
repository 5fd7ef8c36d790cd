// Gateway integrations: nginx `auth_request` (/v1/authz) and Envoy's
// `ext_authz` HTTP service (/v1/envoy/authz/…), see service.hpp.
//
// Both turn the original request's method, target and headers into a
// warden::Request that the policy's endpoints resolve, and answer with the
// status a gateway acts on:
//   200  allowed (also a monitor-mode would-deny); the X-Warden-* headers
//        go upstream (who the caller is, which rule allowed)
//   401  no credentials, or an API key that is unknown, revoked or expired
//   403  denied; the body is the JSON error shape, naming what is missing
// The decision is also in X-Warden-Decision / -Code / -Rule / -Required,
// and a deny's body is repeated in X-Warden-Error, because nginx's
// auth_request passes the subrequest's headers, not its body, to the
// `error_page` that answers the client.
//
// nginx sends the original request as X-Original-Method and X-Original-URI
// (docs/server.md has the configuration). Envoy calls with the original
// method and with the original path appended to the configured
// path_prefix, forwarding the headers it is allowed to; it passes 200 on,
// and any other status, with its headers and body, back to the client.
#include <boost/beast/core/string.hpp>
#include <chrono>

#include "server/endpoints.hpp"
#include "server/responses.hpp"
#include "support/literals.hpp"
#include "warden/request_json.hpp"

namespace warden::server {
namespace beast = boost::beast;
namespace {

using Clock = std::chrono::steady_clock;

// Headers that carry credentials: used to find the key, never copied into
// the request the policy (and a trace) sees.
bool is_secret(std::string_view name) {
  return beast::iequals(name, "authorization") || beast::iequals(name, "cookie") ||
         beast::iequals(name, "proxy-authorization");
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// `Authorization: Bearer KEY`, else the configured key header.
std::string_view api_key(const Exchange& x) {
  const std::string_view auth = trim(header(x.req, "Authorization"));
  if (auth.size() > 7 && beast::iequals(auth.substr(0, 7), "bearer ")) return trim(auth.substr(7));
  return trim(header(x.req, x.service.options().key_header));
}

bool valid_ip(std::string_view text) { return !text.empty() && parse_ip(text).error.empty(); }

// The peer of the original request: the address the enforcement point saw
// it come from (nginx's `X-Real-IP $remote_addr`, the configured header),
// else our own connection's peer. The runtime takes the client address from
// it and the forwarded headers as the policy's `http` block says (its
// trusted proxies, the rightmost untrusted hop), so a client that sends
// X-Forwarded-For itself cannot choose its address (docs/decisions.md).
std::string_view peer_address(const Exchange& x) {
  const std::string_view configured = trim(header(x.req, x.service.options().client_ip_header));
  if (valid_ip(configured)) return configured;
  return x.peer.address;
}

bool authentication_failed(const Decision& d, const Request& r) {
  if (r.api_key.empty() && r.principal_id.empty()) return true;
  const std::string_view code = d.code.view();
  return code == "UNAUTHENTICATED" || code == "KEY_UNKNOWN" || code == "KEY_REVOKED" || code == "KEY_EXPIRED";
}

std::string rule_names(const Decision& d) {
  std::string out;
  for (std::uint8_t i = 0; i < d.rule_count && i < Decision::kMaxRules; ++i) {
    if (!out.empty()) out += ", ";
    out += d.rules[i].name.view();
  }
  return out;
}

void decide_gateway(const Exchange& x, std::string_view method, std::string_view target, DecisionEndpoint endpoint,
                    std::string_view endpoint_name) {
  const auto start = Clock::now();
  thread_local OwnedRequest owned;
  thread_local Decision d;
  owned.clear();
  Request& q = owned.request;
  const std::string request_id = request_id_for(x);
  const char* reason = nullptr;
  if (!set_target(target, owned, reason)) {
    return refuse(x, 400, "S0103", "invalid original target `" + std::string(target) + "`: " + reason);
  }
  q.method = owned.keep(method);
  q.request_id = owned.keep(request_id);
  q.api_key = owned.keep(api_key(x));
  q.peer_address = owned.keep(peer_address(x));
  if (const std::string_view tenant = trim(header(x.req, x.service.options().tenant_header)); !tenant.empty()) {
    q.tenant = owned.keep(tenant);
  }
  for (const auto& field : x.req) {
    if (!is_secret(field.name_string())) owned.add_header(field.name_string(), field.value());
  }
  if (!x.service.deny_if_stale(d, q.request_id)) x.service.engine().decide(q, d);

  HttpResponse& res = x.res;
  res.set("X-Request-ID", header_safe(request_id));
  res.set("X-Warden-Decision", outcome_name(d.outcome));
  res.set("X-Warden-Code", header_safe(d.code.view()));
  if (const std::string rules = rule_names(d); !rules.empty()) res.set("X-Warden-Rule", header_safe(rules));
  if (!d.required.empty()) res.set("X-Warden-Required", header_safe(d.required.view()));
  if (d.allowed()) {
    if (!d.principal_id.empty()) res.set("X-Warden-User", header_safe(d.principal_id.view()));
    if (!d.tenant.empty()) res.set("X-Warden-Tenant", header_safe(d.tenant.view()));
    set_json(res, 200, "{\"allowed\":true,\"code\":\"" + header_safe(d.code.view()) + "\"}");
  } else {
    const unsigned status = authentication_failed(d, q) ? 401 : 403;
    const std::string body = error_json({d.code.view(), std::string(d.message.view()), std::string(d.hint.view()),
                                         std::string(d.required.view()), request_id});
    res.set("X-Warden-Error", header_safe(body));
    if (status == 401) res.set(http::field::www_authenticate, "Bearer realm=\"warden\"");
    set_json(res, status, body);
  }
  x.service.record(d, decision_context(x, q, endpoint_name, start), endpoint, x.peer.worker);
}

}  // namespace

void nginx_authz_endpoint(const Exchange& x) {
  const std::string_view uri = header(x.req, "X-Original-URI");
  if (uri.empty()) {
    return refuse(x, 400, "S0112", "missing header `X-Original-URI`",
                  "nginx: proxy_set_header X-Original-URI $request_uri; (docs/server.md)");
  }
  std::string_view method = trim(header(x.req, "X-Original-Method"));
  if (method.empty()) method = x.req.method_string();
  decide_gateway(x, method, uri, DecisionEndpoint::Authz, "authz");
}

void envoy_authz_endpoint(const Exchange& x, std::string_view original_target) {
  decide_gateway(x, x.req.method_string(), original_target, DecisionEndpoint::ExtAuthz, "ext_authz");
}

}  // namespace warden::server
