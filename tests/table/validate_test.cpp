// Validation: a consistent table passes; an index out of range, a bad jump,
// an unbalanced stack, a cyclic routing graph, … anywhere is refused on load
// (E0505) with a message naming the table, the row and the field — even when
// the artifact's checksum is valid.
#include <catch2/catch.hpp>
#include <functional>

#include "table/artifact.hpp"
#include "table/validate.hpp"
#include "tests/table/sample_program.hpp"

using namespace warden;
using namespace warden::table;

namespace {

struct Case {
  const char* what;
  std::function<void(Program&)> damage;
  const char* message;  // expected prefix of the error
};

std::string refusal(const Program& p) {
  const std::string bytes = write_artifact(p, ArtifactInfo{"test", 0});
  const ArtifactLoad r = load_artifact(std::span<const char>(bytes.data(), bytes.size()));
  if (r.ok()) return "(accepted)";
  if (r.error->code != Code::E0505) return "(wrong code " + std::string(code_info(r.error->code).name) + ")";
  return r.error->message;
}

}  // namespace

TEST_CASE("the sample program is a valid table", "[table][validate]") {
  const auto problem = validate(test::sample_program());
  INFO(problem.value_or(""));
  CHECK_FALSE(problem.has_value());
}

TEST_CASE("an empty program needs a name and a default tenant", "[table][validate]") {
  Program p;
  CHECK(validate(p) == std::optional<std::string>("program.name: index 4294967295 out of range for strings (size 0)"));
  p.strings = {"empty", "default"};
  p.name = 0;
  p.tenancy.default_tenant = 1;
  CHECK_FALSE(validate(p).has_value());
}

