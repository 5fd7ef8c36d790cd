// "Validated means safe" (docs/reliability.md): every way a checksum-valid
// artifact was found to crash or hang a reader — the evaluator, the access
// diff, the endpoint doc, the dumps — is now refused by validate() with
// E0505. Each case damages one field of a real compiled policy the way the
// artifact fuzzer did, writes it back with a correct checksum (as anyone who
// can write the file can), and checks the refusal and its message; the
// Engine keeps serving the policy it had.
#include <catch2/catch.hpp>
#include <functional>

#include "table/artifact.hpp"
#include "tests/runtime/compile_helper.hpp"
#include "tests/runtime/test_request.hpp"

using namespace warden;
using namespace warden::table;

namespace {

struct Hole {
  const char* what;
  const char* policy;
  // Damages the table; false when it has no row of the kind (a test bug).
  std::function<bool(Program&)> damage;
  const char* message;  // expected in the E0505 message
};

Program compiled(const std::string& dir) {
  const std::string bytes = test::compile_artifact(dir);
  const ArtifactLoad r = load_artifact(bytes);
  REQUIRE(r.ok());
  return *r.program;
}

template <class Rows, class Pred>
auto* find_row(Rows& rows, Pred pred) {
  for (auto& r : rows) {
    if (pred(r)) return &r;
  }
  return static_cast<typename Rows::value_type*>(nullptr);
}

const std::vector<Hole>& holes() {
  static const std::vector<Hole> all = {
      // The two the issue names.
      {"a string id on a constant that is not a string", "fixtures/runtime/features",
       [](Program& p) {
         auto* c = find_row(p.constants, [](const ConstRow& row) { return row.type == ValueType::Int; });
         if (!c) return false;
         c->string = static_cast<Id>(p.strings.size() + 1000);
         return true;
       },
       ".string: index"},
      {"`member of` without its path", "policies/api_servers",
       [](Program& p) {
         auto* m = find_row(p.predicates, [](const PredicateRow& row) { return row.kind == SubjectKind::Member; });
         if (!m) return false;
         m->path = kNone;
         return true;
       },
       ".path: index 4294967295 out of range for paths"},
      // Found since.
      {"a deny without its code", "policies/platform_rbac",
       [](Program& p) {
         auto* r = find_row(p.rules, [](const RuleRow& row) { return row.effect == Effect::Deny; });
         if (!r) return false;
         r->code = kNone;
         return true;
       },
       ".code: index 4294967295 out of range for strings"},
      {"an id name on an endpoint that takes no id", "policies/gateway",
       [](Program& p) {
         auto* e = find_row(p.endpoints, [](const EndpointRow& row) { return row.id_kind == EndpointRow::IdKind::None; });
         if (!e) return false;
         e->id_name = static_cast<Id>(p.strings.size());
         return true;
       },
       ".id_name: index"},
      {"a first path step on another kind of entity than the root", "fixtures/runtime/features",
       [](Program& p) {
         auto* path = find_row(p.paths, [&](const PathRow& row) { return row.root == EntityKind::Resource && row.first.count; });
         if (!path) return false;
         p.path_steps[path->first.begin].kind = EntityKind::Principal;
         p.path_steps[path->first.begin].attribute = 0;
         return true;
       },
       ".first[0]: step is not on the path's root"},
      {"a path step that does not follow the reference before it", "fixtures/runtime/features",
       [](Program& p) {
         auto* path = find_row(p.paths, [&](const PathRow& row) { return row.rest.count > 0; });
         if (!path) return false;
         PathStep& s = p.path_steps[path->rest.begin];
         s.kind = s.kind == EntityKind::Principal ? EntityKind::Resource : EntityKind::Principal;
         s.type = 0;
         s.attribute = 0;
         return true;
       },
       ".rest[0]: step does not follow an attribute referring to its type"},
      {"a built-in attribute with another type", "fixtures/runtime/features",
       [](Program& p) {
         if (p.context_attributes.count == 0) return false;
         p.attributes[p.context_attributes.begin].type = ValueType::Enum;
         p.attributes[p.context_attributes.begin].type_arg = 0;
         return !p.enums.empty();
       },
       "program.context_attributes: built-in slot 0"},
      {"a routing node reached from two places", "policies/gateway",
       [](Program& p) {
         auto* n = find_row(p.route_nodes, [](const RouteNode& row) { return row.literals.count > 0 && row.param_child == kNone; });
         if (!n) return false;
         n->param_child = p.route_edges[n->literals.begin].child;
         return true;
       },
       "is reached from two places"},
      {"two rules sharing one condition", "fixtures/runtime/features",
       [](Program& p) {
         std::vector<RuleRow*> with;
         for (auto& r : p.rules) {
           if (r.when.count) with.push_back(&r);
         }
         if (with.size() < 2) return false;
         with[1]->when = with[0]->when;
         with[1]->stack_depth = std::max(with[1]->stack_depth, with[0]->stack_depth);
         return true;
       },
       "shares elements of code with"},
      {"two rules with one name (a table diffed with itself showed a change)", "policies/gateway",
       [](Program& p) {
         if (p.rules.size() < 2) return false;
         p.rules[1].name = p.rules[0].name;
         return true;
       },
       "is also the name of rules[0].name"},
      {"a path on a literal part of a message", "fixtures/runtime/features",
       [](Program& p) {
         auto* m = find_row(p.message_parts, [](const MessagePartRow& row) { return row.kind == MessagePartRow::Kind::Literal; });
         if (!m) return false;
         m->path = static_cast<Id>(p.paths.size() + 5);
         return true;
       },
       ".path: index"},
  };
  return all;
}

}  // namespace

TEST_CASE("checksum-valid artifacts that used to crash a reader are refused with E0505", "[validate][reliability]") {
  for (const Hole& hole : holes()) {
    INFO(hole.what);
    Program p = compiled(hole.policy);
    REQUIRE(hole.damage(p));
    const std::string bytes = write_artifact(p, ArtifactInfo{"test", 0});
    const ArtifactLoad r = load_artifact(bytes);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error->code == Code::E0505);
    INFO(r.error->message);
    CHECK(r.error->message.find(hole.message) != std::string::npos);
  }
}

TEST_CASE("a refused damaged artifact leaves the running policy serving", "[validate][reliability][engine]") {
  Engine engine;
  test::load_policy(engine, "policies/api_servers");
  test::TestRequest req;
  req.principal_id = "nobody";
  req.resource_type = "api_server";
  req.action = "test";
  req.resource_id = "srv-1";
  const Decision before = engine.decide(req.view());

  const Hole& member = holes()[1];
  Program p = compiled(member.policy);
  REQUIRE(member.damage(p));
  const Status s = engine.load_policy(write_artifact(p, ArtifactInfo{"test", 1234}));
  CHECK_FALSE(s.ok);
  CHECK(s.code == "E0505");

  const Decision after = engine.decide(req.view());
  CHECK(after.policy_fingerprint == before.policy_fingerprint);
  CHECK(after.outcome == before.outcome);
  CHECK(after.code.view() == before.code.view());
}
