// Rows from PostgreSQL checked against the policy in service (F04xx): a row
// whose fact names what the policy does not declare is reported with its
// table and row key and counted; by default its fact loads (and never
// allows anything), with `--facts-check refuse` the load or the batch is
// refused whole and the facts in service stay. In the source (first load,
// live changes), and in `warden serve` (log, metric, start refused).
//
// A mapping's own names are checked against the policy before anything is
// read (P02xx); rows can still name something else when a field is SQL of
// the mapping's own. The mapping here reads the grant level as
// `lower(permission_level)`, with the table's check on the column dropped,
// so a row can give the level `superuser`.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "postgres/pg.hpp"
#include "server/serve.hpp"
#include "tests/postgres/live_fixture.hpp"
#include "tests/postgres/pg_cluster.hpp"
#include "tests/server/http_client.hpp"

using namespace warden;
using namespace warden::test;
using namespace std::chrono_literals;
using Kind = postgres::SourceEvent::Kind;

namespace {

const char* kFinding = "row `11` of public.model_permissions: unknown level `superuser` in grant `11`";

// The example mapping with the grant level read by SQL instead of a map.
std::string lowercase_level_mapping() {
  std::string text = read_text("examples/postgres/mapping.toml");
  const std::string level = "level = { column = \"permission_level\", map = { READ = \"read\", WRITE = \"write\", "
                            "EXECUTE = \"execute\", ADMIN = \"admin\" } }";
  const auto at = text.find(level);
  REQUIRE(at != std::string::npos);
  text.replace(at, level.size(), "level = { sql = \"lower(permission_level)\" }");
  const std::string path = std::string(TEST_BINARY_DIR) + "/facts_check_mapping.toml";
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  return path;
}

const char* kDropCheck = "ALTER TABLE model_permissions DROP CONSTRAINT model_permissions_permission_level_check";
const char* kSuperuser =
    "INSERT INTO model_permissions (id, model_id, grantee_type, grantee_id, permission_level) "
    "VALUES (11, 'churn', 'user', 'bob', 'SUPERUSER')";

// The first event of `kind` with findings, if any.
std::optional<postgres::SourceEvent> with_findings(const LiveDatabase& db, Kind kind) {
  for (const auto& e : db.events()) {
    if (e.kind == kind && e.findings_total > 0) return e;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("a row naming what the policy does not declare is loaded with a warning, counted, and never allows") {
  LiveDatabase db({}, lowercase_level_mapping());
  db.sql(kDropCheck);
  db.sql(kSuperuser);
  REQUIRE(db.wait_for([&] { return with_findings(db, Kind::Applied).has_value(); }, 10s));
  const postgres::SourceEvent e = *with_findings(db, Kind::Applied);
  CHECK(e.findings_total == 1);
  REQUIRE(e.findings.size() == 1);
  CHECK(e.findings[0].code == "F0404");
  CHECK(e.findings[0].message == kFinding);
  CHECK(e.findings[0].warning);
  const auto status = db.source->status();
  CHECK(status.counters.fact_findings == 1);
  CHECK(status.state == postgres::SourceState::Live);
  CHECK(status.counters.failures == 0);
  // Loaded (the facts version moved on), and a level the policy does not
  // declare never counts.
  CHECK(db.engine.facts_version() == e.facts_version);
  CHECK(!db.decide("bob", "read", "churn").allowed());
  // The row fixed: the next batch has nothing to report.
  db.sql("UPDATE model_permissions SET permission_level = 'READ' WHERE id = 11");
  REQUIRE(db.wait_for([&] { return db.decide("bob", "read", "churn").allowed(); }, change_deadline()));
  CHECK(db.source->status().counters.fact_findings == 1);
}

TEST_CASE("with facts_check refuse a batch with such a row is refused whole and the facts in service stay") {
  postgres::SourceOptions options;
  options.facts_check = FactsCheck::Refuse;
  LiveDatabase db(options, lowercase_level_mapping());
  db.sql(kDropCheck);
  const std::uint64_t before = db.engine.facts_version();
  // One transaction: the bad row and a good one, in one batch.
  db.sql(std::string("BEGIN; ") + kSuperuser +
         "; INSERT INTO model_permissions (id, model_id, grantee_type, grantee_id, permission_level) "
         "VALUES (12, 'fraud', 'user', 'bob', 'READ'); COMMIT");
  REQUIRE(db.wait_for([&] { return with_findings(db, Kind::Failed).has_value(); }, 10s));
  const postgres::SourceEvent e = *with_findings(db, Kind::Failed);
  CHECK(e.code == "F0404");
  CHECK(e.message.find(kFinding) != std::string::npos);
  REQUIRE(e.findings.size() == 1);
  CHECK(!e.findings[0].warning);
  // Nothing of the batch was published: the good row neither.
  CHECK(db.engine.facts_version() == before);
  CHECK(!db.decide("bob", "read", "fraud").allowed());
  const auto status = db.source->status();
  CHECK(status.counters.failures >= 1);
  CHECK(status.counters.fact_findings >= 1);
  CHECK(status.last_error.rfind("F0404: ", 0) == 0);
  // The row fixed: the next full load publishes both.
  db.sql("UPDATE model_permissions SET permission_level = 'READ' WHERE id = 11");
  REQUIRE(db.wait_for([&] { return db.decide("bob", "read", "fraud").allowed(); }, 10s));
  CHECK(db.decide("bob", "read", "churn").allowed());
  // The facts are published before the source records that it is live again.
  CHECK(db.wait_for([&] { return db.source->status().state == postgres::SourceState::Live; }, 10s));
}

TEST_CASE("the first load: such a row is reported with the facts, or refuses the start") {
  const std::string mapping_path = lowercase_level_mapping();
  const std::string url = scenario_database(mapping_path);
  postgres::Connection conn;
  REQUIRE(conn.open(url));
  REQUIRE(conn.exec(kDropCheck).ok());
  REQUIRE(conn.exec(kSuperuser).ok());
  const auto mapping = postgres::read_mapping_file(mapping_path);
  REQUIRE(mapping.file);

  for (const FactsCheck mode : {FactsCheck::Warn, FactsCheck::Refuse}) {
    Engine engine;
    LiveDatabase::load_example_policy(engine);
    postgres::SourceOptions o;
    o.url = url;
    o.facts_check = mode;
    std::vector<postgres::SourceEvent> events;
    postgres::PostgresFactSource source(engine, mapping.file, o,
                                        [&](const postgres::SourceEvent& e) { events.push_back(e); });
    const Status s = source.start();
    source.stop();
    if (mode == FactsCheck::Warn) {
      REQUIRE(s.ok);
      CHECK(engine.facts_version() == 1);
      REQUIRE(!events.empty());
      CHECK(events.front().kind == Kind::Loaded);
      CHECK(events.front().findings_total == 1);
      REQUIRE(events.front().findings.size() == 1);
      CHECK(events.front().findings[0].message == kFinding);
    } else {
      CHECK(!s.ok);
      CHECK(s.code == "F0404");
      CHECK(s.message.find(kFinding) != std::string::npos);
      CHECK(engine.facts_version() == 0);  // nothing published
      CHECK(source.status().counters.fact_findings == 1);
    }
  }
}

TEST_CASE("warden serve: such rows logged and counted, or the start refused with --facts-check refuse") {
  const std::string mapping_path = lowercase_level_mapping();
  const std::string url = scenario_database(mapping_path);
  postgres::Connection conn;
  REQUIRE(conn.open(url));
  REQUIRE(conn.exec(kDropCheck).ok());
  REQUIRE(conn.exec(kSuperuser).ok());
  server::ServeOptions o;
  o.policy = "examples/postgres/policy";
  o.facts_db = url;
  o.facts_mapping = mapping_path;
  o.listen = "127.0.0.1:0";
  o.threads = 1;
  o.watch = false;
  {
    std::ostringstream log;
    server::Server serve(o, log);
    REQUIRE(!serve.start().has_value());
    const std::string metrics = HttpClient(serve.port()).get("/metrics").body();
    CHECK(metrics.find("\nwarden_facts_source_fact_findings_total 1\n") != std::string::npos);
    serve.stop();
    const std::string text = log.str();
    const auto at = text.find("\"event\":\"facts_source_findings\"");
    REQUIRE(at != std::string::npos);
    const std::string line = text.substr(at, text.find('\n', at) - at);
    CHECK(line.find(kFinding) != std::string::npos);
    CHECK(line.find("\"result\":\"loaded\"") != std::string::npos);
  }
  o.facts_check = FactsCheck::Refuse;
  std::ostringstream log;
  CHECK(server::Server(o, log).start() == 1);
  CHECK(log.str().find("F0404") != std::string::npos);
  CHECK(log.str().find("\"result\":\"refused\"") != std::string::npos);
}
