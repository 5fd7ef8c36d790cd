// End-to-end scenarios on the gateway reference policy: API keys with
// scopes against MLflow endpoints, with tenant isolation.
#include <catch2/catch.hpp>

#include "tests/runtime/compile_helper.hpp"

using namespace warden;

namespace {

struct Gateway {
  Engine engine;
  Gateway() {
    test::load_policy(engine, "policies/gateway");
    FactSet facts;
    // Every user names its organization (the policy's `suspended_org` rule reads it).
    facts.entities.push_back({"org", "acme", "acme", {{"status", FactValue::string("active")}}});
    facts.entities.push_back({"org", "globex", "globex", {{"status", FactValue::string("active")}}});
    facts.entities.push_back({"user", "alice", "acme", {{"org", FactValue::string("acme")}}});
    facts.entities.push_back({"user", "bob", "acme", {{"org", FactValue::string("acme")}}});
    facts.entities.push_back({"user", "eve", "globex", {{"org", FactValue::string("globex")}}});
    facts.keys.push_back({"k-read", "user", "alice", {"model:read"}, "", std::nullopt, false});
    facts.keys.push_back({"k-write", "user", "bob", {"model:write"}, "", std::nullopt, false});
    facts.keys.push_back({"k-mlflow", "user", "bob", {"mlflow:write"}, "", std::nullopt, false});
    facts.keys.push_back({"k-revoked", "user", "bob", {"admin"}, "", std::nullopt, true});
    facts.keys.push_back({"k-eve", "user", "eve", {"model:write"}, "", std::nullopt, false});
    REQUIRE(engine.replace_facts(facts).ok);
  }
  Decision http(std::string_view key, std::string_view method, std::string_view path, std::string_view tenant = "acme") {
    Request r;
    r.request_id = "req-1";
    r.api_key = key;
    r.method = method;
    r.path = path;
    KeyValue h{"X-Tenant-ID", tenant};
    r.headers = {&h, 1};
    return engine.decide(r);
  }
};

}  // namespace

TEST_CASE("a read-only key may not register a model: SCOPE_MISSING names the scope", "[scenario][gateway]") {
  Gateway g;
  const Decision d = g.http("k-read", "POST", "/api/2.0/mlflow/registered-models/create");
  CHECK(d.outcome == Outcome::Deny);
  CHECK(d.code.view() == "SCOPE_MISSING");
  CHECK(d.message.view().find("`model:write`") != std::string_view::npos);
  CHECK(d.required.view().find("model:write") != std::string_view::npos);
  CHECK(d.present.view().find("model:read") != std::string_view::npos);
  CHECK(d.request_id.view() == "req-1");
  CHECK(d.tenant.view() == "acme");
  CHECK(d.endpoint.view() == "POST /api/2.0/mlflow/registered-models/create");
}

TEST_CASE("a write key may register a model, with the permission source", "[scenario][gateway]") {
  Gateway g;
  const Decision d = g.http("k-write", "POST", "/api/2.0/mlflow/registered-models/create");
  INFO(d.message.view());
  CHECK(d.outcome == Outcome::Allow);
  CHECK(d.code.view() == "ALLOW");
  CHECK(d.source == SourceKind::Scope);
  CHECK(d.source_detail.view().find("model:write") != std::string_view::npos);
  REQUIRE(d.rule_count == 1);
  CHECK(d.rules[0].name.view() == "model_writers");
  CHECK(d.rules[0].file.view() == "rules.warden");
  CHECK(d.rules[0].line > 0);
}

TEST_CASE("an implied scope passes: mlflow:write implies model:write", "[scenario][gateway]") {
  Gateway g;
  const Decision d = g.http("k-mlflow", "POST", "/api/2.0/mlflow/registered-models/create");
  CHECK(d.outcome == Outcome::Allow);
  CHECK(d.source_detail.view().find("mlflow:write") != std::string_view::npos);
}

TEST_CASE("unknown, revoked keys and unknown endpoints are denied with their codes", "[scenario][gateway]") {
  Gateway g;
  CHECK(g.http("nope", "GET", "/health").code.view() == "KEY_UNKNOWN");
  CHECK(g.http("k-revoked", "GET", "/api/2.0/mlflow/registered-models/get").code.view() == "KEY_REVOKED");
  CHECK(g.http("k-write", "GET", "/no/such/thing").code.view() == "NO_MATCHING_ENDPOINT");
  const Decision health = g.http("k-read", "GET", "/health");
  CHECK(health.outcome == Outcome::Allow);
  CHECK(health.source == SourceKind::Public);
}

TEST_CASE("a key from another tenant is denied with TENANT_MISMATCH", "[scenario][gateway][tenancy]") {
  Gateway g;
  const Decision d = g.http("k-eve", "POST", "/api/2.0/mlflow/registered-models/create", "acme");
  CHECK(d.outcome == Outcome::Deny);
  CHECK(d.code.view() == "TENANT_MISMATCH");
}
