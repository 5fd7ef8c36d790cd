// A decision and its summary explanation: what Engine::decide() returns.
//
// Part of the public API (include/warden/). A Decision is a plain value with
// fixed-capacity inline text (fixed_string.hpp), so producing one never
// allocates and it stays valid after the policy or facts it was made from
// have been replaced. It always carries its explanation: the stable code, the
// message for a 403 body, what was required and present, the determining
// rules with their source locations (explanation.hpp), the permission source
// and grant, and the policy fingerprint and facts version it was made with.
// The full step-by-step trace is separate and optional (trace.hpp).
#pragma once

#include <array>
#include <cstdint>

#include "warden/explanation.hpp"
#include "warden/fixed_string.hpp"
#include "warden/request.hpp"

namespace warden {

// What was decided.
enum class Outcome : std::uint8_t {
  Allow,      // allowed
  Deny,       // denied
  WouldDeny,  // a monitor-mode deny: allowed, logged as "would deny"
};

struct Decision {
  Outcome outcome = Outcome::Deny;
  bool allowed() const { return outcome != Outcome::Deny; }

  FixedString<48> code;       // stable: SCOPE_MISSING, PERMISSION_DENIED, ORG_SUSPENDED, …
  FixedString<384> message;   // for the 403 body
  FixedString<256> hint;      // what would fix it ("use an API key with all of `model:write` (or …)")

  // What was required and what was present (scopes, grant levels, roles with
  // the entity they are held in, the grants on the resource and why each
  // does not count).
  FixedString<384> required;
  FixedString<384> present;

  // The determining rules: for a deny the denying rule(s), for an allow the
  // allowing rule; monitor-mode denies that were overridden are listed too.
  static constexpr std::size_t kMaxRules = 4;
  std::array<RuleRef, kMaxRules> rules;
  std::uint8_t rule_count = 0;

  // The permission source and the grant that carried it.
  SourceKind source = SourceKind::None;
  FixedString<160> source_detail;  // "team `ml-platform`", "role `admin` (inherits `developer`)"
  FixedString<64> grant_id;

  // What was asked, as resolved.
  FixedString<128> endpoint;  // "POST /api/2.0/mlflow/registered-models/create"
  FixedString<64> action;
  FixedString<64> resource_type;
  FixedString<128> resource_id;
  FixedString<128> principal;  // "user `alice`" or "api key `k1` (user `alice`)"
  FixedString<128> principal_id;  // the principal's id as resolved ("alice", also when given by an API key); empty: anonymous
  CallerKind caller = CallerKind::Anonymous;
  // HTTP requests: the path as received and as normalized for routing.
  FixedString<256> raw_path;
  FixedString<256> path;
  FixedString<48> client_ip;  // the client address the decision used, when it used one

  // Correlation.
  FixedString<64> tenant;
  FixedString<64> request_id;
  std::uint64_t policy_fingerprint = 0;
  std::uint64_t facts_version = 0;

  // Back to a fresh decision without touching the text buffers (cheaper than
  // assigning Decision{}, which would copy every buffer).
  void reset() {
    outcome = Outcome::Deny;
    code.clear();
    message.clear();
    hint.clear();
    required.clear();
    present.clear();
    rule_count = 0;
    source = SourceKind::None;
    source_detail.clear();
    grant_id.clear();
    endpoint.clear();
    action.clear();
    resource_type.clear();
    resource_id.clear();
    principal.clear();
    principal_id.clear();
    caller = CallerKind::Anonymous;
    raw_path.clear();
    path.clear();
    client_ip.clear();
    tenant.clear();
    request_id.clear();
    policy_fingerprint = 0;
    facts_version = 0;
  }

  void add_rule(const RuleRef& r) {
    if (rule_count < kMaxRules) rules[rule_count++] = r;
  }
};

// "allow", "deny", "would-deny".
const char* outcome_name(Outcome o);

}  // namespace warden
