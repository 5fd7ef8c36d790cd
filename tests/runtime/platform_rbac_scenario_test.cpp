// End-to-end scenarios on the platform_rbac reference policy: the role
// hierarchy, conditions on the time of day and the client address, MFA,
// API-key scopes, grants as overrides, and every denial code of the policy.
#include <catch2/catch.hpp>

#include <chrono>

#include "tests/runtime/compile_helper.hpp"
#include "tests/runtime/test_request.hpp"

using namespace warden;
using warden::test::TestRequest;
using warden::test::TestValue;

namespace {

constexpr std::int64_t kMidnight = 1772409600;  // 2026-03-02T00:00:00Z
constexpr std::int64_t kTenAm = kMidnight + 10 * 3600;
constexpr std::int64_t kEightPm = kMidnight + 20 * 3600;

Entity resource(std::string type, std::string id, std::vector<std::pair<std::string, FactValue>> attrs) {
  return Entity{std::move(type), std::move(id), "", std::move(attrs)};
}

struct PlatformRbac {
  Engine engine;

  PlatformRbac() {
    test::load_policy(engine, "policies/platform_rbac");
    FactSet f;
    for (const char* u : {"vic", "dev", "max", "ada", "nina", "kim"}) f.entities.push_back({"user", u, "", {}});
    f.entities.push_back({"team", "ml", "", {}});
    f.entities.push_back({"team", "data", "", {}});
    f.roles = {{"user", "vic", "viewer", "", ""},
               {"user", "dev", "developer", "", ""},
               {"user", "max", "manager", "", ""},
               {"user", "ada", "admin", "", ""},
               {"user", "kim", "developer", "", ""}};
    f.memberships = {{"user", "max", "team", "ml"}, {"user", "nina", "team", "data"}};
    f.entities.push_back(resource("model", "churn", {{"team", FactValue::string("ml")}, {"owner", FactValue::string("kim")}}));
    f.entities.push_back(resource("deployment", "d-dev", {{"environment", FactValue::string("dev")}}));
    f.entities.push_back(resource("deployment", "d-staging", {{"environment", FactValue::string("staging")}}));
    f.entities.push_back(resource("deployment", "d-prod", {{"environment", FactValue::string("production")}}));
    f.entities.push_back(resource("secret", "s-ml", {{"team", FactValue::string("ml")}}));
    f.entities.push_back(resource("secret", "s-data", {{"team", FactValue::string("data")}}));
    f.entities.push_back(resource("dataset", "open", {{"classification", FactValue::string("internal")}}));
    f.entities.push_back(resource("dataset", "pii", {{"classification", FactValue::string("restricted")}}));
    f.entities.push_back(resource("notebook", "nb1", {{"team", FactValue::string("data")}}));
    f.entities.push_back(resource("api_key", "key-of-vic", {{"owner", FactValue::string("vic")}}));
    Grant g;
    g.id = "g-nina-nb";
    g.subject_id = "nina";
    g.resource_type = "notebook";
    g.resource_id = "nb1";
    g.level = "manage";
    f.grants.push_back(g);
    f.keys.push_back({"k-read", "user", "ada", {"platform:read"}, "", std::nullopt, false});
    f.keys.push_back({"k-deploy", "user", "ada", {"platform:deploy"}, "", std::nullopt, false});
    REQUIRE(engine.replace_facts(f).ok);
  }

  // A session request from the office network with a fresh MFA, at 10:00 UTC.
  static TestRequest request(const std::string& who, const std::string& action, const std::string& type,
                             const std::string& id) {
    TestRequest r = test::action_request(who, action, type, id, kTenAm);
    r.client_ip = "10.20.30.40";
    r.context = {{"mfa", TestValue::flag(true)}, {"via_api_key", TestValue::flag(false)}};
    return r;
  }

  Decision decide(const TestRequest& r) const { return engine.decide(r.view()); }
  Decision decide(const std::string& who, const std::string& action, const std::string& type,
                  const std::string& id) const {
    return decide(request(who, action, type, id));
  }
};

}  // namespace

