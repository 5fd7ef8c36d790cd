// Facts read under a policy (FactsReader::check_against, parse_facts,
// parse_update; F04xx): what Refuse and Warn do with the input, the bound on
// what is kept, that removals are never checked, the schema an Engine gives,
// and that facts loaded with warnings never allow what the policy does not
// name. The findings themselves are golden tests
// (tests/golden/facts_check_golden_test.cpp).
#include <catch2/catch.hpp>

#include "tests/runtime/compile_helper.hpp"
#include "warden/engine.hpp"
#include "warden/facts_json.hpp"

using namespace warden;

namespace {

std::shared_ptr<const FactSchema> schema() {
  auto s = std::make_shared<FactSchema>();
  FactSchema::Type user{"user", true, {}};
  FactSchema::Type model{"model", false, {{"stage", FactSchema::ValueType::Enum, {"staging", "production"}}}};
  s->types = {user, model};
  s->roles = {"viewer"};
  s->scopes = {"model:read"};
  s->levels = {"read", "write"};
  return s;
}

const char* const kMixed =
    "{\"kind\":\"grant\",\"id\":\"g1\",\"subject_id\":\"bob\",\"resource_type\":\"model\",\"resource_id\":\"m\",\"level\":\"read\"}\n"
    "{\"kind\":\"grant\",\"id\":\"g2\",\"subject_id\":\"bob\",\"resource_type\":\"model\",\"resource_id\":\"m\",\"level\":\"wrte\"}\n"
    "{\"kind\":\"key\",\"id\":\"k1\",\"principal_id\":\"bob\",\"scopes\":[\"model:raed\"]}\n";

}  // namespace

TEST_CASE("facts check: Refuse refuses the whole text and reports every finding", "[facts][check]") {
  FactsReader reader;
  reader.check_against(schema(), FactsCheck::Refuse);
  const auto e = reader.add(kMixed, "facts.jsonl");
  REQUIRE(e);
  CHECK(e->code == "F0404");
  CHECK(e->line == 2);
  CHECK(!e->warning);
  CHECK(reader.facts().grants.empty());  // nothing of the text is kept
  CHECK(reader.facts().keys.empty());
  REQUIRE(reader.findings().size() == 2);
  CHECK(reader.findings()[1].code == "F0403");
  CHECK(format_error(reader.findings()[1]) ==
        "facts.jsonl:3:56: error[F0403]: unknown scope `model:raed` in key `k1` (did you mean `model:read`?)");
  // A clean text after it is read as usual.
  CHECK(!reader.add("{\"kind\":\"role\",\"principal_id\":\"bob\",\"role\":\"viewer\"}\n", "more.jsonl"));
  CHECK(reader.facts().roles.size() == 1);
  CHECK(reader.findings_total() == 2);
}

TEST_CASE("facts check: Warn loads the facts and reports warnings", "[facts][check]") {
  FactsReader reader;
  reader.check_against(schema(), FactsCheck::Warn);
  CHECK(!reader.add(kMixed, "facts.jsonl"));
  CHECK(reader.facts().grants.size() == 2);
  CHECK(reader.facts().keys.size() == 1);
  REQUIRE(reader.findings().size() == 2);
  CHECK(reader.findings()[0].warning);
  CHECK(format_error(reader.findings()[0]).find("facts.jsonl:2:") == 0);
  CHECK(format_error(reader.findings()[0]).find(": warning[F0404]: unknown level `wrte` in grant `g2`") !=
        std::string::npos);
  // A copy keeps checking against the same schema.
  FactsReader copy = reader;
  CHECK(!copy.add("{\"kind\":\"role\",\"principal_id\":\"bob\",\"role\":\"admin\"}\n", "more.jsonl"));
  CHECK(copy.findings_total() == 3);
  CHECK(copy.findings().back().code == "F0402");
}

TEST_CASE("facts check: without a schema nothing is checked", "[facts][check]") {
  FactsReader reader;
  CHECK(!reader.add(kMixed, "facts.jsonl"));
  CHECK(reader.findings().empty());
  reader.check_against(schema(), FactsCheck::Refuse);
  reader.check_against(nullptr);
  CHECK(!reader.add("{\"kind\":\"role\",\"principal_id\":\"bob\",\"role\":\"admin\"}\n", "more.jsonl"));
  CHECK(reader.findings().empty());
}

TEST_CASE("facts check: findings kept are bounded, the rest counted", "[facts][check]") {
  std::string text;
  for (int i = 0; i < 150; ++i) {
    text += "{\"kind\":\"role\",\"principal_id\":\"u" + std::to_string(i) + "\",\"role\":\"nobody\"}\n";
  }
  const FactsResult r = parse_facts(text, "many.jsonl", FactsFormat::Auto, schema().get(), FactsCheck::Warn);
  REQUIRE(r.ok());
  CHECK(r.facts.roles.size() == 150);
  CHECK(r.findings.size() == kMaxFactFindings);
  CHECK(r.findings_total == 150);
  const std::string shown = format_findings(r.findings, r.findings_total);
  const std::string tail = "\n... 50 more not shown\n";
  REQUIRE(shown.size() > tail.size());
  CHECK(shown.substr(shown.size() - tail.size()) == tail);
}

