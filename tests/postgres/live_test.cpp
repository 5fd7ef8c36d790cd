// The PostgreSQL fact source against a real PostgreSQL (a throwaway cluster
// on loopback, pg_cluster.hpp): the first load, every kind of live change
// the design's scenario 2 needs, expiry without an event, a server restart,
// a burst of changes, backlog overflow, staleness and fail-closed, rows the
// mapping refuses.
#include <catch2/catch.hpp>

#include <thread>

#include "tests/postgres/live_fixture.hpp"
#include "tests/postgres/pg_cluster.hpp"

using namespace warden;
using namespace warden::test;
using namespace std::chrono_literals;
using Kind = postgres::SourceEvent::Kind;

namespace {

std::string code(const Decision& d) { return std::string(d.code.view()); }

}  // namespace

TEST_CASE("the first load publishes the tables as facts, from one snapshot") {
  LiveDatabase db;
  const auto status = db.source->status();
  CHECK(status.state == postgres::SourceState::Live);
  CHECK(status.loaded);
  CHECK(status.position.rfind("snapshot ", 0) == 0);
  CHECK(status.counters.full_loads == 1);
  // alice owns churn; bob has no grant on it.
  CHECK(db.decide("alice", "update", "churn").allowed());
  const Decision bob = db.decide("bob", "read", "churn");
  CHECK(code(bob) == "PERMISSION_DENIED");
  CHECK(db.source->position_of(bob.facts_version) == status.position);
}

TEST_CASE("a grant inserted is followed, and a revoked one never comes back") {
  LiveDatabase db;
  REQUIRE(!db.decide("bob", "read", "churn").allowed());

  db.sql("INSERT INTO model_permissions (id, model_id, grantee_type, grantee_id, permission_level, reason) "
         "VALUES (41, 'churn', 'user', 'bob', 'READ', 'on call')");
  auto took = db.wait_for([&] { return db.decide("bob", "read", "churn").allowed(); }, change_deadline());
  REQUIRE(took);
  Decision d = db.decide("bob", "read", "churn");
  CHECK(d.grant_id.view() == "41");
  CHECK(code(d) == "ALLOW");
  // The facts version names the transaction it reflects.
  CHECK(db.source->position_of(d.facts_version).rfind("xid ", 0) == 0);
  CHECK(!db.decide("bob", "update", "churn").allowed());  // read only

  SECTION("revoked with is_active = false") {
    db.sql("UPDATE model_permissions SET is_active = false WHERE id = 41");
  }
  SECTION("revoked with revoked_at") {
    db.sql("UPDATE model_permissions SET revoked_at = now() WHERE id = 41");
  }
  SECTION("deleted") {
    db.sql("DELETE FROM model_permissions WHERE id = 41");
  }
  REQUIRE(db.wait_for([&] { return !db.decide("bob", "read", "churn").allowed(); }, change_deadline()));
  // A later, unrelated change is applied after it: the revoked grant stays revoked.
  db.sql("INSERT INTO model_permissions (id, model_id, grantee_type, grantee_id, permission_level) "
         "VALUES (42, 'fraud', 'user', 'bob', 'READ')");
  REQUIRE(db.wait_for([&] { return db.decide("bob", "read", "fraud").allowed(); }, change_deadline()));
  CHECK(!db.decide("bob", "read", "churn").allowed());
}

TEST_CASE("a grant past its expires_at stops counting without any change event") {
  LiveDatabase db;
  db.sql("INSERT INTO model_permissions (id, model_id, grantee_type, grantee_id, permission_level, expires_at) "
         "VALUES (7, 'churn', 'user', 'bob', 'WRITE', '2030-01-01T00:00:00Z')");
  REQUIRE(db.wait_for([&] { return db.decide("bob", "update", "churn").allowed(); }, change_deadline()));
  const auto before = db.source->status().counters;
  const std::int64_t expiry = 1893456000;  // 2030-01-01T00:00:00Z
  CHECK(db.decide("bob", "update", "churn", expiry - 1).allowed());
  const Decision after = db.decide("bob", "update", "churn", expiry + 1);
  CHECK(!after.allowed());
  CHECK(code(after) == "GRANT_EXPIRED");
  // Nothing was sent or applied for it: the engine decides expiry by the
  // request's time.
  const auto now = db.source->status().counters;
  CHECK(now.batches == before.batches);
  CHECK(now.notifications == before.notifications);
}

