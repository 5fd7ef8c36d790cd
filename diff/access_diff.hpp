// The access diff behind `warden diff OLD NEW`: what changes about who may
// do what between two versions of a policy.
//
// Pipeline position: diff/, its own layer over two compiled tables
// (table::Program, from sources compiled by the compiler driver or from
// artifacts) with the directories their source paths are relative to; it
// renders rows with views/render.hpp. Nothing here evaluates requests;
// the diff is computed from the tables alone, in five parts:
//   - policy-wide settings (mode, tenancy) — these touch every decision;
//   - declarations (scopes, roles, levels, principal and resource types,
//     context) by name, with their closed hierarchies;
//   - endpoints, matched by method + pattern: added, removed, or changed in
//     public flag, required scopes (as closed over implication), action,
//     resource type or id source, with the keys that gain or lose access;
//   - rules, matched by name: added, removed, or changed in effect, subject,
//     actions, types, conditions, code, message, monitor or cross_tenant —
//     or in meaning only, through a declaration they depend on;
//   - access cells (holder, resource type, action) for role-, scope- and
//     grant-based rules: allow / conditional / deny / none before and after,
//     with the rules responsible.
// Soundness: two requests decided differently by the two versions (outcome
// or code) are always explained by a reported change — a policy-wide one,
// a changed endpoint the request routes to, or a (type, action) among
// `affected` (tests/diff/diff_soundness_test.cpp checks this on random input).
#pragma once

#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "table/program.hpp"

namespace warden::diff {

// One version of the policy: its validated table and where its sources are.
struct PolicyVersion {
  std::string path;  // as given, for the report
  std::shared_ptr<const table::Program> program;
  // The directory the table's source paths are relative to
  // (compiler::Compilation::location; "" for an artifact).
  std::string location;
};

// `dir/file:line:col` of a row of the version's table, "" without a source.
std::string source_location(const PolicyVersion& version, const table::Loc& loc);

enum class ChangeKind : std::uint8_t { Added, Removed, Changed };
const char* change_kind_name(ChangeKind k);  // "added", "removed", "changed"

struct FieldChange {
  std::string field;  // "requires", "subject", "when", …
  std::string before, after;
};

// Locations are `dir/file:line:col` (source_location), "" when absent.
struct PolicyChange {
  std::string field;  // "mode", "tenancy isolation", "tenant sources", "default tenant", "name"
  std::string before, after;
};

struct DeclarationChange {
  std::string kind;  // "scope", "role", "levels", "principal", "resource", "context"
  std::string name;
  ChangeKind change = ChangeKind::Changed;
  std::vector<FieldChange> fields;
  std::string location_before, location_after;
};

struct EndpointChange {
  std::string method, pattern;
  ChangeKind change = ChangeKind::Changed;
  std::vector<FieldChange> fields;
  std::vector<std::string> gains, loses;  // "keys with scope `model:write`", "anyone (public)"
  std::string location_before, location_after;
};

struct RuleChange {
  std::string name;
  ChangeKind change = ChangeKind::Changed;
  std::string effect;  // of the version that has it (the new one when both do)
  std::vector<FieldChange> fields;
  std::string holders_before, holders_after;  // who the subject applies to
  std::string location_before, location_after;
};

struct RuleSite {
  std::string name;
  std::string location;
};

// One (holder, type, action) whose status changes. Status: "allow" (an
// unconditional allow of this holder's kind applies, no deny of its kind
// may), "conditional" (allows apply only under conditions, or denies may
// apply), "deny" (an unconditional deny applies), "none" (no rule of the
// holder's kind allows). A type or action a version lacks counts as "none".
struct CellChange {
  std::string holder;  // "role `developer`", "scope `model:read`", "grant level `write`"
  std::string type, action;
  std::string before, after;
  std::vector<RuleSite> rules_before, rules_after;  // the rules of the holder's kind that apply
};

// The deny rules of a (type, action), which decide the code when several
// match, are evaluated in another order.
struct OrderChange {
  std::string type, action;
  std::vector<std::string> before, after;
};

struct AccessDiff {
  std::string old_path, new_path;
  std::vector<PolicyChange> policy;
  std::vector<DeclarationChange> declarations;
  std::vector<EndpointChange> endpoints;
  std::vector<RuleChange> rules;
  std::vector<CellChange> cells;
  std::vector<OrderChange> order;
  // Every (type, action) whose decisions may change: the targets of changed
  // rules on both sides, changed cells and orders, and the actions of types
  // that gained or lost them.
  std::set<std::pair<std::string, std::string>> affected;

  bool empty() const {
    return policy.empty() && declarations.empty() && endpoints.empty() && rules.empty() && cells.empty() && order.empty();
  }
};

AccessDiff diff_policies(const PolicyVersion& before, const PolicyVersion& after);

// Text for review (one section per kind of change, then a summary line)
// and one JSON object with the same content.
std::string diff_text(const AccessDiff& diff);
std::string diff_json(const AccessDiff& diff);

// Declarations (access_diff_declarations.cpp).
void diff_declarations(const PolicyVersion& before, const PolicyVersion& after, AccessDiff& out);
// Access cells (access_diff_cells.cpp).
void diff_cells(const PolicyVersion& before, const PolicyVersion& after, AccessDiff& out);

}  // namespace warden::diff
