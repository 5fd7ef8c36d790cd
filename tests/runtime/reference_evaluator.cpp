// The naive reference evaluator (see reference_evaluator.hpp).
//
// Read top to bottom, this file is the decision procedure of
// docs/language.md "Semantics" and design.md "Semantics that must hold":
//
//   1. the principal (an API key must be known, not revoked, not expired and
//      belong to the named principal);
//   2. the request's tenant (explicit, else the `tenancy` sources in order,
//      else the default);
//   3. for HTTP requests: the path normalized (INVALID_PATH), the most
//      specific endpoint, `public`, the caller kind the endpoint admits
//      (UNAUTHENTICATED, CALLER_NOT_ALLOWED), the scopes of an API key
//      (SCOPE_MISSING), the resource id and bound attributes taken from the
//      request (INVALID_BINDING), the endpoint's and its group's denies, and
//      the endpoint's action;
//   4. the action on the resource: every deny rule for (type, action) in
//      rule order (source order within a file; across files by position in
//      the file, then name) — the first enforced one that matches (or cannot
//      be evaluated) denies; monitored ones only remember that they would
//      deny — then every allow rule in rule order: the first that matches
//      allows
//      (as "would deny" if a monitored deny matched). Tenant isolation skips
//      allows without `cross_tenant`;
//   5. otherwise the default deny, whose code says why (UNAUTHENTICATED
//      first when the request names no principal).
//
// Everything is recomputed per request from the AST and the FactSet with
// recursion and linear scans; literals (times, addresses, networks, times of
// day) are parsed here, not with support/literals.
#include "tests/runtime/reference_evaluator.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "grammar/parse.hpp"
#include "support/diagnostic.hpp"
#include "support/source.hpp"
#include "tests/runtime/reference_http.hpp"

