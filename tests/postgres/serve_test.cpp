// `warden serve --facts postgresql://…` against a real PostgreSQL (a
// throwaway cluster on loopback, pg_cluster.hpp): the service started in
// process on the example schema and mapping, asked over HTTP. A committed
// grant reaches a decision; the cluster stopped makes the replica degraded
// (readiness, metrics) while it keeps deciding on its last facts, and, past
// `--facts-max-staleness`, deny with FACTS_STALE; the cluster back makes it
// live again. With `--audit-db`, every decision becomes a row of the
// example's model_access_logs table; a table that does not fit stops the
// start, a refused row is counted without losing its batch, and the
// database gone costs decisions nothing (rows are dropped and counted).
#include <catch2/catch.hpp>

#include <functional>
#include <sstream>
#include <thread>

#include "postgres/pg.hpp"
#include "server/serve.hpp"
#include "tests/postgres/live_fixture.hpp"
#include "tests/postgres/pg_cluster.hpp"
#include "tests/server/http_client.hpp"

using namespace warden;
using namespace warden::test;
using namespace std::chrono_literals;

namespace {

struct ServeOnDatabase {
  std::ostringstream log;
  std::unique_ptr<server::Server> server;

  ServeOnDatabase(const std::string& url, std::chrono::milliseconds max_staleness = 0ms,
                  const std::function<void(server::ServeOptions&)>& more = {}) {
    server::ServeOptions o;
    o.policy = "examples/postgres/policy";
    o.facts_db = url;
    o.facts_mapping = "examples/postgres/mapping.toml";
    o.facts_max_staleness = max_staleness;
    o.listen = "127.0.0.1:0";
    o.threads = 1;
    o.watch = false;
    if (more) more(o);
    server = std::make_unique<server::Server>(o, log);
    const auto failed = server->start();
    INFO(log.str());
    REQUIRE(!failed.has_value());
  }
  ~ServeOnDatabase() { server->stop(); }

  Response decide(const std::string& user, const std::string& action, const std::string& model,
                  const std::string& context = "{}") const {
    return HttpClient(server->port())
        .post("/v1/decide", R"({"principal":{"type":"user","id":")" + user + R"("},"action":")" + action +
                                R"(","resource":{"type":"model","id":")" + model + R"("},"context":)" + context + "}");
  }
  Response get(const std::string& target) const { return HttpClient(server->port()).get(target); }
};

bool has(const Response& r, const std::string& text) { return r.body().find(text) != std::string::npos; }

// A sample's value in /metrics ("name value"), as text.
std::string metric(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(name + " ", 0) == 0) return line.substr(name.size() + 1);
  }
  return "";
}

// Wait (bounded) for `done`, polling: the condition is the sentinel.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds bound) {
  const auto until = std::chrono::steady_clock::now() + bound;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(2ms);
  }
  return done();
}

// The shared cluster stopped for a test, and started again however the test ends.
struct ClusterStopped {
  ClusterStopped() { PgCluster::shared().stop(); }
  ~ClusterStopped() { PgCluster::shared().start(); }
};

}  // namespace

