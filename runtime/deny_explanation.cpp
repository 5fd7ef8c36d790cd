// What a deny says was required and what the principal actually holds.
//
// Written only when a decision denies, never on an allow and never while
// listing (a listing reads outcomes only), so it may walk the facts as far
// as telling the truth takes: the allow rules of the action with their role
// scopes and grant levels resolved against this request, the roles held
// with the entity each is held in, the key's scopes, and every grant on the
// resource that reaches the principal with why it does not count (revoked,
// expired, below the level needed, a level the policy does not declare,
// shadowed by a grant on the resource itself, another tenant).
#include "runtime/evaluation.hpp"

namespace warden::runtime {
// The entity a rule's path names for this request ("organization `acme`"),
// else the path itself ("`resource.org`").
template <std::size_t N>
void Evaluation::append_path_entity(FixedString<N>& out, table::Id path) {
  EntityRef target;
  Ident id;
  NameId type = kNoId;
  const bool saw_error = saw_eval_error;
  if (entity_at(path, target, id, type) && !id.none()) {
    out.append(type == kNoId ? std::string_view("entity") : facts.store().type_name(type));
    out.append(" ");
    append_quoted(out, facts.text(id));
  } else {
    append_quoted(out, p.strings[p.paths[path].text]);
  }
  saw_eval_error = saw_error;  // describing is not evaluating
}

table::Id Evaluation::lowest_level_for(table::Id type, table::Id act) const {
  const table::ResourceTypeRow& rt = p.resources[type];
  for (table::Id level = 0; level < rt.level_actions.count; ++level) {
    if (table::test_bit(p, p.bit_refs[rt.level_actions.begin + level], act)) return level;
  }
  return table::kNone;
}

// The level a grant on the resource itself needs for the action to be
// allowed by a grant rule of the list (the lowest such), or kNone when no
// rule of the list asks for a grant on the resource.
table::Id Evaluation::level_needed(table::Id type, table::Id act, bool& asks_for_grant) const {
  asks_for_grant = false;
  table::Id needed = table::kNone;
  const table::Range list = p.rule_lists[p.resources[type].rule_lists + act];
  for (std::uint32_t i = 0; i < list.count; ++i) {
    const table::RuleRow& rule = p.rules[p.rule_ids[list.begin + i]];
    if (rule.effect != table::Effect::Allow) continue;
    const table::PredicateRow& pred = p.predicates[rule.subject];
    if (pred.kind != table::SubjectKind::Grant || pred.path != table::kNone) continue;
    asks_for_grant = true;
    const table::Id level = pred.arg != table::kNone ? pred.arg : lowest_level_for(type, act);
    if (level != table::kNone && (needed == table::kNone || level < needed)) needed = level;
  }
  return needed;
}

void Evaluation::describe_required(table::Id type, table::Id act) {
  const table::Range list = p.rule_lists[p.resources[type].rule_lists + act];
  std::size_t shown = 0;
  for (std::uint32_t i = 0; i < list.count; ++i) {
    const table::RuleRow& rule = p.rules[p.rule_ids[list.begin + i]];
    if (rule.effect != table::Effect::Allow) continue;
    if (shown == 4) {
      d.required.append(", …");
      break;
    }
    if (shown++) d.required.append(" or ");
    const table::PredicateRow& pred = p.predicates[rule.subject];
    switch (pred.kind) {
      case table::SubjectKind::Anyone: d.required.append("anyone"); break;
      case table::SubjectKind::Role:
        d.required.append("role ");
        append_quoted(d.required, p.strings[p.roles[pred.arg].name]);
        if (pred.path != table::kNone) {
          d.required.append(" in ");
          append_path_entity(d.required, pred.path);
        }
        break;
      case table::SubjectKind::Scope:
        d.required.append("scope ");
        append_quoted(d.required, p.strings[p.scopes[pred.arg].name]);
        break;
      case table::SubjectKind::Grant: {
        d.required.append("a grant");
        const table::Id level = pred.arg != table::kNone ? pred.arg
                                : pred.path == table::kNone ? lowest_level_for(type, act)
                                                            : table::kNone;
        if (level != table::kNone) {
          d.required.append(" of level ");
          append_quoted(d.required, p.strings[p.levels[level].name]);
          if (level + 1 < p.levels.size()) d.required.append(" or higher");
        } else if (pred.path == table::kNone) {
          d.required.append(" (no level allows ");
          append_quoted(d.required, d.action.view());
          d.required.append(")");
        }
        d.required.append(" on ");
        if (pred.path != table::kNone) {
          append_path_entity(d.required, pred.path);
        } else {
          d.required.append(p.strings[p.resources[type].name]);
          if (!resource_id.none()) {
            d.required.append(" ");
            append_quoted(d.required, facts.text(resource_id));
          }
        }
        break;
      }
      case table::SubjectKind::Member:
        d.required.append("member of ");
        append_path_entity(d.required, pred.path);
        break;
      case table::SubjectKind::Caller:
        d.required.append(pred.arg == table::kCallerAnonymous                         ? "anonymous callers"
                          : pred.arg == table::kCallerSession                         ? "session callers"
                          : pred.arg == table::kCallerKey                             ? "API-key callers"
                          : pred.arg == (table::kCallerSession | table::kCallerKey) ? "authenticated callers"
                                                                                      : "some callers");
        break;
    }
    if (rule.when.count || rule.unless.count) d.required.append(" (with conditions)");
  }
  if (shown == 0) d.required.append("no rule allows this action");
}

void Evaluation::describe_present(bool with_grants) {
  std::size_t n = 0;
  if (principal && principal.record->role_count != 0) {
    d.present.append("roles ");
    for (const RoleHeld& r : principal.record->roles()) {
      if (n++) d.present.append(", ");
      append_quoted(d.present, facts.store().role_name(r.role));
      if (r.scope != kNoId) {
        d.present.append(" in ");
        append_entity(d.present, r.scope);
      }
    }
  }
  if (key) {
    if (n) d.present.append("; ");
    d.present.append("scopes ");
    std::size_t k = 0;
    for (const NameId s : key->scopes) {
      if (k++) d.present.append(", ");
      append_quoted(d.present, facts.store().scope_name(s));
    }
    if (k == 0) d.present.append("(none)");
    ++n;
  }
  if (with_grants && resource_type != table::kNone && action != table::kNone) {
    bool asks_for_grant = false;
    const table::Id needed = level_needed(resource_type, action, asks_for_grant);
    if (asks_for_grant) describe_grants(n, needed);
  }
  if (n == 0) d.present.append("no roles, grants or scopes");
}

// Every grant on the resource (and type-wide) that reaches the principal,
// each with its level and holder, and why it does not count when it does
// not: "grants `triage` direct (`g1`, below `write`); `write` via team
// `core` (`g7`, expired)".
void Evaluation::describe_grants(std::size_t& n, table::Id needed) {
  const auto separator = [&] {
    if (n++) d.present.append("; ");
  };
  if (principal_id.none()) return;  // nobody to hold a grant: "no roles, grants or scopes"
  if (!principal || resource_id.none()) {
    separator();
    d.present.append(principal ? "no grant (no resource named)" : "no grant (the principal is not in the facts)");
    return;
  }
  std::size_t shown = 0;
  bool tier0_active = false;
  const bool tenant_ok = tenant_matches();
  for (int tier = 0; tier < 2; ++tier) {
    const EntityRef on = tier == 0 ? resource : facts.type_wide(facts.resource_type(resource_type));
    if (!on) continue;
    FactView::grants_reaching(*on.record, principal.id, principal.record->reach(), [&](const GrantEntry& g) {
      if (shown == 0) {
        separator();
        d.present.append("grants ");
      } else {
        d.present.append(", ");
      }
      ++shown;
      const table::Id level = facts.level(g);
      append_quoted(d.present, facts.store().level_name(g.level));
      d.present.append(tier == 1 ? " type-wide" : "");
      if (g.subject == principal.id) {
        d.present.append(" direct");
      } else {
        d.present.append(" via ");
        append_entity(d.present, g.subject);
      }
      d.present.append(" (");
      append_quoted(d.present, facts.grant_id(g.grant));
      const char* why = nullptr;
      if (level == table::kNone) why = "a level the policy does not declare";
      else if (!g.active()) why = "revoked";
      else if (facts.expired(g, now)) why = "expired";
      else if (tier == 1 && tier0_active) why = "shadowed by a grant on the resource itself";
      else if (!tenant_ok) why = "another tenant";
      if (tier == 0 && why == nullptr) tier0_active = true;
      if (why) {
        d.present.append(", ");
        d.present.append(why);
      } else if (needed != table::kNone && level < needed) {
        d.present.append(", below ");
        append_quoted(d.present, p.strings[p.levels[needed].name]);
      }
      d.present.append(")");
    });
  }
  if (shown == 0) {
    separator();
    d.present.append("no grant on ");
    d.present.append(p.strings[p.resources[resource_type].name]);
    d.present.append(" ");
    append_quoted(d.present, facts.text(resource_id));
  }
}

}  // namespace warden::runtime
