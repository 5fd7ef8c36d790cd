// The peer benchmark's scenario (bench/peers/) as a differential test: on a
// small generated instance (fixtures/peers/), Warden — the policy of
// bench/peers/warden/, facts built through the public API — decides every
// request exactly like the benchmark's hand-written C++ evaluator, an
// independent oracle for endpoint scopes, org-scoped roles, ownership,
// grants through teams and orgs, expiry and revocation. Keeps the benchmark
// honest as the runtime changes: the benchmark itself refuses to time
// engines that disagree, but only runs on demand.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "bench/peers/cpp/plain_evaluator.hpp"
#include "bench/peers/cpp/scenario_data.hpp"
#include "bench/peers/cpp/warden_facts.hpp"
#include "tests/runtime/compile_helper.hpp"
#include "warden/engine.hpp"

namespace {

using namespace warden;

TEST_CASE("Warden decides the peer scenario like the hand-written evaluator") {
  const peers::Scenario scenario = peers::read_scenario("fixtures/peers");
  const std::vector<peers::HttpRequest> requests = peers::read_requests("fixtures/peers");
  REQUIRE(requests.size() == 2000);

  Engine engine;
  test::load_policy(engine, "bench/peers/warden");
  const Status loaded = engine.replace_facts(peers::to_fact_set(scenario));
  REQUIRE(loaded.ok);
  const peers::PlainEvaluator plain(scenario);

  std::map<std::string, std::size_t> codes;
  std::size_t disagreements = 0;
  Decision d;
  for (const auto& h : requests) {
    Request r;
    r.api_key = h.key;
    r.method = h.method;
    r.path = h.path;
    r.time = scenario.now;
    engine.decide(r, d);
    ++codes[d.code.str()];
    if (d.allowed() != plain.decide(h)) {
      ++disagreements;
      UNSCOPED_INFO(h.key << " " << h.method << " " << h.path << ": Warden " << d.code.view() << ", hand-written "
                          << (d.allowed() ? "deny" : "allow"));
    }
  }
  CHECK(disagreements == 0);

  // The instance reaches every outcome the scenario has, so agreement means
  // something: allows and each kind of deny.
  for (const char* code : {"ALLOW", "SCOPE_MISSING", "PERMISSION_DENIED", "GRANT_EXPIRED", "GRANT_REVOKED",
                           "MODEL_ARCHIVED", "MODEL_NOT_STAGED", "NO_MATCHING_ENDPOINT"}) {
    INFO(code);
    CHECK(codes[code] > 0);
  }
}

}  // namespace
