// `warden test [options] PATH...` — run policy test suites (`*.test.json`)
// and report failures and, on request, coverage.
//
// The suites are read and run by policy_test/runner.hpp; this file parses the
// options and prints. Text output shows each suite, every failing case with
// expected vs actual, the explanation and the trace, then the coverage, and
// ends with the line `N passed, N failed`. Exit status: 0 every case passed
// (and, with --require-coverage, nothing is uncovered), 1 failures or gaps,
// 2 usage, a path that does not exist or no suite found.
#include <iostream>

#include "cli/commands.hpp"
#include "policy_test/runner.hpp"
#include "support/json_writer.hpp"
#include "warden/explain.hpp"

namespace warden::cli {
namespace {

using namespace policy_test;

constexpr Option kOptions[] = {
    {"--coverage", "", "", "report the rules, endpoints and denial codes no case exercised"},
    {"--require-coverage", "", "", "as --coverage, and fail (exit 1) when anything is uncovered"},
    {"--format", "", "text|json", "output format (default: text)"},
    {"--verbose", "-v", "", "list passing cases too"},
    {"--facts-check", "", "refuse|warn",
     "facts naming what the policy does not declare: fail the suite (default) or warn"},
};

struct Options {
  std::vector<std::string> paths;
  bool coverage = false;
  bool require_coverage = false;
  bool json = false;
  bool verbose = false;
  FactsCheck facts_check = FactsCheck::Refuse;
};

void indent(std::ostream& out, const std::string& text, const char* prefix) {
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    out << prefix << text.substr(start, end - start) << "\n";
    if (end == std::string::npos) break;
    start = end + 1;
  }
}

void print_case_failure(const SuiteResult& s, const CaseResult& c, std::ostream& out) {
  out << "  FAIL \"" << c.test->name << "\" (" << s.suite.file.generic_string() << ":" << c.test->line << ")\n";
  if (!c.error.empty()) {
    indent(out, c.error, "    ");
    return;
  }
  out << "    expected: " << expectation_text(c.test->expect) << "\n";
  out << "    actual:   " << actual_text(c.test->expect, c.decision) << "\n";
  for (const auto& m : c.mismatches) out << "    - " << m << "\n";
  out << "    explanation:\n";
  indent(out, explain_text(c.decision), "      ");
  if (!c.trace.events.empty()) {
    out << "    trace:\n";
    indent(out, trace_text(c.trace), "      ");
  }
}

void print_text(const TestRun& run, const std::vector<PolicyCoverage>& cov, const Options& o, std::ostream& out) {
  for (const auto& sp : run.suites()) {
    const SuiteResult& s = *sp;
    const std::string file = s.suite.file.generic_string();
    const std::string policy = s.policy ? "  (policy " + s.policy->display + ")" : "";
    if (!s.error.empty()) {
      out << "ERROR " << file << policy << "\n";
      indent(out, s.error, "  ");
      continue;
    }
    const std::size_t failed = s.failed();
    out << (failed ? "FAIL  " : "PASS  ") << file << policy << ": " << s.passed() << " passed, " << failed
        << " failed\n";
    for (const auto& w : s.warnings) out << "  " << w << "\n";
    for (const auto& c : s.cases) {
      if (!c.passed) print_case_failure(s, c, out);
      else if (o.verbose) out << "  ok   \"" << c.test->name << "\"\n";
    }
  }
  if (!o.coverage) return;
  std::size_t gaps = 0;
  out << "\ncoverage\n";
  for (const auto& c : cov) {
    out << "  " << c.policy << "\n";
    const std::pair<const char*, const std::vector<CoverageItem>*> groups[] = {
        {"rules", &c.rules}, {"endpoints", &c.endpoints}, {"codes", &c.codes}};
    for (const auto& [label, items] : groups) {
      std::size_t covered = 0;
      for (const auto& item : *items) covered += item.covered;
      std::string name = label;
      name.resize(11, ' ');
      out << "    " << name << covered << " of " << items->size() << "\n";
      for (const auto& item : *items) {
        if (!item.covered) out << "      missing  " << item.name << "  " << item.location << "\n";
      }
    }
    gaps += c.gaps();
  }
  out << (gaps ? "coverage: " + std::to_string(gaps) + (gaps == 1 ? " item" : " items") + " not exercised\n"
               : std::string("coverage: complete\n"));
}

void items_json(json::Writer& w, const char* key, const std::vector<CoverageItem>& items) {
  w.key(key).begin_array();
  for (const auto& i : items) {
    w.begin_object().field("name", i.name).field("location", i.location).field("covered", i.covered).end_object();
  }
  w.end_array();
}

void print_json(const TestRun& run, const std::vector<PolicyCoverage>& cov, const Options& o, std::ostream& out) {
  std::string buf;
  json::Writer w(buf);
  w.begin_object().key("suites").begin_array();
  for (const auto& sp : run.suites()) {
    const SuiteResult& s = *sp;
    w.begin_object().field("file", s.suite.file.generic_string());
    w.key("policy");
    s.policy ? w.string(s.policy->display) : w.null();
    w.key("passed").unsigned_integer(s.passed()).key("failed").unsigned_integer(s.failed());
    w.key("error");
    s.error.empty() ? w.null() : w.string(s.error);
    w.key("warnings").begin_array();
    for (const auto& warning : s.warnings) w.string(warning);
    w.end_array();
    w.key("cases").begin_array();
    for (const auto& c : s.cases) {
      w.begin_object().field("name", c.test->name).key("line").unsigned_integer(c.test->line);
      w.field("passed", c.passed).field("expected", expectation_text(c.test->expect));
      w.key("error");
      c.error.empty() ? w.null() : w.string(c.error);
      w.key("mismatches").begin_array();
      for (const auto& m : c.mismatches) w.string(m);
      w.end_array().key("decision");
      if (c.error.empty()) {
        w.raw(decision_json(c.decision, c.passed ? nullptr : &c.trace));
      } else {
        w.null();
      }
      w.end_object();
    }
    w.end_array().end_object();
  }
  w.end_array().key("coverage");
  if (o.coverage) {
    w.begin_array();
    for (const auto& c : cov) {
      w.begin_object().field("policy", c.policy).key("gaps").unsigned_integer(c.gaps());
      items_json(w, "rules", c.rules);
      items_json(w, "endpoints", c.endpoints);
      items_json(w, "codes", c.codes);
      w.end_object();
    }
    w.end_array();
  } else {
    w.null();
  }
  w.key("passed").unsigned_integer(run.passed()).key("failed").unsigned_integer(run.failed()).end_object();
  out << buf << "\n";
}

int run_suites(const Command& self, const ParsedArgs& args, std::ostream& out, std::ostream& err) {
  Options o;
  o.paths = args.operands();
  o.require_coverage = args.has("--require-coverage");
  o.coverage = o.require_coverage || args.has("--coverage");
  o.json = args.value("--format") == "json";
  o.verbose = args.has("--verbose");
  o.facts_check = args.value("--facts-check") == "warn" ? FactsCheck::Warn : FactsCheck::Refuse;
  if (o.paths.empty()) return usage_error(self, "no test suites given", err);
  const SuiteFiles found = discover_suites(o.paths);
  for (const auto& m : found.missing) print_error(err, Code::T0100, "cannot read `" + m + "`: no such file or directory");
  for (const auto& e : found.empty) print_error(err, Code::T0110, "no `*.test.json` suites under `" + e + "`");
  if (!found.missing.empty() || !found.empty.empty()) return kExitUsage;

  TestRun run(o.facts_check);
  for (const auto& file : found.files) run.run_file(file);
  std::vector<PolicyCoverage> cov;
  std::size_t gaps = 0;
  if (o.coverage) {
    for (const TestedPolicy* p : run.policies()) {
      if (!p->error.empty()) continue;
      cov.push_back(policy_test::coverage(*p->compiled.program, p->compiled.location, p->display, p->observed));
      gaps += cov.back().gaps();
    }
  }
  const std::string summary = std::to_string(run.passed()) + " passed, " + std::to_string(run.failed()) + " failed\n";
  if (o.json) {
    print_json(run, cov, o, out);
    err << summary;
  } else {
    print_text(run, cov, o, out);
    out << summary;
  }
  if (run.failed() > 0) return kExitFindings;
  if (o.require_coverage && gaps > 0) return kExitFindings;
  return kExitOk;
}

}  // namespace

const Command kTestCommand{
    "test", "[options] PATH...", "run policy test suites (*.test.json)",
    "Run policy test suites: every `*.test.json` file under the given paths\n"
    "(or the files named). Each case decides a request against the suite's\n"
    "policy and facts and checks the decision (see docs/testing.md).\n",
    kOptions,
    "0 all cases passed, 1 failures (or coverage gaps with\n"
    "             --require-coverage), 2 usage error or no suites found",
    run_suites};

}  // namespace warden::cli
