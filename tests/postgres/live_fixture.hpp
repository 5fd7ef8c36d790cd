// A scenario-2 database followed by an Engine, for the live tests: a fresh
// database with the example schema and rows (examples/postgres/), the
// triggers installed, the example policy loaded, and a PostgresFactSource
// following it. Every wait has a deadline and polls a condition; none
// sleeps and then asserts.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "postgres/pg.hpp"
#include "postgres/source.hpp"
#include "warden/engine.hpp"

namespace warden::test {

// How long a committed change may take to reach decisions in these tests:
// the design's target (200 ms), longer under sanitizers.
std::chrono::milliseconds change_deadline();

// A new database of the shared cluster with the example schema and rows
// and the example mapping's triggers installed; its URL.
std::string scenario_database(const std::string& mapping = "examples/postgres/mapping.toml");

class LiveDatabase {
 public:
  explicit LiveDatabase(postgres::SourceOptions options = {}, const std::string& mapping = "examples/postgres/mapping.toml");
  ~LiveDatabase();

  // Run SQL on a connection of the test's own (not the source's); fails the
  // test on error.
  void sql(const std::string& statement);
  postgres::Result query(const std::string& statement);

  // Decide `action` on model `model` for user `user` (at `time`, default now).
  Decision decide(const std::string& user, const std::string& action, const std::string& model,
                  std::optional<std::int64_t> time = std::nullopt) const;
  // Wait until `pred` holds (checked every millisecond); the time it took,
  // or nothing at the deadline.
  std::optional<std::chrono::milliseconds> wait_for(const std::function<bool()>& pred,
                                                    std::chrono::milliseconds deadline) const;

  // Compile examples/postgres/policy and load it into `engine`.
  static void load_example_policy(Engine& engine);

  Engine engine;
  std::string url;
  std::shared_ptr<const postgres::MappingFile> mapping;
  std::unique_ptr<postgres::PostgresFactSource> source;

  std::vector<postgres::SourceEvent> events() const;
  std::size_t count_events(postgres::SourceEvent::Kind kind) const;

 private:
  postgres::Connection db_;
  mutable std::mutex mutex_;
  std::vector<postgres::SourceEvent> events_;
};

std::string read_text(const std::string& path);

}  // namespace warden::test
