// Facts from PostgreSQL: the initial load (100k and 1M grants, one
// snapshot, COPY, replace_facts), the time from a committed change to the
// first decision that sees it while changes stream at 1,000 per second,
// and decision latency with and without that stream; the audit sink
// (`warden serve --audit-db`): what a row costs the deciding thread, and
// how many rows per second the sink stores.
//
// Needs Debian's PostgreSQL binaries: it starts a throwaway cluster on
// loopback the way the tests do (tests/postgres/pg_cluster.hpp) and stops
// it at exit. Run:
//   build/bench/warden_bench_postgres --benchmark_format=json > postgres.json
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "compiler/driver.hpp"
#include "postgres/pg.hpp"
#include "postgres/plan.hpp"
#include "postgres/source.hpp"
#include "postgres/triggers.hpp"
#include "server/audit_row.hpp"
#include "server/audit_sink.hpp"
#include "tests/postgres/pg_cluster.hpp"
#include "warden/engine.hpp"

using namespace warden;
using Clock = std::chrono::steady_clock;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

struct Db {
  std::string url;
  postgres::Connection c;
  std::shared_ptr<const postgres::MappingFile> mapping;
  std::string artifact;

  explicit Db(std::int64_t grants) {
    url = test::PgCluster::shared().create_database();
    if (!c.open(url)) throw std::runtime_error(c.error());
    exec(read_text("examples/postgres/schema.sql"));
    exec(read_text("examples/postgres/seed.sql"));
    exec("INSERT INTO users (id, email, organization_id) SELECT 'u' || i, 'u' || i, 'acme' FROM generate_series(1, 1000) i");
    exec("INSERT INTO models (id, name, organization_id) SELECT 'm' || i, 'm' || i, 'acme' FROM generate_series(1, 10000) i");
    exec("ALTER TABLE model_permissions DROP CONSTRAINT model_permissions_model_id_fkey");
    exec("INSERT INTO model_permissions (model_id, grantee_type, grantee_id, permission_level, expires_at, reason) "
         "SELECT 'm' || (i % 10000), 'user', 'u' || (i % 1000), (ARRAY['READ','WRITE','EXECUTE','ADMIN'])[1 + i % 4], "
         "CASE WHEN i % 3 = 0 THEN now() + interval '1 year' END, 'bench' FROM generate_series(1, " +
         std::to_string(grants) + ") i");
    exec("ANALYZE");
    mapping = postgres::read_mapping_file("examples/postgres/mapping.toml").file;
    auto plan = postgres::plan_mapping(c, mapping->mapping, mapping->sources);
    postgres::install_triggers(c, *plan.plan);
    artifact = compiler::compile_path("examples/postgres/policy").artifact;
  }
  void exec(const std::string& sql) {
    if (!c.exec(sql).ok()) throw std::runtime_error(sql + ": " + c.last_error());
  }
};

void BM_InitialLoad(benchmark::State& state) {
  Db db(state.range(0));
  for (auto _ : state) {
    Engine engine;
    engine.load_policy(db.artifact);
    postgres::SourceOptions o;
    o.url = db.url;
    postgres::PostgresFactSource source(engine, db.mapping, o);
    if (!source.start().ok) state.SkipWithError("load failed");
    source.stop();
  }
  state.counters["grants"] = static_cast<double>(state.range(0));
  state.counters["grants_per_s"] = benchmark::Counter(static_cast<double>(state.range(0)) * state.iterations(),
                                                      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_InitialLoad)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

// One writer commits a new grant every millisecond (1,000 changes/s); a
// reader decides each new grant's request until it is allowed. The time
// from the writer's commit returning to the first allowing decision.
void BM_ChangeToDecision(benchmark::State& state) {
  Db db(100'000);
  Engine engine;
  engine.load_policy(db.artifact);
  postgres::SourceOptions o;
  o.url = db.url;
  postgres::PostgresFactSource source(engine, db.mapping, o);
  if (!source.start().ok) return state.SkipWithError("load failed");
  const int changes = static_cast<int>(state.range(0));
  std::vector<double> latencies;
  for (auto _ : state) {
    std::vector<Clock::time_point> committed(changes);
    std::atomic<int> written{0};
    std::thread writer([&] {
      postgres::Connection w;
      w.open(db.url);
      const auto start = Clock::now();
      for (int i = 0; i < changes; ++i) {
        std::this_thread::sleep_until(start + std::chrono::microseconds(1000 * i));
        w.exec("INSERT INTO model_permissions (model_id, grantee_type, grantee_id, permission_level) VALUES ('churn', "
               "'user', 'w" + std::to_string(i) + "', 'READ')");
        committed[i] = Clock::now();
        written.store(i + 1, std::memory_order_release);
      }
    });
    Request r;
    r.action = "read";
    r.resource_type = "model";
    r.resource_id = "churn";
    std::string user;
    for (int i = 0; i < changes; ++i) {
      user = "w" + std::to_string(i);
      r.principal_id = user;
      while (written.load(std::memory_order_acquire) <= i) std::this_thread::yield();
      while (!engine.decide(r).allowed()) std::this_thread::yield();
      latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - committed[i]).count());
    }
    writer.join();
  }
  std::sort(latencies.begin(), latencies.end());
  auto pct = [&](double p) { return latencies[std::min(latencies.size() - 1, static_cast<std::size_t>(p * latencies.size()))]; };
  state.counters["p50_ms"] = pct(0.50);
  state.counters["p99_ms"] = pct(0.99);
  state.counters["max_ms"] = latencies.back();
  state.counters["batches"] = static_cast<double>(source.status().counters.batches);
}
BENCHMARK(BM_ChangeToDecision)->Arg(2000)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();

