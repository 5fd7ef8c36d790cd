// Coverage of a policy by its test suites: which rules, endpoints and denial
// codes no case exercised.
//
// Pipeline position: policy_test/, beside the runner (runner.hpp). The
// universe comes from the compiled table (table::Program), what was
// exercised from the decisions the cases got:
//   - a rule is covered when it is among a decision's determining rules
//     (the denying rule, the allowing rule, or a monitored deny that was
//     reported as would-deny);
//   - an endpoint (one declaration, whatever its methods) is covered when
//     a request was routed to it;
//   - a code is covered when a deny or would-deny carried it. The codes
//     that apply to a policy are the codes of its deny rules and the
//     built-in codes its declarations make reachable (applicable_codes).
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "table/program.hpp"
#include "warden/decision.hpp"

namespace warden::policy_test {

// What the cases of one policy exercised.
struct Observed {
  std::set<std::string> rules;
  std::set<table::Id> endpoints;
  std::set<std::string> codes;
};

void observe(const table::Program& program, const Decision& decision, Observed& out);

// A denial code a policy can produce and why.
struct ApplicableCode {
  std::string code;
  std::string reason;  // "rule `suspended_org`", "built-in: endpoints require scopes", …
};

// The codes of deny rules (in rule order), then the built-ins that apply:
//   SCOPE_MISSING          some endpoint requires scopes
//   NO_MATCHING_ENDPOINT   the policy has endpoints
//   TENANT_MISMATCH        tenancy isolation is on
//   KEY_UNKNOWN, KEY_REVOKED, KEY_EXPIRED, KEY_PRINCIPAL_MISMATCH
//                          the policy declares scopes (API keys matter)
//   PERMISSION_DENIED      some (resource type, action) exists
//   GRANT_EXPIRED, GRANT_REVOKED
//                          some rule uses `grant` (as subject or condition)
//   EVAL_ERROR             some rule has a condition or a subject that
//                          reads an attribute path (`in resource.org`, …)
// INVALID_REQUEST (an unknown type or action in the request), KEY_TENANT_MISMATCH
// (a key contradicting its owner's tenant in the facts) and NO_POLICY
// are about the request or the service, not the policy, and never apply.
std::vector<ApplicableCode> applicable_codes(const table::Program& program);

struct CoverageItem {
  std::string name;      // rule name, "GET, HEAD /health", code
  std::string location;  // file:line:col, or for codes the reason
  bool covered = false;
};

struct PolicyCoverage {
  std::string policy;  // as displayed
  std::vector<CoverageItem> rules, endpoints, codes;
  std::size_t gaps() const;
};

// `location`: the directory the table's source paths are relative to
// (compiler::Compilation::location), for the locations shown.
PolicyCoverage coverage(const table::Program& program, std::string_view location, const std::string& display,
                        const Observed& observed);

}  // namespace warden::policy_test
