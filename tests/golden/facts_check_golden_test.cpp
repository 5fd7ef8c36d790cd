// Golden tests of facts read under a policy (F04xx): each directory of
// fixtures/facts_check/ holds a policy (policy.warden), facts (facts.jsonl or
// facts.json, read as a fact set) or an update (update.jsonl), and
// expected.txt: the findings as `warden eval` prints them when it refuses
// the facts. The same facts read with FactsCheck::Warn must give the same
// lines as warnings, and load.
//
// WARDEN_UPDATE_GOLDEN=1 rewrites expected.txt; review the diff.
#include <catch2/catch.hpp>

#include <filesystem>

#include "tests/golden/golden_helpers.hpp"
#include "warden/engine.hpp"
#include "warden/facts_json.hpp"

namespace fs = std::filesystem;
using namespace warden;

namespace {

struct Read {
  bool refused = false;
  std::string text;  // format_findings()
  std::size_t total = 0;
  std::size_t loaded = 0;  // records (fact set) or changes (update) kept
};

Read read_under(const fs::path& input, const FactSchema& schema, FactsCheck mode) {
  Read r;
  const std::string name = input.generic_string();
  if (input.filename() == "update.jsonl") {
    const ParsedUpdate u = parse_update(test::read_text(input), name, &schema, mode);
    r.refused = !u.ok();
    r.text = format_findings(u.findings, u.findings_total);
    r.total = u.findings_total;
    r.loaded = u.update.changes.size();
    if (r.refused && u.findings_total == 0) FAIL(format_error(*u.error));
    return r;
  }
  const FactsResult f = parse_facts(test::read_text(input), name, FactsFormat::Auto, &schema, mode);
  r.refused = !f.ok();
  r.text = format_findings(f.findings, f.findings_total);
  r.total = f.findings_total;
  r.loaded = f.facts.entities.size() + f.facts.memberships.size() + f.facts.roles.size() + f.facts.grants.size() +
             f.facts.keys.size();
  if (r.refused && f.findings_total == 0) FAIL(format_error(*f.error));
  return r;
}

std::string as_warnings(std::string text) {
  for (std::size_t at = 0; (at = text.find(": error[", at)) != std::string::npos;) text.replace(at, 8, ": warning[");
  return text;
}

}  // namespace

TEST_CASE("facts read under a policy: findings with code, place and suggestion", "[golden][facts]") {
  std::size_t cases = 0;
  for (const auto& entry : fs::directory_iterator("fixtures/facts_check")) {
    const fs::path dir = entry.path();
    fs::path input;
    for (const char* name : {"facts.jsonl", "facts.json", "update.jsonl"}) {
      if (fs::exists(dir / name)) input = dir / name;
    }
    INFO(dir.generic_string());
    REQUIRE(!input.empty());
    const auto compiled = compiler::compile_path((dir / "policy.warden").string());
    REQUIRE(compiled.ok());
    Engine engine;
    REQUIRE(engine.load_policy(compiled.artifact).ok);
    const auto schema = engine.fact_schema();
    REQUIRE(schema);
    ++cases;

    const Read refused = read_under(input, *schema, FactsCheck::Refuse);
    const fs::path expected = dir / "expected.txt";
    if (test::update_golden()) test::write_text(expected, refused.text);
    CHECK(refused.text == test::read_text(expected));
    // Refused exactly when something was found, and then nothing is kept.
    CHECK(refused.refused == (refused.total > 0));
    if (refused.refused) CHECK(refused.loaded == 0);

    const Read warned = read_under(input, *schema, FactsCheck::Warn);
    CHECK(!warned.refused);
    CHECK(warned.loaded > 0);
    CHECK(warned.text == as_warnings(refused.text));
  }
  CHECK(cases >= 5);
}
