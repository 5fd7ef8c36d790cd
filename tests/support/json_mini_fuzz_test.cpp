// A deterministic "mini-fuzz" of the JSON reader that runs in every CI job
// (the libFuzzer target in fuzz/ needs clang). Thousands of mutations of a few
// seed documents — byte flips, truncations, insertions of structural
// characters, deletions, duplicated chunks — must never crash, hang or
// overrun the depth cap, and whatever is accepted must survive a write and
// re-read unchanged.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "support/json.hpp"
#include "support/json_writer.hpp"
#include "tests/support/mutator.hpp"

namespace {

using warden::test::mutate;
using warden::test::Rng;

const std::vector<std::string>& seeds() {
  static const std::vector<std::string> s = {
      R"({"entities":[{"type":"org","id":"acme","attributes":{"status":"active","tier":3,"vip":true}}],)"
      R"("grants":[{"id":"g1","subject_type":"team","subject_id":"ml","resource_type":"model",)"
      R"("resource_id":"m1","level":"write","expires_at":"2030-01-01T00:00:00Z","active":true}]})",
      R"({"kind":"key","id":"k1","principal_id":"alice","scopes":["model:read","model:write"],"revoked":false})",
      R"({"request_id":"r1","principal":{"type":"user","id":"alice"},"method":"POST","path":"/api/x?a=1&b=%20",)"
      R"("headers":{"X-Tenant-ID":"acme"},"context":{"time":"2026-01-31T10:00:00+01:00","client_ip":"10.0.0.1"}})",
      R"([1, -2.5e3, 0, "\u00e9\ud83d\ude00\n", null, true, false, [[[]]], {"a":{"b":{"c":[{}]}}}])",
      "\"caf\xC3\xA9 \xE2\x82\xAC\"",
  };
  return s;
}

std::size_t depth(const warden::json::Value& v) {
  std::size_t d = 0;
  for (const auto& i : v.items()) d = std::max(d, depth(i));
  for (const auto& m : v.members()) d = std::max(d, depth(m.value));
  return (v.is_array() || v.is_object()) ? d + 1 : 0;
}

}  // namespace

TEST_CASE("json mini-fuzz: mutated inputs never crash and accepted ones round-trip", "[json][fuzz]") {
  Rng rng{0x5EED'0001};
  warden::json::Limits limits;
  limits.max_depth = 16;
  std::size_t accepted = 0, rejected = 0;
  for (int i = 0; i < 6000; ++i) {
    const std::string& seed = seeds()[static_cast<std::size_t>(i) % seeds().size()];
    const std::string input = mutate(seed, rng);
    const auto r = warden::json::parse(input, limits);
    if (!r.ok()) {
      ++rejected;
      // An error always points inside (or just past) the input.
      CHECK(r.error.line >= 1);
      CHECK(r.error.column >= 1);
      CHECK(r.error.column <= input.size() + 1);
      CHECK_FALSE(r.error.message.empty());
      continue;
    }
    ++accepted;
    CHECK(depth(*r.value) <= limits.max_depth);
    std::string once;
    warden::json::append_value(once, *r.value);
    const auto again = warden::json::parse(once, limits);
    REQUIRE(again.ok());
    std::string twice;
    warden::json::append_value(twice, *again.value);
    CHECK(once == twice);
  }
  // The mutations are meant to produce both outcomes.
  CHECK(accepted > 100);
  CHECK(rejected > 1000);
}

TEST_CASE("json mini-fuzz: every prefix of the seeds", "[json][fuzz]") {
  for (const auto& seed : seeds()) {
    for (std::size_t n = 0; n < seed.size(); ++n) {
      const auto r = warden::json::parse(std::string_view(seed).substr(0, n));
      // Only a complete number can be a valid proper prefix (`1` of `12`).
      if (r.ok()) CHECK(r.value->is_number());
    }
  }
}
