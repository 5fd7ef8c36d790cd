// Reading fact update batches (warden/facts_json.hpp: parse_update).
#include <catch2/catch.hpp>

#include "warden/facts_json.hpp"

using namespace warden;

TEST_CASE("updates: upserts and removals in order, with their lines", "[update]") {
  const auto u = parse_update(
      "{\"op\":\"upsert\",\"kind\":\"grant\",\"id\":\"g9\",\"subject_id\":\"bob\",\"resource_type\":\"model\","
      "\"resource_id\":\"m1\",\"level\":\"read\",\"expires_at\":\"2030-01-01T00:00:00Z\"}\n"
      "\n"
      "{\"op\":\"remove\",\"kind\":\"grant\",\"id\":\"g1\"}\n"
      "{\"op\":\"remove\",\"kind\":\"key\",\"id\":\"k1\"}\n"
      "{\"op\":\"remove\",\"kind\":\"membership\",\"member_id\":\"alice\",\"collection_type\":\"team\",\"collection_id\":\"ml\"}\n"
      "{\"op\":\"upsert\",\"kind\":\"entity\",\"type\":\"org\",\"id\":\"acme\",\"attributes\":{\"status\":\"suspended\"}}\n",
      "update.jsonl");
  REQUIRE(u.ok());
  REQUIRE(u.update.changes.size() == 5);
  CHECK(u.lines == std::vector<std::uint32_t>{1, 3, 4, 5, 6});
  const auto& c = u.update.changes;
  CHECK(c[0].op == FactChange::Op::Upsert);
  CHECK(c[0].kind == FactChange::Kind::Grant);
  CHECK(c[0].grant.id == "g9");
  CHECK(c[0].grant.expires_at == 1893456000);
  CHECK(c[1].op == FactChange::Op::Remove);
  CHECK(c[1].grant.id == "g1");
  CHECK(c[2].kind == FactChange::Kind::ApiKey);
  CHECK(c[3].membership.member_type == "user");
  CHECK(c[4].entity.attributes[0].second == FactValue::string("suspended"));
}

TEST_CASE("updates: errors", "[update]") {
  const auto first = [](std::string_view text) {
    const auto u = parse_update(text, "u.jsonl");
    REQUIRE_FALSE(u.ok());
    CHECK(u.update.changes.empty());  // never a partial batch
    CHECK(u.lines.empty());
    return *u.error;
  };
  auto e = first("{\"op\":\"remove\",\"kind\":\"key\",\"id\":\"k1\"}\n{\"kind\":\"key\",\"id\":\"k1\"}");
  CHECK(e.code == "F0102");
  CHECK(e.line == 2);
  CHECK(e.message == "missing field `op` in update");
  e = first("{\"op\":\"delete\",\"kind\":\"key\",\"id\":\"k1\"}");
  CHECK(e.code == "F0108");
  CHECK(e.column == 7);
  CHECK(e.message == "unknown op `delete` (expected `upsert` or `remove`)");
  CHECK(first("{\"op\":1,\"kind\":\"key\",\"id\":\"k1\"}").code == "F0103");
  CHECK(first("{\"op\":\"remove\",\"kind\":\"keys\",\"id\":\"k1\"}").code == "F0105");
  // Upserts need whole records; removals only the identity.
  CHECK(first("{\"op\":\"upsert\",\"kind\":\"key\",\"id\":\"k1\"}").message == "missing field `principal_id` in key");
  CHECK(first("{\"op\":\"remove\",\"kind\":\"grant\"}").message == "missing field `id` in grant");
  CHECK(first("{\"op\":\"remove\",\"kind\":\"membership\",\"member_id\":\"a\"}").message ==
        "missing field `collection_type` in membership");
  CHECK(first("{\"op\":\"upsert\",\"kind\":\"key\",\"id\":\"k1\",\"principal_id\":\"a\",\"expires_at\":\"soon\"}").code ==
        "F0106");
  CHECK(first("{\"op\":\"upsert\"").code == "F0101");
}

TEST_CASE("updates: an Engine refusal points at the input line", "[update]") {
  const auto u = parse_update(
      "{\"op\":\"remove\",\"kind\":\"key\",\"id\":\"k1\"}\n\n{\"op\":\"remove\",\"kind\":\"key\",\"id\":\"k2\"}\n", "u.jsonl");
  REQUIRE(u.ok());
  const auto e = update_error(Status::error("F0302", "cannot remove key `k2`: it does not exist", 2), u, "u.jsonl");
  CHECK(e.line == 3);
  CHECK(format_error(e) == "u.jsonl:3: error[F0302]: cannot remove key `k2`: it does not exist");
}
