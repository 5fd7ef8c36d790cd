// Policy test suites: the `*.test.json` files `warden test` runs.
//
// Pipeline position: policy_test/, on top of the runtime I/O readers. This file
// finds suite files and reads one into a Suite — the policy it tests, the
// facts, and the cases, each a request (the `warden eval` request JSON,
// merged over the suite's `defaults`) with the decision it must get. Nothing
// here evaluates; runner.hpp does. The format is documented in
// docs/testing.md:
//
//   {"policy": "../../../policies/gateway",
//    "facts": ["facts.jsonl", {"kind": "key", "id": "k1", …}],
//    "defaults": {"context": {"time": "2026-03-01T12:00:00Z"}},
//    "cases": [
//      {"name": "a read key cannot register a model",
//       "request": {"api_key": "k-read", "method": "POST", "path": "/…/create"},
//       "expect": {"decision": "deny", "code": "SCOPE_MISSING"}}]}
//
// Errors carry a stable T01xx code (the last two digits mean what they mean
// for facts and requests, input_error.hpp) and the place in the file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "runtime_io/input_codes.hpp"
#include "warden/decision.hpp"
#include "warden/input_error.hpp"

namespace warden::policy_test {

// One source of facts: a file (resolved against the suite's directory) or
// facts written inline, kept as text in the facts file formats.
struct FactsSource {
  std::filesystem::path file;  // set for a file
  std::string text;            // inline facts (a JSON document or JSONL records)
  bool lines = false;          // inline text is JSONL records
  std::uint32_t line = 0;      // where it is written in the suite
};

// What a case expects. Only `decision` is required; every other field is
// checked only when given.
struct Expectation {
  Outcome decision = Outcome::Deny;
  std::optional<std::string> code;
  std::optional<std::string> rule;                // among the decision's determining rules
  std::optional<std::vector<std::string>> rules;  // exactly the determining rules, in order
  std::optional<std::string> source;              // permission source kind: "role", "direct-grant", …
  std::optional<std::string> grant_id;
  std::optional<std::string> message_contains;
  std::optional<std::string> tenant;
  std::optional<std::string> endpoint;  // "METHOD pattern" the request was routed to
  std::optional<std::string> request_id;
  std::optional<std::string> resource_id;  // the resource the request reached ("" for the type as a whole)
  std::optional<std::string> path;         // the path as normalized for routing
  std::optional<std::string> client_ip;    // the client address the decision used ("" for none)
};

struct TestCase {
  std::string name;
  std::uint32_t line = 0;          // of the case object
  std::string request;             // the request JSON, merged with the defaults
  std::uint32_t request_line = 0;  // of the case's `request` value
  std::vector<FactsSource> facts;  // added to the suite's facts for this case only
  Expectation expect;
};

struct Suite {
  std::filesystem::path file;    // as found
  std::filesystem::path policy;  // resolved against the suite's directory, normalized
  std::vector<FactsSource> facts;
  std::vector<TestCase> cases;
};

// Suite files under the given paths: a path naming a file is taken as is; a
// directory is searched recursively for `*.test.json`. Sorted within each
// directory, in argument order. Paths that do not exist go to `missing`.
struct SuiteFiles {
  std::vector<std::filesystem::path> files;
  std::vector<std::string> missing;
  std::vector<std::string> empty;  // directories without any suite
};
SuiteFiles discover_suites(const std::vector<std::string>& paths);

// Read one suite file. On error `suite` is incomplete and the error says why.
std::optional<InputError> read_suite(const std::filesystem::path& file, Suite& suite);

// The same from text (for tests); `file` names it and anchors relative paths.
std::optional<InputError> parse_suite(std::string_view text, const std::filesystem::path& file, Suite& suite);

}  // namespace warden::policy_test
