// The `*.test.json` reader and the expectation checks behind `warden test`
// (policy_test/suite.hpp, policy_test/runner.hpp): defaults merged under requests,
// the forms of `facts`, strict fields with stable T01xx codes, and what a
// decision is compared on.
#include <catch2/catch.hpp>

#include <algorithm>

#include "policy_test/runner.hpp"
#include "policy_test/suite.hpp"
#include "support/json.hpp"

using namespace warden;
using namespace warden::policy_test;

namespace {

Suite parse_ok(std::string_view text) {
  Suite s;
  const auto error = parse_suite(text, "dir/sub/x.test.json", s);
  INFO((error ? error->code + " " + error->message : std::string()));
  REQUIRE_FALSE(error);
  return s;
}

std::string parse_error(std::string_view text) {
  Suite s;
  const auto error = parse_suite(text, "x.test.json", s);
  REQUIRE(error);
  return error->code + ":" + std::to_string(error->line) + ":" + std::to_string(error->column) + " " + error->message;
}

}  // namespace

TEST_CASE("suite paths are relative to the suite file", "[test-suite]") {
  const Suite s = parse_ok(R"({"policy": "../../policies/gateway", "facts": "f.jsonl", "cases": []})");
  CHECK(s.policy.generic_string() == "policies/gateway");
  REQUIRE(s.facts.size() == 1);
  CHECK(s.facts[0].file.generic_string() == "dir/sub/f.jsonl");
}

TEST_CASE("defaults merge under each request, objects one level deep", "[test-suite]") {
  const Suite s = parse_ok(R"({"policy": "p",
    "defaults": {"tenant": "acme", "context": {"time": "2026-01-01T00:00:00Z", "mfa": false}},
    "cases": [{"name": "c", "request": {"action": "read", "context": {"mfa": true}}, "expect": {"decision": "allow"}}]})");
  REQUIRE(s.cases.size() == 1);
  const json::Result r = json::parse(s.cases[0].request);
  REQUIRE(r.ok());
  CHECK(r.value->find("tenant")->as_string() == "acme");
  CHECK(r.value->find("action")->as_string() == "read");
  CHECK(r.value->find("context")->find("time")->as_string() == "2026-01-01T00:00:00Z");
  CHECK(r.value->find("context")->find("mfa")->as_bool());
}

TEST_CASE("facts: files, inline records and inline documents", "[test-suite]") {
  const Suite s = parse_ok(R"({"policy": "p", "facts": [
      "a.jsonl",
      {"kind": "key", "id": "k1", "principal_id": "u", "scopes": []},
      {"kind": "key", "id": "k2", "principal_id": "u", "scopes": []},
      {"grants": []}],
    "cases": []})");
  REQUIRE(s.facts.size() == 3);
  CHECK(s.facts[0].file.generic_string() == "dir/sub/a.jsonl");
  CHECK(s.facts[1].lines);
  CHECK(std::count(s.facts[1].text.begin(), s.facts[1].text.end(), '\n') == 2);
  CHECK_FALSE(s.facts[2].lines);
  CHECK(s.facts[2].text == R"({"grants":[]})");
}

TEST_CASE("suite errors have stable codes and places", "[test-suite]") {
  CHECK(parse_error("{") .rfind("T0101:", 0) == 0);
  CHECK(parse_error(R"({"cases": []})") == "T0102:1:1 missing field `policy` in test suite");
  CHECK(parse_error(R"({"policy": 1, "cases": []})") == "T0103:1:12 field `policy` of test suite must be a string, not an integer");
  CHECK(parse_error(R"({"policy": "p", "case": []})") == "T0102:1:1 missing field `cases` in test suite");
  CHECK(parse_error(R"({"policy": "p", "cases": [], "descripton": ""})") ==
        "T0104:1:30 unknown field `descripton` in test suite (did you mean `description`?)");
  CHECK(parse_error(R"({"policy": "p", "cases": [{"name": "a", "request": {}, "expect": {"decision": "maybe"}}]})")
            .rfind("T0108:", 0) == 0);
  CHECK(parse_error(R"({"policy": "p", "cases": [
      {"name": "a", "request": {}, "expect": {"decision": "allow"}},
      {"name": "a", "request": {}, "expect": {"decision": "allow"}}]})") == "T0107:3:7 two cases are named `a`");
}

TEST_CASE("a decision is compared on the fields the case gives", "[test-suite]") {
  Decision d;
  d.outcome = Outcome::WouldDeny;
  d.code.assign("TENANT_HEADER_MISMATCH");
  RuleRef monitored, allowed;
  monitored.name.assign("foreign_tenant_header");
  allowed.name.assign("members_read");
  d.add_rule(monitored);
  d.add_rule(allowed);
  d.source = SourceKind::Role;
  d.message.assign("nat belongs to tenant globex");

  Expectation e;
  e.decision = Outcome::WouldDeny;
  CHECK(compare(e, d).empty());
  e.rule = "members_read";
  e.source = "role";
  e.message_contains = "tenant globex";
  CHECK(compare(e, d).empty());
  e.rules = std::vector<std::string>{"members_read"};
  e.code = "ALLOW";
  const auto mismatches = compare(e, d);
  REQUIRE(mismatches.size() == 2);
  CHECK(mismatches[0] == "code: expected `ALLOW`, got `TENANT_HEADER_MISMATCH`");
  CHECK(mismatches[1] == "rules: expected `members_read`, got `foreign_tenant_header`, `members_read`");
  CHECK(expectation_text(e) ==
        "would-deny ALLOW, rule `members_read`, rules `members_read`, source role, message containing `tenant globex`");
}
