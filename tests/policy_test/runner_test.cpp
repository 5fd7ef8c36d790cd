// The runner behind `warden test` as a library (policy_test/runner.hpp,
// coverage.hpp): suites decided against their policy, compiled once through
// the driver; failures with what differs; coverage from the decisions.
//
// Runs from the source root (CTest sets the working directory).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "policy_test/coverage.hpp"
#include "policy_test/runner.hpp"

using namespace warden;
using namespace warden::policy_test;

TEST_CASE("the reference suites pass with full coverage", "[test-runner]") {
  TestRun run;
  for (const auto& file : discover_suites({"fixtures/suites/gateway"}).files) run.run_file(file);
  REQUIRE(run.suites().size() >= 1);
  CHECK(run.failed() == 0);
  CHECK(run.passed() > 10);
  REQUIRE(run.policies().size() == 1);
  const TestedPolicy& p = *run.policies()[0];
  REQUIRE(p.error.empty());
  const PolicyCoverage c = coverage(*p.compiled.program, p.compiled.location, p.display, p.observed);
  CHECK(c.gaps() == 0);
}

TEST_CASE("a failing suite reports each case with what differs", "[test-runner]") {
  TestRun run;
  run.run_file("tests/cli/suites/failing.test.json");
  CHECK(run.passed() == 1);
  CHECK(run.failed() == 2);
  const SuiteResult& s = *run.suites().at(0);
  const auto wrong = std::find_if(s.cases.begin(), s.cases.end(), [](const CaseResult& c) { return !c.mismatches.empty(); });
  REQUIRE(wrong != s.cases.end());
  CHECK(std::count(wrong->mismatches.begin(), wrong->mismatches.end(), "code: expected `SCOPE_MISSING`, got `ALLOW`") == 1);
  const auto invalid = std::find_if(s.cases.begin(), s.cases.end(), [](const CaseResult& c) { return !c.error.empty(); });
  REQUIRE(invalid != s.cases.end());
  CHECK(invalid->error.find("error[F0202]: request: missing field `path`") != std::string::npos);
}

TEST_CASE("coverage lists what no case exercised, with locations", "[test-runner]") {
  TestRun run;
  run.run_file("tests/cli/suites/partial.test.json");
  REQUIRE(run.failed() == 0);
  const TestedPolicy& p = *run.policies().at(0);
  const PolicyCoverage c = coverage(*p.compiled.program, p.compiled.location, p.display, p.observed);
  CHECK(c.gaps() > 0);
  const auto writers = std::find_if(c.rules.begin(), c.rules.end(), [](const CoverageItem& i) { return i.name == "model_writers"; });
  REQUIRE(writers != c.rules.end());
  CHECK_FALSE(writers->covered);
  CHECK(writers->location == "policies/gateway/rules.warden:26:7");
}

TEST_CASE("a suite whose policy does not compile fails with the policy's errors", "[test-runner]") {
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("warden-runner-" + std::to_string(::getpid()) + ".test.json");
  std::ofstream(file) << R"({"policy": ")" << std::filesystem::absolute("fixtures/diagnostics/E0204").generic_string()
                      << R"(", "cases": [{"name": "x", "request": {"action": "read", "resource": {"type": "doc"}},
                                           "expect": {"decision": "deny"}}]})";
  TestRun run;
  run.run_file(file);
  std::filesystem::remove(file);
  REQUIRE(run.suites().size() == 1);
  CHECK(run.failed() == 1);
  const std::string& error = run.suites()[0]->error;
  CHECK(error.find("error[E0204]") != std::string::npos);
  CHECK(error.find("1 error in the policy `") != std::string::npos);
}
