// The access diff by cell: for every role, scope and grant level and every
// (resource type, action), what the rules of that kind say before and after
// (see CellChange in access_diff.hpp). Cells answer the reviewer's question
// "who gains, who loses" for the subjects a policy names; rules about
// `anyone` or membership are reported as rule changes only.
#include <map>

#include "diff/access_diff.hpp"
#include "diff/access_diff_meaning.hpp"

namespace warden::diff {
namespace {

using table::Program;

enum class HolderKind : std::uint8_t { Role, Scope, Level };

struct Holder {
  HolderKind kind;
  std::string name;
  std::string text() const {
    switch (kind) {
      case HolderKind::Role: return "role `" + name + "`";
      case HolderKind::Scope: return "scope `" + name + "`";
      case HolderKind::Level: return "grant level `" + name + "`";
    }
    return name;
  }
};

struct Cell {
  std::string status = "none";
  std::vector<RuleSite> rules;
};

table::Id find_holder(const Program& p, const Holder& h) {
  auto find = [&](const auto& rows) {
    for (table::Id i = 0; i < rows.size(); ++i) {
      if (p.str(rows[i].name) == h.name) return i;
    }
    return table::kNone;
  };
  switch (h.kind) {
    case HolderKind::Role: return find(p.roles);
    case HolderKind::Scope: return find(p.scopes);
    case HolderKind::Level: return find(p.levels);
  }
  return table::kNone;
}

bool applies(const Program& p, const Holder& h, table::Id holder, const table::PredicateRow& pred, table::Id type,
             table::Id action) {
  switch (h.kind) {
    case HolderKind::Role:
      return pred.kind == table::SubjectKind::Role && table::test_bit(p, p.roles[holder].holds, pred.arg);
    case HolderKind::Scope:
      return pred.kind == table::SubjectKind::Scope && table::test_bit(p, p.scopes[holder].closure, pred.arg);
    case HolderKind::Level: {
      if (pred.kind != table::SubjectKind::Grant) return false;
      if (pred.arg != table::kNone) return holder >= pred.arg;
      const table::ResourceTypeRow& rt = p.resources[type];
      return holder < rt.level_actions.count && table::test_bit(p, p.bit_refs[rt.level_actions.begin + holder], action);
    }
  }
  return false;
}

Cell cell(const PolicyVersion& in, const Holder& h, table::Id type, table::Id action) {
  Cell c;
  const Program& p = *in.program;
  const table::Id holder = find_holder(p, h);
  if (holder == table::kNone || type == table::kNone || action == table::kNone) return c;
  bool allow = false, allow_always = false, deny = false, deny_always = false;
  const table::Range list = p.rule_lists[p.resources[type].rule_lists + action];
  for (std::uint32_t i = 0; i < list.count; ++i) {
    const table::RuleRow& r = p.rules[p.rule_ids[list.begin + i]];
    const table::PredicateRow& pred = p.predicates[r.subject];
    if (!applies(p, h, holder, pred, type, action)) continue;
    const bool conditional = r.when.count || r.unless.count || pred.path != table::kNone;
    if (r.effect == table::Effect::Deny) {
      if (r.monitor) continue;  // never denies
      deny = true;
      deny_always = deny_always || !conditional;
    } else {
      allow = true;
      allow_always = allow_always || !conditional;
    }
    c.rules.push_back({p.str(r.name), source_location(in, r.loc)});
  }
  if (deny_always) c.status = "deny";
  else if (!allow) c.status = "none";
  else if (allow_always && !deny) c.status = "allow";
  else c.status = "conditional";
  return c;
}

// (type, action) → (type id, action id) in one program.
std::map<std::pair<std::string, std::string>, std::pair<table::Id, table::Id>> actions_of(const Program& p) {
  std::map<std::pair<std::string, std::string>, std::pair<table::Id, table::Id>> out;
  for (table::Id t = 0; t < p.resources.size(); ++t) {
    for (table::Id a = 0; a < p.resources[t].actions.count; ++a) {
      out[{meaning::type_name(p, t), meaning::action_name(p, t, a)}] = {t, a};
    }
  }
  return out;
}

std::vector<Holder> holders(const Program& a, const Program& b) {
  std::vector<Holder> out;
  auto add = [&](HolderKind kind, const std::string& name) {
    for (const auto& h : out) {
      if (h.kind == kind && h.name == name) return;
    }
    out.push_back({kind, name});
  };
  for (const Program* p : {&a, &b}) {
    for (const auto& r : p->roles) add(HolderKind::Role, p->str(r.name));
  }
  for (const Program* p : {&a, &b}) {
    for (const auto& s : p->scopes) add(HolderKind::Scope, p->str(s.name));
  }
  for (const Program* p : {&a, &b}) {
    for (const auto& l : p->levels) add(HolderKind::Level, p->str(l.name));
  }
  return out;
}

}  // namespace

void diff_cells(const PolicyVersion& before, const PolicyVersion& after, AccessDiff& out) {
  const auto xa = actions_of(*before.program), xb = actions_of(*after.program);
  std::set<std::pair<std::string, std::string>> all;
  for (const auto& [k, v] : xa) all.insert(k);
  for (const auto& [k, v] : xb) all.insert(k);
  const std::pair<table::Id, table::Id> none{table::kNone, table::kNone};
  for (const Holder& h : holders(*before.program, *after.program)) {
    for (const auto& key : all) {
      const auto ia = xa.find(key), ib = xb.find(key);
      const auto [ta, aa] = ia == xa.end() ? none : ia->second;
      const auto [tb, ab] = ib == xb.end() ? none : ib->second;
      Cell ca = cell(before, h, ta, aa), cb = cell(after, h, tb, ab);
      if (ca.status == cb.status) continue;
      out.cells.push_back({h.text(), key.first, key.second, ca.status, cb.status, std::move(ca.rules), std::move(cb.rules)});
      out.affected.insert(key);
    }
  }
}

}  // namespace warden::diff
