// The facts in service as records again (Engine::visit_facts) and checked
// against the policy in service (check_facts_in_service,
// FactRecordChecker; warden/facts_check.hpp): what a policy loaded after
// the facts is checked against.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "tests/runtime/compile_helper.hpp"
#include "warden/engine.hpp"
#include "warden/facts_check.hpp"
#include "warden/facts_json.hpp"

using namespace warden;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string value_text(const FactValue& v) {
  switch (v.kind) {
    case FactValue::Kind::String: return "s:" + v.text;
    case FactValue::Kind::Int: return "i:" + std::to_string(v.number);
    case FactValue::Kind::Bool: return v.boolean ? "b:true" : "b:false";
  }
  return "?";
}

std::string opt(const std::optional<std::int64_t>& t) { return t ? std::to_string(*t) : "-"; }

// One line per record with every field the engine keeps (all but a grant's
// reason), so two fact sets compare as sorted lists of lines.
std::string line_of(const FactChange& c) {
  switch (c.kind) {
    case FactChange::Kind::Entity: {
      std::string s = "entity " + c.entity.type + "|" + c.entity.id + "|" + c.entity.tenant;
      for (const auto& [n, v] : c.entity.attributes) s += "|" + n + "=" + value_text(v);
      return s;
    }
    case FactChange::Kind::Membership: {
      const Membership& m = c.membership;
      return "membership " + m.member_type + "|" + m.member_id + "|" + m.collection_type + "|" + m.collection_id;
    }
    case FactChange::Kind::Role: {
      const RoleAssignment& r = c.role;
      return "role " + r.principal_type + "|" + r.principal_id + "|" + r.role + "|" + r.scope_type + "|" + r.scope_id;
    }
    case FactChange::Kind::Grant: {
      const Grant& g = c.grant;
      return "grant " + g.id + "|" + g.subject_type + "|" + g.subject_id + "|" + g.resource_type + "|" +
             g.resource_id + "|" + g.level + "|" + opt(g.expires_at) + "|" + (g.active ? "active" : "revoked");
    }
    case FactChange::Kind::ApiKey: {
      const ApiKey& k = c.key;
      std::string s = "key " + k.id + "|" + k.principal_type + "|" + k.principal_id + "|" + k.tenant + "|" +
                      opt(k.expires_at) + "|" + (k.revoked ? "revoked" : "live");
      for (const auto& scope : k.scopes) s += "|" + scope;
      return s;
    }
  }
  return "?";
}

std::vector<std::string> lines_of(const FactSet& facts) {
  std::vector<std::string> out;
  FactsUpdate u;
  for (const auto& r : facts.entities) u.upsert(r);
  for (const auto& r : facts.memberships) u.upsert(r);
  for (const auto& r : facts.roles) u.upsert(r);
  for (const auto& r : facts.grants) u.upsert(r);
  for (const auto& r : facts.keys) u.upsert(r);
  for (const auto& c : u.changes) out.push_back(line_of(c));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> visited(const Engine& engine) {
  std::vector<std::string> out;
  engine.visit_facts([&](const Engine::FactsVisit&, const FactChange& c) {
    CHECK(c.op == FactChange::Op::Upsert);
    out.push_back(line_of(c));
  });
  std::sort(out.begin(), out.end());
  return out;
}

FactSet read(const std::string& path) {
  FactsReader reader;
  const auto e = reader.add_file(path);
  if (e) FAIL(format_error(*e));
  return reader.take();
}

}  // namespace

TEST_CASE("facts in service: visited back as the records they were loaded from", "[facts][service]") {
  for (const char* file : {"fixtures/facts/gateway.jsonl", "fixtures/suites/platform_rbac/facts.jsonl",
                           "fixtures/suites/repos/facts.jsonl", "fixtures/facts_check/names/facts.jsonl"}) {
    INFO(file);
    const FactSet facts = read(file);
    Engine engine;
    REQUIRE(engine.replace_facts(facts).ok);
    const std::vector<std::string> back = visited(engine);
    CHECK(back == lines_of(facts));
    CHECK(!back.empty());
  }
}

TEST_CASE("facts in service: a visit for names leaves ids and tenants empty", "[facts][service]") {
  const FactSet facts = read("fixtures/facts/gateway.jsonl");
  Engine engine;
  REQUIRE(engine.replace_facts(facts).ok);
  std::vector<FactChange> whole, names;
  engine.visit_facts([&](const Engine::FactsVisit&, const FactChange& c) { whole.push_back(c); });
  engine.visit_facts([&](const Engine::FactsVisit&, const FactChange& c) { names.push_back(c); },
                     Engine::FactsDetail::Names);
  REQUIRE(names.size() == whole.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    FactChange stripped = whole[i];
    stripped.entity.id.clear();
    stripped.entity.tenant.clear();
    stripped.membership.member_id.clear();
    stripped.membership.collection_id.clear();
    stripped.role.principal_id.clear();
    stripped.role.scope_id.clear();
    stripped.grant.id.clear();
    stripped.grant.subject_id.clear();
    stripped.grant.resource_id.clear();
    stripped.key.id.clear();
    stripped.key.principal_id.clear();
    stripped.key.tenant.clear();
    INFO(line_of(whole[i]));
    CHECK(line_of(names[i]) == line_of(stripped));
  }
}

