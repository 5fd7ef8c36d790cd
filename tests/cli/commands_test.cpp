// The `warden` subcommands as a user runs them: exit statuses and messages
// for bad usage, paths that cannot be read and policies that do not compile.
// (What each command computes is tested with its library: compiler/,
// diff/, views/, policy_test/.)
//
// Runs from the source root (CTest sets the working directory).
#include <catch2/catch.hpp>

#include <sstream>

#include "cli/commands.hpp"

using namespace warden;

namespace {

struct Run {
  int status;
  std::string out, err;
};

Run run(int (*command)(const cli::Args&, std::ostream&, std::ostream&), cli::Args args) {
  std::ostringstream out, err;
  const int status = command(args, out, err);
  return {status, out.str(), err.str()};
}

}  // namespace

TEST_CASE("diff exit statuses", "[cli][diff]") {
  CHECK(run(cli::run_diff, {"policies/gateway", "policies/gateway"}).status == cli::kExitOk);
  const Run changed = run(cli::run_diff, {"policies/gateway", "fixtures/diff/gateway_v2"});
  CHECK(changed.status == cli::kExitFindings);
  CHECK(changed.out.find("~ POST /api/2.0/mlflow/model-versions/create") != std::string::npos);
  CHECK(run(cli::run_diff, {"policies/gateway"}).status == cli::kExitUsage);
  CHECK(run(cli::run_diff, {"policies/gateway", "/nonexistent/policy"}).status == cli::kExitUsage);
  const Run broken = run(cli::run_diff, {"policies/gateway", "fixtures/diagnostics/E0204"});
  CHECK(broken.status == cli::kExitUsage);
  CHECK(broken.err.find("error[E0204]") != std::string::npos);
  CHECK(run(cli::run_diff, {"--format", "xml", "policies/gateway", "policies/gateway"}).status == cli::kExitUsage);
  const Run same = run(cli::run_diff, {"policies/gateway", "policies/gateway"});
  CHECK(same.out.find("no changes") != std::string::npos);
}

TEST_CASE("doc refuses bad usage and broken policies", "[cli][doc]") {
  CHECK(run(cli::run_doc, {}).status == cli::kExitUsage);
  CHECK(run(cli::run_doc, {"--format", "pdf", "policies/gateway"}).status == cli::kExitUsage);
  CHECK(run(cli::run_doc, {"/nonexistent/policy"}).status == cli::kExitUsage);
  const Run broken = run(cli::run_doc, {"fixtures/diagnostics/E0204"});
  CHECK(broken.status == cli::kExitFindings);
  CHECK(broken.err.find("error[E0204]") != std::string::npos);
  const Run ok = run(cli::run_doc, {"policies/gateway"});
  CHECK(ok.status == cli::kExitOk);
  CHECK(ok.out.rfind("# ", 0) == 0);
}
