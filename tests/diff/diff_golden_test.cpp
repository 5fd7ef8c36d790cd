// Golden output of the access diff (diff/access_diff.hpp) on fixture
// versions of the reference policies: fixtures/diff/NAME.expected.txt holds
// exactly what `warden diff policies/POLICY fixtures/diff/NAME` prints
// (diff_text), so a change in what the diff reports shows up in review. The
// gateway pair loosens one endpoint's scopes and must list exactly that
// change.
//
// Set WARDEN_UPDATE_GOLDEN=1 to rewrite the expected files (then review).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/driver.hpp"
#include "diff/access_diff.hpp"
#include "support/json.hpp"

using namespace warden;

namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const std::filesystem::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

bool update_golden() {
  const char* v = std::getenv("WARDEN_UPDATE_GOLDEN");
  return v && std::string(v) == "1";
}

diff::PolicyVersion version(const std::string& path) {
  compiler::Compilation c = compiler::compile_path(path);
  INFO(c.error_report());
  REQUIRE(c.ok());
  return {path, std::move(c.program), c.location};
}

diff::AccessDiff compare(const std::string& old_path, const std::string& new_path) {
  return diff::diff_policies(version(old_path), version(new_path));
}

}  // namespace

TEST_CASE("diff output matches the golden files", "[diff][golden]") {
  const std::pair<const char*, const char*> pairs[] = {
      {"policies/gateway", "gateway_v2"},         {"policies/gateway", "gateway_v3"},
      {"policies/model_permissions", "model_permissions_v2"}, {"policies/platform_rbac", "platform_rbac_v2"},
      {"policies/tenancy", "tenancy_v2"},         {"policies/api_servers", "api_servers_v2"}};
  for (const auto& [old_dir, name] : pairs) {
    const std::string next = std::string("fixtures/diff/") + name;
    INFO(next);
    const diff::AccessDiff d = compare(old_dir, next);
    CHECK_FALSE(d.empty());
    const std::string out = diff::diff_text(d);
    const std::filesystem::path golden = next + ".expected.txt";
    if (update_golden()) write_file(golden, out);
    CHECK(out == read_file(golden));
  }
}

TEST_CASE("the loosened gateway endpoint is the only change", "[diff]") {
  const diff::AccessDiff d = compare("policies/gateway", "fixtures/diff/gateway_v2");
  REQUIRE_FALSE(d.empty());
  const json::Result parsed = json::parse(diff::diff_json(d));
  REQUIRE(parsed.ok());
  const json::Value& v = *parsed.value;
  CHECK(v.find("changed")->as_bool());
  for (const char* empty : {"policy", "declarations", "rules", "cells", "order"}) {
    INFO(empty);
    CHECK(v.find(empty)->items().empty());
  }
  const auto& endpoints = v.find("endpoints")->items();
  REQUIRE(endpoints.size() == 1);
  const json::Value& e = endpoints[0];
  CHECK(e.find("method")->as_string() == "POST");
  CHECK(e.find("pattern")->as_string() == "/api/2.0/mlflow/model-versions/create");
  REQUIRE(e.find("fields")->items().size() == 1);
  CHECK(e.find("fields")->items()[0].find("field")->as_string() == "requires");
  CHECK(e.find("fields")->items()[0].find("before")->as_string() == "all(model:write, experiment:read)");
  CHECK(e.find("fields")->items()[0].find("after")->as_string() == "model:write");
  REQUIRE(e.find("gains")->items().size() == 1);
  CHECK(e.find("gains")->items()[0].as_string() == "keys with scope `model:write`");
  CHECK(e.find("loses")->items().empty());
}

TEST_CASE("diff reads artifacts as well as sources", "[diff]") {
  const compiler::Compilation gateway = compiler::compile_path("policies/gateway");
  REQUIRE(gateway.ok());
  const auto path = std::filesystem::temp_directory_path() / "warden-diff-test-gateway.wdn";
  write_file(path, gateway.artifact);
  CHECK(compare(path.string(), "policies/gateway").empty());
  const std::string out = diff::diff_text(compare(path.string(), "fixtures/diff/gateway_v2"));
  CHECK(out.find("~ POST /api/2.0/mlflow/model-versions/create") != std::string::npos);
  // Locations of an artifact are relative to the policy it was compiled from.
  CHECK(out.find("at:          endpoints.warden:60:17 -> fixtures/diff/gateway_v2/endpoints.warden:60:17") !=
        std::string::npos);
  std::filesystem::remove(path);
}
