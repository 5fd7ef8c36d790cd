// The access diff: policy-wide settings, endpoints, rules and evaluation
// order (see access_diff.hpp). Declarations and access cells live in
// access_diff_declarations.cpp and access_diff_cells.cpp, rendering in
// access_diff_render.cpp.
#include "diff/access_diff.hpp"

#include <algorithm>
#include <iterator>
#include <map>

#include "diff/access_diff_meaning.hpp"
#include "views/render.hpp"

namespace warden::diff {
namespace {

using table::Program;
using meaning::Target;

std::string ticked(const std::string& s) { return "`" + s + "`"; }

void field(std::vector<FieldChange>& out, const char* name, const std::string& before, const std::string& after) {
  if (before != after) out.push_back({name, before, after});
}

// --- policy-wide ------------------------------------------------------------

std::string tenant_sources(const Program& p) {
  std::vector<std::string> out;
  for (std::uint32_t i = 0; i < p.tenancy.sources.count; ++i) {
    const table::TenantSourceRow& s = p.tenant_sources[p.tenancy.sources.begin + i];
    out.push_back(s.kind == table::TenantSourceRow::Kind::Header ? "header " + views::string_literal(p.str(s.header))
                                                                : std::string("principal"));
  }
  return out.empty() ? "(none)" : meaning::join(out);
}

void diff_policy(const Program& a, const Program& b, AccessDiff& out) {
  auto add = [&](const char* name, const std::string& x, const std::string& y) {
    if (x != y) out.policy.push_back({name, x, y});
  };
  add("name", a.str(a.name), b.str(b.name));
  add("mode", views::mode_name(a.mode), views::mode_name(b.mode));
  add("tenant isolation", a.tenancy.isolation ? "on" : "off", b.tenancy.isolation ? "on" : "off");
  add("tenant sources", tenant_sources(a), tenant_sources(b));
  add("default tenant", a.str(a.tenancy.default_tenant), b.str(b.tenancy.default_tenant));
  // Path normalization and the client address change how every HTTP request
  // is routed and what `context.client_ip` is.
  add("http", views::http_text(a), views::http_text(b));
}

// --- endpoints ---------------------------------------------------------------

using EndpointKey = std::pair<std::string, std::size_t>;  // (pattern, method index)

std::map<EndpointKey, table::Id> endpoints_by_key(const Program& p) {
  std::map<EndpointKey, table::Id> out;
  for (table::Id i = 0; i < p.endpoints.size(); ++i) {
    for (std::size_t m = 0; m < table::kMethodCount; ++m) {
      if (p.endpoints[i].methods >> m & 1u) out[{p.str(p.endpoints[i].pattern), m}] = i;
    }
  }
  return out;
}

// Would a key holding just `scope` (kNone: a request without a key) pass the
// endpoint's scope check?
bool passes(const Program& p, const table::EndpointRow& e, table::Id scope) {
  if (e.is_public) return true;
  auto held = [&](table::Id s) { return scope != table::kNone && table::test_bit(p, p.scopes[scope].closure, s); };
  for (const table::Id s : views::bit_members(p, e.all_of)) {
    if (!held(s)) return false;
  }
  for (std::uint32_t g = 0; g < e.any_of.count; ++g) {
    const auto group = views::bit_members(p, p.bit_refs[e.any_of.begin + g]);
    if (std::none_of(group.begin(), group.end(), held)) return false;
  }
  return true;
}

// The callers that pass the endpoint's own checks: "anyone (public)", or
// the kinds of callers without a key it admits (scopes bind keys only), and
// every key or each declared scope whose key passes.
std::vector<std::string> passing(const Program& p, const table::EndpointRow* e, const std::vector<std::string>& scopes) {
  std::vector<std::string> out;
  if (!e) return out;
  if (e->is_public) return {"anyone (public)"};
  if (e->callers & table::kCallerAnonymous) out.push_back("anonymous callers");
  if (e->callers & table::kCallerSession) out.push_back("sessions");
  if (!(e->callers & table::kCallerKey)) return out;
  if (passes(p, *e, table::kNone)) {
    out.push_back("every API key (no scope required)");
    return out;
  }
  for (const auto& name : scopes) {
    table::Id id = table::kNone;
    for (table::Id s = 0; s < p.scopes.size(); ++s) {
      if (p.str(p.scopes[s].name) == name) id = s;
    }
    if (id != table::kNone && passes(p, *e, id)) out.push_back("keys with scope " + ticked(name));
  }
  return out;
}

std::string action_text(const Program& p, const table::EndpointRow& e) {
  if (!e.has_action) return "(none)";
  return meaning::action_name(p, e.resource_type, e.action) + " on " + meaning::type_name(p, e.resource_type);
}

// The required scopes whose implying scopes differ, each with them.
void implied_requirements(const Program& a, const table::EndpointRow& ea, const Program& b, const table::EndpointRow& eb,
                          std::vector<FieldChange>& out) {
  auto x = meaning::requirement_holders(a, ea), y = meaning::requirement_holders(b, eb);
  std::vector<std::string> before, after;
  std::set_difference(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(before));
  std::set_difference(y.begin(), y.end(), x.begin(), x.end(), std::back_inserter(after));
  out.push_back({"implied by", meaning::join(before, "; "), meaning::join(after, "; ")});
}

void diff_endpoints(const PolicyVersion& before, const PolicyVersion& after, AccessDiff& out) {
  const Program &a = *before.program, &b = *after.program;
  const auto ka = endpoints_by_key(a), kb = endpoints_by_key(b);
  std::set<std::string> scope_set;
  for (const auto& s : a.scopes) scope_set.insert(a.str(s.name));
  for (const auto& s : b.scopes) scope_set.insert(b.str(s.name));
  const std::vector<std::string> scopes(scope_set.begin(), scope_set.end());
  std::set<EndpointKey> keys;
  for (const auto& [k, id] : ka) keys.insert(k);
  for (const auto& [k, id] : kb) keys.insert(k);

  std::vector<EndpointChange> changes;
  for (const auto& key : keys) {
    const auto ia = ka.find(key), ib = kb.find(key);
    const table::EndpointRow* ea = ia == ka.end() ? nullptr : &a.endpoints[ia->second];
    const table::EndpointRow* eb = ib == kb.end() ? nullptr : &b.endpoints[ib->second];
    EndpointChange c;
    c.method = views::method_name(static_cast<table::Method>(key.second));
    c.pattern = key.first;
    if (ea) c.location_before = source_location(before, ea->loc);
    if (eb) c.location_after = source_location(after, eb->loc);
    if (ea && eb) {
      if (meaning::endpoint_meaning(a, *ea) == meaning::endpoint_meaning(b, *eb)) continue;
      field(c.fields, "public", ea->is_public ? "yes" : "no", eb->is_public ? "yes" : "no");
      field(c.fields, "requires", views::requirements_text(a, *ea), views::requirements_text(b, *eb));
      field(c.fields, "action", action_text(a, *ea), action_text(b, *eb));
      field(c.fields, "resource id", views::id_source_text(a, *ea), views::id_source_text(b, *eb));
      field(c.fields, "binds", meaning::join(views::bindings_text(a, *ea), "; "), meaning::join(views::bindings_text(b, *eb), "; "));
      field(c.fields, "callers", views::callers_text(ea->callers), views::callers_text(eb->callers));
      field(c.fields, "denies", meaning::join(meaning::endpoint_denies(a, *ea)), meaning::join(meaning::endpoint_denies(b, *eb)));
      if (c.fields.empty() && ea->denies.count) {
        // Same names, another meaning: a deny changed (listed among the rules).
        const std::string names = meaning::join(meaning::endpoint_denies(b, *eb));
        const auto requirements = meaning::requirement_holders(a, *ea) != meaning::requirement_holders(b, *eb);
        if (!requirements) c.fields.push_back({"denies", names, names + " (changed; see the rules)"});
      }
      if (c.fields.empty()) implied_requirements(a, *ea, b, *eb, c.fields);
    } else {
      c.change = ea ? ChangeKind::Removed : ChangeKind::Added;
      const Program& p = ea ? a : b;
      const table::EndpointRow& e = ea ? *ea : *eb;
      c.fields.push_back({"requires", ea ? views::requirements_text(p, e) : "", eb ? views::requirements_text(p, e) : ""});
      c.fields.push_back({"action", ea ? action_text(p, e) : "", eb ? action_text(p, e) : ""});
    }
    const auto pa = passing(a, ea, scopes), pb = passing(b, eb, scopes);
    for (const auto& h : pb) {
      if (std::find(pa.begin(), pa.end(), h) == pa.end()) c.gains.push_back(h);
    }
    for (const auto& h : pa) {
      if (std::find(pb.begin(), pb.end(), h) == pb.end()) c.loses.push_back(h);
    }
    // One entry for the methods of one pattern that change alike.
    if (!changes.empty()) {
      EndpointChange& last = changes.back();
      const bool same = last.pattern == c.pattern && last.change == c.change && last.gains == c.gains &&
                        last.loses == c.loses && last.location_before == c.location_before &&
                        last.location_after == c.location_after &&
                        std::equal(last.fields.begin(), last.fields.end(), c.fields.begin(), c.fields.end(),
                                   [](const FieldChange& x, const FieldChange& y) {
                                     return x.field == y.field && x.before == y.before && x.after == y.after;
                                   });
      if (same) {
        last.method += ", " + c.method;
        continue;
      }
    }
    changes.push_back(std::move(c));
  }
  out.endpoints = std::move(changes);
}

// --- rules ---------------------------------------------------------------------

std::map<std::string, table::Id> rules_by_name(const Program& p) {
  std::map<std::string, table::Id> out;
  for (table::Id i = 0; i < p.rules.size(); ++i) out[p.str(p.rules[i].name)] = i;
  return out;
}

std::string names_of(const std::set<Target>& targets, bool types) {
  std::set<std::string> names;
  for (const auto& [type, action] : targets) names.insert(types ? type : action);
  return meaning::join(std::vector<std::string>(names.begin(), names.end()));
}

std::string targets_text(const std::set<Target>& targets) {
  std::vector<std::string> out;
  for (const auto& [type, action] : targets) out.push_back(action + " on " + type);
  return meaning::join(out);
}

void rule_fields(const Program& a, table::Id ia, const std::set<Target>& ta, const Program& b, table::Id ib,
                 const std::set<Target>& tb, bool compare_monitor, RuleChange& c) {
  const table::RuleRow &ra = a.rules[ia], &rb = b.rules[ib];
  field(c.fields, "effect", views::effect_name(ra.effect), views::effect_name(rb.effect));
  field(c.fields, "subject", views::predicate_text(a, a.predicates[ra.subject]), views::predicate_text(b, b.predicates[rb.subject]));
  field(c.fields, "actions", names_of(ta, false), names_of(tb, false));
  field(c.fields, "types", names_of(ta, true), names_of(tb, true));
  if (names_of(ta, false) == names_of(tb, false) && names_of(ta, true) == names_of(tb, true)) {
    field(c.fields, "targets", targets_text(ta), targets_text(tb));
  }
  field(c.fields, "when", views::condition_text(a, ra.when), views::condition_text(b, rb.when));
  field(c.fields, "unless", views::condition_text(a, ra.unless), views::condition_text(b, rb.unless));
  if (ra.effect == table::Effect::Deny || rb.effect == table::Effect::Deny) field(c.fields, "code", a.str(ra.code), b.str(rb.code));
  field(c.fields, "message", views::message_text(a, ra.message), views::message_text(b, rb.message));
  if (compare_monitor) field(c.fields, "monitor", ra.monitor ? "yes" : "no", rb.monitor ? "yes" : "no");
  field(c.fields, "cross_tenant", ra.cross_tenant ? "yes" : "no", rb.cross_tenant ? "yes" : "no");
  if (c.fields.empty()) {
    // Same text, different meaning: a declaration it depends on changed.
    const auto ma = meaning::rule_meaning(a, ia, ta, compare_monitor), mb = meaning::rule_meaning(b, ib, tb, compare_monitor);
    const char* why = "reads a changed declaration (see declarations)";
    if (ma.subject != mb.subject) {
      if (c.holders_before != c.holders_after) c.fields.push_back({"subject applies to", c.holders_before, c.holders_after});
      else c.fields.push_back({"subject meaning", "", why});
    }
    if (ma.when != mb.when) c.fields.push_back({"when meaning", "", why});
    if (ma.unless != mb.unless) c.fields.push_back({"unless meaning", "", why});
    if (c.fields.empty()) c.fields.push_back({"meaning", "", why});
  }
}

void diff_rules(const PolicyVersion& before, const PolicyVersion& after, AccessDiff& out) {
  const Program &a = *before.program, &b = *after.program;
  const auto ta = meaning::rule_targets(a), tb = meaning::rule_targets(b);
  const auto na = rules_by_name(a), nb = rules_by_name(b);
  const bool compare_monitor = a.mode == b.mode;  // a mode change is reported once, policy-wide
  auto affect = [&](const std::set<Target>& targets) { out.affected.insert(targets.begin(), targets.end()); };

  for (table::Id ib = 0; ib < b.rules.size(); ++ib) {
    const table::RuleRow& rb = b.rules[ib];
    RuleChange c;
    c.name = b.str(rb.name);
    c.effect = views::effect_name(rb.effect);
    c.location_after = source_location(after, rb.loc);
    c.holders_after = meaning::holders_text(b, b.predicates[rb.subject]);
    const auto found = na.find(c.name);
    if (found == na.end()) {
      c.change = ChangeKind::Added;
      affect(tb[ib]);
      out.rules.push_back(std::move(c));
      continue;
    }
    const table::Id ia = found->second;
    if (meaning::rule_meaning(a, ia, ta[ia], compare_monitor) == meaning::rule_meaning(b, ib, tb[ib], compare_monitor) &&
        views::message_text(a, a.rules[ia].message) == views::message_text(b, rb.message)) {
      continue;
    }
    c.location_before = source_location(before, a.rules[ia].loc);
    c.holders_before = meaning::holders_text(a, a.predicates[a.rules[ia].subject]);
    rule_fields(a, ia, ta[ia], b, ib, tb[ib], compare_monitor, c);
    const bool message_only = c.fields.size() == 1 && c.fields[0].field == "message";
    if (!message_only) {
      affect(ta[ia]);
      affect(tb[ib]);
    }
    out.rules.push_back(std::move(c));
  }
  for (table::Id ia = 0; ia < a.rules.size(); ++ia) {
    const table::RuleRow& ra = a.rules[ia];
    if (nb.count(a.str(ra.name))) continue;
    RuleChange c;
    c.name = a.str(ra.name);
    c.change = ChangeKind::Removed;
    c.effect = views::effect_name(ra.effect);
    c.location_before = source_location(before, ra.loc);
    c.holders_before = meaning::holders_text(a, a.predicates[ra.subject]);
    affect(ta[ia]);
    out.rules.push_back(std::move(c));
  }
}

// --- evaluation order of denies ------------------------------------------------------

std::vector<std::string> deny_order(const Program& p, table::Id type, table::Id action) {
  std::vector<std::string> out;
  const table::Range list = p.rule_lists[p.resources[type].rule_lists + action];
  for (std::uint32_t i = 0; i < list.count; ++i) {
    const table::RuleRow& r = p.rules[p.rule_ids[list.begin + i]];
    if (r.effect == table::Effect::Deny) out.push_back(p.str(r.name));
  }
  return out;
}

void diff_order(const Program& a, const Program& b, AccessDiff& out) {
  for (table::Id tb = 0; tb < b.resources.size(); ++tb) {
    const std::string type = meaning::type_name(b, tb);
    table::Id ta = table::kNone;
    for (table::Id t = 0; t < a.resources.size(); ++t) {
      if (meaning::type_name(a, t) == type) ta = t;
    }
    if (ta == table::kNone) continue;
    for (table::Id xb = 0; xb < b.resources[tb].actions.count; ++xb) {
      const std::string action = meaning::action_name(b, tb, xb);
      for (table::Id xa = 0; xa < a.resources[ta].actions.count; ++xa) {
        if (meaning::action_name(a, ta, xa) != action) continue;
        auto da = deny_order(a, ta, xa), db = deny_order(b, tb, xb);
        auto common = [](std::vector<std::string> v, const std::vector<std::string>& other) {
          std::erase_if(v, [&](const std::string& n) { return std::find(other.begin(), other.end(), n) == other.end(); });
          return v;
        };
        if (common(da, db) != common(db, da)) {
          out.order.push_back({type, action, da, db});
          out.affected.insert({type, action});
        }
      }
    }
  }
}

}  // namespace

const char* change_kind_name(ChangeKind k) {
  switch (k) {
    case ChangeKind::Added: return "added";
    case ChangeKind::Removed: return "removed";
    case ChangeKind::Changed: return "changed";
  }
  return "changed";
}

std::string source_location(const PolicyVersion& version, const table::Loc& loc) {
  return views::source_location(*version.program, version.location, loc);
}

AccessDiff diff_policies(const PolicyVersion& before, const PolicyVersion& after) {
  AccessDiff out;
  out.old_path = before.path;
  out.new_path = after.path;
  diff_policy(*before.program, *after.program, out);
  diff_declarations(before, after, out);
  diff_endpoints(before, after, out);
  diff_rules(before, after, out);
  diff_cells(before, after, out);
  diff_order(*before.program, *after.program, out);
  return out;
}

}  // namespace warden::diff
