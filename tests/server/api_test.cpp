// `warden serve`'s decision API, gateway integrations and error shape,
// end to end over HTTP on loopback (in process, gateway policy, demo facts).
#include <catch2/catch.hpp>

#include "support/json.hpp"
#include "tests/server/server_fixture.hpp"

namespace warden::test {
namespace {

const std::string kRegister = "/api/2.0/mlflow/registered-models/create";

std::string decide_body(const std::string& key, const std::string& method, const std::string& path,
                        const std::string& extra = {}) {
  return "{\"api_key\":\"" + key + "\",\"method\":\"" + method + "\",\"path\":\"" + path +
         "\",\"headers\":{\"X-Tenant-ID\":\"acme\"}" + extra + "}";
}

json::Value parse(const std::string& text) {
  auto r = json::parse(text);
  INFO(text);
  REQUIRE(r.ok());
  return *r.value;
}

std::string str(const json::Value& v, std::string_view key) {
  const json::Value* m = v.find(key);
  return m && m->is_string() ? m->as_string() : std::string("<missing>");
}

}  // namespace

TEST_CASE("POST /v1/decide answers with the decision and its explanation", "[server]") {
  ServerFixture f;
  auto c = f.client();
  auto denied = c.post("/v1/decide", decide_body("k-read", "POST", kRegister), {{"X-Request-ID", "rid-1"}});
  CHECK(denied.result_int() == 200);
  auto d = parse(denied.body());
  CHECK(str(d, "outcome") == "deny");
  CHECK(str(d, "code") == "SCOPE_MISSING");
  CHECK(str(d, "message").find("`model:write`") != std::string::npos);
  CHECK(str(d, "request_id") == "rid-1");
  CHECK(denied["X-Request-ID"] == "rid-1");
  CHECK(d.find("trace") == nullptr);

  // Same connection (keep-alive), explanation with the full trace.
  auto allowed = c.post("/v1/decide?explain=full", decide_body("k-write", "POST", kRegister));
  auto a = parse(allowed.body());
  CHECK(str(a, "outcome") == "allow");
  CHECK(a.find("rules")->items().size() >= 1);
  REQUIRE(a.find("trace") != nullptr);
  CHECK(!a.find("trace")->items().empty());
  // No request id given: one is made up and returned.
  CHECK(str(a, "request_id").size() == 16);

  // An action on a resource.
  auto action = parse(c.post("/v1/decide", "{\"api_key\":\"k-read\",\"action\":\"read\",\"resource\":{\"type\":\"model\",\"id\":\"churn\"}}").body());
  CHECK(str(action, "outcome") == "allow");
  CHECK(str(action, "resource_id") == "churn");
}

TEST_CASE("bad request bodies get 400 with a stable code and a place", "[server]") {
  ServerFixture f([](server::ServeOptions& o, const fs::path&) { o.limits.max_json_depth = 8; });
  auto c = f.client();
  auto malformed = c.post("/v1/decide", "{\"api_key\": \"k\",,}", {{"X-Request-ID", "bad-1"}});
  CHECK(malformed.result_int() == 400);
  auto e = parse(malformed.body());
  CHECK(str(e, "code") == "F0201");
  CHECK(str(e, "request_id") == "bad-1");
  CHECK(e.find("line")->as_int() == 1);
  CHECK(e.find("column")->as_int() > 1);
  for (const char* key : {"code", "message", "hint", "required", "request_id"}) CHECK(e.find(key) != nullptr);

  auto unknown = parse(c.post("/v1/decide", "{\"api_key\":\"k-read\",\"methd\":\"GET\",\"path\":\"/\"}").body());
  CHECK(str(unknown, "code") == "F0204");
  CHECK(str(unknown, "message").find("`methd`") != std::string::npos);

  std::string deep = "{\"api_key\":\"k\",\"action\":\"read\",\"resource\":{\"type\":\"model\",\"attributes\":{\"a\":";
  for (int i = 0; i < 20; ++i) deep += "[";
  for (int i = 0; i < 20; ++i) deep += "]";
  deep += "}}}";
  auto too_deep = c.post("/v1/decide", deep);
  CHECK(too_deep.result_int() == 400);
  CHECK(str(parse(too_deep.body()), "code") == "F0201");

  auto wrong_type = parse(c.post("/v1/decide", "[1,2]").body());
  CHECK(str(wrong_type, "code") == "F0203");

  auto bad_query = c.post("/v1/decide?explain=everything", decide_body("k-read", "GET", "/api/models"));
  CHECK(bad_query.result_int() == 400);
  CHECK(str(parse(bad_query.body()), "code") == "S0103");
}

TEST_CASE("unknown endpoints and methods are refused with S0105 and S0106", "[server]") {
  ServerFixture f;
  auto c = f.client();
  auto missing = c.get("/v2/decide");
  CHECK(missing.result_int() == 404);
  CHECK(str(parse(missing.body()), "code") == "S0105");
  auto method = c.get("/v1/decide");
  CHECK(method.result_int() == 405);
  CHECK(str(parse(method.body()), "code") == "S0106");
  CHECK(method[http::field::allow] == "POST");
}

TEST_CASE("POST /v1/decide/batch decides every request and reports bad ones in place", "[server]") {
  ServerFixture f([](server::ServeOptions& o, const fs::path&) { o.limits.max_batch = 3; });
  auto c = f.client();
  const std::string body = "{\"requests\":[" + decide_body("k-read", "POST", kRegister) + "," +
                           decide_body("k-write", "POST", kRegister) + ",{\"api_key\":\"k\",\"bogus\":1}]}";
  auto res = c.post("/v1/decide/batch", body, {{"X-Request-ID", "batch-7"}});
  REQUIRE(res.result_int() == 200);
  auto b = parse(res.body());
  const auto& items = b.find("decisions")->items();
  REQUIRE(items.size() == 3);
  CHECK(str(items[0], "code") == "SCOPE_MISSING");
  CHECK(str(items[0], "request_id") == "batch-7/0");
  CHECK(str(items[1], "outcome") == "allow");
  CHECK(str(*items[2].find("error"), "code") == "F0204");

  auto too_many = c.post("/v1/decide/batch", "{\"requests\":[{},{},{},{}]}");
  CHECK(too_many.result_int() == 413);
  CHECK(str(parse(too_many.body()), "code") == "S0110");
  CHECK(str(parse(c.post("/v1/decide/batch", "{\"reqs\":[]}").body()), "code") == "F0204");
}

TEST_CASE("POST /v1/authorized lists the resources the caller may act on", "[server]") {
  ServerFixture f;
  auto c = f.client();
  auto res = c.post("/v1/authorized", "{\"api_key\":\"k-read\",\"headers\":{\"X-Tenant-ID\":\"acme\"},"
                                      "\"action\":\"read\",\"resource\":{\"type\":\"model\"}}");
  REQUIRE(res.result_int() == 200);
  auto r = parse(res.body());
  std::vector<std::string> ids;
  for (const auto& id : r.find("ids")->items()) ids.push_back(id.as_string());
  // acme's models only: tenant isolation holds for list filtering too.
  CHECK(ids == std::vector<std::string>{"churn", "fraud-detector"});
  auto bad = c.post("/v1/authorized", "{\"api_key\":\"k-read\",\"action\":\"read\",\"resource\":{\"type\":\"model\",\"id\":\"churn\"}}");
  CHECK(bad.result_int() == 400);
  CHECK(str(parse(bad.body()), "code") == "S0111");
}

TEST_CASE("/v1/authz answers nginx auth_request with 200, 401 or 403 and the error shape", "[server]") {
  ServerFixture f;
  auto c = f.client();
  const Headers base = {{"X-Original-Method", "POST"}, {"X-Original-URI", kRegister}, {"X-Tenant-ID", "acme"},
                        {"X-Request-ID", "ng-1"}};
  auto with = [&](Headers h, const std::string& auth) {
    if (!auth.empty()) h.emplace_back("Authorization", auth);
    return h;
  };
  auto denied = c.get("/v1/authz", with(base, "Bearer k-read"));
  CHECK(denied.result_int() == 403);
  CHECK(denied["X-Warden-Code"] == "SCOPE_MISSING");
  CHECK(std::string(denied["X-Warden-Required"]).find("model:write") != std::string::npos);
  CHECK(denied["X-Warden-Decision"] == "deny");
  auto body = parse(denied.body());
  CHECK(str(body, "code") == "SCOPE_MISSING");
  CHECK(str(body, "message").find("`model:write`") != std::string::npos);
  CHECK(str(body, "request_id") == "ng-1");
  CHECK(!str(body, "hint").empty());
  CHECK(std::string(denied["X-Warden-Error"]) == denied.body());

  auto allowed = c.get("/v1/authz", with(base, "Bearer k-write"));
  CHECK(allowed.result_int() == 200);
  CHECK(allowed["X-Warden-User"] == "bob");
  CHECK(allowed["X-Warden-Rule"] == "model_writers");
  CHECK(allowed["X-Request-ID"] == "ng-1");

  auto anonymous = c.get("/v1/authz", base);
  CHECK(anonymous.result_int() == 401);
  CHECK(std::string(anonymous[http::field::www_authenticate]).find("Bearer") == 0);
  auto revoked = c.get("/v1/authz", with(base, "Bearer k-revoked"));
  CHECK(revoked.result_int() == 401);
  CHECK(revoked["X-Warden-Code"] == "KEY_REVOKED");

  // A public endpoint needs no key; the original query string is read.
  CHECK(c.get("/v1/authz", {{"X-Original-Method", "GET"}, {"X-Original-URI", "/health"}}).result_int() == 200);
  auto by_query = c.get("/v1/authz", with({{"X-Original-Method", "GET"},
                                           {"X-Original-URI", "/api/2.0/mlflow/registered-models/get?name=globex-ranker"},
                                           {"X-Tenant-ID", "acme"}}, "Bearer k-read"));
  CHECK(by_query.result_int() == 403);
  CHECK(by_query["X-Warden-Code"] == "TENANT_MISMATCH");

  auto no_uri = c.get("/v1/authz", {{"X-Original-Method", "GET"}});
  CHECK(no_uri.result_int() == 400);
  CHECK(str(parse(no_uri.body()), "code") == "S0112");
}

TEST_CASE("isolation holds on an endpoint that only requires scopes, through every API", "[server]") {
  // alice (tenant acme) holds model:read, which is all the artifact download
  // requires: naming tenant globex must not take her key there.
  ServerFixture f;
  auto c = f.client();
  const std::string artifact = "/api/2.0/mlflow-artifacts/artifacts/models/churn/model.pkl";
  auto authz = [&](const std::string& tenant) {
    return c.get("/v1/authz", {{"X-Original-Method", "GET"}, {"X-Original-URI", artifact}, {"X-Tenant-ID", tenant},
                               {"Authorization", "Bearer k-read"}});
  };
  auto cross = authz("globex");
  CHECK(cross.result_int() == 403);
  CHECK(cross["X-Warden-Code"] == "TENANT_MISMATCH");
  CHECK(str(parse(cross.body()), "message").find("tenant `globex` may not reach tenant `acme`") != std::string::npos);
  CHECK(authz("acme").result_int() == 200);

  auto decide = [&](const std::string& tenant) {
    return parse(c.post("/v1/decide", "{\"api_key\":\"k-read\",\"method\":\"GET\",\"path\":\"" + artifact +
                                          "\",\"headers\":{\"X-Tenant-ID\":\"" + tenant + "\"}}")
                     .body());
  };
  const json::Value denied = decide("globex");
  CHECK(str(denied, "outcome") == "deny");
  CHECK(str(denied, "code") == "TENANT_MISMATCH");
  CHECK(str(denied, "tenant") == "globex");
  CHECK(str(decide("acme"), "outcome") == "allow");
}

TEST_CASE("a configured key header carries the API key", "[server]") {
  ServerFixture f([](server::ServeOptions& o, const fs::path&) { o.key_header = "X-API-Key"; });
  auto c = f.client();
  auto res = c.get("/v1/authz", {{"X-Original-Method", "POST"}, {"X-Original-URI", kRegister},
                                 {"X-Tenant-ID", "acme"}, {"X-API-Key", "k-write"}});
  CHECK(res.result_int() == 200);
}

// Envoy's ext_authz HTTP service: Envoy calls path_prefix + the original
// path with the original method, the allowed headers (authorization, the
// x-request-id it generated, x-forwarded-for) and an empty body; 200 lets
// the request through with the allowed upstream headers, anything else is
// returned to the client with its headers and body.
TEST_CASE("/v1/envoy/authz speaks Envoy's ext_authz HTTP service contract", "[server]") {
  ServerFixture f;
  auto c = f.client();
  auto envoy = [&](http::verb method, const std::string& path, const std::string& key) {
    Headers h = {{"x-request-id", "8c2f-envoy"}, {"x-forwarded-for", "10.1.2.3"}, {"x-tenant-id", "acme"},
                 {"x-envoy-internal", "true"}, {"content-length", "0"}};
    if (!key.empty()) h.emplace_back("authorization", "Bearer " + key);
    return c.request(method, "/v1/envoy/authz" + path, {}, h);
  };
  auto denied = envoy(http::verb::post, kRegister, "k-read");
  CHECK(denied.result_int() == 403);
  CHECK(str(parse(denied.body()), "code") == "SCOPE_MISSING");
  CHECK(denied[http::field::content_type] == "application/json");
  auto allowed = envoy(http::verb::post, kRegister, "k-write");
  CHECK(allowed.result_int() == 200);
  CHECK(allowed["x-warden-user"] == "bob");
  CHECK(allowed["x-request-id"] == "8c2f-envoy");
  auto with_query = envoy(http::verb::get, "/api/2.0/mlflow/registered-models/get?name=churn", "k-read");
  CHECK(with_query.result_int() == 200);
  auto head = envoy(http::verb::head, "/health", "");
  CHECK(head.result_int() == 200);
  CHECK(head.body().empty());
  CHECK(envoy(http::verb::delete_, "/api/2.0/mlflow/registered-models/delete", "").result_int() == 401);
}

// The gateway policy believes X-Forwarded-For only from its load balancers
// (10.0.0.0/8) and lets user management in from 10.0.0.0/8 alone. Through
// nginx the request's peer is X-Real-IP, through Envoy our own connection's
// peer (127.0.0.1, no proxy of the policy's); the client address is the
// rightmost hop not trusted, never what a client claims.
TEST_CASE("the client address behind a proxy follows the policy's trusted proxies", "[server]") {
  ServerFixture f;
  auto c = f.client();
  const std::string kUsers = "/api/2.0/mlflow/users/create";
  auto nginx = [&](const std::string& real_ip, const std::string& forwarded) {
    Headers h = {{"X-Original-Method", "POST"}, {"X-Original-URI", kUsers}, {"X-Tenant-ID", "acme"},
                 {"Authorization", "Bearer k-admin"}, {"X-Real-IP", real_ip}};
    if (!forwarded.empty()) h.emplace_back("X-Forwarded-For", forwarded);
    return c.get("/v1/authz", h);
  };
  auto code = [](const auto& res) { return std::string(res["X-Warden-Code"]); };
  // An office client through the load balancer.
  CHECK(nginx("10.0.0.5", "10.20.30.40").result_int() == 200);
  // An outside client through the load balancer, with or without a claimed
  // office address in front of its own.
  auto outside = nginx("10.0.0.5", "203.0.113.9");
  CHECK(outside.result_int() == 403);
  CHECK(code(outside) == "OFF_NETWORK");
  auto prepended = nginx("10.0.0.5", "10.20.30.40, 203.0.113.9");
  CHECK(prepended.result_int() == 403);
  CHECK(code(prepended) == "OFF_NETWORK");
  // A client that reached nginx directly: its header is not believed.
  auto direct = nginx("203.0.113.9", "10.20.30.40");
  CHECK(direct.result_int() == 403);
  CHECK(code(direct) == "OFF_NETWORK");
  // Envoy forwards the client's X-Forwarded-For; its connection to us is
  // not one of the policy's proxies, so the header decides nothing.
  auto envoy = c.request(http::verb::post, "/v1/envoy/authz" + kUsers, {},
                         {{"x-forwarded-for", "10.20.30.40"}, {"x-tenant-id", "acme"},
                          {"authorization", "Bearer k-admin"}, {"content-length", "0"}});
  CHECK(envoy.result_int() == 403);
  CHECK(code(envoy) == "OFF_NETWORK");
}

TEST_CASE("health, readiness, policy and facts versions", "[server]") {
  ServerFixture f;
  auto c = f.client();
  CHECK(c.get("/healthz").result_int() == 200);
  auto ready = c.get("/readyz");
  CHECK(ready.result_int() == 200);
  CHECK(parse(ready.body()).find("ready")->as_bool());
  auto policy = parse(c.get("/v1/policy").body());
  CHECK(str(policy, "fingerprint").size() == 16);
  CHECK(str(policy, "compiler_version").rfind("warden ", 0) == 0);
  CHECK(str(policy, "kind") == "artifact");
  CHECK(str(policy, "signature") == "unverified");
  CHECK(!str(policy, "loaded_at").empty());
  auto facts = parse(c.get("/v1/facts/version").body());
  CHECK(facts.find("facts_version")->as_int() == 1);
}

TEST_CASE("/readyz is 503 until facts are loaded", "[server]") {
  ServerFixture f([](server::ServeOptions& o, const fs::path&) { o.facts.clear(); });
  auto c = f.client();
  auto ready = c.get("/readyz");
  CHECK(ready.result_int() == 503);
  CHECK(!parse(ready.body()).find("facts")->as_bool());
  auto put = c.request(http::verb::put, "/v1/facts", read_file("fixtures/facts/gateway.jsonl"),
                       {{"Authorization", bearer(kAdminToken)}});
  CHECK(put.result_int() == 200);
  CHECK(c.get("/readyz").result_int() == 200);
}

}  // namespace warden::test
