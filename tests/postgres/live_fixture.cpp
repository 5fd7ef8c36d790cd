// The live tests' database and engine (see live_fixture.hpp).
#include "tests/postgres/live_fixture.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <thread>

#include "compiler/driver.hpp"
#include "postgres/plan.hpp"
#include "postgres/triggers.hpp"
#include "tests/postgres/pg_cluster.hpp"

namespace warden::test {

std::chrono::milliseconds change_deadline() {
  if (const char* ms = std::getenv("WARDEN_PG_DEADLINE_MS")) return std::chrono::milliseconds(std::atoi(ms));
#ifdef WARDEN_TEST_SANITIZED
  return std::chrono::milliseconds(2000);
#else
  return std::chrono::milliseconds(200);
#endif
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string scenario_database(const std::string& mapping_path) {
  const std::string url = PgCluster::shared().create_database();
  postgres::Connection db;
  REQUIRE(db.open(url));
  for (const char* script : {"examples/postgres/schema.sql", "examples/postgres/seed.sql"}) {
    const postgres::Result r = db.exec(read_text(script));
    INFO(script << ": " << r.error());
    REQUIRE(r.ok());
  }
  auto file = postgres::read_mapping_file(mapping_path);
  REQUIRE(file.diagnostics.empty());
  postgres::PlanResult plan = postgres::plan_mapping(db, file.file->mapping, file.file->sources);
  REQUIRE(plan.plan);
  REQUIRE(postgres::install_triggers(db, *plan.plan).ok);
  return url;
}

LiveDatabase::LiveDatabase(postgres::SourceOptions options, const std::string& mapping_path) {
  url = scenario_database(mapping_path);
  REQUIRE(db_.open(url));
  auto file = postgres::read_mapping_file(mapping_path);
  REQUIRE(file.diagnostics.empty());
  mapping = file.file;
  load_example_policy(engine);
  options.url = url;
  if (options.heartbeat == std::chrono::milliseconds(1000)) options.heartbeat = std::chrono::milliseconds(50);
  if (options.reconnect_min == std::chrono::milliseconds(100)) options.reconnect_min = std::chrono::milliseconds(20);
  options.reconnect_max = std::min(options.reconnect_max, std::chrono::milliseconds(200));
  source = std::make_unique<postgres::PostgresFactSource>(engine, mapping, options, [this](const postgres::SourceEvent& e) {
    const std::lock_guard lock(mutex_);
    events_.push_back(e);
  });
  const Status st = source->start();
  INFO(st.code << ": " << st.message);
  REQUIRE(st.ok);
}

void LiveDatabase::load_example_policy(Engine& engine) {
  const auto compiled = compiler::compile_path("examples/postgres/policy");
  REQUIRE(compiled.ok());
  REQUIRE(engine.load_policy(compiled.artifact).ok);
}

LiveDatabase::~LiveDatabase() { source->stop(); }

void LiveDatabase::sql(const std::string& statement) { query(statement); }

postgres::Result LiveDatabase::query(const std::string& statement) {
  if (!db_.connected()) REQUIRE(db_.open(url));
  postgres::Result r = db_.exec(statement);
  if (!r.ok() && !db_.connected()) {
    // The server went away under the test's own connection (a restart
    // test): connect again once.
    REQUIRE(db_.open(url));
    r = db_.exec(statement);
  }
  INFO(statement.substr(0, 200) << "\n" << r.error());
  REQUIRE(r.ok());
  return r;
}

Decision LiveDatabase::decide(const std::string& user, const std::string& action, const std::string& model,
                              std::optional<std::int64_t> time) const {
  Request r;
  r.principal_id = user;
  r.action = action;
  r.resource_type = "model";
  r.resource_id = model;
  r.time = time;
  return engine.decide(r);
}

std::optional<std::chrono::milliseconds> LiveDatabase::wait_for(const std::function<bool()>& pred,
                                                               std::chrono::milliseconds deadline) const {
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    if (pred()) return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    if (std::chrono::steady_clock::now() - start > deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

std::vector<postgres::SourceEvent> LiveDatabase::events() const {
  const std::lock_guard lock(mutex_);
  return events_;
}

std::size_t LiveDatabase::count_events(postgres::SourceEvent::Kind kind) const {
  const std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& e : events_) n += e.kind == kind;
  return n;
}

}  // namespace warden::test
