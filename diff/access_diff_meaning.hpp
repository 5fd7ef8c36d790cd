// What a rule or an endpoint of a decision table *means*, as a comparable
// text, for the access diff (access_diff.hpp).
//
// Internal to diff/. Two tables compiled from different sources number their
// roles, scopes, levels, types, attributes and constants differently, so
// rows cannot be compared field by field. Instead every row is rendered by
// name, with each name it depends on expanded into what decides a request:
// a `role R` subject lists the roles whose holders hold R, a `scope S` the
// scopes that imply S, a `grant` the level chain and the level→action maps
// of the rule's types, an attribute path the type of every step (enum
// values in order), a condition its instructions with their operands.
// Equal meanings decide every request and every fact set alike; that is
// what makes the diff sound. The pieces shown to people (subject, actions,
// conditions as written) come from views/render.hpp.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "table/program.hpp"

namespace warden::diff::meaning {

using Target = std::pair<std::string, std::string>;  // (resource type, action)

std::string type_name(const table::Program& p, table::Id type);
std::string action_name(const table::Program& p, table::Id type, table::Id action);

// The (type, action) pairs each rule is a candidate for, by rule id.
std::vector<std::set<Target>> rule_targets(const table::Program& p);

// Everything about a rule that can change a decision's outcome or code:
// effect, monitor, cross_tenant, code, targets, subject and conditions,
// expanded as described above. The message is not part of it.
struct RuleMeaning {
  std::string head;  // effect, monitor, cross_tenant, code, targets
  std::string subject, when, unless;
  friend bool operator==(const RuleMeaning&, const RuleMeaning&) = default;
};
RuleMeaning rule_meaning(const table::Program& p, table::Id rule, const std::set<Target>& targets,
                         bool include_monitor);

// Everything about an endpoint that can change a decision for a request
// routed to it: public, the scopes required (each with the scopes that imply
// it), the action and resource type, where the resource id and the bound
// attributes come from, the callers it admits, and its denies (their group's
// first), each expanded like a rule.
std::string endpoint_meaning(const table::Program& p, const table::EndpointRow& e);

// The names of an endpoint's denies, in evaluation order.
std::vector<std::string> endpoint_denies(const table::Program& p, const table::EndpointRow& e);

// For each required scope of an endpoint, the scopes that imply it:
// "experiment:read <= admin, experiment:read, mlflow:write".
std::vector<std::string> requirement_holders(const table::Program& p, const table::EndpointRow& e);

// Who a subject form applies to, for people: "roles `manager`, `admin`",
// "keys with scope `model:write`, `mlflow:write`, `admin`", "grant holders
// at level `execute` or above", "anyone", "members of resource.org".
std::string holders_text(const table::Program& p, const table::PredicateRow& pred);

// The names of the roles whose holders hold `role` (itself included), sorted.
std::vector<std::string> roles_holding(const table::Program& p, table::Id role);
// The names of the scopes that imply `scope` (itself included), sorted.
std::vector<std::string> scopes_implying(const table::Program& p, table::Id scope);

std::string join(const std::vector<std::string>& items, const char* separator = ", ");

}  // namespace warden::diff::meaning