TEST_CASE("role inheritance: admin holds the viewer's permissions, a viewer cannot delete",
          "[scenario][platform_rbac]") {
  PlatformRbac s;
  const Decision d = s.decide("ada", "read", "dataset", "open");
  CHECK(d.outcome == Outcome::Allow);
  REQUIRE(d.rule_count == 1);
  CHECK(d.rules[0].name.view() == "viewer_defaults");
  CHECK(d.source == SourceKind::Role);
  CHECK(d.source_detail.view() == "role `admin` (inherits `viewer`)");

  CHECK(s.decide("vic", "read", "model", "churn").outcome == Outcome::Allow);
  const Decision del = s.decide("vic", "delete", "model", "churn");
  CHECK(del.outcome == Outcome::Deny);
  CHECK(del.code.view() == "PERMISSION_DENIED");
  CHECK(del.required.view().find("role `manager`") != std::string_view::npos);
  // manager inherits developer inherits viewer: delete through manager_delete.
  const Decision max = s.decide("max", "delete", "model", "churn");
  CHECK(max.outcome == Outcome::Allow);
  CHECK(max.rules[0].name.view() == "manager_delete");
  CHECK(s.decide("ada", "delete", "model", "churn").outcome == Outcome::Allow);
  // The owner keeps control whatever the role.
  const Decision owner = s.decide("kim", "delete", "model", "churn");
  CHECK(owner.outcome == Outcome::Allow);
  CHECK(owner.rules[0].name.view() == "resource_owners");
}

TEST_CASE("time of day: developers deploy to staging during working hours only", "[scenario][platform_rbac]") {
  PlatformRbac s;
  TestRequest r = PlatformRbac::request("dev", "create", "deployment", "d-staging");
  const Decision day = s.decide(r);
  CHECK(day.outcome == Outcome::Allow);
  CHECK(day.rules[0].name.view() == "developer_staging_deployments");
  r.time = kEightPm;
  CHECK(s.decide(r).code.view() == "PERMISSION_DENIED");
  r.time = kMidnight + 7 * 3600;  // the start is inclusive
  CHECK(s.decide(r).outcome == Outcome::Allow);
  r.time = kMidnight + 19 * 3600;  // the end is exclusive
  CHECK(s.decide(r).code.view() == "PERMISSION_DENIED");
  // Without a time, the request is decided at the engine's clock
  // (docs/decisions.md): the same as with the current time.
  r.time.reset();
  auto clock = [] {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  };
  auto working_hours = [](std::int64_t t) { return (t % 86400) >= 7 * 3600 && (t % 86400) < 19 * 3600; };
  const std::int64_t before = clock();
  const Decision no_time = s.decide(r);
  const std::int64_t after = clock();
  if (working_hours(before) == working_hours(after)) {  // not straddling 07:00 or 19:00
    CHECK(no_time.outcome == (working_hours(before) ? Outcome::Allow : Outcome::Deny));
  }
  // Dev deployments have no time condition.
  TestRequest dev = PlatformRbac::request("dev", "create", "deployment", "d-dev");
  dev.time = kEightPm;
  CHECK(s.decide(dev).outcome == Outcome::Allow);
}

TEST_CASE("production changes only within the change window, except for admins", "[scenario][platform_rbac]") {
  PlatformRbac s;
  TestRequest r = PlatformRbac::request("max", "update", "deployment", "d-prod");
  CHECK(s.decide(r).outcome == Outcome::Allow);
  r.time = kEightPm;
  const Decision night = s.decide(r);
  CHECK(night.outcome == Outcome::Deny);
  CHECK(night.code.view() == "OUTSIDE_CHANGE_WINDOW");
  CHECK(night.message.view() == "production deployments change only between 07:00 and 19:00 UTC");
  REQUIRE(night.rule_count == 1);
  CHECK(night.rules[0].name.view() == "production_change_window");
  // Rollbacks stay allowed at any hour; admins are exempt.
  TestRequest rollback = PlatformRbac::request("max", "rollback", "deployment", "d-prod");
  rollback.time = kEightPm;
  CHECK(s.decide(rollback).outcome == Outcome::Allow);
  TestRequest admin = PlatformRbac::request("ada", "update", "deployment", "d-prod");
  admin.time = kEightPm;
  CHECK(s.decide(admin).outcome == Outcome::Allow);
}

