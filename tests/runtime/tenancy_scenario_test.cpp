// End-to-end scenarios on the tenancy reference policy: tenant isolation,
// where the request's tenant comes from (header, then principal, then the
// default), the cross_tenant support rule, and the monitored rule that
// moves support to its VPN, which reports "would deny".
#include <catch2/catch.hpp>

#include "tests/runtime/compile_helper.hpp"
#include "tests/runtime/test_request.hpp"

using namespace warden;
using warden::test::TestRequest;
using warden::test::TestValue;

namespace {

constexpr std::int64_t kNow = 1772409600;  // 2026-03-02T00:00:00Z

struct Tenancy {
  Engine engine;

  Tenancy() {
    test::load_policy(engine, "policies/tenancy");
    FactSet f;
    f.entities = {{"user", "alice", "acme", {}},   {"user", "bob", "globex", {}}, {"user", "sam", "ops", {}},
                  {"user", "nora", "", {}},        {"user", "tina", "acme", {}},
                  {"workspace", "w-acme", "acme", {}}, {"workspace", "w-globex", "globex", {}},
                  {"workspace", "w-default", "", {}},  {"secret", "s-acme", "acme", {}}};
    f.roles = {{"user", "alice", "member", "", ""},
               {"user", "bob", "member", "", ""},
               {"user", "nora", "member", "", ""},
               {"user", "sam", "support", "", ""},
               {"user", "tina", "tenant_admin", "", ""}};
    REQUIRE(engine.replace_facts(f).ok);
  }

  static TestRequest request(const std::string& who, const std::string& action, const std::string& type,
                             const std::string& id, const std::string& header_tenant = "") {
    TestRequest r = test::action_request(who, action, type, id, kNow);
    r.request_id = "req-" + who + "-" + id;
    r.client_ip = "10.1.2.3";
    if (!header_tenant.empty()) r.headers = {{"X-Tenant-ID", header_tenant}};
    return r;
  }

  Decision decide(const TestRequest& r) const { return engine.decide(r.view()); }
};

}  // namespace

TEST_CASE("cross-tenant access is denied with TENANT_MISMATCH", "[scenario][tenancy]") {
  Tenancy s;
  const Decision ok = s.decide(Tenancy::request("alice", "read", "workspace", "w-acme"));
  CHECK(ok.outcome == Outcome::Allow);
  CHECK(ok.tenant.view() == "acme");
  CHECK(ok.request_id.view() == "req-alice-w-acme");
  CHECK(ok.rules[0].name.view() == "members_read");

  const Decision d = s.decide(Tenancy::request("alice", "read", "workspace", "w-globex"));
  CHECK(d.outcome == Outcome::Deny);
  CHECK(d.code.view() == "TENANT_MISMATCH");
  CHECK(d.tenant.view() == "acme");
  CHECK(d.request_id.view() == "req-alice-w-globex");
  CHECK(d.message.view().find("tenant `acme` may not reach tenant `globex`") != std::string_view::npos);
  // A tenant admin's `* on *` does not cross tenants either.
  CHECK(s.decide(Tenancy::request("tina", "delete", "workspace", "w-globex")).code.view() == "TENANT_MISMATCH");
  CHECK(s.decide(Tenancy::request("tina", "delete", "workspace", "w-acme")).outcome == Outcome::Allow);
}

TEST_CASE("without any tenant, principals and resources live in \"default\"", "[scenario][tenancy]") {
  Tenancy s;
  const Decision d = s.decide(Tenancy::request("nora", "read", "workspace", "w-default"));
  CHECK(d.outcome == Outcome::Allow);
  CHECK(d.tenant.view() == "default");
  CHECK(s.decide(Tenancy::request("nora", "read", "workspace", "w-acme")).code.view() == "TENANT_MISMATCH");
  CHECK(s.decide(Tenancy::request("alice", "read", "workspace", "w-default")).code.view() == "TENANT_MISMATCH");
  // An unknown resource is in the default tenant too.
  const Decision unknown = s.decide(Tenancy::request("nora", "read", "workspace", "w-nowhere"));
  CHECK(unknown.outcome == Outcome::Allow);
}

