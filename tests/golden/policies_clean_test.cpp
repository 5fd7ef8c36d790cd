// The reference policies are the language's acceptance test: each must check
// with no diagnostic at all, warnings included.
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

#include "tests/golden/golden_helpers.hpp"

using namespace warden;
namespace fs = std::filesystem;

TEST_CASE("every reference policy checks clean", "[policies]") {
  const auto found = compiler::discover_policies({"policies"});
  REQUIRE(found.io_errors.empty());
  std::set<std::string> names;
  for (const auto& p : found.policies) names.insert(p.name);
  for (const char* expected : {"gateway", "model_permissions", "platform_rbac", "tenancy", "api_servers"}) {
    CHECK(names.count(expected) == 1);
  }
  for (const auto& policy : found.policies) {
    INFO("policy " << policy.name);
    const auto r = compiler::compile(policy, {.warnings_as_errors = true});
    std::string text;
    for (const auto& d : r.diagnostics) text += render_text(d, r.sources);
    CHECK(text == "");
    CHECK(r.ok());
  }
}
