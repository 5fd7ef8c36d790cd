// `warden facts check | install-triggers | uninstall-triggers` end to end,
// against the test cluster: output and exit statuses.
#include <catch2/catch.hpp>

#include <sstream>

#include "cli/commands.hpp"
#include "postgres/pg.hpp"
#include "tests/postgres/live_fixture.hpp"
#include "tests/postgres/pg_cluster.hpp"

using namespace warden;

namespace {

struct Run {
  int status;
  std::string out, err;
};

Run warden_cmd(std::vector<std::string> args) {
  std::ostringstream out, err;
  const int status = cli::run_warden(args, out, err);
  return {status, out.str(), err.str()};
}

}  // namespace

TEST_CASE("warden facts: check, install-triggers, uninstall-triggers") {
  const std::string url = test::PgCluster::shared().create_database();
  const std::string mapping = "examples/postgres/mapping.toml";
  const std::string policy = "examples/postgres/policy";

  // The file and the policy alone.
  CHECK(warden_cmd({"facts", "check", mapping, "--policy", policy}).status == cli::kExitOk);
  // No tables yet: every one is an error.
  const Run empty = warden_cmd({"facts", "check", mapping, "--db", url});
  CHECK(empty.status == cli::kExitFindings);
  CHECK(empty.err.find("error[P0302]: unknown table `organizations` in schema `public`") != std::string::npos);

  postgres::Connection db;
  REQUIRE(db.open(url));
  REQUIRE(db.exec(test::read_text("examples/postgres/schema.sql")).ok());

  // Tables there, triggers not: warnings, exit 0.
  const Run before = warden_cmd({"facts", "check", mapping, "--policy", policy, "--db", url});
  CHECK(before.status == cli::kExitOk);
  CHECK(before.err.find("warning[P0307]: live changes of `public.model_permissions` are not installed") != std::string::npos);
  CHECK(before.err.find("0 errors, 6 warnings") != std::string::npos);

  const Run print = warden_cmd({"facts", "install-triggers", mapping, "--db", url, "--print"});
  CHECK(print.status == cli::kExitOk);
  CHECK(print.out.rfind("BEGIN;\nCREATE SCHEMA IF NOT EXISTS warden;\n", 0) == 0);
  CHECK(warden_cmd({"facts", "check", mapping, "--db", url}).err.find("P0307") != std::string::npos);  // printed, not run

  for (int i = 0; i < 2; ++i) {  // idempotent
    const Run install = warden_cmd({"facts", "install-triggers", mapping, "--db", url});
    CHECK(install.status == cli::kExitOk);
    CHECK(install.out.find("installed on public.model_permissions\n") != std::string::npos);
  }
  const Run clean = warden_cmd({"facts", "check", mapping, "--policy", policy, "--db", url, "--format", "json"});
  CHECK(clean.status == cli::kExitOk);
  CHECK(clean.out == "[]\n");

  for (int i = 0; i < 2; ++i) {
    const Run uninstall = warden_cmd({"facts", "uninstall-triggers", mapping, "--db", url});
    CHECK(uninstall.status == cli::kExitOk);
    CHECK(uninstall.out.find("removed from public.teams\n") != std::string::npos);
  }

  // Usage and I/O failures.
  CHECK(warden_cmd({"facts", "install-triggers", mapping}).status == cli::kExitUsage);  // --db is required
  CHECK(warden_cmd({"facts", "check", "/nonexistent/mapping.toml"}).status == cli::kExitUsage);
  const Run unreachable = warden_cmd({"facts", "check", mapping, "--db", "postgresql://warden@127.0.0.1:1/none?connect_timeout=2"});
  CHECK(unreachable.status == cli::kExitUsage);
  CHECK(unreachable.err.find("error[P0301]: cannot connect to the database") != std::string::npos);
}
