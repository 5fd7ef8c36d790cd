// The dense fact store (runtime/fact_store.hpp) and the persistent
// structures under it (persistent.hpp, direct_index.hpp):
//
//   - each structure against a plain std:: model over random operations,
//     and a copy left unchanged by edits to the other (structural sharing);
//   - incremental updates agree with a rebuild: a store brought to a fact
//     set by Engine::apply() decides and lists exactly as one built from
//     that fact set whole, over random worlds and random changes of every
//     kind (memberships moved under whole subtrees included);
//   - reachable collections follow membership changes through nested
//     memberships, and a membership cycle is refused (F0306);
//   - expiries outside the 32 bits a grant entry keeps inline;
//   - a store an update was made from answers as before.
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <set>

#include "runtime/direct_index.hpp"
#include "runtime/fact_store.hpp"
#include "runtime/persistent.hpp"
#include "tests/runtime/compile_helper.hpp"
#include "tests/runtime/random_world.hpp"
#include "tests/runtime/reference_evaluator.hpp"

using namespace warden;
using namespace warden::runtime;

namespace {

Request read(std::string_view user, std::string_view model, std::string_view action = "read") {
  Request r;
  r.principal_id = user;
  r.resource_type = "model";
  r.resource_id = model;
  r.action = action;
  r.time = 1790000000;
  return r;
}

}  // namespace

TEST_CASE("Block edits leave the original as it was", "[runtime][facts]") {
  const std::vector<int> items = {1, 2, 3, 4};
  const Block<int> a = Block<int>::of(items);
  const Block<int> b = a.inserted(2, 9);
  const Block<int> c = b.replaced(0, 7).erased(4);
  CHECK(std::vector<int>(a.begin(), a.end()) == items);
  CHECK(std::vector<int>(b.begin(), b.end()) == std::vector<int>{1, 2, 9, 3, 4});
  CHECK(std::vector<int>(c.begin(), c.end()) == std::vector<int>{7, 2, 9, 3});
  CHECK(a.slice(1, 3).size() == 2);
  CHECK(Block<int>::of(std::vector<int>{5}).erased(0).empty());
  Block<int> shared = a;
  CHECK_FALSE(shared.unique());
  CHECK(Block<int>::filled(3, 8).unique());
}

TEST_CASE("PVec: a copy keeps its items while the other is edited and grows", "[runtime][facts]") {
  PVec<int, 2> v;  // leaves of 4: the tree grows several levels below
  for (int i = 0; i < 5000; ++i) v.push_back(i);
  const PVec<int, 2> before = v;
  for (int i = 0; i < 5000; i += 7) v.edit(static_cast<std::size_t>(i)) = -i;
  for (int i = 5000; i < 6000; ++i) v.push_back(i);
  REQUIRE(before.size() == 5000);
  REQUIRE(v.size() == 6000);
  for (int i = 0; i < 5000; ++i) {
    REQUIRE(before[static_cast<std::size_t>(i)] == i);
    REQUIRE(v[static_cast<std::size_t>(i)] == (i % 7 == 0 ? -i : i));
  }
  for (int i = 5000; i < 6000; ++i) REQUIRE(v[static_cast<std::size_t>(i)] == i);
}

TEST_CASE("ChunkedSet behaves as a sorted set and shares its chunks", "[runtime][facts]") {
  std::mt19937 rng(3);
  ChunkedSet<std::uint32_t> set;
  std::set<std::uint32_t> model;
  std::vector<std::pair<ChunkedSet<std::uint32_t>, std::set<std::uint32_t>>> snapshots;
  for (int step = 0; step < 20000; ++step) {
    const std::uint32_t v = rng() % 3000;
    if (rng() % 3 == 0) {
      CHECK(set.erase(v) == (model.erase(v) == 1));
    } else {
      CHECK(set.insert(v) == model.insert(v).second);
    }
    if (step % 4000 == 0) snapshots.emplace_back(set, model);
  }
  const auto contents = [](const ChunkedSet<std::uint32_t>& s) {
    std::vector<std::uint32_t> out;
    s.for_each([&](std::uint32_t x) { out.push_back(x); });
    return out;
  };
  CHECK(contents(set) == std::vector<std::uint32_t>(model.begin(), model.end()));
  CHECK(set.size() == model.size());
  for (const auto& [s, m] : snapshots) CHECK(contents(s) == std::vector<std::uint32_t>(m.begin(), m.end()));
  for (std::uint32_t v = 0; v < 3000; v += 13) CHECK(set.contains(v) == (model.count(v) == 1));
  const std::vector<std::uint32_t> sorted = {1, 5, 9, 700};
  CHECK(contents(ChunkedSet<std::uint32_t>::from_sorted(sorted)) == sorted);
}

