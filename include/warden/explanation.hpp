// The parts of a decision's explanation: where the permission came from
// (SourceKind) and the rules that determined it (RuleRef).
//
// Part of the public API (include/warden/), used by Decision (decision.hpp).
// A RuleRef names the rule and where it is written, so an access log or a
// 403 body can point a reviewer at the line of policy that decided.
#pragma once

#include <cstdint>

#include "warden/fixed_string.hpp"

namespace warden {

// Where the permission that allowed (or was missing) came from.
enum class SourceKind : std::uint8_t {
  None,         // nothing granted it
  Public,       // a public endpoint
  Anyone,       // a rule for anyone
  Scope,        // the API key's scope
  Role,         // a role (possibly inherited)
  DirectGrant,  // a grant to the principal on the resource
  TeamGrant,    // a grant to a collection the principal belongs to (team, org, …)
  TypeGrant,    // a resource-type-wide grant (override for every resource of the type)
  Membership,   // membership of the resource's organization
  Condition,    // a rule whose condition alone decided (e.g. ownership)
  Caller,       // a rule for a kind of caller (`anonymous`, `session`, `key`, `authenticated`)
};

// "none", "public", "anyone", "scope", "role", "direct-grant",
// "collection-grant", "type-grant", "membership", "condition", "caller".
const char* source_kind_name(SourceKind k);

// A rule that determined the decision, with its source location.
struct RuleRef {
  FixedString<128> name;  // a rule name, or "endpoint METHOD PATTERN"
  FixedString<96> file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  bool deny = false;
  bool monitor = false;
};

}  // namespace warden
