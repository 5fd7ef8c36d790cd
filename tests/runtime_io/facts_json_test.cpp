// Reading fact files: both layouts, every F01xx code at the right line, and
// no partial results (warden/facts_json.hpp).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "warden/facts_json.hpp"

using namespace warden;
using warden::FactsFormat;

namespace {

InputError error_of(std::string_view text, FactsFormat format = FactsFormat::Lines,
                             std::string_view file = "facts.jsonl") {
  const auto r = parse_facts(text, file, format);
  REQUIRE_FALSE(r.ok());
  return *r.error;
}

FactSet facts_of(std::string_view text, FactsFormat format = FactsFormat::Lines) {
  auto r = parse_facts(text, "facts", format);
  INFO((r.error ? format_error(*r.error) : std::string()));
  REQUIRE(r.ok());
  return std::move(r.facts);
}

constexpr std::string_view kLines = R"({"kind":"entity","type":"org","id":"acme","tenant":"t1","attributes":{"status":"active","seats":12,"vip":true}}
{"kind":"membership","member_id":"alice","collection_type":"team","collection_id":"ml"}

{"kind":"membership","member_type":"team","member_id":"ml","collection_type":"org","collection_id":"acme"}
{"kind":"role","principal_id":"bob","role":"admin","scope_type":"org","scope_id":"acme"}
{"kind":"grant","id":"g1","subject_type":"team","subject_id":"ml","resource_type":"model","resource_id":"m1","level":"write","expires_at":"2030-01-01T00:00:00Z","reason":"project x"}
{"kind":"grant","id":"g2","subject_id":"alice","resource_type":"model","resource_id":"*","level":"read","expires_at":1700000000,"active":false}
{"kind":"key","id":"k1","principal_id":"alice","scopes":["model:read","model:write"],"tenant":"t1","expires_at":null,"revoked":false}
)";

}  // namespace

TEST_CASE("facts: JSONL records of every kind", "[facts]") {
  const FactSet f = facts_of(kLines);
  REQUIRE(f.entities.size() == 1);
  CHECK(f.entities[0].type == "org");
  CHECK(f.entities[0].tenant == "t1");
  REQUIRE(f.entities[0].attributes.size() == 3);
  CHECK(f.entities[0].attributes[0] == std::pair<std::string, FactValue>{"status", FactValue::string("active")});
  CHECK(f.entities[0].attributes[1].second == FactValue::integer(12));
  CHECK(f.entities[0].attributes[2].second == FactValue::flag(true));
  REQUIRE(f.memberships.size() == 2);
  CHECK(f.memberships[0].member_type == "user");  // the default
  CHECK(f.memberships[1].member_type == "team");
  REQUIRE(f.roles.size() == 1);
  CHECK(f.roles[0].principal_type == "user");
  CHECK(f.roles[0].scope_id == "acme");
  REQUIRE(f.grants.size() == 2);
  CHECK(f.grants[0].subject_type == "team");
  CHECK(f.grants[0].expires_at == 1893456000);
  CHECK(f.grants[0].active);
  CHECK(f.grants[0].reason == "project x");
  CHECK(f.grants[1].subject_type == "user");
  CHECK(f.grants[1].expires_at == 1700000000);
  CHECK_FALSE(f.grants[1].active);
  REQUIRE(f.keys.size() == 1);
  CHECK(f.keys[0].scopes == std::vector<std::string>{"model:read", "model:write"});
  CHECK_FALSE(f.keys[0].expires_at.has_value());
  CHECK_FALSE(f.keys[0].revoked);
}

TEST_CASE("facts: the JSON document layout", "[facts]") {
  const FactSet f = facts_of(R"({
  "entities": [{"type": "user", "id": "alice", "attributes": {"department": "ml"}}],
  "memberships": [{"member_id": "alice", "collection_type": "org", "collection_id": "acme"}],
  "roles": [{"principal_id": "alice", "role": "viewer"}],
  "grants": [{"kind": "grant", "id": "g1", "subject_id": "alice", "resource_type": "model",
              "resource_id": "m1", "level": "admin", "revoked": true}],
  "keys": [{"id": "k1", "principal_id": "alice", "scopes": []}]
})",
                              FactsFormat::Document);
  CHECK(f.entities.size() == 1);
  CHECK(f.memberships.size() == 1);
  CHECK(f.roles[0].scope_type.empty());
  REQUIRE(f.grants.size() == 1);
  CHECK_FALSE(f.grants[0].active);  // `revoked: true`
  CHECK(f.keys[0].scopes.empty());
  CHECK(facts_of("{}", FactsFormat::Document).grants.empty());
}

