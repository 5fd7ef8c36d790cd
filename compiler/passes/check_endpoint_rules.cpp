// Pass: check_endpoint_rules — the `deny` items of endpoints and groups.
//
// Must run after check_endpoints (the endpoints' actions and groups) and
// check_types (it reuses the rule checks). An endpoint's deny is a rule
// without `to … on …`: its `resource` is the resource the endpoint names,
// and a group's deny applies to every endpoint of the group, so `resource`
// stands for their resource types together (each must declare an attribute
// the deny reads, E0206). Where an endpoint names no action there is no
// resource: `resource.…`, `request.resource.…` and a bare `grant` are E0321.
// The subject, code, `monitor`, conditions and message are checked as a
// rule's are. Finally every endpoint gets its denies in evaluation order:
// its group's, then its own, each in source order.
#include <algorithm>

#include "compiler/passes/pass.hpp"

namespace warden::compiler::passes {
namespace {

std::string endpoint_phrase(const CheckedPolicy& m, const Endpoint& e) { return quoted(endpoint_text(m, e)); }

// What `resource` stands for in a deny of endpoint `ei` or of group `gi`.
RuleTypes deny_types(const State& s, Id ei, Id gi) {
  const CheckedPolicy& m = s.model;
  RuleTypes types;
  types.known = true;
  bool seen = false;
  for (Id i = 0; i < m.endpoints.size(); ++i) {
    const Endpoint& e = m.endpoints[i];
    if (ei != kNone ? i != ei : e.group != gi) continue;
    seen = true;
    if (!e.action) {
      if (types.no_resource.empty()) {
        types.no_resource = "endpoint " + endpoint_phrase(m, e) + " names no action, so it has no resource";
        types.no_resource_at = e.pattern_span;
      }
      continue;
    }
    if (e.action->resource_type == kNone) {
      types.known = false;  // reported when the endpoint was checked
      continue;
    }
    types.types.push_back(e.action->resource_type);
  }
  if (!seen && gi != kNone) {
    types.no_resource = "group " + quoted(m.str(m.groups[gi].name)) + " has no endpoint";
    types.no_resource_at = m.groups[gi].span;
  }
  std::sort(types.types.begin(), types.types.end());
  types.types.erase(std::unique(types.types.begin(), types.types.end()), types.types.end());
  return types;
}

}  // namespace

void check_endpoint_rules(State& s) {
  CheckedPolicy& m = s.model;
  const std::size_t first = s.ast.rules.size();
  for (std::size_t i = 0; i < s.endpoint_rules.size(); ++i) {
    Rule& rule = m.rules[first + i];
    const RuleTypes types = deny_types(s, rule.endpoint, rule.group);
    resolve_rule_head(s, *s.endpoint_rules[i], rule, types);
    check_rule_types(s, *s.endpoint_rules[i], rule, types);
    s.rule_types.push_back(types);
  }
  for (Id ei = 0; ei < m.endpoints.size(); ++ei) {
    Endpoint& e = m.endpoints[ei];
    for (std::size_t r = first; r < m.rules.size(); ++r) {
      if (e.group != kNone && m.rules[r].group == e.group) e.denies.push_back(static_cast<Id>(r));
    }
    for (std::size_t r = first; r < m.rules.size(); ++r) {
      if (m.rules[r].endpoint == ei) e.denies.push_back(static_cast<Id>(r));
    }
  }
}

}  // namespace warden::compiler::passes
