// The admin API (fact updates), metrics and the decision log of
// `warden serve`.
#include <catch2/catch.hpp>

#include "support/json.hpp"
#include "tests/server/server_fixture.hpp"

namespace warden::test {
namespace {

const std::string kRegister = "/api/2.0/mlflow/registered-models/create";

Headers admin() { return {{"Authorization", bearer(kAdminToken)}}; }

unsigned register_status(HttpClient& c, const std::string& key, const std::string& request_id = "r") {
  return c.get("/v1/authz", {{"X-Original-Method", "POST"}, {"X-Original-URI", kRegister}, {"X-Tenant-ID", "acme"},
                             {"Authorization", "Bearer " + key}, {"X-Request-ID", request_id},
                             {"User-Agent", "mlflow-client/2.9"}, {"X-Session-ID", "sess-42"}})
      .result_int();
}

std::string code_of(const Response& r) {
  auto v = json::parse(r.body());
  REQUIRE(v.ok());
  return v.value->find("code")->as_string();
}

std::vector<json::Value> records(const fs::path& file) {
  std::vector<json::Value> out;
  std::istringstream in(read_file(file));
  std::string line;
  while (std::getline(in, line)) {
    auto v = json::parse(line);
    REQUIRE(v.ok());
    out.push_back(*v.value);
  }
  return out;
}

}  // namespace

TEST_CASE("fact updates need the admin token and change decisions at once", "[server]") {
  ServerFixture f;
  auto c = f.client();
  const std::string add_key =
      "{\"op\":\"upsert\",\"kind\":\"key\",\"id\":\"k-new\",\"principal_id\":\"alice\",\"scopes\":[\"model:write\"]}\n";
  auto none = c.request(http::verb::patch, "/v1/facts", add_key);
  CHECK(none.result_int() == 401);
  CHECK(code_of(none) == "S0107");
  auto wrong = c.request(http::verb::patch, "/v1/facts", add_key, {{"Authorization", "Bearer not-the-token-at-all!!"}});
  CHECK(wrong.result_int() == 401);
  CHECK(register_status(c, "k-new") == 401);  // unknown key

  auto ok = c.request(http::verb::patch, "/v1/facts", add_key, admin());
  REQUIRE(ok.result_int() == 200);
  CHECK(json::parse(ok.body()).value->find("facts_version")->as_int() == 2);
  CHECK(register_status(c, "k-new") == 200);

  // A malformed update changes nothing and is counted.
  auto bad = c.request(http::verb::patch, "/v1/facts", "{\"op\":\"upsert\",\"kind\":\"key\",\"id\":\"k2\",\"scope\":[]}\n", admin());
  CHECK(bad.result_int() == 400);
  CHECK(code_of(bad) == "F0104");
  auto refused = c.request(http::verb::delete_, "/v1/facts/grants/no-such-grant", {}, admin());
  CHECK(refused.result_int() == 409);
  CHECK(json::parse(c.get("/v1/facts/version").body()).value->find("facts_version")->as_int() == 2);

  auto removed = c.request(http::verb::delete_, "/v1/facts/keys/k-new", {}, admin());
  CHECK(removed.result_int() == 200);
  CHECK(register_status(c, "k-new") == 401);
  CHECK(c.request(http::verb::delete_, "/v1/facts/teams/x", {}, admin()).result_int() == 404);

  const std::string metrics = c.get("/metrics").body();
  CHECK(metric(metrics, "warden_fact_updates_total{result=\"ok\"}") == 2);
  CHECK(metric(metrics, "warden_fact_updates_total{result=\"failed\"}") == 2);
}

TEST_CASE("fact updates are read under the policy: warnings by default, refused with --facts-check refuse", "[server]") {
  // A key whose scopes are a typo of the policy's and a scope it dropped,
  // and a revocation in the same update: loaded, with warnings.
  const std::string update =
      "{\"op\":\"upsert\",\"kind\":\"key\",\"id\":\"k-new\",\"principal_id\":\"alice\",\"scopes\":[\"model:wirte\",\"registry:admin\"]}\n"
      "{\"op\":\"remove\",\"kind\":\"key\",\"id\":\"k-read\"}\n";
  {
    ServerFixture f;
    auto c = f.client();
    auto ok = c.request(http::verb::patch, "/v1/facts", update, admin());
    REQUIRE(ok.result_int() == 200);
    const auto body = json::parse(ok.body());
    REQUIRE(body.ok());
    CHECK(body.value->find("warnings_total")->as_int() == 2);
    const auto& warnings = body.value->find("warnings")->items();
    REQUIRE(warnings.size() == 2);
    CHECK(warnings[0].find("code")->as_string() == "F0403");
    CHECK(warnings[0].find("message")->as_string() ==
          "unknown scope `model:wirte` in key `k-new` (did you mean `model:write`?)");
    CHECK(warnings[0].find("line")->as_int() == 1);
    CHECK(register_status(c, "k-read") == 401);  // the revocation went through
    CHECK(register_status(c, "k-new") == 403);   // the unknown scopes are never held
  }
  ServerFixture f([](server::ServeOptions& o, const fs::path&) { o.facts_check = FactsCheck::Refuse; });
  auto c = f.client();
  auto refused = c.request(http::verb::patch, "/v1/facts", update, admin());
  CHECK(refused.result_int() == 400);
  CHECK(code_of(refused) == "F0403");
  CHECK(json::parse(c.get("/v1/facts/version").body()).value->find("facts_version")->as_int() == 1);
  CHECK(register_status(c, "k-read") == 403);  // nothing changed: k-read still reads, and still may not write
  // A whole replacement is checked the same way.
  auto replaced = c.request(http::verb::put, "/v1/facts",
                            "{\"kind\":\"role\",\"principal_id\":\"alice\",\"role\":\"superuser\"}\n", admin());
  CHECK(replaced.result_int() == 400);
  CHECK(code_of(replaced) == "F0402");
}

TEST_CASE("the facts in service are checked against the policy at a reload and on the admin API", "[server]") {
  ServerFixture f;
  auto c = f.client();
  CHECK(c.get("/v1/facts/findings").result_int() == 401);
  const auto findings = [&] {
    auto r = c.get("/v1/facts/findings", admin());
    REQUIRE(r.result_int() == 200);
    auto v = json::parse(r.body());
    REQUIRE(v.ok());
    return *v.value;
  };
  const json::Value clean = findings();
  CHECK(clean.find("findings_total")->as_int() == 0);
  CHECK(clean.find("findings")->items().empty());
  CHECK(clean.find("facts_version")->as_int() == 1);

  // A key naming a scope the policy does not declare, loaded with a warning.
  auto ok = c.request(http::verb::patch, "/v1/facts",
                      "{\"op\":\"upsert\",\"kind\":\"key\",\"id\":\"k-new\",\"principal_id\":\"alice\",\"scopes\":[\"model:wirte\"]}\n",
                      admin());
  REQUIRE(ok.result_int() == 200);
  const json::Value after = findings();
  CHECK(after.find("facts_version")->as_int() == 2);
  CHECK(after.find("policy_fingerprint")->as_string().size() == 16);
  CHECK(after.find("findings_total")->as_int() == 1);
  REQUIRE(after.find("findings")->items().size() == 1);
  CHECK(after.find("findings")->items()[0].find("code")->as_string() == "F0403");
  CHECK(after.find("findings")->items()[0].find("message")->as_string() ==
        "unknown scope `model:wirte` in key `k-new` (did you mean `model:write`?)");
  CHECK(c.request(http::verb::post, "/v1/facts/findings", "", admin()).result_int() == 405);

  // A reload (SIGHUP: the policy, then the fact files) checks the facts in
  // service against the policy it loads and logs what it does not declare.
  f.server->reload();
  f.server->stop();
  const std::string log = f.log.str();
  const auto at = log.find("\"event\":\"policy_findings\"");
  REQUIRE(at != std::string::npos);
  const std::string line = log.substr(at, log.find('\n', at) - at);
  CHECK(line.find("facts in service: warning[F0403]: unknown scope `model:wirte` in key `k-new`") != std::string::npos);
}

TEST_CASE("without a token the admin API is off; with --admin-listen it lives there only", "[server]") {
  {
    ServerFixture f([](server::ServeOptions& o, const fs::path&) { o.admin_token_file.clear(); });
    auto c = f.client();
    auto r = c.request(http::verb::patch, "/v1/facts", "{}", admin());
    CHECK(r.result_int() == 403);
    CHECK(code_of(r) == "S0108");
  }
  ServerFixture f([](server::ServeOptions& o, const fs::path&) { o.admin_listen = "127.0.0.1:0"; });
  auto c = f.client();
  auto public_side = c.request(http::verb::delete_, "/v1/facts/keys/k-read", {}, admin());
  CHECK(public_side.result_int() == 404);
  CHECK(code_of(public_side) == "S0105");
  HttpClient a(f.server->admin_port());
  CHECK(a.request(http::verb::delete_, "/v1/facts/keys/k-read", {}, admin()).result_int() == 200);
  CHECK(register_status(c, "k-read") == 401);
}

TEST_CASE("/metrics speaks the Prometheus text format", "[server]") {
  ServerFixture f;
  auto c = f.client();
  register_status(c, "k-read");
  register_status(c, "k-write");
  c.get("/nowhere");
  const std::string m = c.get("/metrics").body();
  CHECK(metric(m, "warden_decisions_total{endpoint=\"authz\",outcome=\"deny\",code=\"SCOPE_MISSING\"}") == 1);
  CHECK(metric(m, "warden_decisions_total{endpoint=\"authz\",outcome=\"allow\",code=\"ALLOW\"}") == 1);
  CHECK(metric(m, "warden_decision_duration_seconds_count{endpoint=\"authz\"}") == 2);
  CHECK(metric(m, "warden_decision_duration_seconds_bucket{endpoint=\"authz\",le=\"+Inf\"}") == 2);
  CHECK(metric(m, "warden_http_errors_total{code=\"S0105\",status=\"404\"}") == 1);
  CHECK(metric(m, "warden_reloads_total{target=\"policy\",result=\"ok\"}") == 1);
  CHECK(metric(m, "warden_ready") == 1);
  CHECK(metric(m, "warden_connections_open") == 1);
  CHECK(m.find("# TYPE warden_decision_duration_seconds histogram") != std::string::npos);
  CHECK(m.find("warden_policy_info{fingerprint=\"") != std::string::npos);
}

TEST_CASE("every decision is one JSONL record in the decision log", "[server]") {
  auto f = std::make_unique<ServerFixture>();
  const fs::path file = f->path("decisions.jsonl");
  auto c = f->client();
  CHECK(register_status(c, "k-read", "audit-1") == 403);
  CHECK(register_status(c, "k-write", "audit-2") == 200);
  f->server->stop();  // graceful: the queue is written and flushed
  const auto r = records(file);
  REQUIRE(r.size() == 2);
  const auto& deny = r[0];
  CHECK(deny.find("request_id")->as_string() == "audit-1");
  CHECK(deny.find("access_result")->as_string() == "deny");
  CHECK(deny.find("code")->as_string() == "SCOPE_MISSING");
  CHECK(deny.find("user_id")->as_string() == "alice");
  CHECK(deny.find("key_id")->as_string() == "k-read");
  CHECK(deny.find("tenant")->as_string() == "acme");
  CHECK(deny.find("endpoint")->as_string() == "authz");
  CHECK(deny.find("user_agent")->as_string() == "mlflow-client/2.9");
  CHECK(deny.find("session_id")->as_string() == "sess-42");
  CHECK(deny.find("ip_address")->as_string() == "127.0.0.1");
  CHECK(deny.find("details")->as_string().find("model:write") != std::string::npos);
  CHECK(deny.find("policy_fingerprint")->as_string().size() == 16);
  CHECK(deny.find("facts_version")->as_int() == 1);
  CHECK(deny.find("latency_us") != nullptr);
  const auto& allow = r[1];
  CHECK(allow.find("access_type")->as_string() == "create");
  CHECK(allow.find("resource_type")->as_string() == "model");
  CHECK(allow.find("permission_source")->as_string() == "scope");
  const auto& rules = allow.find("rules")->items();
  REQUIRE(rules.size() == 1);
  CHECK(rules[0].find("name")->as_string() == "model_writers");
  CHECK(rules[0].find("file")->as_string().find("rules.warden") != std::string::npos);
  CHECK(rules[0].find("line")->as_int() > 0);
}

TEST_CASE("the decision log's ip_address is the client address the decision read", "[server]") {
  auto f = std::make_unique<ServerFixture>();
  const fs::path file = f->path("decisions.jsonl");
  auto c = f->client();
  // Behind the gateway's load balancer (10.0.0.5, trusted), user management
  // reads the client address: the rightmost untrusted X-Forwarded-For hop.
  const auto res = c.get("/v1/authz", {{"X-Original-Method", "POST"},
                                       {"X-Original-URI", "/api/2.0/mlflow/users/create"},
                                       {"X-Tenant-ID", "acme"}, {"Authorization", "Bearer k-admin"},
                                       {"X-Real-IP", "10.0.0.5"}, {"X-Forwarded-For", "10.9.9.9, 203.0.113.9"}});
  CHECK(res.result_int() == 403);
  // A decision that reads no address logs the request's peer.
  CHECK(register_status(c, "k-read") == 403);
  f->server->stop();
  const auto r = records(file);
  REQUIRE(r.size() == 2);
  CHECK(r[0].find("code")->as_string() == "OFF_NETWORK");
  CHECK(r[0].find("ip_address")->as_string() == "203.0.113.9");
  CHECK(r[1].find("ip_address")->as_string() == "127.0.0.1");
}

TEST_CASE("the decision log samples allows, masks fields and rotates by size", "[server]") {
  auto f = std::make_unique<ServerFixture>([](server::ServeOptions& o, const fs::path&) {
    o.log.sample_allow = 0;
    o.log.mask = {"user_id", "ip_address"};
    o.log.max_bytes = 1500;
    o.log.keep = 2;
  });
  const fs::path file = f->path("decisions.jsonl");
  auto c = f->client();
  for (int i = 0; i < 6; ++i) {
    register_status(c, "k-read", "deny-" + std::to_string(i));
    register_status(c, "k-write", "allow-" + std::to_string(i));
  }
  f->server->stop();
  std::vector<json::Value> all;
  for (const auto& name : {file.string() + ".2", file.string() + ".1", file.string()}) {
    if (!fs::exists(name)) continue;
    for (auto& r : records(name)) all.push_back(r);
  }
  CHECK(fs::exists(file.string() + ".1"));
  CHECK(!fs::exists(file.string() + ".3"));
  // Denies always, allows never (rate 0); the rotated files keep at most two generations.
  for (const auto& r : all) {
    CHECK(r.find("access_result")->as_string() == "deny");
    CHECK(r.find("user_id")->as_string() == "***");
    CHECK(r.find("ip_address")->as_string() == "***");
    CHECK(r.find("key_id")->as_string() == "k-read");
  }
  CHECK(all.size() >= 3);
  CHECK(all.back().find("request_id")->as_string() == "deny-5");
}

TEST_CASE("reload() (SIGHUP) reopens the decision log for logrotate", "[server]") {
  ServerFixture f;
  const fs::path file = f.path("decisions.jsonl");
  auto c = f.client();
  register_status(c, "k-read", "before");
  CHECK(eventually([&] { return read_file(file).find("before") != std::string::npos; }));
  fs::rename(file, f.path("decisions.jsonl.old"));
  f.server->reload();
  register_status(c, "k-read", "after");
  CHECK(eventually([&] { return fs::exists(file) && read_file(file).find("after") != std::string::npos; }));
  CHECK(read_file(f.path("decisions.jsonl.old")).find("after") == std::string::npos);
}

}  // namespace warden::test