TEST_CASE("facts: format detection", "[facts]") {
  CHECK(detect_format("", "a.json") == FactsFormat::Document);
  CHECK(detect_format("", "a.jsonl") == FactsFormat::Lines);
  CHECK(detect_format("", "a.ndjson") == FactsFormat::Lines);
  CHECK(detect_format("\n{\"kind\":\"key\",\"id\":\"k\",\"principal_id\":\"a\"}\n", "-") == FactsFormat::Lines);
  CHECK(detect_format("{\n  \"grants\": []\n}\n", "facts.txt") == FactsFormat::Document);
  CHECK(detect_format("{\"grants\":[]}", "-") == FactsFormat::Document);
  CHECK(parse_facts("{\"grants\":[]}", "f", FactsFormat::Auto).ok());
}

TEST_CASE("facts: F0101 invalid JSON, at the line and column", "[facts]") {
  auto e = error_of("{\"kind\":\"role\",\"principal_id\":\"a\",\"role\":\"r\"}\n\n{\"kind\": \"grant\" \"id\": 1}\n");
  CHECK(e.code == "F0101");
  CHECK(e.file == "facts.jsonl");
  CHECK(e.line == 3);
  CHECK(e.column == 18);
  CHECK(e.message == "invalid JSON: unexpected `\"`, expected `,` or `}` after an object member");
  CHECK(format_error(e) ==
        "facts.jsonl:3:18: error[F0101]: invalid JSON: unexpected `\"`, expected `,` or `}` after an object member");

  e = error_of("{\n  \"grants\": [\n    {\"id\": \"g1\",}\n  ]\n}", FactsFormat::Document, "facts.json");
  CHECK(e.code == "F0101");
  CHECK(e.line == 3);
  CHECK(e.column == 17);
  // A line that is not an object.
  e = error_of("[1]\n");
  CHECK(e.code == "F0103");
  CHECK(e.message == "a fact record must be an object, not an array");
}

TEST_CASE("facts: F0102 missing field", "[facts]") {
  auto e = error_of("\n{\"kind\":\"grant\",\"id\":\"g1\",\"subject_id\":\"a\",\"resource_type\":\"model\",\"level\":\"read\"}");
  CHECK(e.code == "F0102");
  CHECK(e.line == 2);
  CHECK(e.column == 1);
  CHECK(e.message == "missing field `resource_id` in grant");
  CHECK(error_of(R"({"id":"x"})").message == "missing field `kind` in fact record");
  CHECK(error_of(R"({"kind":"role","principal_id":"a","role":"r","scope_type":"org"})").message ==
        "missing field `scope_id` in role");
  e = error_of("{\"keys\": [\n {\"id\": \"k1\"}]}", FactsFormat::Document);
  CHECK(e.code == "F0102");
  CHECK(e.line == 2);
  CHECK(e.column == 2);
  CHECK(e.message == "missing field `principal_id` in key");
}

TEST_CASE("facts: F0103 wrong field type", "[facts]") {
  auto e = error_of(R"({"kind":"grant","id":"g1","subject_id":"a","resource_type":"model","resource_id":"m","level":3})");
  CHECK(e.code == "F0103");
  CHECK(e.column == 94);
  CHECK(e.message == "field `level` of grant must be a string, not an integer");
  CHECK(error_of(R"({"kind":"key","id":"k","principal_id":"a","scopes":"model:read"})").message ==
        "field `scopes` of key must be an array of strings, not a string");
  CHECK(error_of(R"({"kind":"key","id":"k","principal_id":"a","scopes":["x",1]})").message ==
        "items of `scopes` in key must be strings, not an integer");
  CHECK(error_of(R"({"kind":"entity","type":"org","id":"o","attributes":{"score":1.5}})").message ==
        "attribute `score` of entity must be a string, an integer or a boolean, not a number");
  CHECK(error_of(R"({"kind":"key","id":"k","principal_id":"a","revoked":"no"})").message ==
        "field `revoked` of key must be `true` or `false`, not a string");
  CHECK(error_of(R"({"grants":{}})", FactsFormat::Document).message ==
        "field `grants` of the fact document must be an array, not an object");
  CHECK(error_of(R"({"kind":7})").code == "F0103");
}