namespace warden::test {
namespace {

using Address = std::array<std::uint8_t, 16>;
using TypeKind = ast::TypeExpr::Kind;

// --- literal text ----------------------------------------------------------------

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int number_of(std::string_view s) {
  int n = 0;
  for (char c : s) n = n * 10 + (c - '0');
  return n;
}

// Days since 1970-01-01 of a proleptic Gregorian date.
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// RFC 3339: YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM).
std::optional<std::int64_t> parse_rfc3339(std::string_view s) {
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return std::nullopt;
  const std::string_view y = s.substr(0, 4), mo = s.substr(5, 2), d = s.substr(8, 2), h = s.substr(11, 2),
                         mi = s.substr(14, 2), se = s.substr(17, 2);
  if (!digits(y) || !digits(mo) || !digits(d) || !digits(h) || !digits(mi) || !digits(se)) return std::nullopt;
  const int year = number_of(y), month = number_of(mo), day = number_of(d);
  const int hour = number_of(h), minute = number_of(mi), second = number_of(se);
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return std::nullopt;
  const int month_days = kDays[month - 1] + (month == 2 && leap(year) ? 1 : 0);
  if (day < 1 || day > month_days || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  std::string_view rest = s.substr(19);
  if (!rest.empty() && rest[0] == '.') {
    std::size_t n = 1;
    while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
    if (n == 1) return std::nullopt;
    rest = rest.substr(n);
  }
  std::int64_t offset = 0;
  if (rest == "Z") {
    offset = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' && digits(rest.substr(1, 2)) &&
             digits(rest.substr(4, 2))) {
    const int oh = number_of(rest.substr(1, 2)), om = number_of(rest.substr(4, 2));
    if (oh > 23 || om > 59) return std::nullopt;
    offset = (oh * 60 + om) * 60 * (rest[0] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  return days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
}

// IPv4 (mapped to ::ffff:a.b.c.d) or IPv6, via the C library.
std::optional<Address> parse_address(std::string_view s) {
  const std::string text(s);
  Address out{};
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    out[10] = 0xff;
    out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

bool in_network(const Address& a, std::string_view cidr) {
  const auto slash = cidr.find('/');
  if (slash == std::string_view::npos || !digits(cidr.substr(slash + 1))) return false;
  const std::string_view host = cidr.substr(0, slash);
  const auto net = parse_address(host);
  if (!net) return false;
  int prefix = number_of(cidr.substr(slash + 1));
  if (host.find(':') == std::string_view::npos) prefix += 96;  // an IPv4 network
  for (int bit = 0; bit < prefix; ++bit) {
    const int mask = 0x80 >> (bit % 8);
    if ((a[bit / 8] & mask) != ((*net)[bit / 8] & mask)) return false;
  }
  return true;
}

// "HH:MM" as minutes since midnight ("24:00" is 1440).
int minutes_of(std::string_view hhmm) { return number_of(hhmm.substr(0, 2)) * 60 + number_of(hhmm.substr(3, 2)); }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

// --- values ----------------------------------------------------------------------

// A typed value read from facts, the request or a literal.
struct Typed {
  TypeKind kind = TypeKind::String;
  std::string text;          // String; Entity: the id; Enum: the value's name
  std::int64_t number = 0;   // Int; Bool (0/1); Time (Unix seconds)
  Address address{};         // Ip
  std::string entity_type;   // Entity: the type the id names
};

// A fact or request value read as the declared type `t`; nullopt when it is
// not readable as that type (an evaluation error).
std::optional<Typed> read_as(const ast::TypeExpr& t, AttributeValue::Kind kind, std::string_view text,
                             std::int64_t number, bool boolean) {
  Typed v;
  v.kind = t.kind;
  switch (t.kind) {
    case TypeKind::String:
      if (kind != AttributeValue::Kind::String) return std::nullopt;
      v.text = text;
      return v;
    case TypeKind::Entity:
      if (kind != AttributeValue::Kind::String) return std::nullopt;
      v.text = text;
      v.entity_type = t.entity.text;
      return v;
    case TypeKind::Int:
      if (kind != AttributeValue::Kind::Int) return std::nullopt;
      v.number = number;
      return v;
    case TypeKind::Bool:
      if (kind != AttributeValue::Kind::Bool) return std::nullopt;
      v.number = boolean ? 1 : 0;
      return v;
    case TypeKind::Time:
      if (kind == AttributeValue::Kind::Int) {
        v.number = number;
        return v;
      }
      if (kind == AttributeValue::Kind::String) {
        const auto t_ = parse_rfc3339(text);
        if (!t_) return std::nullopt;
        v.number = *t_;
        return v;
      }
      return std::nullopt;
    case TypeKind::Ip: {
      if (kind != AttributeValue::Kind::String) return std::nullopt;
      const auto a = parse_address(text);
      if (!a) return std::nullopt;
      v.address = *a;
      return v;
    }
    case TypeKind::Enum:
      if (kind != AttributeValue::Kind::String) return std::nullopt;
      for (const auto& name : t.enum_values) {
        if (name.text == text) {
          v.text = text;
          return v;
        }
      }
      return std::nullopt;
  }
  return std::nullopt;
}

// A literal of the policy read at the type of the path it is compared with.
std::optional<Typed> literal_as(const Typed& like, const ast::Literal& lit) {
  Typed v;
  v.kind = like.kind;
  switch (like.kind) {
    case TypeKind::String:
    case TypeKind::Entity:
      if (lit.kind != ast::Literal::Kind::String) return std::nullopt;
      v.text = lit.text;
      return v;
    case TypeKind::Int:
      if (lit.kind != ast::Literal::Kind::Int) return std::nullopt;
      v.number = lit.int_value;
      return v;
    case TypeKind::Bool:
      if (lit.kind != ast::Literal::Kind::Bool) return std::nullopt;
      v.number = lit.bool_value ? 1 : 0;
      return v;
    case TypeKind::Time: {
      if (lit.kind != ast::Literal::Kind::String) return std::nullopt;
      const auto t = parse_rfc3339(lit.text);
      if (!t) return std::nullopt;
      v.number = *t;
      return v;
    }
    case TypeKind::Ip: {
      if (lit.kind != ast::Literal::Kind::String) return std::nullopt;
      const auto a = parse_address(lit.text);
      if (!a) return std::nullopt;
      v.address = *a;
      return v;
    }
    case TypeKind::Enum:
      if (lit.kind != ast::Literal::Kind::Ident) return std::nullopt;
      v.text = lit.text;
      return v;
  }
  return std::nullopt;
}

bool is_text(TypeKind k) { return k == TypeKind::String || k == TypeKind::Entity || k == TypeKind::Enum; }

bool compare(ast::CompareOp op, const Typed& a, const Typed& b) {
  int order = 0;
  if (is_text(a.kind) || is_text(b.kind)) {
    order = a.text.compare(b.text);
  } else if (a.kind == TypeKind::Ip) {
    order = std::memcmp(a.address.data(), b.address.data(), 16);
  } else {
    order = a.number < b.number ? -1 : (a.number > b.number ? 1 : 0);
  }
  switch (op) {
    case ast::CompareOp::Eq: return order == 0;
    case ast::CompareOp::Ne: return order != 0;
    case ast::CompareOp::Lt: return order < 0;
    case ast::CompareOp::Le: return order <= 0;
    case ast::CompareOp::Gt: return order > 0;
    case ast::CompareOp::Ge: return order >= 0;
  }
  return false;
}

enum class Tri { False, True, Error };

// Where an allow came from.
struct Note {
  SourceKind kind = SourceKind::None;
  std::string grant_id;
};

// --- one decision ------------------------------------------------------------------

class Run {
 public:
  Run(const ast::Policy& policy, const FactSet& facts, const Request& request)
      : pol_(policy), facts_(facts), req_(request) {}

  RefDecision decide() {
    now_ = req_.time ? *req_.time
                     : std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    if (!resolve_principal()) return out_;
    resolve_tenant();
    if (!req_.method.empty()) {
      decide_endpoint();
    } else {
      decide_action(std::string(req_.resource_type), std::string(req_.action), std::string(req_.resource_id));
    }
    return out_;
  }

 private:
  // --- the policy, looked up by name -----------------------------------------------

  const ast::PrincipalDecl* principal_decl(std::string_view name) const {
    for (const auto& p : pol_.principals) {
      if (p.name.text == name) return &p;
    }
    return nullptr;
  }

  const ast::ResourceDecl* resource_decl(std::string_view name) const {
    for (const auto& r : pol_.resources) {
      if (r.name.text == name) return &r;
    }
    return nullptr;
  }

  bool policy_monitor() const {
    return !pol_.modes.empty() && pol_.modes.front().mode == ast::Mode::Monitor;
  }

  bool isolation() const { return !pol_.tenancies.empty() && pol_.tenancies.front().isolation.value_or(false); }

  bool principal_in_request_tenant() const {
    return !isolation() || principal_tenant_.empty() || principal_tenant_ == tenant_;
  }

  std::string default_tenant() const {
    if (!pol_.tenancies.empty() && pol_.tenancies.front().default_tenant) {
      return pol_.tenancies.front().default_tenant->value;
    }
    return "default";
  }

  const ast::RoleDecl* role_decl(std::string_view name) const {
    for (const auto& r : pol_.roles) {
      if (r.name.text == name) return &r;
    }
    return nullptr;
  }

  // Does a holder of role `assigned` hold role `wanted` (itself or through
  // inheritance, transitively)?
  bool role_holds(std::string_view assigned, std::string_view wanted, int depth = 0) const {
    if (assigned == wanted) return true;
    const ast::RoleDecl* r = role_decl(assigned);
    if (!r || depth > 64) return false;
    for (const auto& parent : r->inherits) {
      if (role_holds(parent.text, wanted, depth + 1)) return true;
    }
    return false;
  }

  bool scope_declared(std::string_view name) const {
    return std::any_of(pol_.scopes.begin(), pol_.scopes.end(), [&](const ast::ScopeDecl& s) { return s.name.text == name; });
  }

  // Every scope a key holding `name` holds: itself and what it implies,
  // transitively, with `prefix:*` as every declared scope named `prefix:…`
  // and `*` as every declared scope.
  void scope_closure(const std::string& name, std::set<std::string>& out) const {
    if (!scope_declared(name) || !out.insert(name).second) return;
    for (const auto& decl : pol_.scopes) {
      if (decl.name.text != name) continue;
      for (const auto& ref : decl.implies) {
        for (const auto& other : pol_.scopes) {
          const std::string& n = other.name.text;
          bool matches = false;
          switch (ref.kind) {
            case ast::ScopeRef::Kind::Exact: matches = n == ref.text; break;
            case ast::ScopeRef::Kind::Family:
              matches = n.size() > ref.text.size() + 1 && n.compare(0, ref.text.size(), ref.text) == 0 &&
                        n[ref.text.size()] == ':';
              break;
            case ast::ScopeRef::Kind::All: matches = true; break;
          }
          if (matches) scope_closure(n, out);
        }
      }
    }
  }

  std::optional<int> level_rank(std::string_view name) const {
    if (pol_.levels.empty()) return std::nullopt;
    const auto& chain = pol_.levels.front().levels;
    for (std::size_t i = 0; i < chain.size(); ++i) {
      if (chain[i].text == name) return static_cast<int>(i);
    }
    return std::nullopt;
  }

  // Does a grant of level rank `rank` on a resource of type `type` permit
  // `action`? Its own level's actions and those of every lower level.
  bool level_permits(const ast::ResourceDecl& type, int rank, std::string_view action) const {
    for (const auto& map : type.level_maps) {
      const auto r = level_rank(map.level.text);
      if (!r || *r > rank) continue;
      for (const auto& a : map.actions) {
        if (a.text == action) return true;
      }
    }
    return false;
  }

  // --- facts, by linear scan --------------------------------------------------------

  const Entity* entity(std::string_view type, std::string_view id) const {
    const Entity* found = nullptr;  // a later record replaces an earlier one
    for (const auto& e : facts_.entities) {
      if (e.type == type && e.id == id) found = &e;
    }
    return found;
  }

  const ApiKey* find_key(std::string_view id) const {
    const ApiKey* found = nullptr;
    for (const auto& k : facts_.keys) {
      if (k.id == id) found = &k;
    }
    return found;
  }

  // The collections the principal belongs to, directly or through others.
  const std::vector<std::pair<std::string, std::string>>& collections() {
    if (collections_ready_) return collections_;
    collections_ready_ = true;
    if (principal_id_.empty()) return collections_;
    std::vector<std::pair<std::string, std::string>> frontier{{principal_type_, principal_id_}};
    for (std::size_t next = 0; next < frontier.size(); ++next) {
      const auto member = frontier[next];
      for (const auto& m : facts_.memberships) {
        if (m.member_type != member.first || m.member_id != member.second) continue;
        std::pair<std::string, std::string> c{m.collection_type, m.collection_id};
        if (std::find(collections_.begin(), collections_.end(), c) != collections_.end()) continue;
        collections_.push_back(c);
        frontier.push_back(c);
      }
    }
    return collections_;
  }

  // --- outcomes --------------------------------------------------------------------

  void deny(const std::string& code, const std::string& why) {
    out_.outcome = policy_monitor() ? Outcome::WouldDeny : Outcome::Deny;
    out_.code = code;
    out_.why += why;
  }

  void allow(SourceKind source, const std::string& why) {
    out_.outcome = Outcome::Allow;
    out_.code = "ALLOW";
    out_.source = source;
    out_.why += why;
  }

  // --- 1. the principal ----------------------------------------------------------------

  bool resolve_principal() {
    principal_type_ = req_.principal_type.empty() ? "user" : std::string(req_.principal_type);
    principal_id_ = req_.principal_id;
    if (!req_.api_key.empty()) {
      key_ = find_key(req_.api_key);
      if (!key_) {
        deny("KEY_UNKNOWN", "the API key is not known");
        return false;
      }
      if (key_->revoked) {
        deny("KEY_REVOKED", "the API key is revoked");
        return false;
      }
      if (key_->expires_at && *key_->expires_at <= now_) {
        deny("KEY_EXPIRED", "the API key has expired");
        return false;
      }
      if (principal_id_.empty()) {
        principal_type_ = key_->principal_type;
        principal_id_ = key_->principal_id;
      } else if (principal_id_ != key_->principal_id || principal_type_ != key_->principal_type) {
        deny("KEY_PRINCIPAL_MISMATCH", "the API key belongs to someone else");
        return false;
      }
    }
    if (!principal_id_.empty()) principal_ = entity(principal_type_, principal_id_);
    // docs/decisions.md: a named principal is in its entity's tenant, else in
    // the default tenant; an anonymous request has no principal tenant.
    if (!principal_id_.empty()) {
      principal_tenant_ = principal_ && !principal_->tenant.empty() ? principal_->tenant : default_tenant();
    }
    // A key may restate its owner's tenant, never contradict it.
    if (key_ && !key_->tenant.empty() && key_->tenant != principal_tenant_) {
      deny("KEY_TENANT_MISMATCH", "the API key names another tenant than its owner's");
      return false;
    }
    return true;
  }

  // --- 2. the request's tenant ------------------------------------------------------

  void resolve_tenant() {
    tenant_ = req_.tenant;
    // The sources in order; without a `tenant from` line, the principal's own.
    std::vector<ast::TenantSource> sources;
    if (!pol_.tenancies.empty()) sources = pol_.tenancies.front().sources;
    if (sources.empty()) sources.push_back(ast::TenantSource{});
    for (const auto& source : sources) {
      if (!tenant_.empty()) break;
      if (source.kind == ast::TenantSource::Kind::Header) {
        for (const auto& h : req_.headers) {
          if (iequals(h.name, source.header.value)) {
            tenant_ = h.value;  // the first header of that name
            break;
          }
        }
      } else {
        tenant_ = principal_tenant_;
      }
    }
    if (tenant_.empty()) tenant_ = default_tenant();
  }

  // --- 3. endpoints ------------------------------------------------------------------

  // The precedence of a pattern matched against the path: one rank per
  // segment (literal 0, end of pattern 1, {param} 2, * 3, ** 4), compared
  // lexicographically — lower is more specific. nullopt: no match.
  static std::optional<std::vector<int>> match(const std::vector<ast::PathSegment>& pattern,
                                               const std::vector<std::string>& segs) {
    std::vector<int> ranks;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      const ast::PathSegment& p = pattern[i];
      if (p.kind == ast::PathSegment::Kind::DoubleStar) {
        ranks.push_back(4);  // the rest of the path, possibly nothing
        return ranks;
      }
      if (i >= segs.size()) return std::nullopt;
      switch (p.kind) {
        case ast::PathSegment::Kind::Literal:
          if (segs[i] != p.text) return std::nullopt;
          ranks.push_back(0);
          break;
        case ast::PathSegment::Kind::Param:
          if (segs[i].empty()) return std::nullopt;
          ranks.push_back(2);
          break;
        case ast::PathSegment::Kind::Star:
          if (segs[i].empty()) return std::nullopt;
          ranks.push_back(3);
          break;
        case ast::PathSegment::Kind::DoubleStar: break;
      }
    }
    if (segs.size() != pattern.size()) return std::nullopt;
    ranks.push_back(1);
    return ranks;
  }

  bool scope_held(const std::string& scope) const {
    if (!key_) return false;
    for (const auto& held : key_->scopes) {
      std::set<std::string> closure;
      scope_closure(held, closure);
      if (closure.count(scope)) return true;
    }
    return false;
  }

  const ast::HttpDecl* http() const { return pol_.https.empty() ? nullptr : &pol_.https.front(); }

  static std::uint8_t caller_bits(ast::CallerKind k) {
    switch (k) {
      case ast::CallerKind::Anonymous: return 1;
      case ast::CallerKind::Session: return 2;
      case ast::CallerKind::Key: return 4;
      case ast::CallerKind::Authenticated: return 6;
    }
    return 0;
  }
  static std::uint8_t caller_bits(const ast::CallersDecl& c) {
    std::uint8_t bits = 0;
    for (const auto k : c.kinds) bits = static_cast<std::uint8_t>(bits | caller_bits(k));
    return bits;
  }
  std::uint8_t request_caller() const { return !req_.api_key.empty() ? 4 : !req_.principal_id.empty() ? 2 : 1; }

  // A value the request carries, looked up by part: Found, Missing or
  // Ambiguous (given more than once). Path parameters come from `values`.
  enum class Got { Found, Missing, Ambiguous };
  struct Carried {
    Got got = Got::Missing;
    AttributeValue::Kind kind = AttributeValue::Kind::String;
    std::string text;
    std::int64_t number = 0;
    bool boolean = false;
  };
  Carried part_value(const ast::ValuePart& part, const ast::EndpointDecl& e, const std::vector<std::string>& values) const {
    Carried out;
    auto found = [&](std::string_view text) {
      if (out.got == Got::Found) {
        out.got = Got::Ambiguous;
        return;
      }
      if (out.got == Got::Missing) {
        out.got = Got::Found;
        out.text = text;
      }
    };
    switch (part.kind) {
      case ast::ValuePart::Kind::Literal: found(part.text); break;
      case ast::ValuePart::Kind::PathParam:
        for (std::size_t i = 0; i < e.segments.size(); ++i) {
          if (e.segments[i].kind == ast::PathSegment::Kind::Param && e.segments[i].text == part.text) found(values[i]);
        }
        break;
      case ast::ValuePart::Kind::Query:
        for (const auto& q : req_.query) {
          if (q.name == part.text) found(q.value);
        }
        break;
      case ast::ValuePart::Kind::Header:
        for (const auto& h : req_.headers) {
          if (iequals(h.name, part.text)) found(h.value);
        }
        break;
      case ast::ValuePart::Kind::Body:
        for (const auto& f : req_.body) {
          if (f.name != part.text) continue;
          if (out.got != Got::Missing) {
            out.got = Got::Ambiguous;
            break;
          }
          out.got = Got::Found;
          out.kind = f.value.kind;
          out.text = f.value.text;
          out.number = f.value.number;
          out.boolean = f.value.boolean;
        }
        break;
    }
    return out;
  }
  // Parts joined as text: strings, and integers in decimal; a boolean is not
  // text (refused like an ambiguous value). Missing when a part is absent.
  Got joined(const std::vector<ast::ValuePart>& parts, const ast::EndpointDecl& e, const std::vector<std::string>& values,
             std::string& out) const {
    out.clear();
    for (const auto& part : parts) {
      const Carried c = part_value(part, e, values);
      if (c.got != Got::Found) return c.got;
      if (c.kind == AttributeValue::Kind::Bool) return Got::Ambiguous;
      out += c.kind == AttributeValue::Kind::Int ? std::to_string(c.number) : c.text;
    }
    if (out.size() > 2048) return Got::Ambiguous;
    return Got::Found;
  }

  void decide_endpoint() {
    static constexpr std::pair<std::string_view, ast::Method> kMethods[] = {
        {"GET", ast::Method::Get},       {"HEAD", ast::Method::Head},     {"POST", ast::Method::Post},
        {"PUT", ast::Method::Put},       {"PATCH", ast::Method::Patch},   {"DELETE", ast::Method::Delete},
        {"OPTIONS", ast::Method::Options}};
    std::optional<ast::Method> method;
    for (const auto& [name, m] : kMethods) {
      if (name == req_.method) method = m;
    }
    out_.endpoint = std::string(req_.method) + " " + std::string(req_.path);
    const RefPath path = reference_normalize(std::string(req_.path), http());
    if (!path.ok) {
      deny("INVALID_PATH", "the path is refused: " + path.error);
      return;
    }
    out_.endpoint = std::string(req_.method) + " " + path.text;
    if (!method) {
      deny("NO_MATCHING_ENDPOINT", "no such method");
      return;
    }
    const std::vector<std::string>& segs = path.segments;
    const ast::EndpointDecl* best = nullptr;
    std::vector<int> best_rank;
    for (const auto& e : pol_.endpoints) {
      const bool method_ok = std::any_of(e.methods.begin(), e.methods.end(),
                                         [&](ast::Method m) { return m == *method || m == ast::Method::Any; });
      if (!method_ok) continue;
      const auto ranks = match(e.segments, segs);
      if (!ranks) continue;
      if (!best || *ranks < best_rank) {
        best = &e;
        best_rank = *ranks;
      }
    }
    if (!best) {
      deny("NO_MATCHING_ENDPOINT", "no endpoint matches");
      return;
    }
    out_.why += "endpoint " + best->pattern.value + "; ";
    out_.endpoint = std::string(req_.method) + " " + best->pattern.value;
    if (best->public_span) {
      allow(SourceKind::Public, "public endpoint");
      return;
    }
    const ast::GroupDecl* group = best->group < pol_.groups.size() ? &pol_.groups[best->group] : nullptr;
    // Callers: the endpoint's, else its group's, else the policy's, else
    // sessions and keys; without an action only keys (nothing else decides).
    std::uint8_t callers = 6;
    if (best->callers) callers = caller_bits(*best->callers);
    else if (group && group->callers) callers = caller_bits(*group->callers);
    else if (http() && http()->callers) callers = caller_bits(*http()->callers);
    if (!best->action) callers &= 4;
    const std::uint8_t caller = request_caller();
    if (!(callers & caller)) {
      deny(caller == 1 ? "UNAUTHENTICATED" : "CALLER_NOT_ALLOWED", "the endpoint does not admit this caller");
      return;
    }
    // Scopes bind API keys only.
    if (caller == 4) {
      std::vector<const ast::Requirement*> requirements;
      for (const auto& r : best->requirements) requirements.push_back(&r);
      if (group) {
        for (const auto& r : group->requirements) requirements.push_back(&r);
      }
      for (const ast::Requirement* r : requirements) {
        bool ok = r->kind == ast::Requirement::Kind::AllOf;
        for (const auto& s : r->scopes) {
          if (r->kind == ast::Requirement::Kind::AllOf) ok = ok && scope_held(s.text);
          else ok = ok || scope_held(s.text);
        }
        if (!ok) {
          deny("SCOPE_MISSING", "a required scope is missing");
          return;
        }
      }
    }
    std::vector<const ast::Rule*> denies;
    if (group) {
      for (const auto& r : group->denies) denies.push_back(&r);
    }
    for (const auto& r : best->denies) denies.push_back(&r);

    if (!best->action) {
      const ast::Rule* monitored = nullptr;
      bool monitored_error = false;
      if (!endpoint_denies(denies, monitored, monitored_error)) return;
      // No rule decides an endpoint without an action: isolation alone, the
      // principal against the request's tenant.
      if (!principal_in_request_tenant()) {
        deny("TENANT_MISMATCH", "the principal is in another tenant than the request");
        return;
      }
      allow(caller == 4 ? (best->requirements.empty() && !(group && !group->requirements.empty()) ? SourceKind::None : SourceKind::Scope)
                        : SourceKind::Caller,
            "the endpoint admits the caller");
      if (monitored) {
        out_.outcome = Outcome::WouldDeny;
        out_.code = monitored_error ? "EVAL_ERROR" : (monitored->code ? monitored->code->text : "PERMISSION_DENIED");
        out_.monitor_rule = monitored->name.text;
      }
      return;
    }
    // The resource id: exactly once, not empty.
    std::string id;
    const ast::IdSource& source = best->action->id;
    if (source.kind != ast::IdSource::Kind::None) {
      if (source.kind == ast::IdSource::Kind::Composite) {
        const Got g = joined(source.parts, *best, path.values, id);
        if (g != Got::Found) {
          deny("INVALID_BINDING", "the resource id cannot be taken from the request");
          return;
        }
      } else {
        const Carried c = part_value(source.parts.front(), *best, path.values);
        if (c.got != Got::Found || c.kind == AttributeValue::Kind::Bool) {
          deny("INVALID_BINDING", "the resource id is missing, ambiguous or not text");
          return;
        }
        id = c.kind == AttributeValue::Kind::Int ? std::to_string(c.number) : c.text;
      }
      if (id.empty()) {
        deny("INVALID_BINDING", "the resource id is empty");
        return;
      }
    }
    // Bound attributes: each may be absent, none may be ambiguous.
    bound_.clear();
    for (const auto& b : best->bindings) {
      const std::string& name = b.target.attrs.front().text;
      if (b.value.size() == 1) {
        const Carried c = part_value(b.value.front(), *best, path.values);
        if (c.got == Got::Missing) continue;
        if (c.got == Got::Ambiguous) {
          deny("INVALID_BINDING", "a bound value is given more than once");
          return;
        }
        bound_.push_back({name, c});
        continue;
      }
      std::string text;
      const Got g = joined(b.value, *best, path.values, text);
      if (g == Got::Missing) continue;
      if (g == Got::Ambiguous) {
        deny("INVALID_BINDING", "a bound value is given more than once");
        return;
      }
      Carried c;
      c.got = Got::Found;
      c.text = text;
      bound_.push_back({name, c});
    }
    if (!set_resource(best->action->resource_type.text, best->action->action.text, id)) return;
    const ast::Rule* monitored = nullptr;
    bool monitored_error = false;
    if (!endpoint_denies(denies, monitored, monitored_error)) return;
    decide_action(best->action->resource_type.text, best->action->action.text, id, monitored, monitored_error);
  }

  // An endpoint's denies, in order: the first enforced one that matches (or
  // errs) denies; the first monitored one that does is remembered.
  bool endpoint_denies(const std::vector<const ast::Rule*>& denies, const ast::Rule*& monitored, bool& monitored_error) {
    for (const ast::Rule* rule : denies) {
      Note ignored;
      const Tri r = eval_rule(*rule, ignored);
      if (r == Tri::False) continue;
      if (rule->monitor_span || policy_monitor()) {
        out_.why += "monitored endpoint deny `" + rule->name.text + "`; ";
        if (!monitored) {
          monitored = rule;
          monitored_error = r == Tri::Error;
        }
        continue;
      }
      out_.rule = rule->name.text;
      if (r == Tri::Error) {
        deny("EVAL_ERROR", "endpoint deny `" + rule->name.text + "` cannot be evaluated");
      } else {
        deny(rule->code ? rule->code->text : "PERMISSION_DENIED", "endpoint deny `" + rule->name.text + "` matches");
      }
      return false;
    }
    return true;
  }

  // --- 4. the action on the resource ---------------------------------------------

  static bool covers(const ast::Rule& rule, const ast::ResourceDecl& type, const std::string& action) {
    const bool type_listed = rule.types.all || std::any_of(rule.types.names.begin(), rule.types.names.end(),
                                                           [&](const ast::Name& n) { return n.text == type.name.text; });
    if (!type_listed) return false;
    return rule.actions.all || std::any_of(rule.actions.names.begin(), rule.actions.names.end(),
                                           [&](const ast::Name& n) { return n.text == action; });
  }

  // The resource asked about, its facts and its tenant; false (with the
  // decision) for a type or action the policy does not declare.
  bool set_resource(const std::string& type_name, const std::string& action, const std::string& id) {
    resource_ = resource_decl(type_name);
    if (!resource_) {
      deny("INVALID_REQUEST", "unknown resource type");
      return false;
    }
    const bool action_known = std::any_of(resource_->actions.begin(), resource_->actions.end(),
                                          [&](const ast::Name& n) { return n.text == action; });
    if (!action_known) {
      deny("INVALID_REQUEST", "unknown action");
      return false;
    }
    action_ = action;
    resource_id_ = id;
    resource_entity_ = id.empty() ? nullptr : entity(type_name, id);
    // The resource's tenant: its entity's (facts first), else the `tenant`
    // the request carries for it (bound by the endpoint, or an attribute),
    // else the request's tenant for the type as a whole and the default
    // tenant for an unknown resource.
    resource_tenant_.clear();
    if (resource_entity_ && !resource_entity_->tenant.empty()) {
      resource_tenant_ = resource_entity_->tenant;
    } else {
      if (const auto t = carried_value(false, "tenant"); t && t->kind == AttributeValue::Kind::String) resource_tenant_ = t->text;
      if (resource_tenant_.empty()) resource_tenant_ = id.empty() ? tenant_ : default_tenant();
    }
    return true;
  }

  // What the request carries for its resource (bindings first) or principal.
  std::optional<Carried> carried_value(bool principal, const std::string& name) const {
    if (!principal) {
      for (const auto& [n, c] : bound_) {
        if (n == name) return c;
      }
    }
    for (const auto& nv : principal ? req_.principal_attributes : req_.resource_attributes) {
      if (nv.name != name) continue;
      Carried c;
      c.got = Got::Found;
      c.kind = nv.value.kind;
      c.text = nv.value.text;
      c.number = nv.value.number;
      c.boolean = nv.value.boolean;
      return c;
    }
    return std::nullopt;
  }

  void decide_action(const std::string& type_name, const std::string& action, const std::string& id,
                     const ast::Rule* endpoint_monitor = nullptr, bool endpoint_monitor_error = false) {
    if (!set_resource(type_name, action, id)) return;
    // Under isolation the principal, when the request names one, must be in
    // the request's tenant too.
    const bool tenant_ok = !isolation() || (resource_tenant_ == tenant_ && principal_in_request_tenant());
    if (!tenant_ok) out_.why += "tenant mismatch; ";

    const bool monitor_policy = policy_monitor();
    const ast::Rule* monitor_deny = endpoint_monitor;
    bool monitor_deny_error = endpoint_monitor_error;
    // Denies, in rule order.
    for (const auto& rule : pol_.rules) {
      if (rule.effect != ast::Effect::Deny || !covers(rule, *resource_, action)) continue;
      Note ignored;
      const Tri r = eval_rule(rule, ignored);
      if (r == Tri::False) continue;
      if (rule.monitor_span || monitor_policy) {
        // A monitored deny only records what enforcing it would do: deny
        // with its code, or with EVAL_ERROR when it cannot be evaluated.
        out_.why += "monitored deny `" + rule.name.text + "` " + (r == Tri::True ? "matches" : "errs") + "; ";
        if (!monitor_deny) {
          monitor_deny = &rule;
          monitor_deny_error = r == Tri::Error;
        }
        continue;
      }
      out_.rule = rule.name.text;
      if (r == Tri::Error) {
        deny("EVAL_ERROR", "deny `" + rule.name.text + "` cannot be evaluated");
      } else {
        deny(rule.code ? rule.code->text : "PERMISSION_DENIED", "deny `" + rule.name.text + "` matches");
      }
      return;
    }
    // Allows, in rule order: the first that matches decides.
    for (const auto& rule : pol_.rules) {
      if (rule.effect != ast::Effect::Allow || !covers(rule, *resource_, action)) continue;
      if (!tenant_ok && !rule.cross_tenant_span) continue;
      Note note;
      const Tri r = eval_rule(rule, note);
      if (r == Tri::Error) out_.why += "allow `" + rule.name.text + "` errs; ";
      if (r != Tri::True) continue;
      out_.rule = rule.name.text;
      out_.by_allow_rule = true;
      out_.source = note.kind;
      out_.grant_id = note.grant_id;
      out_.why += "allow `" + rule.name.text + "` matches";
      if (monitor_deny) {
        out_.outcome = Outcome::WouldDeny;
        out_.code = monitor_deny_error ? "EVAL_ERROR" : (monitor_deny->code ? monitor_deny->code->text : "PERMISSION_DENIED");
        out_.monitor_rule = monitor_deny->name.text;
      } else {
        out_.outcome = Outcome::Allow;
        out_.code = "ALLOW";
      }
      return;
    }
    // 5. Default deny, most telling reason first (runtime choice of order).
    if (principal_id_.empty()) deny("UNAUTHENTICATED", "no rule allows a request that names no principal");
    else if (!tenant_ok) deny("TENANT_MISMATCH", "no cross_tenant rule allows");
    else if (saw_error_) deny("EVAL_ERROR", "no rule allows and some could not be evaluated");
    else if (saw_expired_) deny("GRANT_EXPIRED", "no rule allows; an expired grant was seen");
    else if (saw_revoked_) deny("GRANT_REVOKED", "no rule allows; a revoked grant was seen");
    else deny("PERMISSION_DENIED", "no rule allows");
  }

  // subject, then `when`, then `unless`.
  Tri eval_rule(const ast::Rule& rule, Note& note) {
    const Tri subject = eval_predicate(rule, rule.subject, note);
    if (subject != Tri::True) return subject;
    if (rule.when) {
      Note ignored;
      const Tri w = eval_expr(rule, *rule.when, ignored);
      if (w != Tri::True) return w;
      if (note.kind == SourceKind::Anyone || note.kind == SourceKind::Caller) note.kind = SourceKind::Condition;
    }
    if (rule.unless) {
      Note ignored;
      const Tri u = eval_expr(rule, *rule.unless, ignored);
      if (u == Tri::Error) return Tri::Error;
      if (u == Tri::True) return Tri::False;
    }
    return Tri::True;
  }

  // Conditions, left to right with short-circuit `and` / `or`; an error
  // anywhere evaluated makes the whole condition an error.
  Tri eval_expr(const ast::Rule& rule, ast::ExprId id, Note& note) {
    const ast::Expr& e = rule.exprs.at(id);
    switch (e.kind) {
      case ast::Expr::Kind::And: {
        const Tri l = eval_expr(rule, e.lhs, note);
        if (l != Tri::True) return l;
        return eval_expr(rule, e.rhs, note);
      }
      case ast::Expr::Kind::Or: {
        const Tri l = eval_expr(rule, e.lhs, note);
        if (l != Tri::False) return l;
        return eval_expr(rule, e.rhs, note);
      }
      case ast::Expr::Kind::Not: {
        const Tri l = eval_expr(rule, e.lhs, note);
        if (l == Tri::Error) return l;
        return l == Tri::True ? Tri::False : Tri::True;
      }
      case ast::Expr::Kind::Predicate: return eval_predicate(rule, e.predicate, note);
      case ast::Expr::Kind::Has: return eval_path(e.left.path) ? Tri::True : Tri::False;
      case ast::Expr::Kind::Compare: {
        std::optional<Typed> left, right;
        if (e.left.kind == ast::Operand::Kind::Path && !(left = eval_path(e.left.path))) return error();
        if (e.right.kind == ast::Operand::Kind::Path && !(right = eval_path(e.right.path))) return error();
        if (!left) left = literal_as(*right, e.left.literal);
        if (!right) right = literal_as(*left, e.right.literal);
        if (!left || !right) return error();
        return compare(e.op, *left, *right) ? Tri::True : Tri::False;
      }
      case ast::Expr::Kind::In: {
        const auto left = eval_path(e.left.path);
        if (!left) return error();
        switch (e.set.kind) {
          case ast::SetExpr::Kind::List:
            for (const auto& item : e.set.items) {
              std::optional<Typed> v;
              if (item.kind == ast::Operand::Kind::Path) {
                v = eval_path(item.path);
                if (!v) return error();
              } else {
                v = literal_as(*left, item.literal);
                if (!v) return error();
              }
              if (compare(ast::CompareOp::Eq, *left, *v)) return Tri::True;
            }
            return Tri::False;
          case ast::SetExpr::Kind::Cidr: return in_network(left->address, e.set.first.value) ? Tri::True : Tri::False;
          case ast::SetExpr::Kind::Hours: {
            const std::int64_t minute = ((left->number % 86400 + 86400) % 86400) / 60;
            const int start = minutes_of(e.set.first.value), end = minutes_of(e.set.second.value);
            const bool in = start <= end ? (minute >= start && minute < end) : (minute >= start || minute < end);
            return in ? Tri::True : Tri::False;
          }
        }
        return error();
      }
      case ast::Expr::Kind::Truthy: {
        if (e.left.kind == ast::Operand::Kind::Literal) return e.left.literal.bool_value ? Tri::True : Tri::False;
        const auto v = eval_path(e.left.path);
        if (!v) return error();
        return v->number ? Tri::True : Tri::False;
      }
    }
    return error();
  }

  Tri error() {
    saw_error_ = true;
    return Tri::Error;
  }

  // The value at an attribute path; nullopt when missing or not readable as
  // its declared type (an evaluation error).
  std::optional<Typed> eval_path(const ast::AttrPath& path) {
    struct Cursor {
      bool context = false;
      bool principal = false;
      bool root = true;
      bool carried = false;  // `request.…`: what the request carries, never the facts
      std::string type;
      std::string id;
      const Entity* entity = nullptr;
    } c;
    ast::AttrPath::Root root = path.root;
    std::size_t first = 0;
    if (root == ast::AttrPath::Root::Request) {
      c.carried = true;
      root = path.attrs.front().text == "principal" ? ast::AttrPath::Root::Principal : ast::AttrPath::Root::Resource;
      first = 1;
    }
    switch (root) {
      case ast::AttrPath::Root::Principal:
        c.principal = true;
        c.type = principal_type_;
        c.id = principal_id_;
        c.entity = c.carried ? nullptr : principal_;
        break;
      case ast::AttrPath::Root::Resource:
        c.type = resource_->name.text;
        c.id = resource_id_;
        c.entity = c.carried ? nullptr : resource_entity_;
        break;
      case ast::AttrPath::Root::Context:
      case ast::AttrPath::Root::Request:
        c.context = true;
        break;
    }
    // What the request carries for the cursor: only for its own entities.
    auto carried_here = [&](const std::string& name) -> std::optional<Carried> {
      if (!c.root) return std::nullopt;
      if (!c.context) return carried_value(c.principal, name);
      for (const auto& nv : req_.context) {
        if (nv.name != name) continue;
        Carried out;
        out.got = Got::Found;
        out.kind = nv.value.kind;
        out.text = nv.value.text;
        out.number = nv.value.number;
        out.boolean = nv.value.boolean;
        return out;
      }
      return std::nullopt;
    };
    for (std::size_t i = first; i < path.attrs.size(); ++i) {
      const std::string& name = path.attrs[i].text;
      std::optional<Typed> v;
      const ast::AttributeDecl* declared = nullptr;
      if (c.context) {
        if (name == "time") {
          // Runtime choice (docs/decisions.md): a request without a time is
          // decided at the wall-clock time, which is also `context.time`.
          v = Typed{TypeKind::Time, {}, now_, {}, {}};
        } else if (name == "client_ip") {
          // docs/decisions.md: explicit client_ip, else the peer and the
          // forwarding headers through trusted proxies.
          const auto a = reference_client_address(req_, http());
          if (!a) return std::nullopt;
          v = Typed{TypeKind::Ip, {}, 0, a->address, {}};
        } else if (name == "request_id") {
          if (req_.request_id.empty()) return std::nullopt;
          v = Typed{TypeKind::String, std::string(req_.request_id), 0, {}, {}};
        } else if (name == "method") {
          if (req_.method.empty()) return std::nullopt;
          v = Typed{TypeKind::String, std::string(req_.method), 0, {}, {}};
        } else {
          for (const auto& ctx : pol_.contexts) {
            for (const auto& a : ctx.attributes) {
              if (a.name.text == name) declared = &a;
            }
          }
          if (!declared) return std::nullopt;
        }
      } else {
        // Runtime choice: an entity of a type the policy does not declare
        // has no attributes at all, except the request's own principal,
        // which always has `id` and `tenant` (docs/language.md: "every
        // principal has the built-in attributes").
        static const std::vector<ast::AttributeDecl> kNoAttributes;
        const std::vector<ast::AttributeDecl>* attributes = nullptr;
        if (c.principal) {
          if (const auto* d = principal_decl(c.type)) attributes = &d->attributes;
          if (!attributes && c.root && (name == "id" || name == "tenant")) attributes = &kNoAttributes;
        } else if (const auto* d = resource_decl(c.type)) {
          attributes = &d->attributes;
        }
        if (!attributes) return std::nullopt;
        if (name == "id") {
          if (c.id.empty()) return std::nullopt;
          v = Typed{TypeKind::String, c.id, 0, {}, {}};
        } else if (name == "tenant" && c.carried && c.root) {
          const auto t = carried_here("tenant");
          if (!t || t->kind != AttributeValue::Kind::String) return std::nullopt;
          v = Typed{TypeKind::String, t->text, 0, {}, {}};
        } else if (name == "tenant") {
          v = Typed{TypeKind::String, tenant_of(c.root, c.principal, c.entity), 0, {}, {}};
        } else {
          for (const auto& a : *attributes) {
            if (a.name.text == name) declared = &a;
          }
          if (!declared) return std::nullopt;
        }
      }
      if (declared) {
        // Facts first, then the attributes the request carries for its own
        // principal, resource and context.
        bool found = false;
        if (c.entity) {
          for (const auto& [n, fv] : c.entity->attributes) {
            if (n != name) continue;
            v = read_as(declared->type, static_cast<AttributeValue::Kind>(fv.kind), fv.text, fv.number, fv.boolean);
            if (!v) return std::nullopt;
            found = true;
            break;
          }
        }
        if (!found) {
          if (const auto carried = carried_here(name)) {
            v = read_as(declared->type, carried->kind, carried->text, carried->number, carried->boolean);
            if (!v) return std::nullopt;
            found = true;
          }
        }
        if (!found) return std::nullopt;
      }
      if (i + 1 == path.attrs.size()) return v;
      // Follow the reference to the next entity.
      if (v->kind != TypeKind::Entity) return std::nullopt;
      c.context = false;
      c.principal = principal_decl(v->entity_type) != nullptr;
      c.root = false;
      c.type = v->entity_type;
      c.id = v->text;
      c.entity = entity(c.type, c.id);
      c.carried = false;
    }
    return std::nullopt;
  }

  std::string tenant_of(bool root, bool principal, const Entity* e) const {
    if (root && !principal) return resource_tenant_;
    if (root && principal) return principal_tenant_.empty() ? default_tenant() : principal_tenant_;
    return e && !e->tenant.empty() ? e->tenant : default_tenant();
  }

  // The entity an `in` / `of` path names: (type, id).
  std::optional<std::pair<std::string, std::string>> entity_at(const ast::AttrPath& path) {
    const auto v = eval_path(path);
    if (!v || v->kind != TypeKind::Entity) return std::nullopt;
    return std::make_pair(v->entity_type, v->text);
  }

  // --- subject forms -------------------------------------------------------------------

  Tri eval_predicate(const ast::Rule& rule, const ast::Predicate& p, Note& note) {
    (void)rule;
    switch (p.kind) {
      case ast::Predicate::Kind::Anyone:
        note.kind = SourceKind::Anyone;
        return Tri::True;
      case ast::Predicate::Kind::Caller:
        if (!(caller_bits(p.caller) & request_caller())) return Tri::False;
        note.kind = SourceKind::Caller;
        return Tri::True;
      case ast::Predicate::Kind::Role: {
        std::optional<std::pair<std::string, std::string>> within;
        if (p.in) {
          within = entity_at(*p.in);
          if (!within) return error();
        }
        if (principal_id_.empty()) return Tri::False;
        for (const auto& r : facts_.roles) {
          if (r.principal_type != principal_type_ || r.principal_id != principal_id_) continue;
          // Runtime choice: a global assignment holds within every entity.
          const bool global = r.scope_type.empty();
          if (!global && (!within || r.scope_type != within->first || r.scope_id != within->second)) continue;
          if (!role_decl(r.role) || !role_holds(r.role, p.name.text)) continue;
          note.kind = SourceKind::Role;
          return Tri::True;
        }
        return Tri::False;
      }
      case ast::Predicate::Kind::Scope:
        if (!scope_held(p.name.text)) return Tri::False;
        note.kind = SourceKind::Scope;
        return Tri::True;
      case ast::Predicate::Kind::Grant: return eval_grant(p, note);
      case ast::Predicate::Kind::Member: {
        if (!p.in) return error();
        const auto target = entity_at(*p.in);
        if (!target) return error();
        const auto& cs = collections();
        if (std::find(cs.begin(), cs.end(), *target) == cs.end()) return Tri::False;
        note.kind = SourceKind::Membership;
        return Tri::True;
      }
    }
    return error();
  }

  // `grant [>= L] [in PATH]`: the grants on the target that reach the
  // principal (directly or through its collections), in two tiers — on the
  // target itself, else on every resource of its type ("*"). The first tier
  // with an active, unexpired grant decides, by its highest level (runtime
  // choice on ties: the smallest grant id). Inactive and expired grants are
  // remembered for the default deny's code.
  Tri eval_grant(const ast::Predicate& p, Note& note) {
    std::string target_type, target_id;
    if (p.in) {
      const auto target = entity_at(*p.in);
      if (!target) return error();
      target_type = target->first;
      target_id = target->second;
    } else {
      if (resource_id_.empty()) return Tri::False;
      target_type = resource_->name.text;
      target_id = resource_id_;
    }
    const auto& cs = collections();
    const std::string tiers[2] = {target_id, "*"};
    for (int tier = 0; tier < 2; ++tier) {
      const Grant* best = nullptr;
      int best_rank = -1;
      for (const auto& g : facts_.grants) {
        if (g.resource_type != target_type || g.resource_id != tiers[tier]) continue;
        const bool direct = g.subject_type == principal_type_ && g.subject_id == principal_id_;
        const std::pair<std::string, std::string> subject{g.subject_type, g.subject_id};
        if (!direct && std::find(cs.begin(), cs.end(), subject) == cs.end()) continue;
        const auto rank = level_rank(g.level);
        if (!rank) continue;
        if (!g.active) {
          saw_revoked_ = true;
          continue;
        }
        if (g.expires_at && *g.expires_at <= now_) {
          saw_expired_ = true;
          continue;
        }
        if (!best || *rank > best_rank || (*rank == best_rank && g.id < best->id)) {
          best = &g;
          best_rank = *rank;
        }
      }
      if (!best) continue;
      bool permits = false;
      if (!p.name.text.empty()) {
        const auto wanted = level_rank(p.name.text);
        permits = wanted && best_rank >= *wanted;
      } else if (target_type == resource_->name.text) {
        permits = level_permits(*resource_, best_rank, action_);
      } else {
        permits = true;  // runtime choice: a grant on another entity, any level
      }
      if (!permits) return Tri::False;
      const bool direct = best->subject_type == principal_type_ && best->subject_id == principal_id_;
      note.kind = tier == 1 ? SourceKind::TypeGrant : direct ? SourceKind::DirectGrant : SourceKind::TeamGrant;
      note.grant_id = best->id;
      return Tri::True;
    }
    return Tri::False;
  }

  const ast::Policy& pol_;
  const FactSet& facts_;
  const Request& req_;
  RefDecision out_;

  std::int64_t now_ = 0;
  std::string principal_type_;
  std::string principal_id_;
  const Entity* principal_ = nullptr;
  const ApiKey* key_ = nullptr;
  std::string principal_tenant_;
  std::string tenant_;

  const ast::ResourceDecl* resource_ = nullptr;
  std::string action_;
  std::string resource_id_;
  const Entity* resource_entity_ = nullptr;
  std::string resource_tenant_;
  std::vector<std::pair<std::string, Carried>> bound_;  // what the endpoint bound, by attribute

  bool collections_ready_ = false;
  std::vector<std::pair<std::string, std::string>> collections_;

  bool saw_error_ = false;
  bool saw_expired_ = false;
  bool saw_revoked_ = false;
};

}  // namespace

ReferenceEvaluator::ReferenceEvaluator(const std::string& policy_dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(policy_dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".warden") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.filename().string() < b.filename().string(); });
  if (files.empty()) throw std::runtime_error("no .warden files in " + policy_dir);
  SourceSet sources;
  DiagnosticSink sink;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + f.string());
    std::ostringstream text;
    text << in.rdbuf();
    const std::uint32_t index = sources.add(f.string(), text.str());
    grammar::parse_file(sources, index, policy_, sink);
  }
  if (sink.has_errors()) throw std::runtime_error("syntax errors in " + policy_dir);
  // Rules are tried in the order they are written in their file, and rules
  // of different files by their position in it, then by name
  // (docs/decisions.md "Which rule decides"), not in the order of the files.
  std::map<std::uint32_t, std::uint32_t> next_in_file;
  std::vector<std::pair<std::uint32_t, ast::Rule>> placed;
  for (auto& rule : policy_.rules) {
    const std::uint32_t at = next_in_file[rule.name.span.file]++;
    placed.emplace_back(at, std::move(rule));
  }
  std::stable_sort(placed.begin(), placed.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.name.text < b.second.name.text;
  });
  policy_.rules.clear();
  for (auto& [at, rule] : placed) policy_.rules.push_back(std::move(rule));
}

RefDecision ReferenceEvaluator::decide(const FactSet& facts, const Request& request) const {
  return Run(policy_, facts, request).decide();
}

std::vector<std::string> ReferenceEvaluator::authorized(const FactSet& facts, const Request& request,
                                                        const std::string& action, const std::string& type,
                                                        const std::vector<std::string>& candidates) const {
  std::vector<std::string> out;
  for (const auto& id : candidates) {
    Request r = request;
    r.method = {};
    r.path = {};
    r.action = action;
    r.resource_type = type;
    r.resource_id = id;
    if (decide(facts, r).outcome != Outcome::Deny) out.push_back(id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace warden::test
