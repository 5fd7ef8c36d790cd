// The checked model: what compiler/check produces from the AST and what the
// lowering stage (decision table + serialization) consumes.
//
// Pipeline position: grammar::parse -> ast::Policy -> compiler::check ->
// CheckedPolicy -> lowering. Everything here is resolved: names are dense ids
// (uint32 indices into vectors kept in declaration order), strings are interned
// in one pool, hierarchies are closed (role, scope, membership, level->action),
// literals are converted to typed values. The model is a plain value type with
// no pointers and nothing ordered by hash-map iteration, so compiling the same
// sources twice gives equal models. Every element keeps the Span it came from
// so later stages (and explanations) can point back to the source.
//
// The model is meaningful only when the DiagnosticSink passed to check() holds
// no errors; with errors, unresolved references are kNone.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/source.hpp"

namespace warden::compiler {

using Id = std::uint32_t;
using StringId = Id;
inline constexpr Id kNone = 0xffffffffu;

// --- id sets -----------------------------------------------------------------

// A set of dense ids below a fixed universe, as 64-bit words. Used for every
// closure (scopes, roles, membership, level actions).
class IdSet {
 public:
  IdSet() = default;
  explicit IdSet(std::size_t universe);

  std::size_t universe() const { return universe_; }
  bool contains(Id id) const;
  void insert(Id id);
  void erase(Id id);
  // Union with `other` (same universe); returns whether anything was added.
  bool insert_all(const IdSet& other);
  bool is_subset_of(const IdSet& other) const;
  bool intersects(const IdSet& other) const;
  std::size_t size() const;
  bool empty() const { return size() == 0; }
  // Members in ascending order.
  std::vector<Id> ids() const;
  const std::vector<std::uint64_t>& words() const { return words_; }

  template <class Archive>
  void serialize(Archive& ar) {
    ar(universe_, words_);
  }

  friend bool operator==(const IdSet&, const IdSet&) = default;

 private:
  std::uint32_t universe_ = 0;
  std::vector<std::uint64_t> words_;
};

// --- interned strings ----------------------------------------------------------

// Every name and string of the policy, stored once; ids in first-intern order.
class StringPool {
 public:
  StringId intern(std::string_view s);
  std::optional<StringId> find(std::string_view s) const;
  const std::string& str(StringId id) const { return strings_.at(id); }
  std::size_t size() const { return strings_.size(); }
  const std::vector<std::string>& strings() const { return strings_; }

  friend bool operator==(const StringPool& a, const StringPool& b) { return a.strings_ == b.strings_; }

