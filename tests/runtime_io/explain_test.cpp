// Golden renderings of decisions and traces (warden/explain.hpp).
#include <catch2/catch.hpp>

#include "support/json.hpp"
#include "warden/explain.hpp"

using namespace warden;

namespace {

Decision scope_missing() {
  Decision d;
  d.outcome = Outcome::Deny;
  d.code.assign("SCOPE_MISSING");
  d.message.assign("api key `k-read` lacks scope `model:write`");
  d.hint.assign("use a key with scope `model:write`");
  d.required.assign("any of `model:write`, `mlflow:write`, `admin`");
  d.present.assign("`model:read`");
  RuleRef r;
  r.name.assign("registered-models/create");
  r.file.assign("endpoints.warden");
  r.line = 20;
  r.column = 1;
  r.deny = true;
  d.add_rule(r);
  d.endpoint.assign("POST /api/2.0/mlflow/registered-models/create");
  d.raw_path.assign("/api/2.0/mlflow//registered-models/create");
  d.path.assign("/api/2.0/mlflow/registered-models/create");
  d.action.assign("create");
  d.resource_type.assign("model");
  d.principal.assign("api key `k-read` (user `alice`)");
  d.caller = CallerKind::Key;
  d.tenant.assign("acme");
  d.request_id.assign("r-1");
  d.policy_fingerprint = 0x00ab'cdef'0123'4567ull;
  d.facts_version = 3;
  return d;
}

Decision team_grant() {
  Decision d;
  d.outcome = Outcome::Allow;
  d.code.assign("ALLOW");
  RuleRef r;
  r.name.assign("granted");
  r.file.assign("model.warden");
  r.line = 26;
  r.column = 1;
  d.add_rule(r);
  RuleRef m;
  m.name.assign("archived_frozen");
  m.file.assign("model.warden");
  m.line = 50;
  m.column = 3;
  m.deny = true;
  m.monitor = true;
  d.add_rule(m);
  d.source = SourceKind::TeamGrant;
  d.source_detail.assign("team `ml-platform`");
  d.grant_id.assign("g-17");
  d.action.assign("update");
  d.resource_type.assign("model");
  d.resource_id.assign("m1");
  d.principal.assign("user `bob`");
  d.caller = CallerKind::Session;
  d.client_ip.assign("10.0.0.7");
  d.tenant.assign("default");
  d.policy_fingerprint = 1;
  return d;
}

}  // namespace

TEST_CASE("explain: a deny as text", "[explain]") {
  CHECK(explain_text(scope_missing()) ==
        "deny SCOPE_MISSING\n"
        "  message:    api key `k-read` lacks scope `model:write`\n"
        "  hint:       use a key with scope `model:write`\n"
        "  required:   any of `model:write`, `mlflow:write`, `admin`\n"
        "  present:    `model:read`\n"
        "  rule:       deny `registered-models/create` at endpoints.warden:20:1\n"
        "  endpoint:   POST /api/2.0/mlflow/registered-models/create\n"
        "  path:       /api/2.0/mlflow//registered-models/create -> /api/2.0/mlflow/registered-models/create\n"
        "  action:     create on model\n"
        "  principal:  api key `k-read` (user `alice`)\n"
        "  caller:     key\n"
        "  tenant:     acme\n"
        "  request id: r-1\n"
        "  policy:     00abcdef01234567\n"
        "  facts:      version 3\n");
}

TEST_CASE("explain: an allow with its permission source as text", "[explain]") {
  const std::string expected = std::string("allow ALLOW\n") +
                               "  rule:       allow `granted` at model.warden:26:1\n"
                               "  rule:       deny `archived_frozen` at model.warden:50:3 (monitor)\n"
                               "  source:     " + source_kind_name(SourceKind::TeamGrant) +
                               ": team `ml-platform` (grant `g-17`)\n"
                               "  action:     update on model `m1`\n"
                               "  principal:  user `bob`\n"
                               "  caller:     session\n"
                               "  client ip:  10.0.0.7\n"
                               "  tenant:     default\n"
                               "  policy:     0000000000000001\n"
                               "  facts:      version 0\n";
  CHECK(explain_text(team_grant()) == expected);
}

