// `warden serve`'s options: flags (the one option parser of cli/), the config
// file, and their errors.
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

#include "cli/commands.hpp"
#include "server/options.hpp"
#include "tests/server/server_fixture.hpp"

namespace warden::test {
TEST_CASE("serve options come from flags and a config file, flags winning", "[server]") {
  TempDir dir;
  const fs::path config = dir.path() / "serve.json";
  write_file(config, R"({"policy": "p.wdn", "facts": ["a.jsonl", "b.jsonl"], "listen": "0.0.0.0:9000",
                         "max-body": 2048, "log-sample-allow": 0.25, "no-watch": true, "log-mask": ["user_id"]})");
  auto r = server::serve_options("", config.string(), {{"listen", "127.0.0.1:9001"}, {"facts", "c.jsonl"}});
  REQUIRE(!r.error);
  CHECK(r.options.policy == "p.wdn");
  CHECK(r.options.listen == "127.0.0.1:9001");
  CHECK(r.options.facts == std::vector<std::string>{"c.jsonl"});
  CHECK(r.options.limits.max_body == 2048);
  CHECK(r.options.log.sample_allow == 0.25);
  CHECK(!r.options.watch);
  CHECK(r.options.log.mask == std::vector<std::string>{"user_id"});
  CHECK(server::serve_options("q.wdn", config.string(), {}).options.policy == "q.wdn");
}

TEST_CASE("bad serve options are usage errors that say what is wrong", "[server]") {
  auto error = [](std::string policy, std::vector<server::Setting> given, std::string config = {}) {
    return server::serve_options(policy, config, given).error.value_or("");
  };
  CHECK(error("", {}) == "no policy given");
  CHECK(error("p.wdn", {{"bogus", ""}}) == "unknown option `--bogus`");
  CHECK(error("p.wdn", {{"max-body", "lots"}}) == "`--max-body` needs a whole number, not `lots`");
  CHECK(error("p.wdn", {{"max-body", "0"}}) == "`--max-body` must be at least 1");
  CHECK(error("p.wdn", {{"log-sample-allow", "1.5"}}) == "`--log-sample-allow` needs a number from 0 to 1, not `1.5`");
  CHECK(error("p.wdn", {{"log-mask", "outcome"}}).find("no record field `outcome`") != std::string::npos);
  CHECK(error("p.wdn", {{"listen", ""}}) == "`--listen` needs a value");
  TempDir dir;
  write_file(dir.path() / "bad.json", "{\"listen\": 80}");
  CHECK(error("p.wdn", {}, (dir.path() / "bad.json").string()).find("has the wrong type") != std::string::npos);
  write_file(dir.path() / "unknown.json", "{\"lissen\": \"x\"}");
  CHECK(error("p.wdn", {}, (dir.path() / "unknown.json").string()).find("unknown option `lissen`") != std::string::npos);
}

TEST_CASE("a postgresql:// URL among the facts is the database source, with its mapping", "[server]") {
  auto r = server::serve_options("p", "", {{"facts", "postgresql://localhost/models"}, {"facts-mapping", "m.toml"},
                                           {"facts-max-staleness", "30000"}});
  REQUIRE(!r.error);
  CHECK(r.options.facts.empty());
  CHECK(r.options.facts_db == "postgresql://localhost/models");
  CHECK(r.options.facts_mapping == "m.toml");
  CHECK(r.options.facts_max_staleness == std::chrono::milliseconds(30000));
  CHECK(server::serve_options("p", "", {{"facts", "postgres://h/db"}, {"facts-mapping", "m.toml"}}).options.facts_db ==
        "postgres://h/db");
  auto error = [](std::vector<server::Setting> given) { return server::serve_options("p", "", given).error.value_or(""); };
  CHECK(error({{"facts", "postgresql://h/db"}}) == "`--facts postgresql://…` needs `--facts-mapping FILE`");
  CHECK(error({{"facts", "postgresql://h/db"}, {"facts", "a.jsonl"}, {"facts-mapping", "m.toml"}}) ==
        "`--facts`: facts come from a database or from files, not both");
  CHECK(error({{"facts", "postgresql://h/a"}, {"facts", "postgresql://h/b"}, {"facts-mapping", "m.toml"}}) ==
        "`--facts`: give one database");
  CHECK(error({{"facts", "a.jsonl"}, {"facts-mapping", "m.toml"}}) ==
        "`--facts-mapping` and `--facts-max-staleness` need `--facts postgresql://…`");
  CHECK(error({{"facts-max-staleness", "soon"}}) == "`--facts-max-staleness` needs a whole number, not `soon`");
}

TEST_CASE("the serve command declares one flag per setting, and refuses bad usage before starting", "[server][cli]") {
  std::vector<std::string> flags;
  for (const cli::Option& o : cli::kServeCommand.options) {
    if (o.name != "--config") flags.emplace_back(o.name.substr(2));
  }
  std::vector<std::string> settings;
  for (const std::string_view name : server::setting_names()) settings.emplace_back(name);
  std::sort(flags.begin(), flags.end());
  std::sort(settings.begin(), settings.end());
  CHECK(flags == settings);

  auto run = [](cli::Args args) {
    std::ostringstream out, err;
    const int status = cli::run_command("serve", args, out, err);
    return std::pair{status, err.str()};
  };
  CHECK(run({}) == std::pair{cli::kExitUsage, "error: no policy given\n" + cli::usage_text(cli::kServeCommand)});
  CHECK(run({"a.wdn", "b.wdn"}).second.rfind("error: give exactly one policy\nusage: warden serve ", 0) == 0);
  CHECK(run({"p.wdn", "--listen"}).second.rfind("error: `--listen` needs a value (ADDR:PORT)\n", 0) == 0);
  CHECK(run({"p.wdn", "--max-body=lots"}).second.rfind("error: `--max-body` needs a whole number, not `lots`\n", 0) == 0);
  CHECK(run({"p.wdn", "--no-watch=yes"}).second.rfind("error: `--no-watch` takes no value\n", 0) == 0);
}

}  // namespace warden::test