 private:
  std::vector<std::string> strings_;
  std::map<std::string, StringId, std::less<>> index_;  // lookup only
};

// --- policy-wide settings ----------------------------------------------------------

enum class Mode : std::uint8_t { Enforce, Monitor };

struct TenantSource {
  enum class Kind : std::uint8_t { Header, Principal } kind = Kind::Principal;
  StringId header = kNone;  // Kind::Header: the header name
  Span span;                // invalid for the implied default source
  friend bool operator==(const TenantSource&, const TenantSource&) = default;
};

struct Tenancy {
  bool declared = false;   // a `tenancy` block was given
  bool isolation = false;  // `isolation on`
  // Sources in the order tried. Without `tenant from`, one implied source:
  // the principal's own tenant.
  std::vector<TenantSource> sources;
  StringId default_tenant = kNone;  // `default "…"`, else "default"
  Span span;
  friend bool operator==(const Tenancy&, const Tenancy&) = default;
};

// --- scopes, levels, roles -------------------------------------------------------

struct ScopeImplication {
  enum class Kind : std::uint8_t { Exact, Family, All } kind = Kind::Exact;
  StringId text = kNone;  // Exact: the scope name; Family: the prefix without `:*`
  Id scope = kNone;       // Exact: the implied scope
  IdSet matches;          // Family/All: the declared scopes it stands for (self excluded)
  Span span;
  friend bool operator==(const ScopeImplication&, const ScopeImplication&) = default;
};

struct Scope {
  StringId name = kNone;
  Span span;  // the name in `scope NAME`
  std::vector<ScopeImplication> implies;
  IdSet closure;  // every scope a key holding this one holds: itself and all implied, transitively
  friend bool operator==(const Scope&, const Scope&) = default;
};

// Levels in chain order, lowest first: a level's id is its rank.
struct Level {
  StringId name = kNone;
  Span span;
  friend bool operator==(const Level&, const Level&) = default;
};

struct Role {
  StringId name = kNone;
  Span span;
  std::vector<Id> parents;  // `inherits`, resolved, in written order
  std::vector<Span> parent_spans;
  IdSet holds;    // the roles a holder of this role holds: itself and all ancestors
  IdSet held_by;  // the roles whose holders hold this one: itself and all descendants
  friend bool operator==(const Role&, const Role&) = default;
};

// --- types ----------------------------------------------------------------------

enum class EntityKind : std::uint8_t { Principal, Resource, Context };

// A principal type, resource type or the request context.
struct EntityRef {
  EntityKind kind = EntityKind::Principal;
  Id index = kNone;  // into principals / resources; 0 for the context
  friend bool operator==(const EntityRef&, const EntityRef&) = default;
  friend auto operator<=>(const EntityRef&, const EntityRef&) = default;
};

struct ValueType {
  enum class Kind : std::uint8_t { String, Int, Bool, Time, Ip, Enum, Entity } kind = Kind::String;
  Id enum_id = kNone;  // Kind::Enum: into CheckedPolicy::enums
  EntityRef entity;    // Kind::Entity: the referenced principal or resource type
  friend bool operator==(const ValueType&, const ValueType&) = default;
};

// An enum type. Identical value lists (same names, same order) share one id,
// so enum type equality is id equality; a value is its index in `values`.
struct EnumType {
  std::vector<StringId> values;
  friend bool operator==(const EnumType&, const EnumType&) = default;
};

struct Attribute {
  StringId name = kNone;
  ValueType type;
  bool builtin = false;  // id/tenant, time/client_ip/request_id
  Span span;             // the name; invalid for built-ins
  friend bool operator==(const Attribute&, const Attribute&) = default;
};

// Built-in attribute ids, fixed for every type.
inline constexpr Id kAttrId = 0;      // principal/resource `id: string`
inline constexpr Id kAttrTenant = 1;  // principal/resource `tenant: string`
inline constexpr Id kAttrTime = 0;        // context `time: time`
inline constexpr Id kAttrClientIp = 1;    // context `client_ip: ip`
inline constexpr Id kAttrRequestId = 2;   // context `request_id: string`
inline constexpr Id kAttrMethod = 3;      // context `method: string` (HTTP requests)

struct PrincipalType {
  StringId name = kNone;
  Span span;
  std::vector<Attribute> attributes;  // built-ins first, then declared order
  std::vector<Id> member_of;          // direct collections, resolved
  std::vector<Span> member_of_spans;
  IdSet collections;  // every collection type it inherits grants from, transitively (self excluded)
  friend bool operator==(const PrincipalType&, const PrincipalType&) = default;
};

struct Action {
  StringId name = kNone;
  Span span;
  friend bool operator==(const Action&, const Action&) = default;
};

struct LevelMap {
  Id level = kNone;
  std::vector<Id> actions;  // action ids of the type, as written
  Span span;                // the level name
  friend bool operator==(const LevelMap&, const LevelMap&) = default;
};

struct ResourceType {
  StringId name = kNone;
  Span span;
  std::vector<Attribute> attributes;  // built-ins first, then declared order
  std::vector<Action> actions;        // declared order; an action's id is its index
  std::vector<Id> grantees;           // `grants to`: principal type ids
  std::vector<Span> grantee_spans;
  // Principal types that can hold grants here directly or through their
  // collections: p such that p or one of p's collections is a grantee.
  IdSet effective_grantees;
  std::vector<LevelMap> level_maps;  // as written
  // Per level id: the actions a grant of that level permits, closed over the
  // level order (a level permits its own actions and those of every lower one).
  std::vector<IdSet> level_actions;
  friend bool operator==(const ResourceType&, const ResourceType&) = default;
};

struct ContextType {
  std::vector<Attribute> attributes;  // time, client_ip, request_id, then declared
  Span span;                          // the `context` block, when declared
  friend bool operator==(const ContextType&, const ContextType&) = default;
};

// --- endpoints ------------------------------------------------------------------

enum class Method : std::uint8_t { Get, Head, Post, Put, Patch, Delete, Options };
inline constexpr std::size_t kMethodCount = 7;
using MethodMask = std::uint8_t;  // bit i = Method i
inline constexpr MethodMask kAnyMethod = 0x7f;
const char* method_name(Method m);

struct Segment {
  enum class Kind : std::uint8_t { Literal, Param, Star, DoubleStar } kind = Kind::Literal;
  StringId text = kNone;  // literal text or parameter name
  Span span;
  friend bool operator==(const Segment&, const Segment&) = default;
};

struct ScopeRequirement {
  enum class Kind : std::uint8_t { AllOf, AnyOf } kind = Kind::AllOf;
  std::vector<Id> scopes;  // scope ids as written
  Span span;
  friend bool operator==(const ScopeRequirement&, const ScopeRequirement&) = default;
};

// Caller kinds as bits: `callers …;` is a mask of them, and so is the
// argument of a caller predicate (`authenticated` is session | key).
inline constexpr std::uint8_t kCallerAnonymous = 1;
inline constexpr std::uint8_t kCallerSession = 2;
inline constexpr std::uint8_t kCallerKey = 4;
inline constexpr std::uint8_t kCallersAll = 7;
inline constexpr std::uint8_t kCallersDefault = kCallerSession | kCallerKey;  // without `callers`

// One piece of a value taken from the request (ids, bindings).
struct ValuePart {
  enum class Kind : std::uint8_t { PathParam, Query, Header, Body, Literal } kind = Kind::PathParam;
  StringId text = kNone;  // the name (parameter, query key, header, body field) or the literal
  Id segment = kNone;     // PathParam: index of the `{param}` segment in the pattern
  Span span;
  friend bool operator==(const ValuePart&, const ValuePart&) = default;
};

struct IdSource {
  enum class Kind : std::uint8_t { None, PathParam, Query, Header, Body, Composite } kind = Kind::None;
  StringId name = kNone;  // single kinds: parameter, query key, header or body field name
  Id segment = kNone;     // PathParam: index of the `{param}` segment
  std::vector<ValuePart> parts;  // Composite: the parts, joined in order
  Span span;
  friend bool operator==(const IdSource&, const IdSource&) = default;
};

// `bind resource.ATTR = VALUE;`
struct Binding {
  Id attribute = kNone;  // attribute of the endpoint's resource type
  std::vector<ValuePart> parts;
  Span span;
  friend bool operator==(const Binding&, const Binding&) = default;
};

struct EndpointAction {
  Id resource_type = kNone;
  Id action = kNone;  // action id on resource_type
  IdSource id;
  Span span;
  friend bool operator==(const EndpointAction&, const EndpointAction&) = default;
};

struct Endpoint {
  MethodMask methods = 0;
  bool any_method = false;  // written as ANY
  std::vector<Span> method_spans;
  StringId pattern = kNone;  // as written
  Span pattern_span;
  std::vector<Segment> segments;  // empty for "/"
  std::vector<ScopeRequirement> requirements;  // every one must hold
  std::optional<EndpointAction> action;
  bool is_public = false;
  Span public_span;
  std::uint8_t callers = kCallersDefault;  // the effective caller mask (own, else group's, else `http`'s)
  std::vector<Binding> bindings;
  std::vector<Id> denies;  // rule ids: the group's denies, then its own, in source order
  Id group = kNone;        // into CheckedPolicy::groups
  Span span;
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

struct Group {
  StringId name = kNone;
  Span span;  // the name
  friend bool operator==(const Group&, const Group&) = default;
};

// --- rule conditions --------------------------------------------------------------

// One step of a resolved attribute path.
struct AttrRef {
  EntityRef type;
  Id attribute = kNone;  // index into that type's attributes
  friend bool operator==(const AttrRef&, const AttrRef&) = default;
};

// A resolved path such as `resource.org.status`.
struct Path {
  enum class Root : std::uint8_t { Principal, Resource, Context } root = Root::Principal;
  // The first attribute, resolved for every type the root may stand for:
  // Context: the context; Resource: each of the rule's resource types (all
  // declare it, with one type); Principal: each principal type declaring it.
  std::vector<AttrRef> first;
  // The following attributes, each reached through an entity reference.
  std::vector<AttrRef> rest;
  std::vector<StringId> names;  // every attribute name as written (after `request.resource` / `request.principal`)
  ValueType type;               // the type of the final attribute
  // `request.resource.…` / `request.principal.…`: the first attribute is what
  // the request itself carries (bound by the endpoint or given in process),
  // never the facts.
  bool carried = false;
  Span span;
  friend bool operator==(const Path&, const Path&) = default;
};

enum class ValueKind : std::uint8_t { String, Int, Bool, Enum, Time, Ip, Cidr, Hours };

// A literal converted to its typed value.
struct Value {
  ValueKind kind = ValueKind::Bool;
  std::int64_t number = 0;   // Int: the value; Bool: 0/1; Enum: value index; Time: Unix seconds (UTC)
  StringId string = kNone;   // String (also an entity id)
  Id enum_id = kNone;        // Enum
  std::array<std::uint8_t, 16> address{};  // Ip, Cidr: IPv6, or IPv4 mapped as ::ffff:a.b.c.d
  std::uint8_t prefix = 0;   // Cidr: prefix length over the 128-bit address
  bool ipv4 = false;         // Ip, Cidr: written as IPv4
  std::uint16_t start_minute = 0;  // Hours: minute of day, start inclusive
  std::uint16_t end_minute = 0;    // Hours: end exclusive (1440 = midnight); start > end wraps
  Span span;
  friend bool operator==(const Value&, const Value&) = default;
};

struct Operand {
  enum class Kind : std::uint8_t { Path, Value } kind = Kind::Value;
  Id path = kNone;  // Kind::Path: into Rule::paths
  Value value;      // Kind::Value
  Span span;
  friend bool operator==(const Operand&, const Operand&) = default;
};

// A subject form: as a rule's subject or as a condition.
struct Predicate {
  enum class Kind : std::uint8_t { Anyone, Role, Scope, Grant, Member, Caller } kind = Kind::Anyone;
  Id id = kNone;       // Role: role id; Scope: scope id; Grant: minimum level id (kNone: any level); Caller: caller mask
  Id in_path = kNone;  // Role/Grant `in PATH`, Member `of PATH`: into Rule::paths
  Span span;
  friend bool operator==(const Predicate&, const Predicate&) = default;
};

enum class CompareOp : std::uint8_t { Eq, Ne, Lt, Le, Gt, Ge };

struct Condition {
  enum class Kind : std::uint8_t {
    And,        // lhs and rhs
    Or,         // lhs or rhs
    Not,        // not lhs
    Compare,    // left op right
    InList,     // left in [items]
    InCidr,     // left (ip) in right.value (cidr)
    InHours,    // left (time) in right.value (hours)
    Test,       // left alone: a bool path or a bool literal
    Predicate,  // predicate
    Has,        // left (a path) has a value of its declared type
  } kind = Kind::Test;
  Id lhs = kNone, rhs = kNone;  // And/Or/Not: indices into Rule::conditions
  CompareOp op = CompareOp::Eq;
  // The type both sides are compared at; entity references compare as their
  // ids, so this is String for them. Compare/InList only.
  ValueType operand_type;
  Operand left, right;
  std::vector<Operand> items;  // InList
  Predicate predicate;         // Predicate
  Span span;
  friend bool operator==(const Condition&, const Condition&) = default;
};

// The `http` block (defaults when absent).
struct Http {
  enum class DotSegments : std::uint8_t { Resolve, Reject };
  enum class EmptySegments : std::uint8_t { Merge, Keep, Reject };
  enum class EncodedSlash : std::uint8_t { Reject, Decode, Keep };
  enum class TrailingSlash : std::uint8_t { Strict, Ignore };
  enum class Semicolons : std::uint8_t { Reject, Keep, Strip };
  enum class ClientIp : std::uint8_t { Peer, Forwarded, Header };
  bool declared = false;
  DotSegments dot_segments = DotSegments::Resolve;
  EmptySegments empty_segments = EmptySegments::Merge;
  EncodedSlash encoded_slash = EncodedSlash::Reject;
  TrailingSlash trailing_slash = TrailingSlash::Strict;
  Semicolons semicolons = Semicolons::Reject;
  ClientIp client_ip = ClientIp::Peer;
  StringId client_ip_header = kNone;  // ClientIp::Header
  std::vector<Value> trusted_proxies;  // Cidr values
  std::uint8_t callers = kCallersDefault;  // what an endpoint admits when neither it nor its group says
  Span span;
  friend bool operator==(const Http&, const Http&) = default;
};

// --- rules ----------------------------------------------------------------------

enum class Effect : std::uint8_t { Allow, Deny };

// One resource type a rule covers and the actions it covers on it.
struct RuleTarget {
  Id resource_type = kNone;
  std::vector<Id> actions;  // action ids on resource_type, ascending
  friend bool operator==(const RuleTarget&, const RuleTarget&) = default;
};

struct MessagePart {
  enum class Kind : std::uint8_t { Literal, Path, Action, Tenant } kind = Kind::Literal;
  StringId text = kNone;  // Literal: the text; others: the placeholder as written
  Id path = kNone;        // Path: into Rule::paths
  Span span;              // placeholders: the `{…}` inside the string
  friend bool operator==(const MessagePart&, const MessagePart&) = default;
};

struct Rule {
  Effect effect = Effect::Allow;
  StringId name = kNone;
  Span name_span;
  Predicate subject;
  bool all_actions = false;  // `to *`
  bool all_types = false;    // `on *`
  // Covered (type, actions), ascending by type id. With `on *`, every type
  // declaring at least one of the actions; with `to *`, all of a type's actions.
  std::vector<RuleTarget> targets;
  std::vector<Path> paths;            // arena for subject, conditions and message
  std::vector<Condition> conditions;  // arena; children precede parents
  Id when = kNone;    // root condition, or kNone
  Id unless = kNone;  // root condition, or kNone
  StringId code = kNone;  // `code NAME`, else PERMISSION_DENIED
  Span code_span;         // invalid when defaulted
  bool has_message = false;
  std::vector<MessagePart> message;
  Span message_span;
  bool monitor = false;  // this rule's own `monitor` clause
  Span monitor_span;
  bool cross_tenant = false;
  Span cross_tenant_span;
  // An endpoint's or a group's `deny`: no targets; evaluated for the
  // requests routed to its endpoints (Endpoint::denies).
  Id endpoint = kNone;  // into CheckedPolicy::endpoints
  Id group = kNone;     // into CheckedPolicy::groups
  Span span;
  friend bool operator==(const Rule&, const Rule&) = default;
};

// --- the whole policy ----------------------------------------------------------------

struct CheckedPolicy {
  StringPool strings;
  StringId name = kNone;  // `policy NAME`; kNone when absent (named after its directory by the caller)
  Span name_span;
  Mode mode = Mode::Enforce;
  Span mode_span;
  Tenancy tenancy;
  std::vector<Scope> scopes;
  std::vector<Level> levels;
  std::vector<Role> roles;
  std::vector<EnumType> enums;
  std::vector<PrincipalType> principals;
  std::vector<ResourceType> resources;
  ContextType context;
  std::vector<Endpoint> endpoints;
  std::vector<Group> groups;
  Http http;
  // The rules: every top-level rule in source order, then the endpoints' and
  // groups' denies (Rule::endpoint / Rule::group set).
  std::vector<Rule> rules;

  // Name lookups (linear; for tools and tests, not for hot paths).
  std::optional<Id> find_scope(std::string_view name) const;
  std::optional<Id> find_level(std::string_view name) const;
  std::optional<Id> find_role(std::string_view name) const;
  std::optional<Id> find_principal(std::string_view name) const;
  std::optional<Id> find_resource(std::string_view name) const;
  std::optional<Id> find_action(Id resource_type, std::string_view name) const;
  std::optional<Id> find_rule(std::string_view name) const;

  const std::string& str(StringId id) const { return strings.str(id); }
  const std::vector<Attribute>& attributes(EntityRef type) const;
  std::string type_name(const ValueType& type) const;  // `string`, `org`, `a | b`

  friend bool operator==(const CheckedPolicy&, const CheckedPolicy&) = default;
};

// A deterministic, human-readable dump of the model (for `--dump`-style
// debugging and tests).
std::string dump(const CheckedPolicy& policy);

}  // namespace warden::compiler