TEST_CASE("explain: a decision as one line of JSON", "[explain]") {
  const std::string json = decision_json(scope_missing());
  CHECK(json ==
        R"j({"outcome":"deny","allowed":false,"code":"SCOPE_MISSING",)j"
        R"j("message":"api key `k-read` lacks scope `model:write`","hint":"use a key with scope `model:write`",)j"
        R"j("required":"any of `model:write`, `mlflow:write`, `admin`","present":"`model:read`",)j"
        R"j("rules":[{"name":"registered-models/create","effect":"deny","monitor":false,"file":"endpoints.warden","line":20,"column":1}],)j"
        R"j("source":"none","source_detail":"","grant_id":"",)j"
        R"j("endpoint":"POST /api/2.0/mlflow/registered-models/create",)j"
        R"j("raw_path":"/api/2.0/mlflow//registered-models/create","path":"/api/2.0/mlflow/registered-models/create",)j"
        R"j("action":"create","resource_type":"model",)j"
        R"j("resource_id":"","principal":"api key `k-read` (user `alice`)","caller":"key","client_ip":"",)j"
        R"j("tenant":"acme","request_id":"r-1",)j"
        R"j("policy_fingerprint":"00abcdef01234567","facts_version":3})j");
  CHECK(json.find('\n') == std::string::npos);
  CHECK(json::parse(json).ok());
}

TEST_CASE("explain: would-deny and text that needs escaping", "[explain]") {
  Decision d = team_grant();
  d.outcome = Outcome::WouldDeny;
  d.message.assign("quote \" backslash \\ newline \n");
  const std::string json = decision_json(d);
  const auto parsed = json::parse(json);
  REQUIRE(parsed.ok());
  CHECK(parsed.value->find("outcome")->as_string() == outcome_name(Outcome::WouldDeny));
  CHECK(parsed.value->find("allowed")->as_bool());
  CHECK(parsed.value->find("message")->as_string() == "quote \" backslash \\ newline \n");
  CHECK(parsed.value->find("rules")->items().size() == 2);
  CHECK(parsed.value->find("rules")->items()[1].find("monitor")->as_bool());
  CHECK(parsed.value->find("grant_id")->as_string() == "g-17");
  CHECK(explain_text(d).rfind(std::string(outcome_name(Outcome::WouldDeny)) + " ALLOW\n", 0) == 0);
}

TEST_CASE("explain: a cut field still gives valid JSON", "[explain]") {
  Decision d;
  std::string long_text;
  for (int i = 0; i < 200; ++i) long_text += "\xC3\xA9";  // é, two bytes each
  d.message.assign(long_text);  // cut at 384 bytes
  CHECK(json::parse(decision_json(d)).ok());
}

TEST_CASE("explain: traces as text and JSON", "[explain]") {
  Trace t;
  t.events.push_back({TraceEvent::Kind::Route, "POST /api/x matched endpoint at endpoints.warden:3:1"});
  t.events.push_back({TraceEvent::Kind::Scope, "key `k1` holds `model:read`"});
  t.events.push_back({TraceEvent::Kind::Rule, "rule `writers`: no match"});
  CHECK(trace_text(t) ==
        "[route] POST /api/x matched endpoint at endpoints.warden:3:1\n"
        "[scope] key `k1` holds `model:read`\n"
        "[rule] rule `writers`: no match\n");
  CHECK(trace_json(t) ==
        R"([{"kind":"route","text":"POST /api/x matched endpoint at endpoints.warden:3:1"},)"
        R"({"kind":"scope","text":"key `k1` holds `model:read`"},{"kind":"rule","text":"rule `writers`: no match"}])");
  CHECK(trace_json(Trace{}) == "[]");
  const std::string with_trace = decision_json(Decision{}, &t);
  const auto parsed = json::parse(with_trace);
  REQUIRE(parsed.ok());
  CHECK(parsed.value->members().back().key == "trace");
  CHECK(parsed.value->members().back().value.items().size() == 3);
}
