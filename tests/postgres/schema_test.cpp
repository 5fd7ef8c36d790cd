// The mapping against a live database (`warden facts check --db`), and the
// triggers: located errors with suggestions, and idempotent install and
// uninstall.
#include <catch2/catch.hpp>

#include <fstream>

#include "postgres/mapping.hpp"
#include "postgres/plan.hpp"
#include "postgres/triggers.hpp"
#include "support/diagnostic_render.hpp"
#include "tests/postgres/live_fixture.hpp"
#include "tests/postgres/pg_cluster.hpp"

using namespace warden;
using namespace warden::postgres;

namespace {

struct Db {
  Db() {
    url = test::PgCluster::shared().create_database();
    REQUIRE(c.open(url));
    REQUIRE(c.exec(test::read_text("examples/postgres/schema.sql")).ok());
  }
  std::string url;
  Connection c;
};

struct Checked {
  SourceSet sources;
  PlanResult result;
  std::string text() const {
    std::string out;
    for (const auto& d : result.diagnostics) out += render_text(d, sources);
    return out;
  }
};

Checked check(Db& db, const std::string& toml, std::optional<Mapping>* keep = nullptr) {
  Checked c;
  MappingResult m = parse_mapping(c.sources, "m.toml", toml);
  REQUIRE(m.mapping);
  static std::vector<std::unique_ptr<Mapping>> alive;  // the plan points into its mapping
  alive.push_back(std::make_unique<Mapping>(std::move(*m.mapping)));
  c.result = plan_mapping(db.c, *alive.back(), c.sources);
  if (keep) *keep = *alive.back();
  return c;
}

const std::string kGrantFields = R"(
subject_id = "grantee_id"
resource_type = { value = "model" }
resource_id = "model_id"
level = { column = "permission_level", map = { READ = "read" } }
)";

}  // namespace

TEST_CASE("the example mapping fits the example schema") {
  Db db;
  Checked c = check(db, test::read_text("examples/postgres/mapping.toml"));
  REQUIRE(c.result.plan);
  // Only warnings: the triggers are not installed yet.
  for (const auto& d : c.result.diagnostics) CHECK(d.code == Code::P0307);
  CHECK(c.result.diagnostics.size() == c.result.plan->tables.size());
  const Plan& plan = *c.result.plan;
  CHECK(plan.tables.at("public.team_members") == std::vector<std::string>{"team_id", "user_id"});
  CHECK(plan.tables.at("public.model_permissions") == std::vector<std::string>{"id"});

  SECTION("install-triggers: idempotent; then check is clean") {
    REQUIRE(install_triggers(db.c, plan).ok);
    REQUIRE(install_triggers(db.c, plan).ok);
    Checked again = check(db, test::read_text("examples/postgres/mapping.toml"));
    CHECK(again.text() == "");
    SECTION("uninstall-triggers: idempotent; the warning is back; the function is gone") {
      REQUIRE(uninstall_triggers(db.c, plan).ok);
      REQUIRE(uninstall_triggers(db.c, plan).ok);
      Checked after = check(db, test::read_text("examples/postgres/mapping.toml"));
      CHECK(after.result.diagnostics.size() == plan.tables.size());
      CHECK(db.c.exec("SELECT to_regprocedure('warden.notify_change()') IS NULL").text(0, 0) == "t");
      CHECK(db.c.exec("SELECT to_regnamespace('warden') IS NULL").text(0, 0) == "t");
    }
  }
}

