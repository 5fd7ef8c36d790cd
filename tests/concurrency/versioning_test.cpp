// Versioning: every decision reports the policy fingerprint and the facts
// version it was made with, and they move exactly when a reload or an update
// is published — never on a refused one.
#include <catch2/catch.hpp>

#include "tests/concurrency/stress_world.hpp"

namespace {

using namespace warden;

Decision decide(const Engine& engine) { return engine.decide(test::stress_request(false)); }

}  // namespace

TEST_CASE("decisions carry the fingerprint and facts version of the pair they were made with") {
  const test::StressArtifacts w;
  Engine engine;

  // Nothing loaded yet: no fingerprint, and the empty facts of a new Engine.
  Decision d = decide(engine);
  CHECK(d.code.view() == "NO_POLICY");
  CHECK(d.policy_fingerprint == 0);

  REQUIRE(engine.load_policy(w.a).ok);
  REQUIRE(engine.replace_facts(test::initial_stress_facts()).ok);
  d = decide(engine);
  CHECK(d.policy_fingerprint == w.fingerprint_a);
  CHECK(d.facts_version == 1);
  CHECK(d.grant_id.view() == "g1");

  SECTION("a policy reload changes the fingerprint and keeps the facts version") {
    REQUIRE(engine.load_policy(w.b).ok);
    d = decide(engine);
    CHECK(d.policy_fingerprint == w.fingerprint_b);
    CHECK(d.facts_version == 1);
    CHECK(engine.policy_fingerprint() == w.fingerprint_b);
  }

  SECTION("a fact update bumps the facts version and keeps the fingerprint") {
    REQUIRE(engine.apply(test::next_update(1)).ok);
    d = decide(engine);
    CHECK(d.policy_fingerprint == w.fingerprint_a);
    CHECK(d.facts_version == 2);
    CHECK(d.grant_id.view() == "g2");
    REQUIRE(engine.apply(test::next_update(2)).ok);
    CHECK(decide(engine).facts_version == 3);
  }

  SECTION("a full replacement of the facts moves the version forward too") {
    REQUIRE(engine.apply(test::next_update(1)).ok);
    REQUIRE(engine.replace_facts(test::initial_stress_facts()).ok);
    CHECK(decide(engine).facts_version == 3);
  }

  SECTION("a refused artifact or update changes neither") {
    for (unsigned i = 0; i < 3; ++i) {
      const Status s = engine.load_policy(w.corrupt(i));
      CHECK_FALSE(s.ok);
      CHECK(s.code.rfind("E050", 0) == 0);
    }
    FactsUpdate bad;
    bad.remove(test::stress_grant(99));
    CHECK_FALSE(engine.apply(bad).ok);
    d = decide(engine);
    CHECK(d.policy_fingerprint == w.fingerprint_a);
    CHECK(d.facts_version == 1);
    CHECK(d.allowed());
  }

  SECTION("reloading the same artifact keeps its fingerprint") {
    REQUIRE(engine.load_policy(w.a).ok);
    CHECK(decide(engine).policy_fingerprint == w.fingerprint_a);
  }
}
