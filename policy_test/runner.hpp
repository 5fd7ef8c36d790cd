// Running policy test suites: each case's request is decided by an Engine
// loaded with the suite's policy and facts, and the decision is compared
// with what the case expects.
//
// Pipeline position: policy_test/, between the suite reader (suite.hpp) and
// the `warden test` command, which prints the results (test_command.cpp).
// Each policy is compiled once however many suites test it, and the
// decisions of all its cases feed one coverage record (coverage.hpp).
// Nothing here prints; errors are kept as text on the results.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compiler/driver.hpp"
#include "policy_test/coverage.hpp"
#include "policy_test/suite.hpp"
#include "warden/engine.hpp"
#include "warden/facts_json.hpp"

namespace warden::policy_test {

struct CaseResult {
  const TestCase* test = nullptr;
  bool passed = false;
  std::string error;                    // the case could not be run (bad request or facts)
  std::vector<std::string> mismatches;  // "code: expected `A`, got `B`", one per failed expectation
  Decision decision;
  Trace trace;
};

// A policy under test, shared by the suites that name it.
struct TestedPolicy {
  std::string display;      // the normalized path, as shown
  std::string error;        // why it could not be loaded (diagnostics as `warden check` renders them)
  compiler::Compilation compiled;  // by the compiler driver; usable when error is empty
  Observed observed;
  std::vector<std::string> suites;  // suite files testing it
};

struct SuiteResult {
  Suite suite;
  std::string error;               // the suite could not be read, or its policy or facts not loaded
  // Facts the policy does not declare, loaded anyway (FactsCheck::Warn):
  // one `file:line:col: warning[F04xx]: …` line each, the suite's and its
  // cases' own.
  std::vector<std::string> warnings;
  TestedPolicy* policy = nullptr;  // null when the suite could not be read
  std::vector<CaseResult> cases;
  std::size_t passed() const;
  // Cases that failed; a suite that could not run counts all its cases
  // (at least one).
  std::size_t failed() const;
};

class TestRun {
 public:
  // Facts are read under the suite's policy: what it does not declare
  // (F04xx) fails the suite, or the case whose own facts name it (Refuse),
  // or is a warning on the suite (Warn).
  explicit TestRun(FactsCheck facts_check = FactsCheck::Refuse) : facts_check_(facts_check) {}

  // Read and run one suite file.
  void run_file(const std::filesystem::path& file);

  const std::vector<std::unique_ptr<SuiteResult>>& suites() const { return suites_; }
  // Policies in the order first tested.
  const std::vector<TestedPolicy*>& policies() const { return order_; }

  std::size_t passed() const;
  std::size_t failed() const;

 private:
  TestedPolicy& policy(const std::filesystem::path& path);

  std::vector<std::unique_ptr<SuiteResult>> suites_;
  std::map<std::string, std::unique_ptr<TestedPolicy>> policies_;  // by absolute path
  std::vector<TestedPolicy*> order_;
  FactsCheck facts_check_;
};

// Compare a decision with an expectation; returns what differs (empty: pass).
std::vector<std::string> compare(const Expectation& expect, const Decision& d);

// "deny SCOPE_MISSING rule `x` source scope grant `g1`": the expectation in
// one line, and the same fields of a decision.
std::string expectation_text(const Expectation& expect);
std::string actual_text(const Expectation& expect, const Decision& d);

}  // namespace warden::policy_test
