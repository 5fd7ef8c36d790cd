// Pass 7: check_rules — rules that can never apply.
//
// Must run after resolve_rules (targets and subjects are resolved). W0402 for
// an allow rule every (resource type, action) cell of which is also covered
// by deny rules that always apply: no `when`/`unless`, subject `anyone`, not
// in monitor mode (and the policy not in monitor mode, where no deny takes
// effect). Deny overrides, so such an allow can never decide anything. The
// warning labels each deny that contributes.
#include <algorithm>

#include "compiler/passes/pass.hpp"

namespace warden::compiler::passes {

void check_rules(State& s) {
  CheckedPolicy& m = s.model;
  if (m.mode == Mode::Monitor) return;

  // Per resource type and action: the first unconditional deny covering it.
  std::vector<std::vector<Id>> denied(m.resources.size());
  for (std::size_t t = 0; t < m.resources.size(); ++t) denied[t].assign(m.resources[t].actions.size(), kNone);
  bool any_deny = false;
  // Only the top-level rules: an endpoint's deny covers no (type, action).
  for (Id r = 0; r < s.ast.rules.size(); ++r) {
    const Rule& rule = m.rules[r];
    const ast::Rule& src = s.ast.rules[r];
    if (rule.effect != Effect::Deny || rule.monitor || src.when || src.unless) continue;
    if (src.subject.kind != ast::Predicate::Kind::Anyone) continue;
    for (const auto& target : rule.targets) {
      for (Id a : target.actions) {
        Id& slot = denied[target.resource_type][a];
        if (slot == kNone) slot = r;
        any_deny = true;
      }
    }
  }
  if (!any_deny) return;

  for (Id r = 0; r < m.rules.size(); ++r) {
    const Rule& rule = m.rules[r];
    if (rule.effect != Effect::Allow || rule.targets.empty()) continue;
    std::vector<Id> by;
    bool covered = true;
    for (const auto& target : rule.targets) {
      for (Id a : target.actions) {
        const Id deny = denied[target.resource_type][a];
        if (deny == kNone) {
          covered = false;
          break;
        }
        if (std::find(by.begin(), by.end(), deny) == by.end()) by.push_back(deny);
      }
      if (!covered) break;
    }
    if (!covered || by.empty()) continue;
    std::sort(by.begin(), by.end());
    Diagnostic& d = s.report(Code::W0402, rule.name_span,
                             "rule " + quoted(m.str(rule.name)) +
                                 " can never apply: every action it allows is denied unconditionally");
    for (Id deny : by) {
      d.labels.push_back({m.rules[deny].name_span, "denied by " + quoted(m.str(m.rules[deny].name)) + " here"});
    }
    d.notes.push_back("note: deny overrides allow; a deny for `anyone` without `when` or `unless` always applies");
  }
}

}  // namespace warden::compiler::passes