TEST_CASE("a team membership removed takes the team's grants away from the user") {
  LiveDatabase db;
  db.sql("INSERT INTO model_permissions (id, model_id, grantee_type, grantee_id, permission_level) "
         "VALUES (9, 'fraud', 'team', 'ml-platform', 'EXECUTE')");
  REQUIRE(db.wait_for([&] { return db.decide("bob", "execute", "fraud").allowed(); }, change_deadline()));
  const Decision via_team = db.decide("bob", "execute", "fraud");
  CHECK(via_team.source == SourceKind::TeamGrant);
  CHECK(via_team.grant_id.view() == "9");

  db.sql("DELETE FROM team_members WHERE team_id = 'ml-platform' AND user_id = 'bob'");
  REQUIRE(db.wait_for([&] { return !db.decide("bob", "execute", "fraud").allowed(); }, change_deadline()));
  // And back, with a key change: the row moves to another team and back.
  db.sql("INSERT INTO teams (id, name, organization_id) VALUES ('research', 'Research', 'acme')");
  db.sql("INSERT INTO team_members (team_id, user_id) VALUES ('research', 'bob')");
  db.sql("UPDATE team_members SET team_id = 'ml-platform' WHERE team_id = 'research' AND user_id = 'bob'");
  REQUIRE(db.wait_for([&] { return db.decide("bob", "execute", "fraud").allowed(); }, change_deadline()));
}

TEST_CASE("an organization suspended denies with ORG_SUSPENDED") {
  LiveDatabase db;
  REQUIRE(db.decide("alice", "read", "churn").allowed());
  db.sql("UPDATE organizations SET status = 'SUSPENDED' WHERE id = 'acme'");
  REQUIRE(db.wait_for([&] { return code(db.decide("alice", "read", "churn")) == "ORG_SUSPENDED"; }, change_deadline()));
  db.sql("UPDATE organizations SET status = 'INACTIVE' WHERE id = 'acme'");
  REQUIRE(db.wait_for([&] { return code(db.decide("alice", "read", "churn")) == "ORG_INACTIVE"; }, change_deadline()));
  db.sql("UPDATE organizations SET status = 'ACTIVE' WHERE id = 'acme'");
  REQUIRE(db.wait_for([&] { return db.decide("alice", "read", "churn").allowed(); }, change_deadline()));
}

TEST_CASE("a server restart: decisions go on with the last facts, then a full resync") {
  postgres::SourceOptions options;
  options.max_staleness = 30s;  // far: decisions must keep being made
  LiveDatabase db(options);
  db.sql("INSERT INTO model_permissions (id, model_id, grantee_type, grantee_id, permission_level) "
         "VALUES (5, 'churn', 'user', 'bob', 'READ')");
  REQUIRE(db.wait_for([&] { return db.decide("bob", "read", "churn").allowed(); }, change_deadline()));

  PgCluster::shared().stop();
  REQUIRE(db.wait_for([&] { return db.source->status().state != postgres::SourceState::Live; }, 10s));
  // The last facts keep serving while the database is away.
  CHECK(db.decide("bob", "read", "churn").allowed());
  Decision d;
  CHECK(!db.source->deny_if_stale(d));
  CHECK(db.count_events(Kind::Disconnected) == 1);
  const auto down = db.source->status();
  CHECK(!down.last_error.empty());

  PgCluster::shared().start();
  // A change made before the source is back is found by its resync.
  db.sql("UPDATE model_permissions SET is_active = false WHERE id = 5");
  db.sql("INSERT INTO model_permissions (id, model_id, grantee_type, grantee_id, permission_level) "
         "VALUES (6, 'fraud', 'user', 'bob', 'READ')");
  REQUIRE(db.wait_for([&] { return db.decide("bob", "read", "fraud").allowed(); }, 15s));
  CHECK(!db.decide("bob", "read", "churn").allowed());
  // The resync publishes its facts before it counts itself and turns live:
  // wait for the status, which a decision may see the facts ahead of.
  CHECK(db.wait_for(
      [&] {
        const auto s = db.source->status();
        return s.state == postgres::SourceState::Live && s.counters.resyncs >= 1;
      },
      15s));
  const auto up = db.source->status();
  CHECK(up.counters.resyncs >= 1);
  CHECK(up.counters.reconnects >= 1);

  SECTION("pg_ctl restart (immediate): the same, and changes are followed after it") {
    PgCluster::shared().restart();
    REQUIRE(db.wait_for([&] { return db.source->status().counters.resyncs > up.counters.resyncs; }, 15s));
    CHECK(db.decide("bob", "read", "fraud").allowed());
    db.sql("DELETE FROM model_permissions WHERE id = 6");
    REQUIRE(db.wait_for([&] { return !db.decide("bob", "read", "fraud").allowed(); }, change_deadline()));
  }
}

