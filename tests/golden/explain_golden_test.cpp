// Golden tests of decision explanations: fixtures/explain/ holds a policy
// (policy/), facts (facts.jsonl) and one request per case
// (requests/NAME.json, in `warden eval`'s request format). Each case's
// decision, as `warden eval --trace` prints it — the summary explanation,
// then the full trace — must equal expected/NAME.txt.
//
// Together the cases cover what a deny must say truthfully: the grant level
// an action needs and every grant held on the resource with why it does not
// count (too low, expired, revoked, shadowed, another tenant); a role held
// in another entity than the one required; the scopes that satisfy a
// missing one, implied ones included; UNAUTHENTICATED for a request that
// names no principal; a deny's source being the deny's own; the rule that
// decides when several allow; membership chains in the trace.
//
// WARDEN_UPDATE_GOLDEN=1 rewrites the expected files; review the diff.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include "tests/golden/golden_helpers.hpp"
#include "warden/engine.hpp"
#include "warden/explain.hpp"
#include "warden/facts_json.hpp"
#include "warden/input_error.hpp"
#include "warden/request_json.hpp"

namespace fs = std::filesystem;
using namespace warden;

namespace {

const fs::path kRoot = "fixtures/explain";

std::string explained(const Decision& d, const Trace& t) { return explain_text(d) + "trace:\n" + trace_text(t); }

}  // namespace

TEST_CASE("explanations tell the truth: every deny and allow case against its golden file", "[golden][explain]") {
  const auto compiled = compiler::compile_path((kRoot / "policy").string());
  for (const auto& d : compiled.rendered()) INFO(d);
  REQUIRE(compiled.ok());
  Engine engine;
  REQUIRE(engine.load_policy(compiled.artifact).ok);
  const FactsResult facts = parse_facts(test::read_text(kRoot / "facts.jsonl"), "facts.jsonl", FactsFormat::Auto,
                                        engine.fact_schema().get(), FactsCheck::Refuse);
  REQUIRE(facts.ok());
  REQUIRE(engine.replace_facts(facts.facts).ok);

  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(kRoot / "requests")) {
    const std::string name = entry.path().stem().string();
    INFO("case " << name);
    names.insert(name);
    OwnedRequest request;
    const auto error = parse_request(test::read_text(entry.path()), request, entry.path().generic_string());
    if (error) FAIL(format_error(*error));
    Decision d;
    Trace t;
    engine.decide(request.request, d, t);
    const std::string text = explained(d, t);
    const fs::path expected = kRoot / "expected" / (name + ".txt");
    if (test::update_golden()) test::write_text(expected, text);
    CHECK(text == test::read_text(expected));
  }
  // Every expected file belongs to a case.
  for (const auto& entry : fs::directory_iterator(kRoot / "expected")) {
    INFO(entry.path().generic_string());
    CHECK(names.count(entry.path().stem().string()) == 1);
  }
  CHECK(names.size() >= 15);
}
