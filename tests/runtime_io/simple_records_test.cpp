// The simple-record reader (runtime_io/simple_records.hpp) against the general
// one (json::parse + decode_record): on typical grant and membership lines,
// on lines with every field rule broken one way or another, and on mutated
// lines, whenever the simple reader takes a line the general reader takes it
// too and reads the same record; and it does take the typical lines.
#include <catch2/catch.hpp>

#include "runtime_io/fact_records.hpp"
#include "runtime_io/input_codes.hpp"
#include "runtime_io/json_fields.hpp"
#include "runtime_io/simple_records.hpp"
#include "support/json.hpp"
#include "tests/support/mutator.hpp"

using namespace warden;
using namespace warden::runtime_io;

namespace {

// The general reader on one JSONL line: the record, or nothing when it is refused.
std::optional<FactChange> general(std::string_view line) {
  const auto parsed = json::parse(line);
  if (!parsed.ok() || !parsed.value->is_object()) return std::nullopt;
  const json::Value* kind = parsed.value->find("kind");
  if (!kind || !kind->is_string()) return std::nullopt;
  const auto k = record_kind(kind->as_string());
  if (!k) return std::nullopt;
  InputError error;
  FieldReader r(kFactCodes, "facts.jsonl", 0, error);
  FactChange c;
  if (!decode_record(r, *parsed.value, *k, RecordMode::Full, {"kind"}, c)) return std::nullopt;
  return c;
}

bool same(const FactChange& a, const FactChange& b) {
  if (a.kind != b.kind || a.op != b.op) return false;
  return a.kind == FactChange::Kind::Grant ? a.grant == b.grant : a.membership == b.membership;
}

// Field values, some valid, some breaking a rule.
const std::vector<std::string> kStrings = {"\"g-1\"", "\"team\"", "\"\"", "\"a b\"", "\"caf\\u00e9\"", "\"tab\\t\"",
                                           "\"\xc3\xa9t\xc3\xa9\"", "12", "-0", "true", "null", "[\"x\"]", "{}"};
const std::vector<std::string> kTimes = {"1700000000", "-86400", "\"2030-01-01T00:00:00Z\"", "\"2030-02-30T00:00:00Z\"",
                                         "\"soon\"", "null", "1.5", "1e9", "01", "123456789012345678901", "true"};
const std::vector<std::string> kFlags = {"true", "false", "null", "0", "\"true\""};

}  // namespace

TEST_CASE("the simple record reader reads what the general reader reads, or declines", "[runtime_io][facts]") {
  test::Rng rng{0x51391e};
  std::size_t taken = 0, declined = 0, refused = 0;
  const auto check = [&](const std::string& line) {
    FactChange simple;
    const bool took = read_simple_record(line, simple);
    const auto expected = general(line);
    if (!expected) ++refused;
    if (!took) {
      ++declined;
      return;
    }
    ++taken;
    INFO(line);
    REQUIRE(expected.has_value());
    CHECK(same(simple, *expected));
  };
  const auto pick = [&](const std::vector<std::string>& v) { return v[rng.below(v.size())]; };
  for (int i = 0; i < 20000; ++i) {
    std::vector<std::string> members;
    const bool grant = rng.below(3) != 0;
    if (grant) {
      members = {"\"id\":\"g" + std::to_string(i) + "\"", "\"subject_id\":\"u" + std::to_string(i % 7) + "\"",
                 "\"resource_type\":\"model\"", "\"resource_id\":\"m" + std::to_string(i % 11) + "\"",
                 "\"level\":\"read\""};
      if (rng.below(2)) members.push_back("\"subject_type\":\"team\"");
      if (rng.below(2)) members.push_back("\"expires_at\":" + (rng.below(3) ? std::string("1700000000") : pick(kTimes)));
      if (rng.below(3) == 0) members.push_back("\"active\":" + pick(kFlags));
      if (rng.below(3) == 0) members.push_back("\"revoked\":" + pick(kFlags));
      if (rng.below(3) == 0) members.push_back("\"reason\":" + pick(kStrings));
    } else {
      members = {"\"member_id\":\"u" + std::to_string(i % 5) + "\"", "\"collection_type\":\"team\"",
                 "\"collection_id\":\"t" + std::to_string(i % 3) + "\""};
      if (rng.below(2)) members.push_back("\"member_type\":\"user\"");
    }
    // Now and then a rule broken: a field's value replaced, a field dropped,
    // duplicated or unknown.
    switch (rng.below(8)) {
      case 0: {
        std::string& m = members[rng.below(members.size())];
        m = m.substr(0, m.find(':') + 1) + pick(kStrings);
        break;
      }
      case 1: members.erase(members.begin() + static_cast<std::ptrdiff_t>(rng.below(members.size()))); break;
      case 2: members.push_back(members[rng.below(members.size())]); break;
      case 3: members.push_back("\"scope\":\"x\""); break;
      default: break;
    }
    members.push_back(std::string("\"kind\":") + (rng.below(20) ? (grant ? "\"grant\"" : "\"membership\"") : "\"key\""));
    for (std::size_t k = members.size(); k > 1; --k) std::swap(members[k - 1], members[rng.below(k)]);
    const char* space = rng.below(4) == 0 ? " \t" : "";
    std::string line = std::string(space) + "{";
    for (std::size_t k = 0; k < members.size(); ++k) line += (k ? "," : "") + std::string(space) + members[k];
    line += "}" + std::string(space);
    check(line);
    check(test::mutate(line, rng));
  }
  INFO("taken " << taken << ", declined " << declined << " (the general reader refused " << refused << ")");
  CHECK(taken > 5000);
  CHECK(declined > 20000);
}

TEST_CASE("typical grant and membership lines are read without a document", "[runtime_io][facts]") {
  FactChange c;
  REQUIRE(read_simple_record(
      R"({"kind":"grant","id":"g-17","subject_type":"team","subject_id":"ml-platform","resource_type":"model","resource_id":"churn","level":"write","expires_at":"2026-12-31T00:00:00Z","reason":"Q4 retraining"})",
      c));
  CHECK(c.grant.expires_at == 1798675200);
  CHECK(c.grant.subject_type == "team");
  REQUIRE(read_simple_record(R"({"kind":"grant","id":"g2","subject_id":"a","resource_type":"model","resource_id":"*","level":"read","revoked":true})", c));
  CHECK_FALSE(c.grant.active);
  CHECK(c.grant.subject_type == "user");
  REQUIRE(read_simple_record(R"({"kind":"membership","member_id":"alice","collection_type":"team","collection_id":"ml"})", c));
  CHECK(c.membership.member_type == "user");
  // Declined: entities (attributes), keys (arrays), escapes, errors.
  CHECK_FALSE(read_simple_record(R"({"kind":"entity","type":"org","id":"acme"})", c));
  CHECK_FALSE(read_simple_record(R"({"kind":"grant","id":"g\u0031","subject_id":"a","resource_type":"m","resource_id":"x","level":"read"})", c));
  CHECK_FALSE(read_simple_record(R"({"kind":"grant","id":"g1","subject_id":"a","resource_type":"m","resource_id":"x"})", c));
}
