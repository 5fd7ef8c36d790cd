// Golden and unit tests for the endpoint reference behind `warden doc`
// (views/endpoint_doc.hpp): the gateway's must equal fixtures/doc/gateway.md,
// the HTML page carries the same rows, and the "roles that may" column
// follows the role hierarchy, qualifications and denies of the rule index.
//
// Runs from the source root (CTest sets the working directory). Set
// WARDEN_UPDATE_GOLDEN=1 to rewrite the expected file, then review the diff.
#include <catch2/catch.hpp>
#include <sstream>

#include "compiler/driver.hpp"
#include "tests/golden/golden_helpers.hpp"
#include "views/endpoint_doc.hpp"

using namespace warden;

namespace {

views::PolicyDoc doc_of(const compiler::Compilation& c) {
  INFO(c.error_report());
  REQUIRE(c.ok());
  return views::build_endpoint_doc(*c.program);
}

std::string markdown(const std::string& policy) { return views::render_markdown(doc_of(compiler::compile_path(policy))); }

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

// The table row of the endpoint whose path cell starts with `path` (in
// backticks; a grouped endpoint's cell goes on with its group).
std::string row_of(const std::string& markdown, const std::string& method, const std::string& path) {
  std::istringstream in(markdown);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("| " + method + " | `" + path + "` ", 0) == 0) return line;
  }
  return "";
}


}  // namespace

TEST_CASE("doc of the gateway policy matches its golden file", "[golden][doc]") {
  const std::string out = markdown("policies/gateway");
  const std::filesystem::path golden = "fixtures/doc/gateway.md";
  if (test::update_golden()) test::write_text(golden, out);
  CHECK(out == test::read_text(golden));
  // One row per endpoint (25).
  CHECK(count(out, "\n| GET") + count(out, "\n| POST") + count(out, "\n| PUT") + count(out, "\n| PATCH") +
            count(out, "\n| DELETE") ==
        25);
  CHECK(row_of(out, "POST", "/api/2.0/mlflow/registered-models/create").find("| `model:write` | key | `create` | `model` |") !=
        std::string::npos);
  // Body ids, bindings and endpoint denies are documented with the endpoint.
  CHECK(row_of(out, "DELETE", "/api/2.0/mlflow/registered-models/delete").find("(id from body \"name\")") != std::string::npos);
  CHECK(row_of(out, "POST", "/api/2.0/mlflow/runs/create").find("`resource.experiment = body \"experiment_id\"`") !=
        std::string::npos);
  CHECK(row_of(out, "POST", "/api/2.0/mlflow/users/create").find("`users_off_network` (`OFF_NETWORK`") != std::string::npos);
  CHECK(row_of(out, "GET, HEAD", "/health").find("| yes |") != std::string::npos);
}

TEST_CASE("doc as HTML carries the same rows", "[doc]") {
  const std::string out = views::render_html(doc_of(compiler::compile_path("policies/gateway")));
  CHECK(out.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(count(out, "<tr>") == 25 + 1 + 7 + 1);  // endpoints and header, scopes and header
  CHECK(out.find("<td><code>/api/models/{name}</code></td>") != std::string::npos);
  CHECK(out.find("</html>\n") != std::string::npos);
}

TEST_CASE("roles that may: through the hierarchy, with qualifications, and denies", "[doc]") {
  const std::string out = views::render_markdown(doc_of(compiler::compile_sources("policy", {{"policy.warden",
      "role viewer;\nrole developer inherits viewer;\nrole admin inherits developer;\nrole auditor;\n"
      "principal org;\nprincipal user member of org;\n"
      "resource doc {\n  actions read, write;\n  attribute org: org;\n  attribute locked: bool;\n}\n"
      "endpoint GET \"/docs/{id}\" {\n  action read on doc(id);\n}\n"
      "endpoint PUT \"/docs/{id}\" {\n  action write on doc(id);\n}\n"
      "allow readers: role viewer to read on doc;\n"
      "allow writers: role developer to write on doc\n  unless resource.locked;\n"
      "allow org_auditors: role auditor in resource.org to read on doc;\n"
      "deny locked: anyone to write on doc\n  when resource.locked\n  code LOCKED;\n"}})));
  const std::string read = row_of(out, "GET", "/docs/{id}");
  CHECK(read.find("| `viewer`, `developer`, `admin`, `auditor` (`in resource.org`) |") != std::string::npos);
  const std::string write = row_of(out, "PUT", "/docs/{id}");
  CHECK(write.find("| `developer` (`unless resource.locked`), `admin` (`unless resource.locked`) |") != std::string::npos);
  CHECK(write.find("| `locked` (`LOCKED`, `when resource.locked`) |") != std::string::npos);
}
