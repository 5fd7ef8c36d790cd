// The `warden` subcommands as a user runs them: exit statuses and messages
// for bad usage, paths that cannot be read and policies that do not compile.
// (What each command computes is tested with its library: compiler/,
// diff/, views/, policy_test/.)
//
// Runs from the source root (CTest sets the working directory).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/commands.hpp"

using namespace warden;

namespace {

struct Run {
  int status;
  std::string out, err;
};

Run run(std::string_view command, cli::Args args) {
  std::ostringstream out, err;
  const int status = cli::run_command(command, args, out, err);
  return {status, out.str(), err.str()};
}

}  // namespace

TEST_CASE("diff exit statuses", "[cli][diff]") {
  CHECK(run("diff", {"policies/gateway", "policies/gateway"}).status == cli::kExitOk);
  const Run changed = run("diff", {"policies/gateway", "fixtures/diff/gateway_v2"});
  CHECK(changed.status == cli::kExitFindings);
  CHECK(changed.out.find("~ POST /api/2.0/mlflow/model-versions/create") != std::string::npos);
  CHECK(run("diff", {"policies/gateway"}).status == cli::kExitUsage);
  CHECK(run("diff", {"policies/gateway", "/nonexistent/policy"}).status == cli::kExitUsage);
  const Run broken = run("diff", {"policies/gateway", "fixtures/diagnostics/E0204"});
  CHECK(broken.status == cli::kExitUsage);
  CHECK(broken.err.find("error[E0204]") != std::string::npos);
  CHECK(run("diff", {"--format", "xml", "policies/gateway", "policies/gateway"}).status == cli::kExitUsage);
  const Run same = run("diff", {"policies/gateway", "policies/gateway"});
  CHECK(same.out.find("no changes") != std::string::npos);
}

TEST_CASE("doc refuses bad usage and broken policies", "[cli][doc]") {
  CHECK(run("doc", {}).status == cli::kExitUsage);
  CHECK(run("doc", {"--format", "pdf", "policies/gateway"}).status == cli::kExitUsage);
  CHECK(run("doc", {"/nonexistent/policy"}).status == cli::kExitUsage);
  const Run broken = run("doc", {"fixtures/diagnostics/E0204"});
  CHECK(broken.status == cli::kExitFindings);
  CHECK(broken.err.find("error[E0204]") != std::string::npos);
  const Run ok = run("doc", {"policies/gateway"});
  CHECK(ok.status == cli::kExitOk);
  CHECK(ok.out.rfind("# ", 0) == 0);
}

TEST_CASE("every command documents its options, generated from the one declaration", "[cli][options]") {
  for (const cli::Command* c : cli::commands()) {
    INFO("warden " << c->name);
    const Run help = run(c->name, {"--help"});
    CHECK(help.status == cli::kExitOk);
    CHECK(help.out.rfind("usage: warden " + std::string(c->name) + " ", 0) == 0);
    CHECK(help.out == cli::usage_text(*c));
    CHECK(run(c->name, {"-h"}).out == help.out);
    for (const cli::Option& o : c->options) CHECK(help.out.find(std::string(o.name)) != std::string::npos);
    CHECK(help.out.find("exit status: ") != std::string::npos);
  }
  std::ostringstream out, err;
  CHECK(cli::run_warden({"--help"}, out, err) == cli::kExitOk);
  for (const cli::Command* c : cli::commands()) {
    CHECK(out.str().find("\n  " + std::string(c->name) + " ") != std::string::npos);
  }
}

TEST_CASE("every command refuses unknown options the same way and takes `-` as an operand", "[cli][options]") {
  for (const cli::Command* c : cli::commands()) {
    INFO("warden " << c->name);
    const Run unknown = run(c->name, {"--bogus", "x"});
    CHECK(unknown.status == cli::kExitUsage);
    CHECK(unknown.err.rfind("error: unknown option `--bogus`\nusage: warden " + std::string(c->name), 0) == 0);
    CHECK(unknown.out.empty());
    // `-` is never an option: whatever the command does with it, it does
    // not refuse it as one.
    const Run dash = run(c->name, {"-", "-"});
    CHECK(dash.err.find("unknown option") == std::string::npos);
  }
}

