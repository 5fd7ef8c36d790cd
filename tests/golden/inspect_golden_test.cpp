// Golden tests for `warden inspect`: each reference policy is compiled with
// `warden compile` and inspected, and the dump must equal
// fixtures/inspect/<policy>.txt (apart from the source fingerprint and
// checksum) — the closed hierarchies, routes and rule table a reviewer sees. Also: the artifact loads back to exactly the table
// the compiler lowered, and the JSON dump is well formed.
//
// Runs from the source root (CTest sets the working directory). Set
// WARDEN_UPDATE_GOLDEN=1 to rewrite the expected files, then review the diff.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

#include "cli/commands.hpp"
#include "compiler/driver.hpp"
#include "support/json.hpp"
#include "table/artifact.hpp"
#include "tests/golden/golden_helpers.hpp"

using namespace warden;
namespace fs = std::filesystem;

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

// The dump without its fingerprint and checksum lines: those change with
// any byte of the sources (a comment, a blank line) and are covered by the
// determinism tests; the golden files pin down the table itself.
std::string without_hashes(const std::string& dump) {
  std::string out;
  std::size_t start = 0;
  while (start < dump.size()) {
    std::size_t end = dump.find('\n', start);
    end = end == std::string::npos ? dump.size() : end + 1;
    const std::string_view line(dump.data() + start, end - start);
    if (line.rfind("  fingerprint ", 0) != 0 && line.rfind("  checksum ", 0) != 0) out += line;
    start = end;
  }
  return out;
}

fs::path scratch_dir() {
  const fs::path dir = fs::temp_directory_path() / ("warden_inspect_golden_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

}  // namespace

TEST_CASE("inspect output of every reference policy matches its golden file", "[golden][inspect]") {
  const auto found = compiler::discover_policies({"policies"});
  REQUIRE(found.policies.size() >= 5);
  const fs::path dir = scratch_dir();
  for (const auto& policy : found.policies) {
    INFO("policy " << policy.name);
    const std::string artifact = (dir / (policy.name + ".wdn")).string();
    const Run compiled = run("compile", {"policies/" + policy.name, "-o", artifact});
    INFO(compiled.err);
    REQUIRE(compiled.status == cli::kExitOk);

    const Run text = run("inspect", {artifact});
    REQUIRE(text.status == cli::kExitOk);
    const fs::path golden = fs::path("fixtures/inspect") / (policy.name + ".txt");
    if (test::update_golden()) {
      fs::create_directories(golden.parent_path());
      test::write_text(golden, text.out);
    } else {
      CHECK(without_hashes(text.out) == without_hashes(test::read_text(golden)));
    }

    const Run json = run("inspect", {"--format", "json", artifact});
    REQUIRE(json.status == cli::kExitOk);
    const auto parsed = json::parse(json.out);
    INFO(parsed.error.message << " at " << parsed.error.line << ":" << parsed.error.column);
    CHECK(parsed.ok());
  }
  fs::remove_all(dir);
}

TEST_CASE("a compiled artifact loads back to the lowered table", "[golden][inspect]") {
  const auto found = compiler::discover_policies({"policies"});
  for (const auto& policy : found.policies) {
    INFO("policy " << policy.name);
    const auto r = compiler::compile(policy);
    REQUIRE(r.ok());
    const auto loaded = table::load_artifact(std::span<const char>(r.artifact.data(), r.artifact.size()));
    INFO((loaded.error ? loaded.error->message : ""));
    REQUIRE(loaded.ok());
    CHECK(*loaded.program == *r.program);
    CHECK(loaded.header.source_fingerprint == r.fingerprint);
    // Compiling is deterministic: a second run gives the same table and bytes.
    const auto again = compiler::compile(policy);
    CHECK(*again.program == *r.program);
    CHECK(again.artifact == r.artifact);
  }
}

TEST_CASE("compile refuses a broken policy and writes nothing", "[golden][inspect]") {
  const fs::path dir = scratch_dir();
  const std::string artifact = (dir / "broken.wdn").string();
  const Run r = run("compile", {"fixtures/diagnostics/E0201", "-o", artifact});
  CHECK(r.status == cli::kExitFindings);
  CHECK(r.err.find("error[E0201]") != std::string::npos);
  CHECK_FALSE(fs::exists(artifact));
  fs::remove_all(dir);
}

TEST_CASE("inspect reports a damaged artifact with its code", "[golden][inspect]") {
  const fs::path dir = scratch_dir();
  const std::string artifact = (dir / "gateway.wdn").string();
  REQUIRE(run("compile", {"policies/gateway", "-o", artifact}).status == cli::kExitOk);
  std::string bytes = test::read_text(artifact);
  test::write_text(artifact, bytes.substr(0, bytes.size() / 2));
  Run r = run("inspect", {artifact});
  CHECK(r.status == cli::kExitFindings);
  CHECK(r.err.rfind("error[E0503]: cannot load `" + artifact + "`: ", 0) == 0);
  bytes[bytes.size() - 1] = static_cast<char>(bytes.back() ^ 0x40);
  test::write_text(artifact, bytes);
  r = run("inspect", {"--format", "json", artifact});
  CHECK(r.status == cli::kExitFindings);
  CHECK(r.out.rfind("{\"error\":{\"code\":\"E0504\",", 0) == 0);
  r = run("inspect", {(dir / "missing.wdn").string()});
  CHECK(r.status == cli::kExitUsage);
  CHECK(r.err.rfind("error[E0506]: ", 0) == 0);
  fs::remove_all(dir);
}
