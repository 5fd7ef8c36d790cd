// The slow oracle: a deliberately naive evaluator of Warden policies, written
// straight from the AST and the documented semantics.
//
// Pipeline position: tests only. It parses a policy's files with the grammar
// (grammar::parse_file → ast::Policy) and answers requests against a FactSet
// by re-deriving everything per request — role inheritance, scope
// implication and families, level order, membership — with recursion, string
// comparisons and linear scans. It shares nothing with compiler/ (no checked
// model, no lowering) or runtime/ (no table, no fact store), so the
// differential test (differential_test.cpp) checks the whole
// compile-and-evaluate path against an independent reading of
// docs/language.md and design.md.
//
// Where the language page leaves a choice open, this follows the runtime's
// documented choices (docs/decisions.md, "Semantics the runtime fixes", and
// the comments in runtime/); each such place is marked "runtime choice" in
// reference_evaluator.cpp.
//
// It assumes a policy that passes `warden check` (it does not re-check names
// or types). A request without a time is decided at the wall-clock time, as
// the engine does.
#pragma once

#include <string>
#include <vector>

#include "grammar/ast.hpp"
#include "warden/decision.hpp"
#include "warden/facts.hpp"
#include "warden/request.hpp"

namespace warden::test {

struct RefDecision {
  Outcome outcome = Outcome::Deny;
  std::string code;
  // The rule that decided: the allow rule that allowed (also for a would-deny
  // by a monitored rule), or the enforced deny rule that denied. Empty for
  // default denies and denials before any rule (keys, routing, scopes).
  std::string rule;
  bool by_allow_rule = false;
  // For a would-deny caused by a rule in monitor mode: the first such rule.
  std::string monitor_rule;
  // For HTTP requests: "METHOD PATTERN" of the endpoint routed to, or
  // "METHOD PATH" when none matches (empty when denied before routing).
  std::string endpoint;
  // For allows: where the permission came from, and the grant.
  SourceKind source = SourceKind::None;
  std::string grant_id;
  // A short account of how the answer was reached, for failure reports.
  std::string why;
};

class ReferenceEvaluator {
 public:
  // Parses every `*.warden` file directly in `policy_dir`, in byte order of
  // the names. Throws std::runtime_error on unreadable files or syntax errors.
  explicit ReferenceEvaluator(const std::string& policy_dir);

  RefDecision decide(const FactSet& facts, const Request& request) const;

  // List filtering: the ids among `candidates` that decide() allows for the
  // request's principal and context, with `action` on `type`.
  std::vector<std::string> authorized(const FactSet& facts, const Request& request, const std::string& action,
                                      const std::string& type, const std::vector<std::string>& candidates) const;

  const ast::Policy& policy() const { return policy_; }

 private:
  ast::Policy policy_;
};

}  // namespace warden::test