namespace {

struct TestSlot {
  std::uint32_t hash = 0;
  std::uint32_t key = 0;
  std::uint32_t value = 0;
};
struct TestKey {
  std::uint32_t key;
  std::uint32_t hash;
};
struct TestEq {
  bool operator()(const TestKey& k, const TestSlot& s) const { return k.hash == s.hash && k.key == s.key; }
};
using TestIndex = DirectIndex<TestSlot, TestEq, 1>;  // 4 shards: long probe runs

// Few distinct hashes, so keys collide and runs wrap around shard ends.
std::uint64_t test_hash(std::uint32_t key) { return (std::uint64_t{key % 4} << 62) | (key % 29); }

}  // namespace

TEST_CASE("DirectIndex finds, inserts and erases as a map does, under collisions", "[runtime][facts]") {
  std::mt19937 rng(11);
  TestIndex index;
  std::map<std::uint32_t, std::uint32_t> model;
  TestIndex snapshot;
  std::map<std::uint32_t, std::uint32_t> snapshot_model;
  for (int step = 0; step < 30000; ++step) {
    const std::uint32_t k = rng() % 700;
    const std::uint64_t h = test_hash(k);
    const TestKey key{k, TestIndex::stored_hash(h)};
    if (rng() % 3 == 0) {
      CHECK(index.erase(h, key) == (model.erase(k) == 1));
    } else if (!model.count(k)) {
      index.insert(h, TestSlot{key.hash, k, k * 3});
      model[k] = k * 3;
    }
    if (step == 15000) {
      snapshot = index;
      snapshot_model = model;
    }
  }
  REQUIRE(index.size() == model.size());
  for (std::uint32_t k = 0; k < 700; ++k) {
    const std::uint64_t h = test_hash(k);
    const TestSlot* s = index.find(h, TestKey{k, TestIndex::stored_hash(h)});
    REQUIRE((s != nullptr) == (model.count(k) == 1));
    if (s) CHECK(s->value == k * 3);
    const TestSlot* old = snapshot.find(h, TestKey{k, TestIndex::stored_hash(h)});
    REQUIRE((old != nullptr) == (snapshot_model.count(k) == 1));
  }
}

TEST_CASE("updates applied one by one decide and list as the same facts built whole", "[runtime][facts][property]") {
  const std::vector<std::string> dirs = {"policies/gateway",  "policies/model_permissions", "policies/platform_rbac",
                                         "policies/tenancy",  "policies/api_servers",        "fixtures/runtime/features"};
  std::size_t changes = 0, decisions = 0, lists = 0, differences = 0;
  std::ostringstream report;
  for (std::size_t pi = 0; pi < dirs.size(); ++pi) {
    const test::ReferenceEvaluator parsed(dirs[pi]);
    Engine incremental, rebuilt;
    test::load_policy(incremental, dirs[pi]);
    test::load_policy(rebuilt, dirs[pi]);
    test::WorldGenerator gen(parsed.policy(), 0xfac7 + pi);
    for (int w = 0; w < 3; ++w) {
      FactSet facts = gen.facts();
      REQUIRE(incremental.replace_facts(facts).ok);
      for (int step = 0; step < 60; ++step) {
        const FactsUpdate u = gen.change(facts);
        const Status s = incremental.apply(u);
        INFO(dirs[pi] << ": " << s.code << " " << s.message);
        REQUIRE(s.ok);
        ++changes;
        if (step % 15 != 14) continue;
        REQUIRE(rebuilt.replace_facts(facts).ok);
        for (int i = 0; i < 200; ++i) {
          const test::TestRequest tr = gen.request();
          const Decision a = incremental.decide(tr.view());
          const Decision b = rebuilt.decide(tr.view());
          ++decisions;
          if (a.outcome != b.outcome || a.code.view() != b.code.view() || a.grant_id.view() != b.grant_id.view() ||
              a.source_detail.view() != b.source_detail.view()) {
            if (++differences <= 5) {
              report << dirs[pi] << ": " << tr.describe() << "\n  incremental: " << a.code.view() << " "
                     << a.source_detail.view() << " " << a.grant_id.view() << "\n  rebuilt:     " << b.code.view()
                     << " " << b.source_detail.view() << " " << b.grant_id.view() << "\n";
            }
          }
        }
        for (const auto& type : parsed.policy().resources) {
          if (type.actions.empty()) continue;
          test::TestRequest tr = gen.action_request(type.name.text, gen.rng().pick(type.actions).text);
          tr.resource_id.clear();
          tr.resource_attributes.clear();
          ++lists;
          if (incremental.authorized_resources(tr.view(), tr.action, type.name.text) !=
              rebuilt.authorized_resources(tr.view(), tr.action, type.name.text)) {
            if (++differences <= 5) report << dirs[pi] << ": the lists differ for " << tr.describe() << "\n";
          }
        }
      }
    }
  }
  INFO(report.str());
  CHECK(differences == 0);
  CHECK(changes >= 1000);
  CHECK(decisions >= 10000);
  CHECK(lists >= 50);
}

