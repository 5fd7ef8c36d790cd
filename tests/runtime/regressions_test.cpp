// Guards for fixed bugs: each case failed before its fix and must keep
// passing (a fixed bug is no longer a known issue: known_issues_test.cpp
// holds only the open ones).
#include <catch2/catch.hpp>

#include "tests/runtime/compile_helper.hpp"
#include "tests/runtime/test_request.hpp"

using namespace warden;

namespace {

constexpr std::int64_t kNow = 1772409600;  // 2026-03-02T00:00:00Z

}  // namespace

// compiler/lower.cpp used to lower every item of `in [...]` with
// lower_value(), so a path item became a meaningless constant instead of a
// LoadPath and the condition allowed every topic. It is now a chain of
// comparisons; this guard fails if that breaks again.
TEST_CASE("an attribute path inside `in [...]` is compared by its value", "[runtime][regression]") {
  Engine engine;
  test::load_policy(engine, "fixtures/runtime/regressions/in_list_paths");
  FactSet f;
  f.entities.push_back({"user", "u", "", {{"department", FactValue::string("ml")}}});
  f.entities.push_back({"doc", "ml-notes", "", {{"topic", FactValue::string("ml")}}});
  f.entities.push_back({"doc", "hr-notes", "", {{"topic", FactValue::string("hr")}}});
  f.entities.push_back({"doc", "faq", "", {{"topic", FactValue::string("public")}}});
  REQUIRE(engine.replace_facts(f).ok);
  auto decide = [&](const char* doc) { return engine.decide(test::action_request("u", "read", "doc", doc, kNow).view()); };
  CHECK(decide("ml-notes").outcome == Outcome::Allow);
  CHECK(decide("faq").outcome == Outcome::Allow);
  CHECK(decide("hr-notes").outcome == Outcome::Deny);
}

// docs/language.md: "Every principal has the built-in attributes `id` and
// `tenant`", and the checker accepts both in a policy that declares no
// principal type — but the lowered path had no step for any type, so the
// runtime found them missing and the condition failed closed (EVAL_ERROR).
// runtime/policy_index.cpp now resolves them for any principal.
TEST_CASE("`principal.id` and `principal.tenant` resolve without declared principal types", "[runtime][regression]") {
  Engine engine;
  test::load_policy(engine, "fixtures/runtime/regressions/principal_builtins");
  FactSet f;
  f.entities.push_back({"user", "carl", "acme", {}});
  REQUIRE(engine.replace_facts(f).ok);
  const Decision alice = engine.decide(test::action_request("alice", "read", "doc", "d", kNow).view());
  CHECK(alice.outcome == Outcome::Allow);
  CHECK(alice.code.view() == "ALLOW");
  const Decision bob = engine.decide(test::action_request("bob", "read", "doc", "d", kNow).view());
  CHECK(bob.code.view() == "PERMISSION_DENIED");
  // The tenant of the principal's entity, else the default tenant.
  const Decision carl = engine.decide(test::action_request("carl", "write", "doc", "d", kNow).view());
  CHECK(carl.outcome == Outcome::Allow);
  const Decision alice_writes = engine.decide(test::action_request("alice", "write", "doc", "d", kNow).view());
  CHECK(alice_writes.code.view() == "PERMISSION_DENIED");
  // Of a principal type the facts alone know, too.
  test::TestRequest service = test::action_request("alice", "read", "doc", "d", kNow);
  service.principal_type = "service";
  CHECK(engine.decide(service.view()).outcome == Outcome::Allow);
  // An anonymous request has no `principal.id`: the condition cannot hold.
  const Decision anonymous = engine.decide(test::action_request("", "read", "doc", "d", kNow).view());
  CHECK(anonymous.outcome == Outcome::Deny);
}
