// End-to-end scenarios on the api_servers reference policy: per-method rules
// for managing an organization's API servers, the organization's status
// (ORG_SUSPENDED, ORG_INACTIVE), outsiders (ORG_ACCESS_DENIED), members
// without the admin role (PERMISSION_DENIED), and list filtering.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "tests/runtime/compile_helper.hpp"
#include "tests/runtime/test_request.hpp"

using namespace warden;
using warden::test::TestRequest;
using warden::test::TestValue;

namespace {

constexpr std::int64_t kNow = 1772409600;  // 2026-03-02T00:00:00Z

Entity org(std::string id, std::string status) {
  return Entity{"org", std::move(id), "", {{"status", FactValue::string(std::move(status))}}};
}

Entity server(std::string id, std::string in_org) {
  return Entity{"api_server", std::move(id), "", {{"org", FactValue::string(std::move(in_org))}}};
}

struct ApiServers {
  Engine engine;

  ApiServers() {
    test::load_policy(engine, "policies/api_servers");
    FactSet f;
    f.entities = {org("acme", "active"), org("susp", "suspended"), org("dead", "inactive"), org("globex", "active"),
                  server("s1", "acme"),  server("s2", "susp"),      server("s3", "dead"),     server("s4", "acme"),
                  server("s5", "globex")};
    for (const char* u : {"alice", "bob", "carol", "dan", "eve", "frank", "george"}) f.entities.push_back({"user", u, "", {}});
    f.entities.push_back({"team", "platform", "", {}});
    f.memberships = {{"user", "alice", "org", "acme"},      {"user", "bob", "org", "acme"},
                     {"user", "carol", "org", "susp"},      {"user", "dan", "org", "dead"},
                     {"user", "eve", "org", "globex"},      {"user", "frank", "team", "platform"},
                     {"team", "platform", "org", "acme"}};
    f.roles = {{"user", "alice", "org_admin", "org", "acme"},
               {"user", "carol", "org_admin", "org", "susp"},
               {"user", "dan", "org_admin", "org", "dead"},
               {"user", "george", "org_admin", "org", "acme"},  // but not a member
               {"user", "eve", "org_admin", "org", "globex"}};
    REQUIRE(engine.replace_facts(f).ok);
  }

  static TestRequest request(const std::string& who, const std::string& action, const std::string& id) {
    TestRequest r = test::action_request(who, action, "api_server", id, kNow);
    return r;
  }
  // `create` names no server yet: the organization comes with the request.
  static TestRequest create(const std::string& who, const std::string& in_org) {
    TestRequest r = request(who, "create", "");
    r.resource_attributes = {{"org", TestValue::string(in_org)}};
    return r;
  }
  static TestRequest http(const std::string& who, const std::string& method, const std::string& path) {
    TestRequest r;
    r.principal_id = who;
    r.method = method;
    r.path = path;
    r.time = kNow;
    return r;
  }

  Decision decide(const TestRequest& r) const { return engine.decide(r.view()); }
};

}  // namespace

TEST_CASE("a suspended organization may not create, update or test, but may delete", "[scenario][api_servers]") {
  ApiServers s;
  const Decision d = s.decide(ApiServers::create("carol", "susp"));
  CHECK(d.outcome == Outcome::Deny);
  CHECK(d.code.view() == "ORG_SUSPENDED");
  CHECK(d.message.view() == "organization susp is suspended");
  REQUIRE(d.rule_count == 1);
  CHECK(d.rules[0].name.view() == "suspended_org");
  CHECK(d.rules[0].file.view() == "api_servers.warden");

  const Decision update = s.decide(ApiServers::http("carol", "PATCH", "/api/orgs/susp/api-servers/s2"));
  CHECK(update.code.view() == "ORG_SUSPENDED");
  CHECK(update.endpoint.view() == "PATCH /api/orgs/{org}/api-servers/{server}");
  CHECK(s.decide(ApiServers::request("carol", "test", "s2")).code.view() == "ORG_SUSPENDED");

  const Decision del = s.decide(ApiServers::http("carol", "DELETE", "/api/orgs/susp/api-servers/s2"));
  CHECK(del.outcome == Outcome::Allow);
  CHECK(del.rules[0].name.view() == "org_admins_manage");
  CHECK(del.source == SourceKind::Role);
  CHECK(del.source_detail.view() == "role `org_admin` in org `susp`");
  CHECK(s.decide(ApiServers::request("carol", "read", "s2")).outcome == Outcome::Allow);
}

