// The reference decisions for the binding equivalence tests: every case of
// the fixture suites, decided in C++ exactly as `warden test` decides it
// (policy_test::TestRun), written one JSON object per line with what a binding needs
// to decide the same case itself — the policy path, the facts (files and
// inline text), the request — and the C++ decision's explanation JSON.
//
//   suite_decisions OUTPUT.jsonl SUITE_PATH...
//
// bindings/python/tests/test_equivalence.py and
// bindings/node/test/equivalence.test.js read the file and compare.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "policy_test/runner.hpp"
#include "warden/explain.hpp"
#include "support/json_writer.hpp"

namespace fs = std::filesystem;
using namespace warden;

namespace {

void facts(json::Writer& w, const char* key, const std::vector<policy_test::FactsSource>& sources) {
  w.key(key).begin_array();
  for (const auto& f : sources) {
    w.begin_object();
    if (!f.file.empty()) w.field("file", fs::absolute(f.file).lexically_normal().generic_string());
    else w.field("text", f.text).field("lines", f.lines);
    w.end_object();
  }
  w.end_array();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: suite_decisions OUTPUT.jsonl SUITE_PATH...\n";
    return 2;
  }
  std::vector<std::string> paths(argv + 2, argv + argc);
  const policy_test::SuiteFiles found = policy_test::discover_suites(paths);
  if (!found.missing.empty() || found.files.empty()) {
    std::cerr << "error: no suites found\n";
    return 2;
  }
  policy_test::TestRun run;
  for (const auto& f : found.files) run.run_file(f);
  std::ofstream out(argv[1]);
  std::size_t cases = 0;
  for (const auto& s : run.suites()) {
    if (!s->error.empty()) {
      std::cerr << s->error << "\n";
      return 1;
    }
    for (const auto& c : s->cases) {
      if (!c.error.empty()) {
        std::cerr << c.error << "\n";
        return 1;
      }
      std::string line;
      json::Writer w(line);
      w.begin_object().field("suite", s->suite.file.generic_string()).field("case", c.test->name);
      w.field("policy", fs::absolute(s->suite.policy).lexically_normal().generic_string());
      facts(w, "facts", s->suite.facts);
      facts(w, "case_facts", c.test->facts);
      w.key("request").raw(c.test->request);
      w.key("decision").raw(decision_json(c.decision));
      w.end_object();
      out << line << '\n';
      ++cases;
    }
  }
  std::cout << cases << " reference decisions written to " << argv[1] << "\n";
  return out ? 0 : 1;
}
