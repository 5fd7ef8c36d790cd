// Golden test of the layout: tests/format/data/messy.warden, every construct
// written badly, must format to exactly messy.formatted.warden, which is a
// fixed point. Set WARDEN_UPDATE_GOLDEN=1 to rewrite the expected file, then
// review the diff.
#include <catch2/catch.hpp>
#include <cstdlib>

#include "format/diff.hpp"
#include "tests/format/format_helpers.hpp"

using namespace warden;

TEST_CASE("the messy input formats to its golden file", "[format][golden]") {
  const std::string input = test::read_file("tests/format/data/messy.warden");
  const std::filesystem::path golden = "tests/format/data/messy.formatted.warden";
  REQUIRE_FALSE(input.empty());
  const std::string formatted = test::fmt(input);
  const char* update = std::getenv("WARDEN_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(golden, std::ios::binary) << formatted;
  }
  const std::string expected = test::read_file(golden);
  INFO(format::unified_diff(expected, formatted, golden.generic_string(), "formatted"));
  CHECK(formatted == expected);
  CHECK(test::fmt(expected) == expected);
  CHECK(test::comments_of(formatted) == test::comments_of(input));
}