TEST_CASE("warden serve follows the database: a grant inserted reaches a decision over HTTP") {
  const std::string url = scenario_database();
  postgres::Connection db;
  REQUIRE(db.open(url));
  ServeOnDatabase serve(url);

  const Response ready = serve.get("/readyz");
  CHECK(ready.result_int() == 200);
  CHECK(has(ready, R"("degraded":false)"));
  CHECK(has(ready, R"("state":"live")"));
  const Response version = serve.get("/v1/facts/version");
  CHECK(has(version, R"("position":"snapshot )"));

  REQUIRE(has(serve.decide("bob", "read", "churn"), R"("code":"PERMISSION_DENIED")"));
  REQUIRE(db.exec("INSERT INTO model_permissions (id, model_id, grantee_type, grantee_id, permission_level) "
                  "VALUES (41, 'churn', 'user', 'bob', 'READ')")
              .ok());
  // The wiring is under test here, not the latency (tests/postgres/live_test.cpp
  // holds the 200 ms): a generous bound on a loaded machine.
  CHECK(eventually([&] { return has(serve.decide("bob", "read", "churn"), R"("code":"ALLOW")"); }, 10s));
  // The facts in service now reflect a transaction, by its id.
  CHECK(has(serve.get("/v1/facts/version"), R"("position":"xid )"));
  const std::string metrics = serve.get("/metrics").body();
  CHECK(metric(metrics, "warden_facts_source_live") == "1");
  CHECK(std::stod(metric(metrics, "warden_facts_staleness_seconds")) < 5.0);
  CHECK(std::stoull(metric(metrics, "warden_facts_source_changes_total")) >= 1);
}

TEST_CASE("warden serve with the database gone: degraded, deciding on its last facts, then live again") {
  const std::string url = scenario_database();
  ServeOnDatabase serve(url);
  REQUIRE(has(serve.decide("alice", "update", "churn"), R"("code":"ALLOW")"));
  {
    ClusterStopped stopped;
    CHECK(eventually([&] { return has(serve.get("/readyz"), R"("degraded":true)"); }, 10s));
    const Response ready = serve.get("/readyz");
    CHECK(ready.result_int() == 200);  // no maximum staleness: still serving
    CHECK(!has(ready, R"("state":"live")"));
    CHECK(metric(serve.get("/metrics").body(), "warden_facts_source_live") == "0");
    CHECK(has(serve.decide("alice", "update", "churn"), R"("code":"ALLOW")"));
  }
  CHECK(eventually([&] { return has(serve.get("/readyz"), R"("degraded":false)"); }, 20s));
  CHECK(std::stoull(metric(serve.get("/metrics").body(), "warden_facts_source_resyncs_total")) >= 1);
}

TEST_CASE("warden serve with --facts-max-staleness denies with FACTS_STALE once the facts are too old") {
  const std::string url = scenario_database();
  ServeOnDatabase serve(url, 2500ms);  // above the source's 1 s heartbeat
  REQUIRE(has(serve.decide("alice", "update", "churn"), R"("code":"ALLOW")"));
  {
    ClusterStopped stopped;
    CHECK(eventually([&] { return has(serve.decide("alice", "update", "churn"), R"("code":"FACTS_STALE")"); }, 20s));
    CHECK(serve.get("/readyz").result_int() == 503);
    CHECK(std::stod(metric(serve.get("/metrics").body(), "warden_facts_staleness_seconds")) >= 2.5);
  }
  CHECK(eventually([&] { return has(serve.decide("alice", "update", "churn"), R"("code":"ALLOW")"); }, 20s));
  CHECK(serve.get("/readyz").result_int() == 200);
}

TEST_CASE("warden serve refuses to start on a mapping or a database it cannot use") {
  server::ServeOptions o;
  o.policy = "examples/postgres/policy";
  o.facts_db = PgCluster::shared().url("no_such_database");
  o.facts_mapping = "examples/postgres/mapping.toml";
  o.listen = "127.0.0.1:0";
  o.watch = false;
  std::ostringstream log;
  CHECK(server::Server(o, log).start() == 1);
  CHECK(log.str().find("P0301") != std::string::npos);

  o.facts_mapping = "examples/postgres/no-such-mapping.toml";
  std::ostringstream log2;
  CHECK(server::Server(o, log2).start() == 1);
  CHECK(log2.str().find("mapping file") != std::string::npos);
}

namespace {

void audit_to(server::ServeOptions& o, const std::string& url) {
  o.audit.url = url;
  o.audit.batch = 4;
}

// The audit table's rows, oldest first, as "user|access_type|result|model|source|grant|ip|session|agent|code".
std::vector<std::string> audit_rows(postgres::Connection& db, const std::string& table = "model_access_logs") {
  const postgres::Result r = db.exec(
      "SELECT concat_ws('|', coalesce(user_id, '-'), access_type, access_result, coalesce(model_id, '-'), "
      "coalesce(permission_source, '-'), coalesce(permission_id, '-'), coalesce(host(ip_address), '-'), "
      "coalesce(session_id, '-'), coalesce(user_agent, '-'), details->>'code') FROM " + table + " ORDER BY id");
  std::vector<std::string> rows;
  for (int i = 0; i < r.rows(); ++i) rows.emplace_back(r.text(i, 0));
  return rows;
}

}  // namespace

TEST_CASE("warden serve --audit-db writes every decision as a row of the model access log") {
  const std::string url = scenario_database();
  postgres::Connection db;
  REQUIRE(db.open(url));
  ServeOnDatabase serve(url, 0ms, [&](server::ServeOptions& o) { audit_to(o, url); });

  const Response allowed = HttpClient(serve.server->port())
                               .post("/v1/decide",
                                     R"({"principal":{"type":"user","id":"alice"},"action":"update",)"
                                     R"("resource":{"type":"model","id":"churn"},"context":{"client_ip":"10.0.0.7"}})",
                                     {{"User-Agent", "mlflow-client/2.9"}, {"X-Session-ID", "sess-42"}});
  REQUIRE(has(allowed, R"("code":"ALLOW")"));
  REQUIRE(has(serve.decide("bob", "read", "churn"), R"("code":"PERMISSION_DENIED")"));
  // A NUL in a value (JSON allows \u0000) reaches neither a text column nor
  // jsonb as it is: the row is stored, with U+FFFD in its place.
  REQUIRE(has(serve.decide("eve\\u0000x", "read", "fraud"), R"("allowed":false)"));

  REQUIRE(eventually([&] { return audit_rows(db).size() == 3; }, 10s));
  const std::vector<std::string> rows = audit_rows(db);
  CHECK(rows[0].rfind("alice|update|allow|churn|", 0) == 0);
  CHECK(rows[0].find("|10.0.0.7|sess-42|mlflow-client/2.9|ALLOW") != std::string::npos);
  CHECK(rows[1] == "bob|read|deny|churn|none|-|-|-|-|PERMISSION_DENIED");
  CHECK(rows[2].rfind("eve\xEF\xBF\xBDx|read|deny|fraud|", 0) == 0);
  // The whole decision record is in `details`.
  const postgres::Result details = db.exec(
      "SELECT details->>'request_id' <> '', details->>'policy_fingerprint', details->'rules' IS NOT NULL "
      "FROM model_access_logs WHERE user_id = 'bob'");
  REQUIRE(details.rows() == 1);
  CHECK(details.text(0, 0) == "t");
  CHECK(details.text(0, 1).size() == 16);
  CHECK(details.text(0, 2) == "t");
  const std::string metrics = serve.get("/metrics").body();
  CHECK(metric(metrics, "warden_audit_rows_total{result=\"written\"}") == "3");
  CHECK(metric(metrics, "warden_audit_rows_total{result=\"dropped\"}") == "0");
  CHECK(metric(metrics, "warden_audit_connected") == "1");
}

TEST_CASE("warden serve --audit-db refuses to start on a table that cannot take audit rows") {
  const std::string url = scenario_database();
  postgres::Connection db;
  REQUIRE(db.open(url));
  REQUIRE(db.exec("CREATE TABLE thin_log (model_id text, access_type text)").ok());
  auto start = [&](const std::string& table) {
    server::ServeOptions o;
    o.policy = "examples/postgres/policy";
    o.facts_db = url;
    o.facts_mapping = "examples/postgres/mapping.toml";
    o.listen = "127.0.0.1:0";
    o.watch = false;
    o.audit.url = url;
    o.audit.table = table;
    std::ostringstream log;
    const auto status = server::Server(o, log).start();
    return std::pair{status.value_or(0), log.str()};
  };
  const auto [missing_status, missing] = start("no_such_log");
  CHECK(missing_status == 1);
  CHECK(missing.find("`--audit-table no_such_log` cannot take audit rows") != std::string::npos);
  CHECK(missing.find("no_such_log") != std::string::npos);
  CHECK(missing.find("does not exist") != std::string::npos);
  const auto [thin_status, thin] = start("thin_log");
  CHECK(thin_status == 1);
  CHECK(thin.find(R"(column \"user_id\" does not exist)") != std::string::npos);
}

TEST_CASE("warden serve --audit-db: a row the table refuses is counted, the rest of its batch is stored") {
  const std::string url = scenario_database();
  postgres::Connection db;
  REQUIRE(db.open(url));
  REQUIRE(db.exec("ALTER TABLE model_access_logs ADD CONSTRAINT no_mallory CHECK (user_id <> 'mallory')").ok());
  ServeOnDatabase serve(url, 0ms, [&](server::ServeOptions& o) { audit_to(o, url); });
  for (const char* user : {"alice", "mallory", "bob", "alice"}) REQUIRE(serve.decide(user, "read", "churn").result_int() == 200);
  CHECK(eventually([&] { return metric(serve.get("/metrics").body(), "warden_audit_rows_total{result=\"rejected\"}") == "1"; },
                   10s));
  CHECK(eventually([&] { return audit_rows(db).size() == 3; }, 10s));
  for (const std::string& row : audit_rows(db)) CHECK(row.rfind("mallory", 0) != 0);
  CHECK(serve.log.str().find("audit_rows_rejected") != std::string::npos);
  CHECK(serve.log.str().find("no_mallory") != std::string::npos);
}

TEST_CASE("warden serve --audit-db with the database gone: decisions go on, rows are dropped and counted, writing resumes") {
  const std::string url = scenario_database();
  postgres::Connection db;
  ServeOnDatabase serve(url, 0ms, [&](server::ServeOptions& o) {
    audit_to(o, url);
    o.audit.queue_capacity = 4;
    o.audit.batch = 2;
  });
  REQUIRE(has(serve.decide("alice", "update", "churn"), R"("code":"ALLOW")"));
  REQUIRE(db.open(url));
  REQUIRE(eventually([&] { return audit_rows(db).size() == 1; }, 10s));
  db.close();
  {
    ClusterStopped stopped;
    // Every decision is answered at once; the queue (4) and the writer's
    // batch (2) hold six rows, the rest are dropped and counted.
    for (int i = 0; i < 20; ++i) REQUIRE(has(serve.decide("alice", "update", "churn"), R"("code":"ALLOW")"));
    const std::string metrics = serve.get("/metrics").body();
    CHECK(std::stoull(metric(metrics, "warden_audit_rows_total{result=\"dropped\"}")) >= 14);
    CHECK(eventually([&] { return metric(serve.get("/metrics").body(), "warden_audit_connected") == "0"; }, 10s));
  }
  // The writer reconnects (it holds rows) and sends what it kept.
  CHECK(eventually([&] {
    const std::string m = serve.get("/metrics").body();
    return metric(m, "warden_audit_connected") == "1" && metric(m, "warden_audit_queue_depth") == "0";
  }, 20s));
  REQUIRE(has(serve.decide("bob", "read", "churn"), R"("code":"PERMISSION_DENIED")"));
  REQUIRE(db.open(url));
  // The rows held while the database was away, and the decision after it.
  CHECK(eventually([&] {
    const auto rows = audit_rows(db);
    return !rows.empty() && rows.back().rfind("bob|read|deny", 0) == 0;
  }, 20s));
  const std::string metrics = serve.get("/metrics").body();
  const auto written = std::stoull(metric(metrics, "warden_audit_rows_total{result=\"written\"}"));
  const auto dropped = std::stoull(metric(metrics, "warden_audit_rows_total{result=\"dropped\"}"));
  CHECK(written + dropped == 22);
  CHECK(audit_rows(db).size() == written);
  CHECK(std::stoull(metric(metrics, "warden_audit_reconnects_total")) >= 1);
}
