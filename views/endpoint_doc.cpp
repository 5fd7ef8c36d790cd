// Building the endpoint reference from the decision table (endpoint_doc.hpp):
// requirements from the endpoint rows, and access from the candidate rules of
// the endpoint's (resource type, action) in the rule index, with role
// subjects expanded through the closed role hierarchy.
#include "views/endpoint_doc.hpp"

#include <algorithm>

#include "views/render.hpp"

namespace warden::views {
namespace {

using table::Id;
using table::Program;

std::vector<std::string> scope_names(const Program& p, table::Bits bits) {
  std::vector<std::string> out;
  for (const Id s : bit_members(p, bits)) out.push_back(p.str(p.scopes[s].name));
  return out;
}

// "in resource.org", "when …", "unless …", "cross-tenant", "monitor".
std::vector<std::string> qualifiers(const Program& p, const table::RuleRow& r, bool include_subject_path) {
  std::vector<std::string> out;
  const table::PredicateRow& subject = p.predicates[r.subject];
  if (include_subject_path && subject.path != table::kNone) out.push_back("in " + p.str(p.paths[subject.path].text));
  if (r.when.count) out.push_back("when " + condition_text(p, r.when));
  if (r.unless.count) out.push_back("unless " + condition_text(p, r.unless));
  if (r.cross_tenant) out.push_back("cross-tenant");
  if (r.monitor) out.push_back("monitor");
  return out;
}

void add_role(std::vector<AccessEntry>& roles, AccessEntry e) {
  for (const auto& have : roles) {
    if (have.who == e.who && (have.qualifiers.empty() || have.qualifiers == e.qualifiers)) return;
  }
  roles.push_back(std::move(e));
}

void fill_access(const Program& p, const table::EndpointRow& row, EndpointDoc& doc) {
  const table::ResourceTypeRow& type = p.resources[row.resource_type];
  const table::Range list = p.rule_lists[type.rule_lists + row.action];
  // Unqualified role entries first, so that a qualified one for a role that
  // some rule admits unconditionally is dropped.
  std::vector<AccessEntry> qualified_roles;
  for (std::uint32_t i = 0; i < list.count; ++i) {
    const table::RuleRow& r = p.rules[p.rule_ids[list.begin + i]];
    const table::PredicateRow& subject = p.predicates[r.subject];
    const std::string name = p.str(r.name);
    if (r.effect == table::Effect::Deny) {
      AccessEntry e{predicate_text(p, subject), qualifiers(p, r, false), name, r.code == table::kNone ? "" : p.str(r.code)};
      doc.denies.push_back(std::move(e));
      continue;
    }
    if (subject.kind != table::SubjectKind::Role) {
      doc.other_allows.push_back({predicate_text(p, subject), qualifiers(p, r, false), name, ""});
      continue;
    }
    // Every role whose holders hold the rule's role.
    for (Id role = 0; role < p.roles.size(); ++role) {
      if (!table::test_bit(p, p.roles[role].holds, subject.arg)) continue;
      AccessEntry e{p.str(p.roles[role].name), qualifiers(p, r, true), name, ""};
      (e.qualifiers.empty() ? doc.roles : qualified_roles).push_back(std::move(e));
    }
  }
  std::vector<AccessEntry> unqualified = std::move(doc.roles);
  doc.roles.clear();
  for (auto& e : unqualified) add_role(doc.roles, std::move(e));
  for (auto& e : qualified_roles) add_role(doc.roles, std::move(e));
  // In role declaration order (stable: a role's entries keep rule order).
  auto rank = [&](const std::string& role) {
    for (Id i = 0; i < p.roles.size(); ++i) {
      if (p.str(p.roles[i].name) == role) return i;
    }
    return table::kNone;
  };
  std::stable_sort(doc.roles.begin(), doc.roles.end(),
                   [&](const AccessEntry& a, const AccessEntry& b) { return rank(a.who) < rank(b.who); });
}

}  // namespace

PolicyDoc build_endpoint_doc(const Program& p) {
  PolicyDoc doc;
  doc.policy = p.name == table::kNone ? "" : p.str(p.name);
  for (const table::EndpointRow& row : p.endpoints) {
    EndpointDoc e;
    e.methods = methods_text(row);
    e.path = p.str(row.pattern);
    e.is_public = row.is_public != 0;
    e.all_of = scope_names(p, row.all_of);
    for (std::uint32_t i = 0; i < row.any_of.count; ++i) e.any_of.push_back(scope_names(p, p.bit_refs[row.any_of.begin + i]));
    if (!e.is_public) e.callers = callers_text(row.callers);
    if (row.group != table::kNone) e.group = p.str(row.group);
    // The endpoint's own denies (its group's first) come before the action's.
    for (std::uint32_t k = 0; k < row.denies.count; ++k) {
      const table::RuleRow& r = p.rules[p.endpoint_rules[row.denies.begin + k]];
      e.denies.push_back({predicate_text(p, p.predicates[r.subject]), qualifiers(p, r, false), p.str(r.name), p.str(r.code)});
    }
    if (row.has_action) {
      e.resource_type = p.str(p.resources[row.resource_type].name);
      e.action = p.str(p.action_names[p.resources[row.resource_type].actions.begin + row.action]);
      e.resource_id = id_source_text(p, row);
      e.bindings = bindings_text(p, row);
      fill_access(p, row, e);
    }
    doc.endpoints.push_back(std::move(e));
  }
  for (Id s = 0; s < p.scopes.size(); ++s) {
    ScopeDoc d{p.str(p.scopes[s].name), {}};
    for (Id other = 0; other < p.scopes.size(); ++other) {
      if (other != s && table::test_bit(p, p.scopes[other].closure, s)) d.held_through.push_back(p.str(p.scopes[other].name));
    }
    doc.scopes.push_back(std::move(d));
  }
  return doc;
}

}  // namespace warden::views