TEST_CASE("facts check: an update's upserts are checked, its removals never", "[facts][check]") {
  const std::string update =
      "{\"op\":\"remove\",\"kind\":\"entity\",\"type\":\"usr\",\"id\":\"alice\"}\n"
      "{\"op\":\"remove\",\"kind\":\"role\",\"principal_id\":\"bob\",\"role\":\"admin\"}\n"
      "{\"op\":\"upsert\",\"kind\":\"entity\",\"type\":\"model\",\"id\":\"m\",\"attributes\":{\"stage\":\"prod\"}}\n";
  const auto s = schema();
  const ParsedUpdate refused = parse_update(update, "update.jsonl", s.get(), FactsCheck::Refuse);
  REQUIRE(!refused.ok());
  CHECK(refused.error->code == "F0406");
  CHECK(refused.error->line == 3);
  CHECK(refused.update.changes.empty());
  CHECK(refused.findings_total == 1);
  const ParsedUpdate warned = parse_update(update, "update.jsonl", s.get(), FactsCheck::Warn);
  REQUIRE(warned.ok());
  CHECK(warned.update.changes.size() == 3);
  CHECK(warned.findings_total == 1);
  // The removals alone: nothing to report.
  const ParsedUpdate removals = parse_update(update.substr(0, update.rfind("{\"op\":\"upsert\"")), "u.jsonl", s.get());
  CHECK(removals.ok());
  CHECK(removals.findings.empty());
}

TEST_CASE("facts check: the Engine's schema is the loaded policy's names", "[facts][check]") {
  Engine engine;
  CHECK(engine.fact_schema() == nullptr);
  test::load_policy(engine, "policies/model_permissions");
  const auto s = engine.fact_schema();
  REQUIRE(s);
  CHECK(s->levels == std::vector<std::string>{"read", "write", "execute", "admin"});
  const FactSchema::Type* model = s->find_type("model");
  REQUIRE(model);
  CHECK(!model->principal);
  bool stage = false;
  for (const auto& a : model->attributes) {
    if (a.name == "stage") {
      stage = true;
      CHECK(a.type == FactSchema::ValueType::Enum);
      CHECK(!a.values.empty());
    }
    CHECK(a.name != "id");  // built-ins are not the facts' to set
    CHECK(a.name != "tenant");
  }
  CHECK(stage);
  REQUIRE(s->find_type("user"));
  CHECK(s->find_type("user")->principal);
  CHECK(s->declares_principals());
}

TEST_CASE("facts check: what the policy does not name, loaded with warnings, never allows", "[facts][check]") {
  Engine engine;
  test::load_policy(engine, "policies/gateway");
  const std::string facts =
      "{\"kind\":\"entity\",\"type\":\"user\",\"id\":\"eve\",\"tenant\":\"acme\",\"attributes\":{\"org\":\"acme\"}}\n"
      "{\"kind\":\"entity\",\"type\":\"org\",\"id\":\"acme\",\"tenant\":\"acme\",\"attributes\":{\"status\":\"active\"}}\n"
      "{\"kind\":\"membership\",\"member_id\":\"eve\",\"collection_type\":\"org\",\"collection_id\":\"acme\"}\n"
      "{\"kind\":\"key\",\"id\":\"k-typo\",\"principal_id\":\"eve\",\"scopes\":[\"model:wirte\",\"superuser\"]}\n";
  const FactsResult r = parse_facts(facts, "facts.jsonl", FactsFormat::Lines, engine.fact_schema().get(), FactsCheck::Warn);
  REQUIRE(r.ok());
  CHECK(r.findings_total == 2);
  REQUIRE(engine.replace_facts(r.facts).ok);
  Request q;
  q.api_key = "k-typo";
  q.method = "POST";
  q.path = "/api/2.0/mlflow/registered-models/create";
  const Decision d = engine.decide(q);
  CHECK(d.outcome == Outcome::Deny);
  CHECK(d.code.view() == "SCOPE_MISSING");
}

TEST_CASE("facts check: a text refused for an error of its own reports that error alone", "[facts][check]") {
  const std::string text = std::string(kMixed) + "{\"kind\":\"grant\",\n";
  for (const FactsCheck mode : {FactsCheck::Refuse, FactsCheck::Warn}) {
    FactsReader reader;
    reader.check_against(schema(), mode);
    const auto e = reader.add(text, "facts.jsonl");
    REQUIRE(e);
    CHECK(e->code == "F0101");
    CHECK(e->line == 4);
    CHECK(reader.findings().empty());
    CHECK(reader.findings_total() == 0);
    const ParsedUpdate u = parse_update("{\"op\":\"upsert\",\"kind\":\"role\",\"principal_id\":\"b\",\"role\":\"x\"}\n{",
                                        "u.jsonl", schema().get(), mode);
    REQUIRE(!u.ok());
    CHECK(u.error->code == "F0101");
    CHECK(u.findings.empty());
  }
}
