// The mapping file without a database: what it reads, every error with its
// code and place, and the checks against a policy.
#include <catch2/catch.hpp>

#include <fstream>

#include "compiler/driver.hpp"
#include "postgres/mapping.hpp"
#include "postgres/mapping_policy.hpp"
#include "support/diagnostic_render.hpp"

using namespace warden;
using namespace warden::postgres;

namespace {

struct Parsed {
  SourceSet sources;
  MappingResult result;
  std::string text() const {
    std::string out;
    for (const auto& d : result.diagnostics) out += render_text(d, sources);
    return out;
  }
};

Parsed parse(const std::string& toml) {
  Parsed p;
  p.result = parse_mapping(p.sources, "m.toml", toml);
  return p;
}

const char* kGrant = R"(
[[grant]]
table = "model_permissions"
id = "id"
subject_id = "grantee_id"
resource_type = { value = "model" }
resource_id = "model_id"
level = { column = "permission_level", map = { READ = "read", WRITE = "write" } }
)";

}  // namespace

TEST_CASE("the example mapping reads, in file order") {
  Parsed p = parse(R"(
channel = "facts"
[[grant]]
table = "model_permissions"
id = "id"
subject_type = { column = "grantee_type", map = { user = "user", organization = "org" } }
subject_id = "grantee_id"
resource_type = { value = "model" }
resource_id = "model_id"
level = { column = "permission_level", map = { READ = "read", WRITE = "write" }, default = "read" }
expires_at = "expires_at"
active = { sql = "is_active AND revoked_at IS NULL" }

[[entity]]
type = "org"
table = "organizations"
id = "id"
attributes.status = { column = "status", map = { ACTIVE = "active" }, null = "inactive" }
)");
  REQUIRE(p.result.mapping);
  const Mapping& m = *p.result.mapping;
  CHECK(m.channel == "facts");
  REQUIRE(m.entries.size() == 2);
  CHECK(m.entries[0].kind == FactKind::Grant);
  CHECK(m.entries[1].kind == FactKind::Entity);
  const FactMapping& g = m.entries[0];
  REQUIRE(g.fields.size() == 8);
  CHECK(g.fields[0].first == "id");  // file order, not key order
  CHECK(g.fields[1].first == "subject_type");
  const FieldSpec* level = g.field("level");
  REQUIRE(level);
  REQUIRE(level->map.size() == 2);
  CHECK(level->map[0].first == "READ");
  CHECK(level->otherwise->text == "read");
  const FieldSpec* active = g.field("active");
  CHECK(active->from == FieldSpec::From::Sql);
  CHECK(active->text == "is_active AND revoked_at IS NULL");
  // The expression's span points at its text inside the quotes.
  CHECK(active->text_span.line == 12);
  CHECK(active->text_span.column == 19);
  CHECK(g.field("resource_type")->from == FieldSpec::From::Constant);
  CHECK(m.entries[1].entity_type == "org");
  REQUIRE(m.entries[1].attributes.size() == 1);
  CHECK(m.entries[1].attributes[0].second.if_null->text == "inactive");
}

TEST_CASE("mapping errors: each with its code, place and help") {
  SECTION("P0101 invalid TOML") {
    Parsed p = parse("[[grant]\ntable = 1\n");
    REQUIRE(p.result.diagnostics.size() == 1);
    CHECK(p.result.diagnostics[0].code == Code::P0101);
    CHECK(p.result.diagnostics[0].span.line == 1);
  }
  SECTION("P0104 unknown field, with a suggestion") {
    Parsed p = parse(std::string(kGrant) + "expire_at = \"expires_at\"\n");
    REQUIRE(p.result.diagnostics.size() == 1);
    CHECK(p.text() ==
          "m.toml:9:1: error[P0104]: unknown field `expire_at` in a `grant` mapping\n"
          " 9 | expire_at = \"expires_at\"\n"
          "   | ^^^^^^^^^\n"
          "   = help: did you mean `expires_at`?\n");
  }
  SECTION("P0104 unknown kind at the top") {
    Parsed p = parse("[[grants]]\ntable = \"x\"\n");
    REQUIRE(p.result.diagnostics.size() == 1);
    CHECK(p.result.diagnostics[0].code == Code::P0104);
    CHECK(p.result.diagnostics[0].notes.at(0) == "help: did you mean `grant`?");
  }
  SECTION("P0102 a required field is missing") {
    Parsed p = parse("[[grant]]\ntable = \"t\"\nid = \"id\"\n");
    REQUIRE(!p.result.diagnostics.empty());
    CHECK(p.result.diagnostics[0].code == Code::P0102);
    CHECK(p.result.diagnostics[0].message == "a `grant` mapping needs field `subject_id`");
  }
  SECTION("P0102 neither table nor query") {
    Parsed p = parse("[[membership]]\nmember_id = \"a\"\ncollection_type = \"b\"\ncollection_id = \"c\"\n");
    REQUIRE(p.result.diagnostics.size() == 1);
    CHECK(p.result.diagnostics[0].message == "a `membership` mapping needs `table` or `query`");
  }
  SECTION("P0102 a query without watch") {
    Parsed p = parse("[[membership]]\nquery = \"SELECT 1\"\nmember_id = \"a\"\ncollection_type = \"b\"\ncollection_id = \"c\"\n");
    REQUIRE(p.result.diagnostics.size() == 1);
    CHECK(p.result.diagnostics[0].code == Code::P0102);
  }
  SECTION("P0103 wrong types") {
    Parsed p = parse(std::string(kGrant) + "active = { value = \"yes\" }\nreason = 3\n");
    REQUIRE(p.result.diagnostics.size() == 2);
    CHECK(p.result.diagnostics[0].code == Code::P0103);
    CHECK(p.result.diagnostics[0].message == "`value` of field `active` must be a boolean, not a string");
    CHECK(p.result.diagnostics[1].message ==
          "field `reason` must be a column name or a table such as `{ column = \"c\" }`, not an integer");
  }
  SECTION("P0108 empty names") {
    Parsed p = parse(std::string(kGrant) + "reason = \"\"\n");
    REQUIRE(p.result.diagnostics.size() == 1);
    CHECK(p.result.diagnostics[0].code == Code::P0108);
  }
  SECTION("P0109 parts that exclude each other") {
    Parsed p = parse(std::string(kGrant) + "reason = { column = \"a\", sql = \"b\" }\nquery = \"SELECT 1\"\n");
    REQUIRE(p.result.diagnostics.size() == 2);
    CHECK(p.result.diagnostics[0].code == Code::P0109);
    CHECK(p.result.diagnostics[1].code == Code::P0109);
  }
  SECTION("P0102 an empty file") {
    Parsed p = parse("# nothing\n");
    REQUIRE(p.result.diagnostics.size() == 1);
    CHECK(p.result.diagnostics[0].code == Code::P0102);
  }
  SECTION("duplicate keys are TOML errors") {
    Parsed p = parse(std::string(kGrant) + "id = \"other\"\n");
    REQUIRE(p.result.diagnostics.size() == 1);
    CHECK(p.result.diagnostics[0].code == Code::P0101);
    CHECK(p.result.diagnostics[0].span.line == 9);
  }
}

