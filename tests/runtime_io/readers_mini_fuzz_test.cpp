// A deterministic "mini-fuzz" of the runtime input readers: mutated fact
// lines, fact documents, updates and requests must never crash, and every
// rejection must carry an F01xx / F02xx code and a line inside the input.
#include <catch2/catch.hpp>

#include <string>

#include "tests/support/mutator.hpp"
#include "warden/facts_json.hpp"
#include "warden/request_json.hpp"

using namespace warden;

namespace {

constexpr std::string_view kFacts =
    "{\"kind\":\"entity\",\"type\":\"org\",\"id\":\"acme\",\"tenant\":\"t\",\"attributes\":{\"status\":\"active\",\"n\":1}}\n"
    "{\"kind\":\"membership\",\"member_id\":\"alice\",\"collection_type\":\"team\",\"collection_id\":\"ml\"}\n"
    "{\"kind\":\"role\",\"principal_id\":\"bob\",\"role\":\"admin\",\"scope_type\":\"org\",\"scope_id\":\"acme\"}\n"
    "{\"kind\":\"grant\",\"id\":\"g1\",\"subject_id\":\"ml\",\"resource_type\":\"model\",\"resource_id\":\"m1\","
    "\"level\":\"write\",\"expires_at\":\"2030-01-01T00:00:00Z\",\"active\":true}\n"
    "{\"kind\":\"key\",\"id\":\"k1\",\"principal_id\":\"alice\",\"scopes\":[\"model:read\"],\"revoked\":false}\n";

constexpr std::string_view kDocument =
    "{\"entities\":[{\"type\":\"user\",\"id\":\"a\"}],\"grants\":[{\"id\":\"g\",\"subject_id\":\"a\","
    "\"resource_type\":\"m\",\"resource_id\":\"*\",\"level\":\"read\",\"expires_at\":1}],"
    "\"keys\":[{\"id\":\"k\",\"principal_id\":\"a\",\"scopes\":[]}]}";

constexpr std::string_view kUpdate =
    "{\"op\":\"upsert\",\"kind\":\"grant\",\"id\":\"g2\",\"subject_id\":\"a\",\"resource_type\":\"m\","
    "\"resource_id\":\"1\",\"level\":\"read\"}\n{\"op\":\"remove\",\"kind\":\"key\",\"id\":\"k1\"}\n";

constexpr std::string_view kRequest =
    "{\"request_id\":\"r\",\"tenant\":\"t\",\"principal\":{\"id\":\"a\",\"attributes\":{\"x\":1}},\"api_key\":\"k\","
    "\"method\":\"GET\",\"path\":\"/a/b?x=%20&y=1\",\"headers\":{\"H\":\"v\"},\"query\":{\"q\":\"1\"},"
    "\"context\":{\"time\":\"2026-01-31T10:00:00Z\",\"client_ip\":\"::1\",\"c\":true}}";

std::size_t lines_in(const std::string& s) {
  std::size_t n = 1;
  for (const char c : s) n += c == '\n';
  return n;
}

void check_error(const InputError& e, const std::string& input, char family) {
  INFO(format_error(e));
  REQUIRE(e.code.size() == 5);
  CHECK(e.code[0] == 'F');
  CHECK(e.code[2] == family);
  CHECK(e.line >= 1);
  CHECK(e.line <= lines_in(input));
  CHECK_FALSE(e.message.empty());
}

}  // namespace

TEST_CASE("readers mini-fuzz: facts, updates and requests never crash", "[fuzz][facts][request]") {
  test::Rng rng{0x5EED'0002};
  std::size_t accepted = 0;
  for (int i = 0; i < 1500; ++i) {
    const std::string lines = test::mutate(std::string(kFacts), rng);
    const auto f = parse_facts(lines, "f.jsonl", FactsFormat::Lines);
    if (f.ok()) {
      ++accepted;
    } else {
      check_error(*f.error, lines, '1');
      CHECK(f.facts.grants.empty());  // never a partial result
    }

    const std::string doc = test::mutate(std::string(kDocument), rng);
    const auto d = parse_facts(doc, "f.json", FactsFormat::Document);
    if (!d.ok()) check_error(*d.error, doc, '1');

    const std::string update = test::mutate(std::string(kUpdate), rng);
    const auto u = parse_update(update, "u.jsonl");
    if (!u.ok()) check_error(*u.error, update, '1');
    CHECK(u.update.changes.size() == u.lines.size());

    const std::string request = test::mutate(std::string(kRequest), rng);
    OwnedRequest r;
    if (auto e = parse_request(request, r, "r.json")) check_error(*e, request, '2');
  }
  CHECK(accepted > 10);
}
