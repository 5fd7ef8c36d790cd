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
