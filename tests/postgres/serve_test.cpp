// `warden serve --facts postgresql://…` against a real PostgreSQL (a
// throwaway cluster on loopback, pg_cluster.hpp): the service started in
// process on the example schema and mapping, asked over HTTP. A committed
// grant reaches a decision; the cluster stopped makes the replica degraded
// (readiness, metrics) while it keeps deciding on its last facts, and, past
// `--facts-max-staleness`, deny with FACTS_STALE; the cluster back makes it
// live again.
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

  ServeOnDatabase(const std::string& url, std::chrono::milliseconds max_staleness = 0ms) {
    server::ServeOptions o;
    o.policy = "examples/postgres/policy";
    o.facts_db = url;
    o.facts_mapping = "examples/postgres/mapping.toml";
    o.facts_max_staleness = max_staleness;
    o.listen = "127.0.0.1:0";
    o.threads = 1;
    o.watch = false;
    server = std::make_unique<server::Server>(o, log);
    const auto failed = server->start();
    INFO(log.str());
    REQUIRE(!failed.has_value());
  }
  ~ServeOnDatabase() { server->stop(); }

  Response decide(const std::string& user, const std::string& action, const std::string& model) const {
    return HttpClient(server->port())
        .post("/v1/decide", R"({"principal":{"type":"user","id":")" + user + R"("},"action":")" + action +
                                R"(","resource":{"type":"model","id":")" + model + R"("}})");
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