TEST_CASE("an inactive organization: ORG_INACTIVE", "[scenario][api_servers]") {
  ApiServers s;
  const Decision d = s.decide(ApiServers::request("dan", "update", "s3"));
  CHECK(d.outcome == Outcome::Deny);
  CHECK(d.code.view() == "ORG_INACTIVE");
  CHECK(d.message.view() == "organization dead is inactive");
  CHECK(s.decide(ApiServers::request("dan", "delete", "s3")).outcome == Outcome::Allow);
}

TEST_CASE("outsiders get ORG_ACCESS_DENIED, whatever role they hold", "[scenario][api_servers]") {
  ApiServers s;
  const Decision d = s.decide(ApiServers::request("eve", "read", "s1"));
  CHECK(d.outcome == Outcome::Deny);
  CHECK(d.code.view() == "ORG_ACCESS_DENIED");
  CHECK(d.message.view() == "eve is not a member of organization acme");
  // org_admin of acme on record, but not a member.
  CHECK(s.decide(ApiServers::request("george", "update", "s1")).code.view() == "ORG_ACCESS_DENIED");
  // An unknown principal is an outsider too.
  CHECK(s.decide(ApiServers::request("mallory", "test", "s1")).code.view() == "ORG_ACCESS_DENIED");
}

TEST_CASE("a member without org_admin may test but not create", "[scenario][api_servers]") {
  ApiServers s;
  const Decision create = s.decide(ApiServers::create("bob", "acme"));
  CHECK(create.outcome == Outcome::Deny);
  CHECK(create.code.view() == "PERMISSION_DENIED");
  CHECK(create.rule_count == 0);

  const Decision test = s.decide(ApiServers::http("bob", "POST", "/api/orgs/acme/api-servers/s1/test"));
  CHECK(test.outcome == Outcome::Allow);
  REQUIRE(test.rule_count == 1);
  CHECK(test.rules[0].name.view() == "org_members_test");
  CHECK(test.source == SourceKind::Membership);
  CHECK(test.source_detail.view() == "member of org `acme`");
  // Membership through a team counts.
  CHECK(s.decide(ApiServers::request("frank", "test", "s1")).outcome == Outcome::Allow);
  // The admin may create.
  const Decision admin = s.decide(ApiServers::create("alice", "acme"));
  CHECK(admin.outcome == Outcome::Allow);
  CHECK(admin.rules[0].name.view() == "org_admins_manage");
}

TEST_CASE("a create over HTTP is decided in the organization its path names", "[scenario][api_servers]") {
  ApiServers s;
  // The endpoint binds its {org} path parameter to the new server's
  // `resource.org`: no attribute needs to ride along with the request.
  const Decision admin = s.decide(ApiServers::http("alice", "POST", "/api/orgs/acme/api-servers"));
  CHECK(admin.outcome == Outcome::Allow);
  REQUIRE(admin.rule_count == 1);
  CHECK(admin.rules[0].name.view() == "org_admins_manage");
  // bob is a member of acme without org_admin; of another organization he is not a member at all.
  CHECK(s.decide(ApiServers::http("bob", "POST", "/api/orgs/acme/api-servers")).code.view() == "PERMISSION_DENIED");
  CHECK(s.decide(ApiServers::http("alice", "POST", "/api/orgs/globex/api-servers")).code.view() == "ORG_ACCESS_DENIED");
}

TEST_CASE("list filtering returns exactly the servers decide() allows", "[scenario][api_servers]") {
  ApiServers s;
  const std::vector<std::string> all = {"s1", "s2", "s3", "s4", "s5"};
  const std::map<std::string, std::vector<std::string>> expected = {
      {"alice", {"s1", "s4"}}, {"bob", {"s1", "s4"}}, {"frank", {"s1", "s4"}}, {"carol", {"s2"}},
      {"dan", {"s3"}},         {"eve", {"s5"}},       {"george", {}},          {"mallory", {}}};
  for (const auto& [who, ids] : expected) {
    const TestRequest r = ApiServers::request(who, "list", "");
    const auto listed = s.engine.authorized_resources(r.view(), "list", "api_server");
    INFO(who);
    CHECK(listed == ids);
    for (const auto& id : all) {
      const bool allowed = s.decide(ApiServers::request(who, "list", id)).allowed();
      CHECK(allowed == (std::find(listed.begin(), listed.end(), id) != listed.end()));
    }
  }
  // Suspension does not hide servers; a membership removed does.
  REQUIRE(s.engine.apply(FactsUpdate{}.remove(Membership{"user", "bob", "org", "acme"})).ok);
  CHECK(s.engine.authorized_resources(ApiServers::request("bob", "list", "").view(), "list", "api_server").empty());
}