TEST_CASE("live schema errors: located, with suggestions") {
  Db db;
  SECTION("P0302 unknown table") {
    Checked c = check(db, "[[grant]]\ntable = \"model_permission\"\nid = \"id\"" + kGrantFields);
    CHECK(c.text() ==
          "m.toml:2:10: error[P0302]: unknown table `model_permission` in schema `public`\n"
          " 2 | table = \"model_permission\"\n"
          "   |          ^^^^^^^^^^^^^^^^\n"
          "   = help: did you mean `model_permissions`?\n");
  }
  SECTION("P0303 unknown column") {
    Checked c = check(db, "[[grant]]\ntable = \"model_permissions\"\nid = \"id\"\nexpires_at = \"expire_at\"" + kGrantFields);
    REQUIRE(c.result.diagnostics.size() == 1);
    CHECK(c.result.diagnostics[0].code == Code::P0303);
    CHECK(c.result.diagnostics[0].span.line == 4);
    CHECK(c.result.diagnostics[0].span.column == 15);
    CHECK(c.result.diagnostics[0].notes.at(0) == "help: did you mean `expires_at`?");
  }
  SECTION("P0304 an SQL expression the server refuses, pointed at the word") {
    Checked c = check(db, "[[grant]]\ntable = \"model_permissions\"\nid = \"id\"\nactive = { sql = \"is_active AND revokd_at IS NULL\" }" + kGrantFields);
    REQUIRE(c.result.diagnostics.size() == 1);
    const Diagnostic& d = c.result.diagnostics[0];
    CHECK(d.code == Code::P0304);
    CHECK(d.message == "in field `active`: column \"revokd_at\" does not exist");
    CHECK(d.span.line == 4);
    CHECK(d.span.column == 33);
    CHECK(d.span.length == 9);
  }
  SECTION("P0305 a column whose type does not fit the field") {
    Checked c = check(db, "[[grant]]\ntable = \"model_permissions\"\nid = \"id\"\nactive = \"reason\"\nexpires_at = \"grantee_id\"" + kGrantFields);
    REQUIRE(c.result.diagnostics.size() == 2);
    CHECK(c.result.diagnostics[0].code == Code::P0305);
    CHECK(c.result.diagnostics[0].message == "field `active` needs a boolean; column `reason` is `text`");
    CHECK(c.result.diagnostics[1].message == "field `expires_at` needs a timestamp, a date or Unix seconds; column `grantee_id` is `text`");
  }
  SECTION("P0306 no primary key and no key") {
    REQUIRE(db.c.exec("CREATE TABLE loose (a text, b text)").ok());
    Checked c = check(db, "[[membership]]\ntable = \"loose\"\nmember_id = \"a\"\ncollection_type = { value = \"team\" }\ncollection_id = \"b\"\n");
    REQUIRE(c.result.diagnostics.size() == 1);
    CHECK(c.result.diagnostics[0].code == Code::P0306);
    Checked keyed = check(db, "[[membership]]\ntable = \"loose\"\nkey = [\"a\", \"b\"]\nmember_id = \"a\"\ncollection_type = { value = \"team\" }\ncollection_id = \"b\"\n");
    CHECK(keyed.result.plan);
  }
  SECTION("P0304 a query the server refuses; a query's columns checked like a table's") {
    Checked bad = check(db, "[[membership]]\nquery = \"SELECT user_id, team_id FROM team_member\"\nwatch = [\"team_members\"]\n"
                            "member_id = \"user_id\"\ncollection_type = { value = \"team\" }\ncollection_id = \"team_id\"\n");
    REQUIRE(bad.result.diagnostics.size() == 1);
    CHECK(bad.result.diagnostics[0].code == Code::P0304);
    CHECK(bad.result.diagnostics[0].span.column == 39);
    Checked col = check(db, "[[membership]]\nquery = \"SELECT user_id, team_id FROM team_members\"\nwatch = [\"team_members\"]\n"
                            "member_id = \"user_i\"\ncollection_type = { value = \"team\" }\ncollection_id = \"team_id\"\n");
    REQUIRE(!col.result.diagnostics.empty());
    CHECK(col.result.diagnostics[0].code == Code::P0303);
    CHECK(col.result.diagnostics[0].notes.at(0) == "help: did you mean `user_id`?");
  }
}

TEST_CASE("a mapping from a query is followed through the tables it watches") {
  const std::string mapping = std::string(TEST_BINARY_DIR) + "/query_mapping.toml";
  {
    std::ofstream out(mapping);
    out << test::read_text("examples/postgres/mapping.toml");
    // Each model readable by its owner's organization: a join, re-run on any
    // change of the tables it reads.
    out << R"(
[[grant]]
query = '''
SELECT 'owner-org-' || m.id AS grant_id, u.organization_id, m.id AS model_id
FROM models m JOIN users u ON u.id = m.owner_id
'''
watch = ["models", "users"]
id = "grant_id"
subject_type = { value = "org" }
subject_id = "organization_id"
resource_type = { value = "model" }
resource_id = "model_id"
level = { value = "read" }
)";
  }
  test::LiveDatabase db({}, mapping);
  CHECK(db.decide("bob", "read", "churn").grant_id.view() == "owner-org-churn");
  db.sql("UPDATE users SET organization_id = NULL WHERE id = 'alice'");
  REQUIRE(db.wait_for([&] { return !db.decide("bob", "read", "churn").allowed(); }, test::change_deadline()));
  db.sql("UPDATE users SET organization_id = 'acme' WHERE id = 'alice'");
  REQUIRE(db.wait_for([&] { return db.decide("bob", "read", "churn").allowed(); }, test::change_deadline()));
}