TEST_CASE("facts: F0104 unknown field, with a suggestion", "[facts]") {
  auto e = error_of("{\"kind\":\"membership\",\"member_id\":\"a\",\"colection_type\":\"team\",\"collection_id\":\"t\"}");
  CHECK(e.code == "F0104");
  CHECK(e.column == 38);
  CHECK(e.message == "unknown field `colection_type` in membership (did you mean `collection_type`?)");
  e = error_of("{\"grant\": []}", FactsFormat::Document);
  CHECK(e.code == "F0104");
  CHECK(e.message == "unknown field `grant` in the fact document (did you mean `grants`?)");
  CHECK(error_of(R"({"kind":"key","id":"k","principal_id":"a","zzz":1})").message == "unknown field `zzz` in key");
}

TEST_CASE("facts: F0105 unknown record kind", "[facts]") {
  auto e = error_of("{\"kind\":\"grnt\",\"id\":\"g\"}");
  CHECK(e.code == "F0105");
  CHECK(e.column == 9);
  CHECK(e.message ==
        "unknown record kind `grnt` (expected `entity`, `membership`, `role`, `grant` or `key`); did you mean `grant`?");
  e = error_of(R"({"keys":[{"kind":"grant","id":"k","principal_id":"a"}]})", FactsFormat::Document);
  CHECK(e.code == "F0105");
  CHECK(e.message == "record kind does not match its section `keys`");
}

TEST_CASE("facts: F0106 invalid time", "[facts]") {
  auto e = error_of(
      "{\"kind\":\"key\",\"id\":\"k\",\"principal_id\":\"a\"}\n{\"kind\":\"key\",\"id\":\"k2\",\"principal_id\":\"a\","
      "\"expires_at\":\"2030-02-30T00:00:00Z\"}");
  CHECK(e.code == "F0106");
  CHECK(e.line == 2);
  CHECK(e.column == 57);
  CHECK(e.message == "invalid time `2030-02-30T00:00:00Z` in `expires_at`: day out of range for the month");
  CHECK(error_of(R"({"kind":"key","id":"k","principal_id":"a","expires_at":"2030-01-01T00:00:00"})").message ==
        "invalid time `2030-01-01T00:00:00` in `expires_at`: missing time zone (add `Z` for UTC)");
  CHECK(error_of(R"({"kind":"key","id":"k","principal_id":"a","expires_at":true})").code == "F0103");
}

TEST_CASE("facts: F0107 duplicate records, within and across files", "[facts]") {
  auto e = error_of(
      "{\"kind\":\"grant\",\"id\":\"g1\",\"subject_id\":\"a\",\"resource_type\":\"m\",\"resource_id\":\"1\",\"level\":\"r\"}\n"
      "{\"kind\":\"entity\",\"type\":\"org\",\"id\":\"o\"}\n"
      "{\"kind\":\"grant\",\"id\":\"g1\",\"subject_id\":\"b\",\"resource_type\":\"m\",\"resource_id\":\"2\",\"level\":\"r\"}\n");
  CHECK(e.code == "F0107");
  CHECK(e.line == 3);
  CHECK(e.message == "duplicate grant `g1` (first given at facts.jsonl:1)");

  CHECK(error_of("{\"kind\":\"entity\",\"type\":\"org\",\"id\":\"o\"}\n{\"kind\":\"entity\",\"type\":\"org\",\"id\":\"o\"}")
            .message == "duplicate entity `org:o` (first given at facts.jsonl:1)");
  // Same id, other type: distinct entities.
  CHECK(facts_of("{\"kind\":\"entity\",\"type\":\"org\",\"id\":\"o\"}\n{\"kind\":\"entity\",\"type\":\"team\",\"id\":\"o\"}")
            .entities.size() == 2);
  CHECK(error_of("{\"kind\":\"membership\",\"member_id\":\"a\",\"collection_type\":\"team\",\"collection_id\":\"t\"}\n"
                 "{\"kind\":\"membership\",\"member_type\":\"user\",\"member_id\":\"a\",\"collection_type\":\"team\","
                 "\"collection_id\":\"t\"}")
            .message == "duplicate membership of `user:a` in `team:t` (first given at facts.jsonl:1)");

  FactsReader reader;
  REQUIRE_FALSE(reader.add("{\"kind\":\"key\",\"id\":\"k1\",\"principal_id\":\"a\"}", "one.jsonl"));
  auto across = reader.add("{\"keys\":[\n{\"id\":\"k1\",\"principal_id\":\"b\"}]}", "two.json");
  REQUIRE(across);
  CHECK(across->code == "F0107");
  CHECK(across->file == "two.json");
  CHECK(across->line == 2);
  CHECK(across->message == "duplicate key `k1` (first given at one.jsonl:1)");
}