// Decisions on facts loaded from PostgreSQL, idle or while changes stream
// in at 1,000 per second.
Db& shared_db() {
  static Db db(100'000);
  return db;
}

void BM_Decide(benchmark::State& state) {
  Db& db = shared_db();
  Engine engine;
  engine.load_policy(db.artifact);
  postgres::SourceOptions o;
  o.url = db.url;
  postgres::PostgresFactSource source(engine, db.mapping, o);
  if (!source.start().ok) return state.SkipWithError("load failed");
  std::atomic<bool> stop{false};
  std::thread writer;
  if (state.range(0)) {
    writer = std::thread([&] {
      postgres::Connection w;
      w.open(db.url);
      const auto start = Clock::now();
      for (int i = 0; !stop.load(); ++i) {
        std::this_thread::sleep_until(start + std::chrono::microseconds(1000 * i));
        w.exec("UPDATE model_permissions SET is_active = NOT is_active WHERE id = " + std::to_string(1 + i % 1000));
      }
    });
  }
  Request r;
  r.principal_id = "u7";
  r.action = "read";
  r.resource_type = "model";
  r.resource_id = "m7";
  Decision d;
  for (auto _ : state) {
    engine.decide(r, d);
    benchmark::DoNotOptimize(d);
  }
  stop = true;
  if (writer.joinable()) writer.join();
  state.counters["batches_applied"] = static_cast<double>(source.status().counters.batches);
}
BENCHMARK(BM_Decide)->ArgName("streaming")->Arg(0)->Arg(1)->MinTime(2.0);

// An allowed decision from the facts of BM_Decide's database, with what the
// service adds to it (client address, user agent, session).
struct AuditedDecision {
  Engine engine;
  Request request;
  Decision decision;
  server::DecisionContext context;
  AuditedDecision() {
    Db& db = shared_db();
    engine.load_policy(db.artifact);
    postgres::SourceOptions o;
    o.url = db.url;
    postgres::PostgresFactSource source(engine, db.mapping, o);
    if (!source.start().ok) throw std::runtime_error("load failed");
    source.stop();
    request.principal_id = "u7";
    request.action = "read";
    request.resource_type = "model";
    request.resource_id = "m7";
    request.client_ip = "10.0.0.7";
    engine.decide(request, decision);
    context.endpoint = "decide";
    context.request = &request;
    context.user_agent = "mlflow-client/2.9";
    context.session_id = "sess-42";
    context.unix_millis = 1'767'225'600'000;
  }
};

// What the deciding thread spends on a decision's log entry: the JSON
// record alone (the decision log), or the record and the audit row that
// carries it in `details` (--audit-db).
void BM_AuditRow(benchmark::State& state) {
  static AuditedDecision a;
  const server::FieldMask mask;
  std::string record, row;
  for (auto _ : state) {
    record.clear();
    server::append_decision_record(record, a.decision, a.context, mask);
    if (state.range(0)) {
      row.clear();
      server::append_audit_row(row, a.decision, a.context, mask, "model", record);
      benchmark::DoNotOptimize(row.data());
    }
    benchmark::DoNotOptimize(record.data());
  }
  state.counters["bytes"] = static_cast<double>(state.range(0) ? row.size() : record.size());
}
BENCHMARK(BM_AuditRow)->ArgName("audit_row")->Arg(0)->Arg(1);

// Rows per second through the sink into the example's model_access_logs:
// one producer offers 200k rows as fast as the queue takes them (a full
// queue makes it retry, so nothing is dropped and the figure is the sink's
// own rate), timed until the last is stored.
void BM_AuditSink(benchmark::State& state) {
  static AuditedDecision a;
  Db& db = shared_db();
  std::string record, row;
  server::append_decision_record(record, a.decision, a.context, server::FieldMask());
  server::append_audit_row(row, a.decision, a.context, server::FieldMask(), "model", record);
  constexpr int kRows = 200'000;
  server::AuditOptions o;
  o.url = db.url;
  o.batch = static_cast<std::size_t>(state.range(0));
  std::uint64_t written = 0;
  for (auto _ : state) {
    server::AuditSink sink(o, [](std::string_view, std::string_view) {});
    if (sink.start()) return state.SkipWithError("the audit sink did not start");
    for (int i = 0; i < kRows; ++i) {
      std::string r = row;
      while (!sink.submit(r)) std::this_thread::yield();
    }
    while (sink.counters().written < kRows) std::this_thread::sleep_for(std::chrono::microseconds(200));
    written += sink.counters().written;
    sink.stop();
  }
  state.counters["rows_per_s"] = benchmark::Counter(static_cast<double>(written), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_AuditSink)->ArgName("batch")->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
