// The payload encoding: a decoded Program equals the one encoded, field for
// field, and equal Programs encode to identical bytes.
#include <catch2/catch.hpp>

#include "table/serialize.hpp"
#include "tests/table/artifact_helpers.hpp"
#include "tests/table/sample_program.hpp"

using namespace warden;
using namespace warden::table;

TEST_CASE("the sample program round-trips through the payload encoding", "[table][serialize]") {
  const Program original = test::sample_program();
  const std::string bytes = serialize_program(original);
  std::string error;
  const auto decoded = deserialize_program(bytes, error);
  INFO(error);
  REQUIRE(decoded.has_value());
  CHECK(*decoded == original);
}

TEST_CASE("every field of every row survives a round trip", "[table][serialize]") {
  // Random bits in every field: a field the encoder skipped would come back
  // as its default and break equality.
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    INFO("seed " << seed);
    const Program original = test::noise_program(seed);
    std::string error;
    const auto decoded = deserialize_program(serialize_program(original), error);
    INFO(error);
    REQUIRE(decoded.has_value());
    CHECK(*decoded == original);
  }
}

TEST_CASE("equal programs encode to identical bytes", "[table][serialize]") {
  const Program a = test::sample_program();
  const Program b = test::sample_program();  // built separately: different addresses
  Program c = a;                              // a copy
  CHECK(serialize_program(a) == serialize_program(b));
  CHECK(serialize_program(a) == serialize_program(c));
  c.rules[0].monitor = 1;
  CHECK(serialize_program(a) != serialize_program(c));
}

TEST_CASE("a payload with a missing or extra byte does not decode", "[table][serialize]") {
  const std::string bytes = serialize_program(test::sample_program());
  std::string error;
  CHECK_FALSE(deserialize_program(std::string_view(bytes).substr(0, bytes.size() - 1), error).has_value());
  CHECK_FALSE(error.empty());
  error.clear();
  CHECK_FALSE(deserialize_program(bytes + '\0', error).has_value());
  CHECK(error == "1 unread bytes after the table");
}

TEST_CASE("a length larger than the payload is refused before allocating", "[table][serialize]") {
  // The first string pool of the payload is `files`; claim four billion of them.
  std::string bytes = serialize_program(test::sample_program());
  const std::string files_count = [] {
    std::string s;
    test::put_le(s, 2, 4);
    return s;
  }();
  const std::size_t at = bytes.find(files_count + std::string("\x0c\0\0\0rules.warden", 16));
  REQUIRE(at != std::string::npos);
  bytes.replace(at, 4, "\xff\xff\xff\xff");
  std::string error;
  CHECK_FALSE(deserialize_program(bytes, error).has_value());
  CHECK(error == "a length runs past the end of the payload");
}
