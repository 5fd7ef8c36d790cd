// Pass 5: resolve_rules — resolve each rule's head and clauses.
//
// Must run after close_hierarchies (`member of` needs the membership closure,
// `grant` needs grantees and level maps). Resolves the resource types (E0203)
// and actions (E0204 when no type declares the action, E0310 when a listed
// type lacks it; with `on *` an action must exist on at least one type) into
// the rule's targets, then the subject (via State::resolve_predicate), the
// denial code (E0318 unless UPPER_SNAKE_CASE), `monitor` and `cross_tenant`
// (W0403 without tenant isolation). Conditions and the message are
// check_types'.
#include <algorithm>
#include <cctype>

#include "compiler/passes/pass.hpp"

namespace warden::compiler::passes {
namespace {

bool is_upper_snake(std::string_view s) {
  if (s.empty() || !(s[0] >= 'A' && s[0] <= 'Z')) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '_') {
      if (i + 1 == s.size() || s[i + 1] == '_') return false;
    } else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
      return false;
    }
  }
  return true;
}

// `orgSuspended` / `org-suspended` -> `ORG_SUSPENDED`.
std::string to_upper_snake(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (std::isalnum(c)) {
      if (std::isupper(c) && i > 0 && std::islower(static_cast<unsigned char>(s[i - 1])) && !out.empty()) out += '_';
      out += static_cast<char>(std::toupper(c));
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (!out.empty() && !(out[0] >= 'A' && out[0] <= 'Z')) out.insert(0, "E_");
  return out;
}

void resolve_targets(State& s, const ast::Rule& src, Rule& rule, RuleTypes& types) {
  CheckedPolicy& m = s.model;
  rule.all_types = src.types.all;
  rule.all_actions = src.actions.all;
  types.all = src.types.all;
  types.known = true;

  // The listed types (or every type), with where each was named.
  std::vector<std::pair<Id, Span>> listed;
  if (src.types.all) {
    for (Id t = 0; t < m.resources.size(); ++t) listed.emplace_back(t, src.types.span);
  } else {
    for (const auto& name : src.types.names) {
      auto it = s.resources.find(name.text);
      if (it == s.resources.end()) {
        if (s.principals.count(name.text)) {
          s.report(Code::E0203, name.span, quoted(name.text) + " is a principal type, not a resource type");
        } else {
          s.report_unknown(Code::E0203, name.span, "unknown resource type " + quoted(name.text), name.text,
                           keys(s.resources));
        }
        types.known = false;
        continue;
      }
      if (std::none_of(listed.begin(), listed.end(), [&](const auto& l) { return l.first == it->second; })) {
        listed.emplace_back(it->second, name.span);
      }
    }
  }

  std::vector<RuleTarget> targets;
  for (const auto& [t, span] : listed) targets.push_back(RuleTarget{t, {}});

  if (src.actions.all) {
    for (auto& target : targets) {
      for (Id a = 0; a < m.resources[target.resource_type].actions.size(); ++a) target.actions.push_back(a);
    }
  } else {
    for (const auto& action : src.actions.names) {
      bool found_somewhere = false;
      std::vector<std::size_t> lacking;
      for (std::size_t i = 0; i < targets.size(); ++i) {
        const NameIndex& actions = s.actions_of[targets[i].resource_type];
        if (auto it = actions.find(action.text); it != actions.end()) {
          found_somewhere = true;
          auto& list = targets[i].actions;
          if (std::find(list.begin(), list.end(), it->second) == list.end()) list.push_back(it->second);
        } else {
          lacking.push_back(i);
        }
      }
      if (!found_somewhere && (src.types.all || s.action_names.count(action.text) == 0)) {
        // Declared on no type of the rule (with `*`) or on no type at all.
        std::vector<std::string_view> candidates;
        for (const auto& target : targets) {
          for (auto k : keys(s.actions_of[target.resource_type])) candidates.push_back(k);
        }
        if (candidates.empty()) candidates = keys(s.action_names);
        s.report_unknown(Code::E0204, action.span, "unknown action " + quoted(action.text), action.text, candidates);
        continue;
      }
      if (src.types.all) continue;  // present on at least one type: enough
      for (std::size_t i : lacking) {
        const Id t = targets[i].resource_type;
        Diagnostic& d = s.report_unknown(Code::E0310, action.span,
                                         "action " + quoted(action.text) + " is not declared on resource type " +
                                             quoted(m.str(m.resources[t].name)),
                                         action.text, keys(s.actions_of[t]));
        d.labels.push_back({listed[i].second, "resource type named here"});
      }
    }
  }

  for (auto& target : targets) {
    std::sort(target.actions.begin(), target.actions.end());
    // With `on *`, a type is covered only when it has one of the actions.
    if (src.types.all && target.actions.empty()) continue;
    types.types.push_back(target.resource_type);
    rule.targets.push_back(std::move(target));
  }
  std::sort(types.types.begin(), types.types.end());
}

}  // namespace

void resolve_rule_head(State& s, const ast::Rule& src, Rule& rule, const RuleTypes& types) {
  CheckedPolicy& m = s.model;
  if (auto subject = s.resolve_predicate(src.subject, rule, src, types)) {
    rule.subject = *subject;
  } else {
    rule.subject.kind = static_cast<Predicate::Kind>(src.subject.kind);
    rule.subject.span = src.subject.span;
  }

  rule.code = m.strings.intern("PERMISSION_DENIED");
  if (src.code) {
    rule.code = m.strings.intern(src.code->text);
    rule.code_span = src.code->span;
    if (!is_upper_snake(src.code->text)) {
      Diagnostic& d = s.report(Code::E0318, src.code->span,
                               "denial code " + quoted(src.code->text) + " is not UPPER_SNAKE_CASE");
      const std::string fixed = to_upper_snake(src.code->text);
      if (!fixed.empty() && is_upper_snake(fixed)) d.notes.push_back("help: did you mean " + quoted(fixed) + "?");
    }
  }

  if (src.monitor_span) {
    rule.monitor = true;
    rule.monitor_span = *src.monitor_span;
  }
  if (src.cross_tenant_span) {
    rule.cross_tenant = true;
    rule.cross_tenant_span = *src.cross_tenant_span;
    if (!m.tenancy.isolation) {
      Diagnostic& d = s.report(Code::W0403, *src.cross_tenant_span,
                               m.tenancy.declared ? "`cross_tenant` has no effect: tenant isolation is off"
                                                  : "`cross_tenant` has no effect: no `tenancy` block turns tenant "
                                                    "isolation on");
      if (m.tenancy.declared && s.ast.tenancies[0].isolation) {
        d.labels.push_back({s.ast.tenancies[0].isolation_span, "isolation is turned off here"});
      }
    }
  }
}

void resolve_rules(State& s) {
  CheckedPolicy& m = s.model;
  s.rule_types.assign(s.ast.rules.size(), RuleTypes{});
  for (std::size_t i = 0; i < s.ast.rules.size(); ++i) {
    const ast::Rule& src = s.ast.rules[i];
    Rule& rule = m.rules[i];
    RuleTypes& types = s.rule_types[i];
    resolve_targets(s, src, rule, types);

    resolve_rule_head(s, src, rule, types);
  }
}

}  // namespace warden::compiler::passes