TEST_CASE("reachable collections follow membership changes through nesting; cycles are refused", "[runtime][facts]") {
  Engine engine;
  test::load_policy(engine, "policies/model_permissions");
  FactSet facts;
  facts.memberships = {{"user", "ana", "team", "ml"}, {"team", "ml", "team", "research"}, {"team", "research", "org", "acme"}};
  facts.grants.push_back({"g-globex", "org", "globex", "model", "m1", "read", std::nullopt, true, ""});
  facts.grants.push_back({"g-acme", "org", "acme", "model", "m2", "read", std::nullopt, true, ""});
  REQUIRE(engine.replace_facts(facts).ok);
  CHECK_FALSE(engine.decide(read("ana", "m1")).allowed());
  CHECK(engine.decide(read("ana", "m2")).grant_id.view() == "g-acme");  // two teams up

  // The middle team moves to another organization: everything below follows.
  REQUIRE(engine.apply(FactsUpdate{}.remove(Membership{"team", "research", "org", "acme"})
                           .upsert(Membership{"team", "research", "org", "globex"}))
              .ok);
  const Decision d = engine.decide(read("ana", "m1"));
  CHECK(d.allowed());
  CHECK(d.source_detail.view() == "grant to org `globex`, level `read`");
  CHECK_FALSE(engine.decide(read("ana", "m2")).allowed());

  // A cycle (research in ml, ml in research) is refused with the cycle
  // named, and the snapshot in service stays.
  const std::uint64_t version = engine.facts_version();
  Status s = engine.apply(FactsUpdate{}.upsert(Membership{"team", "research", "team", "ml"}));
  CHECK(s.code == "F0306");
  CHECK(s.message == "membership cycle: team `ml` -> team `research` -> team `ml` (an entity may not be its own member)");
  CHECK(engine.facts_version() == version);
  CHECK(engine.decide(read("ana", "m1")).allowed());
  // An entity its own member, and a cycle three long in a whole fact set.
  s = engine.apply(FactsUpdate{}.upsert(Membership{"team", "ml", "team", "ml"}));
  CHECK(s.message == "membership cycle: team `ml` -> team `ml` (an entity may not be its own member)");
  FactSet cyclic = facts;
  cyclic.memberships.push_back({"org", "acme", "team", "ml"});
  s = engine.replace_facts(cyclic);
  CHECK(s.code == "F0306");
  CHECK(s.message.find("team `ml` -> team `research` -> org `acme` -> team `ml`") != std::string::npos);
  CHECK(engine.facts_version() == version);
  REQUIRE(engine.apply(FactsUpdate{}.remove(Membership{"user", "ana", "team", "ml"})).ok);
  CHECK_FALSE(engine.decide(read("ana", "m1")).allowed());
}

TEST_CASE("expiries outside 32 bits are kept exactly", "[runtime][facts]") {
  Engine engine;
  test::load_policy(engine, "policies/model_permissions");
  constexpr std::int64_t kYear3000 = 32503680000;  // beyond what a grant entry holds inline
  FactSet facts;
  for (const char* m : {"m1", "m2"}) {
    facts.entities.push_back({"model", m, "", {{"owner", FactValue::string("bo")}, {"stage", FactValue::string("none")},
                                                {"sensitive", FactValue::flag(false)}}});
  }
  facts.grants.push_back({"g-far", "user", "ana", "model", "m1", "write", kYear3000, true, ""});
  facts.grants.push_back({"g-before-1970", "user", "ana", "model", "m2", "write", -86400, true, ""});
  REQUIRE(engine.replace_facts(facts).ok);
  CHECK(engine.decide(read("ana", "m1")).grant_id.view() == "g-far");
  Request later = read("ana", "m1");
  later.time = kYear3000;
  CHECK(engine.decide(later).code.view() == "GRANT_EXPIRED");
  later.time = kYear3000 - 1;
  CHECK(engine.decide(later).allowed());
  CHECK(engine.decide(read("ana", "m2")).code.view() == "GRANT_EXPIRED");
  Request early = read("ana", "m2");
  early.time = -86401;
  CHECK(engine.decide(early).allowed());
  // Moved back inside the inline range, then removed: nothing of it stays.
  REQUIRE(engine.apply(FactsUpdate{}.upsert(Grant{"g-far", "user", "ana", "model", "m1", "write", 1700000000, true, ""})).ok);
  CHECK(engine.decide(read("ana", "m1")).code.view() == "GRANT_EXPIRED");
  REQUIRE(engine.apply(FactsUpdate{}.remove(Grant{"g-far", "user", "ana", "model", "m1", "write", std::nullopt, true, ""})).ok);
  CHECK(engine.decide(read("ana", "m1")).code.view() == "PERMISSION_DENIED");
}

