// End-to-end scenarios on the model_permissions reference policy: grants to
// users, teams and organizations, levels, expiry and revocation, type-wide
// grants, ownership and the archived freeze — through Engine with FactSet
// facts, asserting the outcome, code, determining rule, permission source and
// grant id an access log would record.
#include <catch2/catch.hpp>

#include "tests/runtime/compile_helper.hpp"
#include "tests/runtime/test_request.hpp"

using namespace warden;
using warden::test::TestRequest;

namespace {

constexpr std::int64_t kNow = 1772409600;  // 2026-03-02T00:00:00Z
constexpr std::int64_t kDay = 86400;

Grant grant(std::string id, std::string subject_type, std::string subject, std::string model, std::string level) {
  Grant g;
  g.id = std::move(id);
  g.subject_type = std::move(subject_type);
  g.subject_id = std::move(subject);
  g.resource_type = "model";
  g.resource_id = std::move(model);
  g.level = std::move(level);
  g.reason = "scenario";
  return g;
}

Entity model(std::string id, std::string owner, std::string stage, bool sensitive = false) {
  return Entity{"model", std::move(id), "", {{"org", FactValue::string("acme")},
                                             {"owner", FactValue::string(std::move(owner))},
                                             {"stage", FactValue::string(std::move(stage))},
                                             {"sensitive", FactValue::flag(sensitive)}}};
}

struct ModelPermissions {
  Engine engine;
  FactSet facts;

  ModelPermissions() {
    test::load_policy(engine, "policies/model_permissions");
    // acme ⊃ teams ml-platform and vision; alice in ml-platform, carol in
    // vision, bob in acme directly; dave owns the models; erin and frank
    // belong nowhere.
    facts.entities = {{"org", "acme", "", {}},        {"team", "ml-platform", "", {}}, {"team", "vision", "", {}},
                      {"user", "alice", "", {}},      {"user", "bob", "", {}},         {"user", "carol", "", {}},
                      {"user", "dave", "", {}},       {"user", "erin", "", {}},        {"user", "frank", "", {}},
                      {"user", "root", "", {}}};
    facts.memberships = {{"user", "alice", "team", "ml-platform"},
                         {"user", "carol", "team", "vision"},
                         {"user", "bob", "org", "acme"},
                         {"team", "ml-platform", "org", "acme"},
                         {"team", "vision", "org", "acme"}};
    facts.roles = {{"user", "root", "platform_admin", "", ""}};
    for (const char* id : {"m1", "m2", "m3", "m4", "m5", "m6", "m7"}) facts.entities.push_back(model(id, "dave", "none"));
    facts.entities.push_back(model("m8", "dave", "archived"));
    facts.entities.push_back(model("m9", "dave", "none", true));
    facts.entities.push_back(model("m10", "dave", "staging"));

    facts.grants.push_back(grant("g-team-write", "team", "ml-platform", "m1", "write"));
    facts.grants.push_back(grant("g-org-read", "org", "acme", "m2", "read"));
    // On m3, alice holds read directly, execute through her team and write
    // through the organization: the highest wins.
    facts.grants.push_back(grant("g-direct-read", "user", "alice", "m3", "read"));
    facts.grants.push_back(grant("g-team-exec", "team", "ml-platform", "m3", "execute"));
    facts.grants.push_back(grant("g-org-write", "org", "acme", "m3", "write"));
    Grant expired = grant("g-expired", "user", "alice", "m4", "admin");
    expired.expires_at = kNow - kDay;
    facts.grants.push_back(expired);
    Grant later = grant("g-later", "user", "bob", "m4", "admin");
    later.expires_at = kNow + kDay;
    facts.grants.push_back(later);
    Grant revoked = grant("g-revoked", "user", "alice", "m5", "write");
    revoked.active = false;
    facts.grants.push_back(revoked);
    // erin: a type-wide write grant, overridden on m7 by a read grant.
    facts.grants.push_back(grant("g-type-write", "user", "erin", "*", "write"));
    facts.grants.push_back(grant("g-erin-m7", "user", "erin", "m7", "read"));
    facts.grants.push_back(grant("g-alice-m8", "user", "alice", "m8", "admin"));
    facts.grants.push_back(grant("g-frank-m9", "user", "frank", "m9", "read"));
    facts.grants.push_back(grant("g-bob-m9", "user", "bob", "m9", "write"));
    facts.grants.push_back(grant("g-carol-m10", "user", "carol", "m10", "execute"));
    REQUIRE(engine.replace_facts(facts).ok);
  }

