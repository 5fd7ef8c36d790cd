// Golden and unit tests for `warden doc`: the gateway's endpoint reference
// must equal fixtures/doc/gateway.md, the HTML page carries the same rows,
// and the "roles that may" column follows the role hierarchy, qualifications
// and denies of the rule index.
//
// Runs from the source root (CTest sets the working directory). Set
// WARDEN_UPDATE_GOLDEN=1 to rewrite the expected file, then review the diff.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

#include "cli/commands.hpp"
#include "tests/golden/golden_helpers.hpp"

using namespace warden;
namespace fs = std::filesystem;

namespace {

struct Run {
  int status;
  std::string out, err;
};

Run doc(cli::Args args) {
  std::ostringstream out, err;
  const int status = cli::run_doc(args, out, err);
  return {status, out.str(), err.str()};
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

// The table row of the endpoint whose path cell is `path` (in backticks).
std::string row_of(const std::string& markdown, const std::string& method, const std::string& path) {
  std::istringstream in(markdown);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("| " + method + " | `" + path + "` |", 0) == 0) return line;
  }
  return "";
}

fs::path write_policy(const std::string& text) {
  const fs::path dir = fs::temp_directory_path() / ("warden_doc_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  test::write_text(dir / "policy.warden", text);
  return dir;
}

}  // namespace

TEST_CASE("doc of the gateway policy matches its golden file", "[golden][doc]") {
  const Run r = doc({"policies/gateway"});
  INFO(r.err);
  REQUIRE(r.status == cli::kExitOk);
  const fs::path golden = "fixtures/doc/gateway.md";
  if (test::update_golden()) test::write_text(golden, r.out);
  CHECK(r.out == test::read_text(golden));
  // One row per endpoint (25).
  CHECK(count(r.out, "\n| GET") + count(r.out, "\n| POST") + count(r.out, "\n| PUT") + count(r.out, "\n| PATCH") +
            count(r.out, "\n| DELETE") ==
        25);
  CHECK(row_of(r.out, "POST", "/api/2.0/mlflow/registered-models/create").find("| `model:write` | `create` | `model` |") !=
        std::string::npos);
  CHECK(row_of(r.out, "GET, HEAD", "/health").find("| yes |") != std::string::npos);
}

TEST_CASE("doc as HTML carries the same rows", "[doc]") {
  const Run r = doc({"--format", "html", "policies/gateway"});
  REQUIRE(r.status == cli::kExitOk);
  CHECK(r.out.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(count(r.out, "<tr>") == 25 + 1 + 7 + 1);  // endpoints and header, scopes and header
  CHECK(r.out.find("<td><code>/api/models/{name}</code></td>") != std::string::npos);
  CHECK(r.out.find("</html>\n") != std::string::npos);
}

TEST_CASE("roles that may: through the hierarchy, with qualifications, and denies", "[doc]") {
  const fs::path dir = write_policy(
      "role viewer;\nrole developer inherits viewer;\nrole admin inherits developer;\nrole auditor;\n"
      "principal org;\nprincipal user member of org;\n"
      "resource doc {\n  actions read, write;\n  attribute org: org;\n  attribute locked: bool;\n}\n"
      "endpoint GET \"/docs/{id}\" {\n  action read on doc(id);\n}\n"
      "endpoint PUT \"/docs/{id}\" {\n  action write on doc(id);\n}\n"
      "allow readers: role viewer to read on doc;\n"
      "allow writers: role developer to write on doc\n  unless resource.locked;\n"
      "allow org_auditors: role auditor in resource.org to read on doc;\n"
      "deny locked: anyone to write on doc\n  when resource.locked\n  code LOCKED;\n");
  const Run r = doc({dir.string()});
  INFO(r.err);
  REQUIRE(r.status == cli::kExitOk);
  const std::string read = row_of(r.out, "GET", "/docs/{id}");
  CHECK(read.find("| `viewer`, `developer`, `admin`, `auditor` (`in resource.org`) |") != std::string::npos);
  const std::string write = row_of(r.out, "PUT", "/docs/{id}");
  CHECK(write.find("| `developer` (`unless resource.locked`), `admin` (`unless resource.locked`) |") != std::string::npos);
  CHECK(write.find("| `locked` (`LOCKED`, `when resource.locked`) |") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("doc refuses bad usage and broken policies", "[doc]") {
  CHECK(doc({}).status == cli::kExitUsage);
  CHECK(doc({"--format", "pdf", "policies/gateway"}).status == cli::kExitUsage);
  CHECK(doc({"/nonexistent/policy"}).status == cli::kExitUsage);
  const Run broken = doc({"fixtures/diagnostics/E0204"});
  CHECK(broken.status == cli::kExitFindings);
  CHECK(broken.err.find("error[E0204]") != std::string::npos);
}
