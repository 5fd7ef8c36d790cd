// `warden serve`'s options: flags, the config file, and their errors.
#include <catch2/catch.hpp>

#include "server/options.hpp"
#include "tests/server/server_fixture.hpp"

namespace warden::test {

TEST_CASE("serve options come from flags and a config file, flags winning", "[server]") {
  TempDir dir;
  const fs::path config = dir.path() / "serve.json";
  write_file(config, R"({"policy": "p.wdn", "facts": ["a.jsonl", "b.jsonl"], "listen": "0.0.0.0:9000",
                         "max-body": 2048, "log-sample-allow": 0.25, "no-watch": true, "log-mask": ["user_id"]})");
  auto r = server::parse_serve_options({"--config", config.string(), "--listen=127.0.0.1:9001", "--facts", "c.jsonl"});
  REQUIRE(!r.error);
  CHECK(r.options.policy == "p.wdn");
  CHECK(r.options.listen == "127.0.0.1:9001");
  CHECK(r.options.facts == std::vector<std::string>{"c.jsonl"});
  CHECK(r.options.limits.max_body == 2048);
  CHECK(r.options.log.sample_allow == 0.25);
  CHECK(!r.options.watch);
  CHECK(r.options.log.mask == std::vector<std::string>{"user_id"});
}

TEST_CASE("bad serve options are usage errors that say what is wrong", "[server]") {
  auto error = [](std::vector<std::string> args) {
    auto r = server::parse_serve_options(args);
    return r.error.value_or("");
  };
  CHECK(error({}) == "no policy given");
  CHECK(error({"p.wdn", "--bogus"}) == "unknown option `--bogus`");
  CHECK(error({"p.wdn", "--max-body", "lots"}) == "`--max-body` needs a whole number, not `lots`");
  CHECK(error({"p.wdn", "--max-body", "0"}) == "`--max-body` must be at least 1");
  CHECK(error({"p.wdn", "--log-sample-allow", "1.5"}) == "`--log-sample-allow` needs a number from 0 to 1, not `1.5`");
  CHECK(error({"p.wdn", "--log-mask", "outcome"}).find("no record field `outcome`") != std::string::npos);
  CHECK(error({"p.wdn", "--listen"}) == "`--listen` needs a value");
  CHECK(error({"a.wdn", "b.wdn"}) == "give exactly one policy");
  TempDir dir;
  write_file(dir.path() / "bad.json", "{\"listen\": 80}");
  CHECK(error({"p.wdn", "--config", (dir.path() / "bad.json").string()}).find("has the wrong type") != std::string::npos);
  write_file(dir.path() / "unknown.json", "{\"lissen\": \"x\"}");
  CHECK(error({"p.wdn", "--config", (dir.path() / "unknown.json").string()}).find("unknown option `lissen`") !=
        std::string::npos);
}

}  // namespace warden::test