TEST_CASE("a store an update was made from answers as before", "[runtime][facts]") {
  FactSet facts;
  facts.entities.push_back({"model", "m1", "acme", {{"owner", FactValue::string("ana")}}});
  facts.memberships.push_back({"user", "ana", "team", "ml"});
  facts.grants.push_back({"g1", "team", "ml", "model", "m1", "read", std::nullopt, true, ""});
  std::shared_ptr<const FactStore> before;
  REQUIRE(FactStore::build(facts, before).ok);
  std::shared_ptr<const FactStore> after;
  REQUIRE(before
              ->apply(FactsUpdate{}
                          .remove(facts.grants[0])
                          .remove(facts.memberships[0])
                          .upsert(Entity{"model", "m1", "globex", {{"owner", FactValue::string("bo")}}}),
                      after)
              .ok);
  const auto model = [](const FactStore& s) { return s.entity(s.find_entity(s.find_type("model"), "m1")); };
  const auto user = [](const FactStore& s) { return s.find_entity(s.find_type("user"), "ana"); };
  CHECK(before->value_text(model(*before).tenant) == "acme");
  CHECK(after->value_text(model(*after).tenant) == "globex");
  CHECK(model(*before).grant_count == 1);
  CHECK(model(*after).grant_count == 0);
  CHECK(before->entity(user(*before)).reach().size() == 1);
  CHECK(after->entity(user(*after)).reach().empty());
  CHECK(before->value_text(model(*before).attributes()[0].text) == "ana");
  CHECK(after->version() == before->version() + 1);
}

TEST_CASE("refused facts and changes have their codes, and change nothing", "[runtime][facts]") {
  Engine engine;
  test::load_policy(engine, "policies/model_permissions");
  FactSet good;
  good.grants.push_back({"g1", "user", "ana", "model", "m1", "read", std::nullopt, true, ""});
  REQUIRE(engine.replace_facts(good).ok);
  const std::uint64_t version = engine.facts_version();

  FactSet twice = good;
  twice.grants.push_back({"g2", "user", "bo", "model", "m2", "read", std::nullopt, true, ""});
  twice.grants.push_back({"g2", "user", "cy", "model", "m3", "read", std::nullopt, true, ""});
  Status s = engine.replace_facts(twice);
  CHECK(s.code == "F0303");
  CHECK(s.message == "grant `g2` is given twice");
  FactSet keys_twice = good;
  keys_twice.keys.push_back({"k1", "user", "ana", {}, "", std::nullopt, false});
  keys_twice.keys.push_back({"k1", "user", "bo", {}, "", std::nullopt, false});
  s = engine.replace_facts(keys_twice);
  CHECK(s.code == "F0303");
  CHECK(s.message == "api key `k1` is given twice");

  s = engine.apply(FactsUpdate{}.upsert(Grant{"g3", "user", "", "model", "m1", "read", std::nullopt, true, ""}));
  CHECK(s.code == "F0301");
  CHECK(s.message == "grant has an empty `subject_id`");
  s = engine.apply(FactsUpdate{}.upsert(Membership{"user", "ana", "team", ""}));
  CHECK(s.code == "F0301");
  s = engine.apply(FactsUpdate{}
                       .upsert(Grant{"g4", "user", "ana", "model", "m2", "read", std::nullopt, true, ""})
                       .remove(Grant{"g-none", "user", "ana", "model", "m1", "read", std::nullopt, true, ""}));
  CHECK(s.code == "F0302");
  CHECK(s.line == 2);
  CHECK(s.message == "cannot remove grant `g-none`: it does not exist");
  s = engine.apply(FactsUpdate{}.remove(Membership{"user", "ana", "team", "ml"}));
  CHECK(s.code == "F0302");
  s = engine.apply(FactsUpdate{}.remove(RoleAssignment{"user", "ana", "platform_admin", "", ""}));
  CHECK(s.code == "F0302");
  s = engine.apply(FactsUpdate{}.remove(Entity{"model", "m1", "", {}}));
  CHECK(s.code == "F0302");

  // Nothing of the refused batches was published: g4 (first in a refused batch) is not there.
  CHECK(engine.facts_version() == version);
  CHECK(engine.decide(read("ana", "m1")).grant_id.view() == "g1");
  CHECK_FALSE(engine.decide(read("ana", "m2")).allowed());
}