TEST_CASE("the mapping against the policy") {
  const auto compiled = compiler::compile_path("examples/postgres/policy");
  REQUIRE(compiled.ok());
  const table::Program& policy = *compiled.program;

  SECTION("the example mapping fits its policy") {
    SourceSet sources;
    std::ifstream in("examples/postgres/mapping.toml");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    MappingResult r = parse_mapping(sources, "mapping.toml", text);
    REQUIRE(r.mapping);
    CHECK(check_against_policy(*r.mapping, policy).empty());
  }
  auto check = [&](const std::string& toml) {
    Parsed p = parse(toml);
    REQUIRE(p.result.mapping);
    auto ds = check_against_policy(*p.result.mapping, policy);
    p.result.diagnostics = ds;
    return std::make_pair(ds, p.text());
  };
  SECTION("P0202 unknown level in a map, with a suggestion") {
    auto [ds, text] = check(R"(
[[grant]]
table = "g"
id = "id"
subject_id = "s"
resource_type = { value = "model" }
resource_id = "m"
level = { column = "l", map = { R = "read", X = "exec" } }
)");
    REQUIRE(ds.size() == 1);
    CHECK(text ==
          "m.toml:8:49: error[P0202]: unknown level `exec`: the policy does not declare it\n"
          " 8 | level = { column = \"l\", map = { R = \"read\", X = \"exec\" } }\n"
          "   |                                                 ^^^^^^\n");
  }
  SECTION("P0201 unknown types, P0203 unknown role") {
    auto [ds, text] = check(R"(
[[grant]]
table = "g"
id = "id"
subject_type = { column = "t", map = { user = "user", organization = "organisation" } }
subject_id = "s"
resource_type = { value = "modl" }
resource_id = "m"
level = { value = "read" }
[[role]]
table = "u"
principal_id = "id"
role = { value = "platform_admn" }
)");
    REQUIRE(ds.size() == 3);
    CHECK(ds[0].code == Code::P0201);
    CHECK(ds[1].code == Code::P0201);
    CHECK(ds[1].notes.at(0) == "help: did you mean `model`?");
    CHECK(ds[2].code == Code::P0203);
  }
  SECTION("P0205 unknown attribute, P0206 a value outside the enum, P0207 a type mapped twice") {
    auto [ds, text] = check(R"(
[[entity]]
type = "org"
table = "o"
id = "id"
attributes.stats = "s"
[[entity]]
type = "org"
table = "o2"
id = "id"
attributes.status = { column = "s", map = { A = "active", S = "suspend" } }
)");
    REQUIRE(ds.size() == 3);
    CHECK(ds[0].code == Code::P0205);
    CHECK(ds[0].notes.at(0) == "help: did you mean `status`?");
    CHECK(ds[1].code == Code::P0207);
    CHECK(ds[2].code == Code::P0206);
    CHECK(ds[2].notes.at(0) == "help: did you mean `suspended`?");
  }
  SECTION("P0204 unknown scope") {
    auto [ds, text] = check(R"(
[[key]]
table = "k"
id = "id"
principal_id = "u"
scopes = { value = "model:read" }
)");
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].code == Code::P0204);
  }
}