TEST_CASE("client address: secrets only from the corporate networks", "[scenario][platform_rbac]") {
  PlatformRbac s;
  TestRequest r = PlatformRbac::request("dev", "read", "secret", "s-ml");
  CHECK(s.decide(r).outcome == Outcome::Allow);
  r.client_ip = "172.20.1.1";
  CHECK(s.decide(r).outcome == Outcome::Allow);
  r.client_ip = "172.32.0.1";  // just outside 172.16.0.0/12
  const Decision outside = s.decide(r);
  CHECK(outside.outcome == Outcome::Deny);
  CHECK(outside.code.view() == "OFF_CORPORATE_NETWORK");
  CHECK(outside.message.view() == "read on secrets is only allowed from the corporate network");
  r.client_ip = "::ffff:10.1.1.1";  // IPv4-mapped IPv6 is the same address
  CHECK(s.decide(r).outcome == Outcome::Allow);
  r.client_ip.clear();  // no address: the deny cannot be evaluated
  const Decision none = s.decide(r);
  CHECK(none.outcome == Outcome::Deny);
  CHECK(none.code.view() == "EVAL_ERROR");
  CHECK(none.rules[0].name.view() == "secrets_off_network");
}

TEST_CASE("revealing a team secret needs membership, MFA and the right key scope", "[scenario][platform_rbac]") {
  PlatformRbac s;
  TestRequest r = PlatformRbac::request("max", "reveal", "secret", "s-ml");
  const Decision ok = s.decide(r);
  CHECK(ok.outcome == Outcome::Allow);
  CHECK(ok.rules[0].name.view() == "manager_team_secrets");
  CHECK(s.decide(PlatformRbac::request("max", "reveal", "secret", "s-data")).code.view() == "PERMISSION_DENIED");
  r.context = {{"mfa", TestValue::flag(false)}, {"via_api_key", TestValue::flag(false)}};
  CHECK(s.decide(r).code.view() == "MFA_REQUIRED");
  // The context attributes are required: without them, fail closed.
  r.context = {{"mfa", TestValue::flag(true)}};
  CHECK(s.decide(r).code.view() == "EVAL_ERROR");
}

TEST_CASE("restricted data is never exported", "[scenario][platform_rbac]") {
  PlatformRbac s;
  CHECK(s.decide("max", "export", "dataset", "open").outcome == Outcome::Allow);
  const Decision d = s.decide("ada", "export", "dataset", "pii");
  CHECK(d.outcome == Outcome::Deny);
  CHECK(d.code.view() == "RESTRICTED_DATA");
  CHECK(d.message.view() == "dataset pii is restricted and cannot be exported");
}

TEST_CASE("an API key caps what its user may do", "[scenario][platform_rbac]") {
  PlatformRbac s;
  TestRequest r = PlatformRbac::request("", "update", "model", "churn");
  r.api_key = "k-read";
  r.context = {{"mfa", TestValue::flag(true)}, {"via_api_key", TestValue::flag(true)}};
  const Decision d = s.decide(r);
  CHECK(d.outcome == Outcome::Deny);
  CHECK(d.code.view() == "KEY_SCOPE_MISSING");
  CHECK(d.message.view() == "this API key lacks platform:write");
  r.action = "read";
  CHECK(s.decide(r).outcome == Outcome::Allow);
  // platform:deploy implies platform:write implies platform:read.
  r.api_key = "k-deploy";
  r.action = "update";
  CHECK(s.decide(r).outcome == Outcome::Allow);
  r.action = "reveal";
  r.resource_type = "secret";
  r.resource_id = "s-ml";
  CHECK(s.decide(r).code.view() == "KEY_SCOPE_MISSING");
}

TEST_CASE("grants and team membership add to the role defaults", "[scenario][platform_rbac]") {
  PlatformRbac s;
  // nina has no role: her grant and her team carry her.
  const Decision del = s.decide("nina", "delete", "notebook", "nb1");
  CHECK(del.outcome == Outcome::Allow);
  CHECK(del.rules[0].name.view() == "resource_overrides");
  CHECK(del.source == SourceKind::DirectGrant);
  CHECK(del.grant_id.view() == "g-nina-nb");
  const Decision read = s.decide("nina", "read", "secret", "s-data");
  CHECK(read.outcome == Outcome::Allow);
  CHECK(read.rules[0].name.view() == "team_members_view");
  CHECK(read.source == SourceKind::Membership);
  CHECK(s.decide("nina", "read", "secret", "s-ml").code.view() == "PERMISSION_DENIED");
  // API keys: their owner, and managers to audit.
  CHECK(s.decide("vic", "rotate", "api_key", "key-of-vic").outcome == Outcome::Allow);
  CHECK(s.decide("dev", "read", "api_key", "key-of-vic").code.view() == "PERMISSION_DENIED");
  CHECK(s.decide("max", "read", "api_key", "key-of-vic").outcome == Outcome::Allow);
}