  Decision decide(const std::string& who, const std::string& action, const std::string& id, std::int64_t at = kNow) {
    const TestRequest r = test::action_request(who, action, "model", id, at);
    return engine.decide(r.view());
  }
};

}  // namespace

TEST_CASE("a team grant gives a member write, and no more", "[scenario][model_permissions]") {
  ModelPermissions s;
  const Decision d = s.decide("alice", "update", "m1");
  INFO(d.message.view());
  CHECK(d.outcome == Outcome::Allow);
  REQUIRE(d.rule_count == 1);
  CHECK(d.rules[0].name.view() == "granted");
  CHECK(d.rules[0].file.view() == "model.warden");
  CHECK(d.source == SourceKind::TeamGrant);
  CHECK(d.source_detail.view().find("team `ml-platform`") != std::string_view::npos);
  CHECK(d.grant_id.view() == "g-team-write");

  // write implies read, but not the admin actions.
  CHECK(s.decide("alice", "read", "m1").outcome == Outcome::Allow);
  const Decision del = s.decide("alice", "delete", "m1");
  CHECK(del.outcome == Outcome::Deny);
  CHECK(del.code.view() == "PERMISSION_DENIED");
  // Not a member of the team: nothing.
  CHECK(s.decide("carol", "read", "m1").code.view() == "PERMISSION_DENIED");
}

TEST_CASE("an organization grant flows to members, directly and through teams", "[scenario][model_permissions]") {
  ModelPermissions s;
  for (const char* who : {"carol", "alice", "bob"}) {
    const Decision d = s.decide(who, "download", "m2");
    INFO(who << ": " << d.message.view());
    CHECK(d.outcome == Outcome::Allow);
    CHECK(d.source == SourceKind::TeamGrant);
    CHECK(d.source_detail.view().find("org `acme`") != std::string_view::npos);
    CHECK(d.grant_id.view() == "g-org-read");
  }
  CHECK(s.decide("frank", "read", "m2").code.view() == "PERMISSION_DENIED");
  CHECK(s.decide("carol", "update", "m2").code.view() == "PERMISSION_DENIED");
}

TEST_CASE("the highest level wins among direct, team and organization grants", "[scenario][model_permissions]") {
  ModelPermissions s;
  for (const char* action : {"read", "update", "execute"}) {
    const Decision d = s.decide("alice", action, "m3");
    INFO(action);
    CHECK(d.outcome == Outcome::Allow);
    CHECK(d.grant_id.view() == "g-team-exec");
    CHECK(d.source == SourceKind::TeamGrant);
  }
  const Decision del = s.decide("alice", "delete", "m3");
  CHECK(del.outcome == Outcome::Deny);
  CHECK(del.code.view() == "PERMISSION_DENIED");
  // bob (in acme, not in the team) has only the organization's write.
  const Decision bob = s.decide("bob", "read", "m3");
  CHECK(bob.outcome == Outcome::Allow);
  CHECK(bob.grant_id.view() == "g-org-write");
  CHECK(s.decide("bob", "execute", "m3").code.view() == "PERMISSION_DENIED");
}

TEST_CASE("an expired grant does not count, and the deny says so", "[scenario][model_permissions]") {
  ModelPermissions s;
  const Decision d = s.decide("alice", "delete", "m4");
  CHECK(d.outcome == Outcome::Deny);
  CHECK(d.code.view() == "GRANT_EXPIRED");
  CHECK(d.grant_id.view() == "g-expired");
  CHECK(d.message.view().find("g-expired") != std::string_view::npos);
  // Before it expired, it did.
  const Decision before = s.decide("alice", "delete", "m4", kNow - 2 * kDay);
  CHECK(before.outcome == Outcome::Allow);
  CHECK(before.source == SourceKind::DirectGrant);
  CHECK(before.grant_id.view() == "g-expired");
  // A grant expires at its instant, not a second later.
  const Decision bob_at_expiry = s.decide("bob", "delete", "m4", kNow + kDay);
  CHECK(bob_at_expiry.code.view() == "GRANT_EXPIRED");
  CHECK(s.decide("bob", "delete", "m4", kNow + kDay - 1).outcome == Outcome::Allow);
}

TEST_CASE("a revoked grant does not count: GRANT_REVOKED", "[scenario][model_permissions]") {
  ModelPermissions s;
  const Decision d = s.decide("alice", "update", "m5");
  CHECK(d.outcome == Outcome::Deny);
  CHECK(d.code.view() == "GRANT_REVOKED");
  CHECK(d.grant_id.view() == "g-revoked");
}