TEST_CASE("facts in service: a visit sees the changes applied, removals included", "[facts][service]") {
  Engine engine;
  REQUIRE(engine.replace_facts(read("fixtures/facts_check/names/facts.jsonl")).ok);
  const std::size_t before = visited(engine).size();
  const ParsedUpdate u = parse_update(
      "{\"op\":\"remove\",\"kind\":\"grant\",\"id\":\"g1\"}\n"
      "{\"op\":\"remove\",\"kind\":\"key\",\"id\":\"k1\"}\n"
      "{\"op\":\"remove\",\"kind\":\"entity\",\"type\":\"usr\",\"id\":\"alice\"}\n"
      "{\"op\":\"remove\",\"kind\":\"role\",\"principal_id\":\"bob\",\"role\":\"admn\"}\n"
      "{\"op\":\"remove\",\"kind\":\"membership\",\"member_id\":\"bob\",\"collection_type\":\"taem\",\"collection_id\":\"ml\"}\n"
      "{\"op\":\"upsert\",\"kind\":\"grant\",\"id\":\"g9\",\"subject_id\":\"bob\",\"resource_type\":\"model\","
      "\"resource_id\":\"churn\",\"level\":\"admin\",\"expires_at\":\"2030-01-01T00:00:00Z\",\"active\":false}\n",
      "update.jsonl");
  REQUIRE(u.ok());
  REQUIRE(engine.apply(u.update).ok);
  const std::vector<std::string> after = visited(engine);
  CHECK(after.size() == before - 5 + 1);
  const auto has = [&](std::string_view prefix) {
    return std::any_of(after.begin(), after.end(), [&](const std::string& l) { return l.rfind(prefix, 0) == 0; });
  };
  CHECK(!has("grant g1|"));
  CHECK(!has("key k1|"));
  CHECK(!has("entity usr|alice"));
  CHECK(!has("role user|bob|admn"));
  CHECK(!has("membership user|bob|taem"));
  CHECK(has("grant g9|user|bob|model|churn|admin|1893456000|revoked"));
}

TEST_CASE("facts in service: checked against a policy loaded after them", "[facts][service]") {
  Engine engine;
  // Facts first, read without a policy (nothing to check them against).
  REQUIRE(engine.replace_facts(read("fixtures/facts_check/names/facts.jsonl")).ok);
  const FactsInServiceCheck none = check_facts_in_service(engine);
  CHECK(!none.has_policy);
  CHECK(none.findings_total == 0);

  test::load_policy(engine, "fixtures/facts_check/names");
  const FactsInServiceCheck c = check_facts_in_service(engine);
  CHECK(c.has_policy);
  CHECK(c.policy_fingerprint == engine.policy_fingerprint());
  CHECK(c.facts_version == engine.facts_version());
  // What reading the file under the policy finds, without the places: the
  // facts in service have no file.
  std::vector<std::string> expected;
  std::istringstream golden(slurp("fixtures/facts_check/names/expected.txt"));
  for (std::string line; std::getline(golden, line);) {
    if (line.empty()) continue;
    const auto at = line.find(" error[");
    REQUIRE(at != std::string::npos);
    expected.push_back("warning" + line.substr(at + 6));
  }
  std::vector<std::string> found;
  for (const InputError& e : c.findings) {
    CHECK(e.warning);
    CHECK(e.file.empty());
    CHECK(e.line == 0);
    found.push_back(format_error(e));
  }
  std::sort(expected.begin(), expected.end());
  std::sort(found.begin(), found.end());
  CHECK(found == expected);
  CHECK(c.findings_total == expected.size());
  CHECK(std::find(found.begin(), found.end(),
                  "warning[F0403]: unknown scope `model:wirte` in key `k1` (did you mean `model:write`?)") != found.end());

  // The facts stay as they were: checking changes nothing.
  CHECK(engine.facts_version() == c.facts_version);
}

TEST_CASE("facts in service: findings kept are bounded, every one counted", "[facts][service]") {
  Engine engine;
  test::load_policy(engine, "fixtures/facts_check/names");
  FactSet facts;
  for (int i = 0; i < 150; ++i) facts.roles.push_back({"user", "u" + std::to_string(i), "nobody", "", ""});
  REQUIRE(engine.replace_facts(facts).ok);
  const FactsInServiceCheck c = check_facts_in_service(engine);
  CHECK(c.findings.size() == kMaxFactFindings);
  CHECK(c.findings_total == 150);
  CHECK(c.findings[0].code == "F0402");
}

TEST_CASE("facts in service: a record checked on its own has no place", "[facts][service]") {
  Engine engine;
  test::load_policy(engine, "fixtures/facts_check/names");
  const FactRecordChecker checker(engine.fact_schema());
  FactChange c;
  c.kind = FactChange::Kind::Grant;
  c.grant = {"g1", "user", "bob", "model", "churn", "wrte", std::nullopt, true, ""};
  std::vector<InputError> out;
  CHECK(checker.check(c, out) == 1);
  REQUIRE(out.size() == 1);
  CHECK(out[0].code == "F0404");
  CHECK(out[0].message == "unknown level `wrte` in grant `g1` (did you mean `write`?)");
  CHECK(out[0].file.empty());
  CHECK(!out[0].warning);
  c.op = FactChange::Op::Remove;  // removals are never checked
  CHECK(checker.check(c, out) == 0);
  const FactRecordChecker without(nullptr);
  c.op = FactChange::Op::Upsert;
  CHECK(without.check(c, out) == 0);
}
