// A decision and its summary explanation.
//
// Part of the public API (include/warden/). A Decision is a plain value with
// fixed-capacity inline text, so producing one never allocates and it stays
// valid after the policy or facts it was made from have been replaced. Text
// longer than a field's capacity is cut and ends in "...".
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace warden {

template <std::size_t N>
class FixedString {
 public:
  std::string_view view() const { return {data_.data(), size_}; }
  operator std::string_view() const { return view(); }
  bool empty() const { return size_ == 0; }
  void clear() {
    size_ = 0;
    truncated_ = false;
  }
  void assign(std::string_view s) {
    clear();
    append(s);
  }
  void append(std::string_view s) {
    // An empty view may have a null data(), which memcpy must not be given
    // even for zero bytes.
    if (s.empty() || (truncated_ && size_ == N)) return;
    const std::size_t room = N - size_;
    if (s.size() <= room) {
      std::memcpy(data_.data() + size_, s.data(), s.size());
      size_ = static_cast<std::uint16_t>(size_ + s.size());
      return;
    }
    // Cut, marking the cut with "..." (on a byte boundary).
    std::memcpy(data_.data() + size_, s.data(), room);
    size_ = static_cast<std::uint16_t>(N);
    std::memcpy(data_.data() + N - 3, "...", 3);
    truncated_ = true;
  }
  void append_number(std::uint64_t n) {
    char buf[24];
    std::size_t len = 0;
    do {
      buf[len++] = static_cast<char>('0' + n % 10);
      n /= 10;
    } while (n);
    std::reverse(buf, buf + len);
    append({buf, len});
  }
  std::string str() const { return std::string(view()); }

 private:
  std::array<char, N> data_;  // only [0, size_) is meaningful: left uninitialized so a Decision is cheap to reset
  std::uint16_t size_ = 0;
  bool truncated_ = false;
  static_assert(N < 65535 && N > 3);
};

enum class Outcome : std::uint8_t {
  Allow,      // allowed
  Deny,       // denied
  WouldDeny,  // a monitor-mode deny: allowed, logged as "would deny"
};

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
};

const char* outcome_name(Outcome o);
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

struct Decision {
  Outcome outcome = Outcome::Deny;
  bool allowed() const { return outcome != Outcome::Deny; }

  FixedString<48> code;       // stable: SCOPE_MISSING, PERMISSION_DENIED, ORG_SUSPENDED, …
  FixedString<384> message;   // for the 403 body
  FixedString<160> hint;      // what would fix it ("use a key with scope `model:write`")

  // What was required and what was present (scopes, level, role, tenant).
  FixedString<256> required;
  FixedString<256> present;

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
    tenant.clear();
    request_id.clear();
    policy_fingerprint = 0;
    facts_version = 0;
  }

  void add_rule(const RuleRef& r) {
    if (rule_count < kMaxRules) rules[rule_count++] = r;
  }
};

}  // namespace warden