TEST_CASE("option values: `--name value`, `--name=value`, fixed sets, missing values, `--`", "[cli][options]") {
  const Run spaced = run("check", {"--format", "json", "fixtures/diagnostics/E0204"});
  const Run joined = run("check", {"--format=json", "fixtures/diagnostics/E0204"});
  CHECK(spaced.status == cli::kExitFindings);
  CHECK(spaced.out == joined.out);
  CHECK(spaced.out.rfind("[{\"code\":\"E0204\"", 0) == 0);

  const Run bad = run("inspect", {"--format", "xml", "x.wdn"});
  CHECK(bad.status == cli::kExitUsage);
  CHECK(bad.err.rfind("error: unknown format `xml` (expected `text` or `json`)\n", 0) == 0);

  const Run missing = run("compile", {"policies/gateway", "-o"});
  CHECK(missing.status == cli::kExitUsage);
  CHECK(missing.err.rfind("error: `-o` needs a value (FILE)\n", 0) == 0);

  const Run flag_value = run("check", {"--werror=yes", "policies/gateway"});
  CHECK(flag_value.status == cli::kExitUsage);
  CHECK(flag_value.err.rfind("error: `--werror` takes no value\n", 0) == 0);

  // After `--` everything is an operand: here a path that does not exist.
  const Run ended = run("check", {"--", "--werror"});
  CHECK(ended.status == cli::kExitUsage);
  CHECK(ended.err.rfind("error[E0001]: cannot read `--werror`", 0) == 0);

  // An alias accepted besides the listed values.
  CHECK(run("doc", {"--format", "md", "policies/gateway"}).status == cli::kExitOk);
}

TEST_CASE("the command line as a whole", "[cli]") {
  std::ostringstream out, err;
  CHECK(cli::run_warden({}, out, err) == cli::kExitUsage);
  CHECK(cli::run_warden({"--version"}, out, err) == cli::kExitOk);
  CHECK(out.str().rfind("warden ", 0) == 0);
  std::ostringstream err2;
  CHECK(cli::run_warden({"frobnicate"}, out, err2) == cli::kExitUsage);
  CHECK(err2.str().rfind("error: unknown command `frobnicate`\n", 0) == 0);
}

TEST_CASE("errors outside a policy's sources carry codes of the one table", "[cli][codes]") {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "warden-cli-codes-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "empty");
  std::ofstream(dir / "none.jsonl") << "\n  \n";

  const Run missing = run("test", {(dir / "missing").string()});
  CHECK(missing.status == cli::kExitUsage);
  CHECK(missing.err.rfind("error[T0100]: cannot read `", 0) == 0);
  const Run empty = run("test", {(dir / "empty").string()});
  CHECK(empty.status == cli::kExitUsage);
  CHECK(empty.err.rfind("error[T0110]: no `*.test.json` suites under `", 0) == 0);

  const Run unwritable = run("doc", {"-o", (dir / "missing" / "doc.md").string(), "policies/gateway"});
  CHECK(unwritable.status == cli::kExitUsage);
  CHECK(unwritable.err.rfind("error[E0004]: cannot write `", 0) == 0);

  const Run no_request = run("watch", {"policies/gateway", "--request", (dir / "none.jsonl").string()});
  CHECK(no_request.status == cli::kExitFindings);
  CHECK(no_request.err.rfind("error[F0210]: no request in `", 0) == 0);

  const Run several = run("compile", {"policies", "-o", (dir / "x.wdn").string()});
  CHECK(several.status == cli::kExitUsage);
  CHECK(several.err.rfind("error[E0003]: `policies` holds 5 policies (", 0) == 0);
  std::filesystem::remove_all(dir);
}