TEST_CASE("a type-wide grant applies where no resource-specific grant exists, which takes precedence",
          "[scenario][model_permissions]") {
  ModelPermissions s;
  const Decision m6 = s.decide("erin", "update", "m6");
  CHECK(m6.outcome == Outcome::Allow);
  CHECK(m6.source == SourceKind::TypeGrant);
  CHECK(m6.grant_id.view() == "g-type-write");
  // On m7 her read grant is the one that counts: no update, read through it.
  const Decision update_m7 = s.decide("erin", "update", "m7");
  CHECK(update_m7.outcome == Outcome::Deny);
  CHECK(update_m7.code.view() == "PERMISSION_DENIED");
  const Decision read_m7 = s.decide("erin", "read", "m7");
  CHECK(read_m7.outcome == Outcome::Allow);
  CHECK(read_m7.source == SourceKind::DirectGrant);
  CHECK(read_m7.grant_id.view() == "g-erin-m7");
  // A type-wide grant needs a resource: `create`-style requests without an id
  // are not covered by it.
  CHECK(s.decide("erin", "read", "").outcome == Outcome::Deny);
}

TEST_CASE("the owner has full access without a grant; platform admins through their role",
          "[scenario][model_permissions]") {
  ModelPermissions s;
  const Decision d = s.decide("dave", "delete", "m1");
  CHECK(d.outcome == Outcome::Allow);
  REQUIRE(d.rule_count == 1);
  CHECK(d.rules[0].name.view() == "owner_full_access");
  CHECK(d.source == SourceKind::Condition);
  CHECK(d.grant_id.empty());
  // Serving needs a staged model, even for the owner.
  CHECK(s.decide("dave", "deploy", "m1").code.view() == "PERMISSION_DENIED");
  CHECK(s.decide("dave", "deploy", "m10").outcome == Outcome::Allow);
  CHECK(s.decide("carol", "deploy", "m10").outcome == Outcome::Allow);  // execute grant, staged

  const Decision admin = s.decide("root", "manage_permissions", "m2");
  CHECK(admin.outcome == Outcome::Allow);
  CHECK(admin.source == SourceKind::Role);
  CHECK(admin.rules[0].name.view() == "platform_admins");
}

TEST_CASE("an archived model is frozen with its own code and message", "[scenario][model_permissions]") {
  ModelPermissions s;
  const Decision d = s.decide("alice", "update", "m8");
  CHECK(d.outcome == Outcome::Deny);
  CHECK(d.code.view() == "MODEL_ARCHIVED");
  CHECK(d.message.view() == "model m8 is archived; update is not allowed until it is restored");
  REQUIRE(d.rule_count == 1);
  CHECK(d.rules[0].name.view() == "archived_frozen");
  CHECK(d.rules[0].deny);
  // Deny overrides every allow, the owner's included; reading and deleting stay.
  CHECK(s.decide("dave", "execute", "m8").code.view() == "MODEL_ARCHIVED");
  CHECK(s.decide("alice", "read", "m8").outcome == Outcome::Allow);
  CHECK(s.decide("alice", "delete", "m8").outcome == Outcome::Allow);
}

TEST_CASE("a sensitive model's weights need a write grant", "[scenario][model_permissions]") {
  ModelPermissions s;
  const Decision frank = s.decide("frank", "download", "m9");
  CHECK(frank.outcome == Outcome::Deny);
  CHECK(frank.code.view() == "SENSITIVE_MODEL");
  CHECK(s.decide("frank", "read", "m9").outcome == Outcome::Allow);
  CHECK(s.decide("bob", "download", "m9").outcome == Outcome::Allow);
  CHECK(s.decide("dave", "download", "m9").outcome == Outcome::Allow);
}

TEST_CASE("grant changes apply incrementally without a reload", "[scenario][model_permissions]") {
  ModelPermissions s;
  CHECK(s.decide("frank", "update", "m6").code.view() == "PERMISSION_DENIED");
  REQUIRE(s.engine.apply(FactsUpdate{}.upsert(grant("g-new", "user", "frank", "m6", "write"))).ok);
  const Decision d = s.decide("frank", "update", "m6");
  CHECK(d.outcome == Outcome::Allow);
  CHECK(d.grant_id.view() == "g-new");
  Grant revoked = grant("g-new", "user", "frank", "m6", "write");
  revoked.active = false;
  REQUIRE(s.engine.apply(FactsUpdate{}.upsert(revoked)).ok);
  CHECK(s.decide("frank", "update", "m6").code.view() == "GRANT_REVOKED");
}