TEST_CASE("damaged tables are refused with the table, row and field named", "[table][validate]") {
  const std::vector<Case> cases = {
      {"policy name", [](Program& p) { p.name = static_cast<Id>(p.strings.size()); }, "program.name: index"},
      {"mode", [](Program& p) { p.mode = static_cast<Mode>(7); }, "program.mode: value 7 out of range"},
      {"tenant source", [](Program& p) { p.tenancy.sources.count = 3; }, "tenancy.sources: range [0, +3)"},
      {"source file", [](Program& p) { p.rules[1].loc.file = 2; }, "rules[1].loc: index 2 out of range for files (size 2)"},
      {"scope closure beyond the scopes", [](Program& p) { p.bit_words[p.scopes[0].closure.offset] |= 1u << 3; },
       "scopes[0].closure: bitset has a member at or above 3"},
      {"bitset outside the pool", [](Program& p) { p.roles[1].holds.offset = static_cast<std::uint32_t>(p.bit_words.size()); },
       "roles[1].holds: bitset"},
      {"role parent", [](Program& p) { p.ids[p.roles[1].parents.begin] = 5; }, "roles[1].parents: index 5 out of range for roles"},
      {"enum value string", [](Program& p) { p.ids[p.enums[1].values.begin + 2] = 100000; }, "enums[1].values: index 100000"},
      {"attribute enum", [](Program& p) { p.attributes[2].type_arg = 2; }, "attributes[2].type_arg: index 2 out of range for enums"},
      {"collection", [](Program& p) { p.ids[p.principals[1].member_of.begin] = 2; },
       "principals[1].member_of: index 2 out of range for principals"},
      {"level actions per level", [](Program& p) { p.resources[0].level_actions.count = 1; },
       "resources[0].level_actions: has 1 entries for 2 levels"},
      {"rule lists per action", [](Program& p) { p.rule_lists.push_back({}); }, "rule_lists: has 4 entries for 3 actions"},
      {"rule list range", [](Program& p) { p.rule_lists[2].count = 10; }, "rule_lists[2]: range"},
      {"rule id", [](Program& p) { p.rule_ids[0] = 5; }, "rule_ids[0]: index 5 out of range for rules (size 5)"},
      {"endpoint action", [](Program& p) { p.endpoints[1].action = 3; }, "endpoints[1].action: index 3 out of range"},
      {"endpoint type", [](Program& p) { p.endpoints[0].resource_type = 1; }, "endpoints[0].resource_type: index 1"},
      {"endpoint id segment", [](Program& p) { p.endpoints[0].id_segment = 0; },
       "endpoints[0].id_segment: segment 0 is not a `{param}` segment"},
      {"endpoint methods", [](Program& p) { p.endpoints[2].methods = 0x80; }, "endpoints[2].methods: has bits beyond"},
      {"any-of requirement", [](Program& p) { p.endpoints[1].any_of.begin = static_cast<std::uint32_t>(p.bit_refs.size()); },
       "endpoints[1].any_of: range"},
      {"route root", [](Program& p) { p.route_roots[3] = 10; }, "route_roots[3]: index 10 out of range for route_nodes"},
      {"route edge child", [](Program& p) { p.route_edges[0].child = 99; }, "route_edges[0].child: index 99"},
      {"route endpoint", [](Program& p) { p.route_nodes[4].endpoint = 4; }, "route_nodes[4].endpoint: index 4 out of range for endpoints"},
      {"route cycle", [](Program& p) { p.route_nodes[4].star_child = 3; }, "route_nodes[4]: routing graph has a cycle through node 3"},
      {"route self loop", [](Program& p) { p.route_nodes[2].param_child = 2; }, "route_nodes[2]: routing graph has a cycle"},
      {"unsorted route edges", [](Program& p) { std::swap(p.route_edges[0], p.route_edges[1]); },
       "route_nodes[0].literals: edge labels are not strictly ascending"},
      {"cidr prefix", [](Program& p) { p.constants[3].prefix = 129; }, "constants[3].prefix: prefix length 129 exceeds 128"},
      {"hours", [](Program& p) { p.constants[2].start_minute = 1440; }, "constants[2].start_minute: hours outside a day"},
      {"enum constant", [](Program& p) { p.constants[1].number = 3; }, "constants[1].number: enum value index 3"},
      {"path step attribute", [](Program& p) { p.path_steps[2].attribute = 3; }, "path_steps[2]: index 3 out of range for the type's attributes"},
      {"context step", [](Program& p) { p.path_steps[4].attribute = 3; }, "path_steps[4]: index 3 out of range for context attributes"},
      {"predicate role", [](Program& p) { p.predicates[2].arg = 2; }, "predicates[2].arg: index 2 out of range for roles"},
      {"predicate path", [](Program& p) { p.predicates[4].path = 7; }, "predicates[4].path: index 7 out of range for paths"},
      {"message path", [](Program& p) { p.message_parts[1].path = 9; }, "message_parts[1].path: index 9"},
      {"rule subject", [](Program& p) { p.rules[3].subject = 6; }, "rules[3].subject: index 6 out of range for predicates (size 6)"},
      {"rule effect", [](Program& p) { p.rules[0].effect = static_cast<Effect>(2); }, "rules[0].effect: value 2"},
      {"rule code string", [](Program& p) { p.rules[0].code = 100000; }, "rules[0].code: index 100000"},
      {"condition range", [](Program& p) { p.rules[4].when = {static_cast<std::uint32_t>(p.code.size()), 3}; }, "rules[4].when: range"},
      {"opcode", [](Program& p) { p.code[p.rules[0].when.begin + 2].op = static_cast<Op>(40); },
       "rules[0].when[2]: unknown opcode 40"},
      {"compare operator", [](Program& p) { p.code[p.rules[0].when.begin + 2].a = 6; }, "rules[0].when[2]: value 6 out of range"},
      {"load path", [](Program& p) { p.code[p.rules[0].when.begin].arg = 7; }, "rules[0].when[0]: index 7 out of range for paths"},
      {"jump target", [](Program& p) { p.code[p.rules[1].unless.begin + 2].arg = 3; }, "rules[1].unless[2]: jumps outside its program"},
      {"stack underflow", [](Program& p) { p.code[p.rules[0].when.begin + 1].op = Op::Not; },
       "rules[0].when[2]: pops an empty stack"},
      {"unbalanced stack at a jump target", [](Program& p) { p.code[p.rules[1].unless.begin + 2].arg = 0; },
       "rules[1].unless[3]: reached with stack depths 1 and 0"},
      {"program result", [](Program& p) { p.code[p.rules[0].when.begin + 2].op = Op::Predicate; },
       "rules[0].when: program leaves 3 values instead of 1"},
      {"cidr operand", [](Program& p) { p.code[p.rules[2].when.begin + 4].arg = 2; },
       "rules[2].when[4]: refers to a constant of the wrong kind"},
      {"in-list range", [](Program& p) { p.code[p.rules[1].unless.begin + 1].b = 9; }, "rules[1].unless[1]: range [1, +9)"},
      {"declared stack depth", [](Program& p) { p.rules[3].stack_depth = 1; }, "rules[3].stack_depth: is 1 but the conditions need 2"},
      // What every reader relies on beyond indices (docs/reliability.md).
      {"string id of a constant that is not a string", [](Program& p) { p.constants[5].string = 100000; },
       "constants[5].string: index 100000 out of range for strings"},
      {"`member of` without a path", [](Program& p) { p.predicates[4].path = kNone; },
       "predicates[4].path: index 4294967295 out of range for paths"},
      {"deny without a code", [](Program& p) { p.rules[0].code = kNone; }, "rules[0].code: index 4294967295 out of range for strings"},
      {"id name of an endpoint without an id", [](Program& p) { p.endpoints[2].id_name = 100000; },
       "endpoints[2].id_name: index 100000 out of range for strings"},
      {"resource type of an endpoint without an action", [](Program& p) { p.endpoints[2].resource_type = 7; },
       "endpoints[2].resource_type: index 7 out of range for resources"},
      {"path of a literal message part", [](Program& p) { p.message_parts[0].path = 50; }, "message_parts[0].path: index 50 out of range for paths"},
      {"first step on another kind than the root", [](Program& p) { p.path_steps[6].kind = EntityKind::Resource; p.path_steps[6].type = 0; },
       "paths[5].first[0]: step is not on the path's root"},
      {"step not following the reference before it", [](Program& p) { p.path_steps[2].type = 1; },
       "paths[0].rest[0]: step does not follow an attribute referring to its type"},
      {"reference step into the context", [](Program& p) { p.path_steps[2].kind = EntityKind::Context; },
       "paths[0].rest[0]: a reference never leads to the context"},
      {"built-in attribute of another type", [](Program& p) { p.attributes[1].type = ValueType::Enum; p.attributes[1].type_arg = 0; },
       "principals[0].attributes: built-in slot 1 has type 5 instead of 0"},
      {"built-in flag beyond the built-in slots", [](Program& p) { p.attributes[2].builtin = 1; },
       "principals[0].attributes: slot 2 is marked built-in"},
      {"routing node with two parents", [](Program& p) { p.route_nodes[0].param_child = 4; },
       "route_nodes[3].param_child: node 4 is reached from two places"},
      {"two rules sharing a condition", [](Program& p) { p.rules[3].when = p.rules[2].when; },
       "rules[3].when: shares elements of code with rules[2].when"},
      {"two types sharing attributes", [](Program& p) { p.principals[1].attributes = p.principals[0].attributes; },
       "principals[1].attributes: shares elements of attributes with principals[0].attributes"},
      {"two instructions sharing constants", [](Program& p) { p.code[p.rules[3].when.begin + 1].arg = 0; },
       "rules[3].when[1]: shares elements of constants with rules[0].when[1]"},
      {"time constant beyond year 9999", [](Program& p) { p.constants[6].number = 253402300800 + 2 * 86400; },
       "constants[6].number: time 253402473600 is outside the years 0000 to 9999"},
      {"two rules of one name", [](Program& p) { p.rules[4].name = p.rules[1].name; },
       "rules[4].name: `viewers` is also the name of rules[1].name"},
      {"a resource type named like a principal type", [](Program& p) { p.resources[0].name = p.principals[1].name; },
       "resources[0].name: `user` is also the name of principals[1].name"},
      {"an action twice on one type", [](Program& p) { p.action_names[2] = p.action_names[0]; },
       "resources[0].actions[2]: `read` is also the name of resources[0].actions[0]"},
      {"cidr constant that is not an ip", [](Program& p) { p.constants[3].type = ValueType::String; p.constants[3].string = 0; },
       "constants[3].type: a cidr constant is not an ip"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    Program p = test::sample_program();
    c.damage(p);
    const std::string message = refusal(p);
    INFO(message);
    CHECK(message.rfind(c.message, 0) == 0);
  }
}
