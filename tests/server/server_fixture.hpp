// Test helper: a `warden serve` started in process on a free loopback port,
// over a temporary directory holding the compiled gateway policy and a copy
// of its demo facts, stopped (gracefully) when the fixture goes.
#pragma once

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <thread>

#include "server/serve.hpp"
#include "tests/runtime/compile_helper.hpp"
#include "tests/server/http_client.hpp"

namespace warden::test {

namespace fs = std::filesystem;

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

// Write to a temporary name, then rename over: what `warden compile -o` and
// careful deploy tools do, and what the watcher expects.
inline void replace_file(const fs::path& p, const std::string& text) {
  const fs::path tmp = p.string() + ".tmp";
  write_file(tmp, text);
  fs::rename(tmp, p);
}

inline const std::string& gateway_artifact() {
  static const std::string bytes = compile_artifact("policies/gateway");
  return bytes;
}

inline const std::string kAdminToken = "test-admin-token-0123456789";

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("warden-serve-test-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

struct ServerFixture {
  TempDir dir;
  std::ostringstream log;  // the service log (JSON lines); read after stop()
  server::ServeOptions options;
  std::unique_ptr<server::Server> server;

  // `configure` adjusts the options before start.
  explicit ServerFixture(const std::function<void(server::ServeOptions&, const fs::path&)>& configure = {}) {
    write_file(dir.path() / "gateway.wdn", gateway_artifact());
    write_file(dir.path() / "facts.jsonl", read_file("fixtures/facts/gateway.jsonl"));
    write_file(dir.path() / "admin.token", kAdminToken + "\n");
    options.policy = (dir.path() / "gateway.wdn").string();
    options.facts = {(dir.path() / "facts.jsonl").string()};
    options.listen = "127.0.0.1:0";
    options.threads = 2;
    options.admin_token_file = (dir.path() / "admin.token").string();
    options.log.path = (dir.path() / "decisions.jsonl").string();
    if (configure) configure(options, dir.path());
    server = std::make_unique<server::Server>(options, log);
    const auto failed = server->start();
    INFO(log.str());
    REQUIRE(!failed.has_value());
  }
  ~ServerFixture() { server->stop(); }

  unsigned short port() const { return server->port(); }
  HttpClient client() const { return HttpClient(port()); }
  fs::path path(const std::string& name) const { return dir.path() / name; }
};

// Wait (bounded) for `done` to hold, polling; the condition is the sentinel
// event, the bound only keeps a broken build from hanging.
inline bool eventually(const std::function<bool()>& done, std::chrono::seconds bound = std::chrono::seconds(20)) {
  const auto until = std::chrono::steady_clock::now() + bound;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return done();
}

// The value of a metric sample line `name{labels} value` in /metrics, or -1.
inline long long metric(const std::string& text, const std::string& sample) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > sample.size() && line.compare(0, sample.size(), sample) == 0 && line[sample.size()] == ' ') {
      return std::stoll(line.substr(sample.size() + 1));
    }
  }
  return -1;
}

inline std::string bearer(const std::string& token) { return "Bearer " + token; }

}  // namespace warden::test