TEST_CASE("facts older than max_staleness fail closed with FACTS_STALE") {
  postgres::SourceOptions options;
  options.max_staleness = 300ms;
  LiveDatabase db(options);
  Decision d;
  CHECK(!db.source->deny_if_stale(d));
  PgCluster::shared().stop();
  REQUIRE(db.wait_for([&] { return db.source->stale(); }, 10s));
  REQUIRE(db.source->deny_if_stale(d));
  CHECK(d.outcome == Outcome::Deny);
  CHECK(code(d) == "FACTS_STALE");
  CHECK(d.facts_version == db.engine.facts_version());
  CHECK(db.source->staleness_seconds() > 0.3);
  PgCluster::shared().start();
  REQUIRE(db.wait_for([&] { return !db.source->stale(); }, 15s));
  CHECK(!db.source->deny_if_stale(d));
}

TEST_CASE("a burst of 10k changes: all applied, in order") {
  LiveDatabase db;
  // 5,000 grants in one transaction, each to its own user …
  db.sql("INSERT INTO users (id, email) SELECT 'u' || i, 'u' || i || '@x' FROM generate_series(1, 5000) i");
  db.sql("INSERT INTO model_permissions (id, model_id, grantee_type, grantee_id, permission_level) "
         "SELECT 1000 + i, 'churn', 'user', 'u' || i, 'READ' FROM generate_series(1, 5000) i");
  // … then 5,000 transactions flipping one grant, the last one revoking it.
  db.sql("INSERT INTO model_permissions (id, model_id, grantee_type, grantee_id, permission_level) "
         "VALUES (99, 'fraud', 'user', 'bob', 'ADMIN')");
  for (int i = 0; i < 5000; ++i) {
    db.sql("UPDATE model_permissions SET is_active = " + std::string(i % 2 ? "false" : "true") +
           ", permission_level = '" + (i % 3 ? "WRITE" : "ADMIN") + "' WHERE id = 99");
  }
  // A sentinel after all of them.
  db.sql("INSERT INTO model_permissions (id, model_id, grantee_type, grantee_id, permission_level) "
         "VALUES (100, 'fraud', 'user', 'alice', 'READ')");
  const auto took = db.wait_for([&] { return db.decide("alice", "read", "fraud").grant_id.view() == "100"; }, 30s);
  REQUIRE(took);
  // The last state of the flipped grant: i = 4999, inactive.
  CHECK(!db.decide("bob", "delete", "fraud").allowed());
  CHECK(!db.decide("bob", "update", "fraud").allowed());
  int allowed = 0;
  for (int i = 1; i <= 5000; ++i) allowed += db.decide("u" + std::to_string(i), "read", "churn").allowed();
  CHECK(allowed == 5000);
  const auto c = db.source->status().counters;
  CHECK(c.overflows == 0);
  CHECK(c.resyncs == 0);
  CHECK(c.notifications >= 10'000);
}

TEST_CASE("a backlog past max_backlog is dropped for a full resync") {
  postgres::SourceOptions options;
  options.max_backlog = 10;
  LiveDatabase db(options);
  db.sql("INSERT INTO users (id, email) SELECT 'v' || i, 'v' || i || '@x' FROM generate_series(1, 50) i");
  REQUIRE(db.wait_for([&] { return db.source->status().counters.resyncs >= 1; }, 10s));
  CHECK(db.count_events(Kind::Overflow) >= 1);
  CHECK(db.events().back().kind != Kind::Failed);
  db.sql("INSERT INTO model_permissions (id, model_id, grantee_type, grantee_id, permission_level) "
         "VALUES (3, 'churn', 'user', 'v50', 'READ')");
  REQUIRE(db.wait_for([&] { return db.decide("v50", "read", "churn").allowed(); }, change_deadline()));
}

TEST_CASE("rows the mapping cannot read give no fact, and are reported") {
  LiveDatabase db;
  // Lift the check so the table can hold a level the map does not list.
  db.sql("ALTER TABLE model_permissions DROP CONSTRAINT model_permissions_permission_level_check");
  db.sql("INSERT INTO model_permissions (id, model_id, grantee_type, grantee_id, permission_level) "
         "VALUES (11, 'churn', 'user', 'bob', 'SUPERUSER')");
  REQUIRE(db.wait_for([&] { return db.count_events(Kind::RowRefused) == 1; }, 10s));
  const auto refused = [&] {
    for (const auto& e : db.events()) {
      if (e.kind == Kind::RowRefused) return e;
    }
    return postgres::SourceEvent{};
  }();
  CHECK(refused.code == "P0401");
  CHECK(refused.message == "row `11` of public.model_permissions: field `level`: value `SUPERUSER` is not in its map");
  CHECK(!db.decide("bob", "read", "churn").allowed());
  db.sql("UPDATE model_permissions SET permission_level = 'READ' WHERE id = 11");
  REQUIRE(db.wait_for([&] { return db.decide("bob", "read", "churn").allowed(); }, change_deadline()));
  // A TRUNCATE re-reads the whole mapping: every grant goes.
  db.sql("TRUNCATE model_permissions");
  REQUIRE(db.wait_for([&] { return !db.decide("bob", "read", "churn").allowed(); }, change_deadline()));
}