TEST_CASE("the request's tenant: header, then principal, then the default", "[scenario][tenancy]") {
  Tenancy s;
  // The header comes first, whatever its letter case.
  TestRequest r = Tenancy::request("bob", "read", "workspace", "w-globex", "globex");
  r.headers = {{"x-tenant-id", "globex"}};
  CHECK(s.decide(r).tenant.view() == "globex");
  // Then the principal's own tenant.
  CHECK(s.decide(Tenancy::request("bob", "read", "workspace", "w-globex")).tenant.view() == "globex");
  // Then the default, for a principal without a tenant.
  CHECK(s.decide(Tenancy::request("nora", "read", "workspace", "w-default")).tenant.view() == "default");
  CHECK(s.decide(Tenancy::request("stranger", "read", "workspace", "w-default")).tenant.view() == "default");
  // An explicit tenant in the request wins over every source.
  TestRequest explicit_tenant = Tenancy::request("bob", "read", "workspace", "w-globex", "acme");
  explicit_tenant.tenant = "globex";
  CHECK(s.decide(explicit_tenant).tenant.view() == "globex");
  // A principal whose tenant is known cannot act in another one by naming it
  // in the header: the header sets the request's tenant, and the principal
  // must be in it.
  const Decision spoof = s.decide(Tenancy::request("alice", "read", "workspace", "w-globex", "globex"));
  CHECK(spoof.tenant.view() == "globex");
  CHECK(spoof.outcome == Outcome::Deny);
  CHECK(spoof.code.view() == "TENANT_MISMATCH");
}

TEST_CASE("support reads across tenants through the cross_tenant rule, and only that", "[scenario][tenancy]") {
  Tenancy s;
  TestRequest vpn = Tenancy::request("sam", "read", "workspace", "w-acme");
  vpn.client_ip = "10.20.1.7";
  const Decision d = s.decide(vpn);
  INFO(d.message.view());
  CHECK(d.outcome == Outcome::Allow);
  CHECK(d.tenant.view() == "ops");
  REQUIRE(d.rule_count == 1);
  CHECK(d.rules[0].name.view() == "support_read");
  CHECK(d.source == SourceKind::Role);
  // From elsewhere in the office, the monitored VPN rule would deny: still
  // allowed, and reported with its code, its message and both rules.
  const Decision office = s.decide(Tenancy::request("sam", "read", "workspace", "w-acme"));
  CHECK(office.outcome == Outcome::WouldDeny);
  CHECK(office.code.view() == "SUPPORT_OFF_VPN");
  CHECK(office.message.view() == "sam may reach tenant acme only through the support VPN");
  REQUIRE(office.rule_count == 2);
  CHECK(office.rules[0].name.view() == "support_off_vpn");
  CHECK(office.rules[0].monitor);
  CHECK(office.rules[1].name.view() == "support_read");
  // Only from the office network …
  TestRequest outside = Tenancy::request("sam", "read", "workspace", "w-acme");
  outside.client_ip = "8.8.8.8";
  CHECK(s.decide(outside).code.view() == "TENANT_MISMATCH");
  // … and never secrets or writes.
  CHECK(s.decide(Tenancy::request("sam", "read", "secret", "s-acme")).code.view() == "TENANT_MISMATCH");
  CHECK(s.decide(Tenancy::request("sam", "update", "workspace", "w-acme")).code.view() == "TENANT_MISMATCH");
}

TEST_CASE("a principal with no tenant of its own is isolated in the default tenant", "[scenario][tenancy]") {
  Tenancy s;
  // nora has no tenant of her own, so she is in the default tenant: naming
  // tenant acme in the header does not take her there. No rule decides.
  const Decision d = s.decide(Tenancy::request("nora", "read", "workspace", "w-acme", "acme"));
  INFO(d.message.view());
  CHECK(d.outcome == Outcome::Deny);
  CHECK(d.code.view() == "TENANT_MISMATCH");
  CHECK(d.tenant.view() == "acme");
  CHECK(d.message.view() == "user `nora` may not `read` workspace `w-acme`: tenant `acme` may not reach tenant `default`");
  CHECK(d.rule_count == 0);
  // In her own tenant, a plain allow.
  CHECK(s.decide(Tenancy::request("nora", "read", "workspace", "w-default")).outcome == Outcome::Allow);
}
