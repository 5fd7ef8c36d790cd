// The endpoint reference of a policy, for `warden doc`: what an API user
// needs to know about each endpoint — method, path, the scopes a key must
// hold, the action and resource type it stands for, which roles may perform
// it and what else allows or denies it, public or not — plus which keys hold
// each scope.
//
// Pipeline position: views/, over a validated table::Program only (compiled
// from sources in memory or loaded from an artifact), so the documentation
// is derived from exactly what enforcement evaluates and cannot drift from
// the policy. build_endpoint_doc() is pure; endpoint_doc_render.cpp prints it.
#pragma once

#include <string>
#include <vector>

#include "table/program.hpp"

namespace warden::views {

// One way a rule allows or denies an endpoint's action: who (a role, or the
// rule's subject such as `scope model:read`) with its qualifications
// ("in resource.org", "when …", "unless …", "cross-tenant", "monitor").
struct AccessEntry {
  std::string who;
  std::vector<std::string> qualifiers;  // empty: unconditional
  std::string rule;                      // the rule's name
  std::string code;                      // denies: the denial code
};

struct EndpointDoc {
  std::string methods;  // "GET, HEAD", or "ANY"
  std::string path;     // the pattern as written
  bool is_public = false;
  std::vector<std::string> all_of;               // scopes a key must all hold
  std::vector<std::vector<std::string>> any_of;  // groups: one of each must be held
  std::string action, resource_type;             // empty when the endpoint names no action
  std::string resource_id;                       // "path {name}", "query \"q\"", … or ""
  std::vector<std::string> bindings;             // "resource.org = path {org}"
  std::string callers;                           // "session, key" ("" when public)
  std::string group;                             // its group, or ""
  // Roles whose holders an allow rule with a `role` subject admits, through
  // the role hierarchy (a role inheriting an allowed role is listed too), in
  // role declaration order; a role admitted by several rules is listed once
  // per distinct qualification, and once unqualified if any rule is.
  std::vector<AccessEntry> roles;
  std::vector<AccessEntry> other_allows;  // allow rules with other subjects
  std::vector<AccessEntry> denies;        // its own and its group's denies, then the action's deny rules
};

struct ScopeDoc {
  std::string name;
  std::vector<std::string> held_through;  // other scopes whose keys also hold this one
};

struct PolicyDoc {
  std::string policy;
  std::vector<EndpointDoc> endpoints;  // in declaration order
  std::vector<ScopeDoc> scopes;        // in declaration order
};

PolicyDoc build_endpoint_doc(const table::Program& program);

std::string render_markdown(const PolicyDoc& doc);
std::string render_html(const PolicyDoc& doc);

}  // namespace warden::views
