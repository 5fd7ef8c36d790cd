// Golden tests for diagnostics: every code in the table has a directory
// fixtures/diagnostics/<CODE>/ with a policy that triggers it and the exact
// expected output of `warden check` (expected.txt, and expected.json).
//
// Runs from the source root (CTest sets the working directory) so that the
// paths in the expected output are repository-relative.
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

#include "tests/golden/golden_helpers.hpp"

using namespace warden;
namespace fs = std::filesystem;

namespace {

const fs::path kRoot = "fixtures/diagnostics";

// Only codes about a policy's sources come from a policy file: syntax,
// names, types and semantics, warnings. The others — paths and I/O (E00xx,
// the CLI tests), artifacts (E05xx, tests/table/), hot reload (E06xx,
// tests/watch/), internal failures (E09xx), facts and requests (F0xxx,
// tests/runtime_io/), test suites (T01xx, tests/policy_test/) — are covered
// where they arise.
bool needs_fixture(std::string_view code) {
  const std::string_view group = code.substr(0, 3);
  return group == "E01" || group == "E02" || group == "E03" || group == "W04";
}

}  // namespace

TEST_CASE("every diagnostic code has a golden fixture", "[golden]") {
  for (const auto& info : all_codes()) {
    if (!needs_fixture(info.name)) continue;
    INFO("code " << info.name);
    CHECK(fs::is_directory(kRoot / std::string(info.name)));
  }
}

TEST_CASE("diagnostic fixtures match their golden output", "[golden]") {
  REQUIRE(fs::is_directory(kRoot));
  std::set<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(kRoot)) {
    if (e.is_directory()) dirs.insert(e.path());
  }
  for (const auto& dir : dirs) {
    const std::string code = dir.filename().string();
    INFO("fixture " << dir.generic_string());
    const auto checked = test::check_paths({dir.generic_string()});
    // The fixture must produce its own code.
    CHECK(std::find(checked.codes.begin(), checked.codes.end(), code) != checked.codes.end());
    if (test::update_golden()) {
      test::write_text(dir / "expected.txt", checked.text);
      test::write_text(dir / "expected.json", checked.json);
      continue;
    }
    CHECK(checked.text == test::read_text(dir / "expected.txt"));
    CHECK(checked.json == test::read_text(dir / "expected.json"));
  }
}

TEST_CASE("a directory of broken policies reports every error in one run", "[golden]") {
  const auto checked = test::check_paths({kRoot.generic_string()});
  std::set<std::string> seen(checked.codes.begin(), checked.codes.end());
  for (const auto& info : all_codes()) {
    if (!needs_fixture(info.name)) continue;
    INFO("code " << info.name);
    CHECK(seen.count(std::string(info.name)) == 1);
  }
}