TEST_CASE("facts: F0108 invalid values and F0109 conflicts", "[facts]") {
  auto e = error_of(R"({"kind":"entity","type":"org","id":""})");
  CHECK(e.code == "F0108");
  CHECK(e.message == "field `id` of entity must not be empty");
  CHECK(error_of(R"({"kind":"key","id":"k","principal_id":"a","scopes":[""]})").code == "F0108");
  e = error_of(R"({"kind":"grant","id":"g","subject_id":"a","resource_type":"m","resource_id":"1","level":"r","active":true,"revoked":true})");
  CHECK(e.code == "F0109");
  CHECK(e.message == "`active` and `revoked` of grant disagree");
  // Agreeing is fine.
  CHECK_FALSE(facts_of(R"({"kind":"grant","id":"g","subject_id":"a","resource_type":"m","resource_id":"1","level":"r","active":false,"revoked":true})")
                  .grants[0]
                  .active);
}

TEST_CASE("facts: a failed file adds nothing", "[facts]") {
  FactsReader reader;
  REQUIRE_FALSE(reader.add("{\"kind\":\"key\",\"id\":\"k1\",\"principal_id\":\"a\"}", "one.jsonl"));
  const auto e = reader.add("{\"kind\":\"key\",\"id\":\"k2\",\"principal_id\":\"a\"}\n{\"kind\":\"nope\"}", "two.jsonl");
  REQUIRE(e);
  CHECK(e->line == 2);
  REQUIRE(reader.facts().keys.size() == 1);
  // k2 was not remembered either: it can be added later.
  CHECK_FALSE(reader.add("{\"kind\":\"key\",\"id\":\"k2\",\"principal_id\":\"a\"}", "three.jsonl"));
  CHECK(reader.facts().keys.size() == 2);
}

TEST_CASE("facts: F0100 unreadable file, and reading files", "[facts]") {
  FactsReader reader;
  auto e = reader.add_file("/nonexistent/facts.jsonl");
  REQUIRE(e);
  CHECK(e->code == "F0100");
  CHECK(format_error(*e) == "/nonexistent/facts.jsonl: error[F0100]: cannot read facts file `/nonexistent/facts.jsonl`");

  const auto path = std::filesystem::temp_directory_path() / "warden_facts_test.jsonl";
  {
    std::ofstream out(path);
    out << "{\"kind\":\"key\",\"id\":\"k1\",\"principal_id\":\"a\"}\r\n\r\n{\"kind\":\"key\",\"id\":\"k1\",\"principal_id\":\"a\"}\r\n";
  }
  e = reader.add_file(path);
  std::filesystem::remove(path);
  REQUIRE(e);
  CHECK(e->code == "F0107");
  CHECK(e->line == 3);
}

TEST_CASE("facts: errors as Engine statuses", "[facts]") {
  InputError e{"F0102", "missing field `id` in grant", "f.jsonl", 4, 2};
  const Status s = to_status(e);
  CHECK_FALSE(s.ok);
  CHECK(s.code == "F0102");
  CHECK(s.message == "f.jsonl: missing field `id` in grant");
  CHECK(s.line == 4);
}
