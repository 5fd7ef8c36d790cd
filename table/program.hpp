// The decision table: what the compiler produces and the runtime evaluates.
//
// Pipeline position: compiler::lower(CheckedPolicy) -> table::Program ->
// artifact file (.wdn) -> runtime. The runtime sees only this header and the
// artifact reader; it never sees the AST or the checked model.
//
// Layout: every table is a vector of trivially copyable rows that refer to each
// other by dense index (Id) and to shared pools by Range (offset + count).
// Everything that can be decided at compile time is: role inheritance,
// scope implication and families, membership, and level→action maps are
// closed into bitsets; the candidate rules of every (resource type, action)
// pair are listed in evaluation order (denies first, then allows, each in
// source order); endpoints are routed by a per-method segment trie; conditions
// are flat bytecode over a constant pool and resolved attribute paths.
//
// Every row that a decision may cite carries a Loc (file, line, column), so
// explanations point back to the policy source after deserialization.
//
// A Program is immutable once built and is shared as
// std::shared_ptr<const Program>. validate() (validate.hpp) checks every
// index, so a loaded Program can be evaluated without bounds checks.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

namespace warden::table {

// Bumped whenever the layout or meaning of any row, or the artifact header,
// changes. 2: the header carries a signature (artifact.hpp).
inline constexpr std::uint32_t kFormatVersion = 2;

using Id = std::uint32_t;
inline constexpr Id kNone = 0xffffffffu;

// A half-open slice [begin, begin + count) of one of the Program's pools.
struct Range {
  std::uint32_t begin = 0;
  std::uint32_t count = 0;
  std::uint32_t end() const { return begin + count; }
  friend bool operator==(const Range&, const Range&) = default;
};

// A bitset stored in Program::bit_words: `words` 64-bit words from `offset`.
// Bit i of the set is bit (i % 64) of word (i / 64).
struct Bits {
  std::uint32_t offset = 0;
  std::uint32_t words = 0;
  friend bool operator==(const Bits&, const Bits&) = default;
};

// A source location: file is an index into Program::files, kNone when the
// row has no source (built-ins).
struct Loc {
  Id file = kNone;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::uint32_t length = 0;
  friend bool operator==(const Loc&, const Loc&) = default;
};

// --- policy-wide --------------------------------------------------------------

enum class Mode : std::uint8_t { Enforce = 0, Monitor = 1 };

struct TenantSourceRow {
  enum class Kind : std::uint8_t { Header = 0, Principal = 1 } kind = Kind::Principal;
  Id header = kNone;  // Header: string id of the header name
  friend bool operator==(const TenantSourceRow&, const TenantSourceRow&) = default;
};

struct TenancyRow {
  std::uint8_t declared = 0;
  std::uint8_t isolation = 0;
  Range sources;              // into Program::tenant_sources, in the order tried
  Id default_tenant = kNone;  // string id ("default" unless declared)
  Loc loc;
  friend bool operator==(const TenancyRow&, const TenancyRow&) = default;
};

// --- scopes, levels, roles -------------------------------------------------------

struct ScopeRow {
  Id name = kNone;  // string id
  Bits closure;     // scopes held by a key holding this one (itself included), over scope ids
  Loc loc;
  friend bool operator==(const ScopeRow&, const ScopeRow&) = default;
};

struct LevelRow {  // in chain order, lowest first: a level's id is its rank
  Id name = kNone;
  Loc loc;
  friend bool operator==(const LevelRow&, const LevelRow&) = default;
};

struct RoleRow {
  Id name = kNone;
  Range parents;  // into Program::ids: direct parents (role ids), for explanations
  Bits holds;     // roles a holder of this role holds (itself and all ancestors), over role ids
  Loc loc;
  friend bool operator==(const RoleRow&, const RoleRow&) = default;
};

// --- types and attributes ----------------------------------------------------------

enum class ValueType : std::uint8_t { String = 0, Int = 1, Bool = 2, Time = 3, Ip = 4, Enum = 5, Entity = 6 };
enum class EntityKind : std::uint8_t { Principal = 0, Resource = 1, Context = 2 };

struct AttributeRow {
  Id name = kNone;
  ValueType type = ValueType::String;
  EntityKind entity_kind = EntityKind::Principal;  // Entity: which table `type_arg` indexes
  std::uint8_t builtin = 0;
  Id type_arg = kNone;  // Enum: enum id; Entity: principal or resource type id
  friend bool operator==(const AttributeRow&, const AttributeRow&) = default;
};

// Built-in attribute slots, the same for every type (see compiler/model.hpp).
inline constexpr Id kAttrId = 0;
inline constexpr Id kAttrTenant = 1;
inline constexpr Id kContextTime = 0;
inline constexpr Id kContextClientIp = 1;
inline constexpr Id kContextRequestId = 2;

struct EnumRow {
  Range values;  // into Program::ids: string ids; a value is its index here
  friend bool operator==(const EnumRow&, const EnumRow&) = default;
};

struct PrincipalTypeRow {
  Id name = kNone;
  Range attributes;  // into Program::attributes; slot i = attributes.begin + i
  Bits collections;  // principal types it inherits grants from, transitively (self excluded)
  Range member_of;   // into Program::ids: direct collections, for explanations
  Loc loc;
  friend bool operator==(const PrincipalTypeRow&, const PrincipalTypeRow&) = default;
};

struct ResourceTypeRow {
  Id name = kNone;
  Range attributes;      // into Program::attributes
  Range actions;         // into Program::action_names: string ids; an action's id is its index here
  Bits grantees;         // principal types that may hold grants here, directly or through collections
  Range level_actions;   // into Program::bit_refs: one Bits per level (over this type's action ids), closed over the level order
  std::uint32_t rule_lists = 0;  // index of action 0's entry in Program::rule_lists
  Loc loc;
  friend bool operator==(const ResourceTypeRow&, const ResourceTypeRow&) = default;
};

// --- endpoints and routing ----------------------------------------------------------

enum class Method : std::uint8_t { Get = 0, Head, Post, Put, Patch, Delete, Options };
inline constexpr std::size_t kMethodCount = 7;

struct SegmentRow {
  enum class Kind : std::uint8_t { Literal = 0, Param, Star, DoubleStar } kind = Kind::Literal;
  Id text = kNone;  // literal text or parameter name
  friend bool operator==(const SegmentRow&, const SegmentRow&) = default;
};

struct EndpointRow {
  Id pattern = kNone;          // string id, as written
  std::uint8_t methods = 0;    // bit i = Method i
  std::uint8_t any_method = 0; // written as ANY
  std::uint8_t is_public = 0;
  std::uint8_t has_action = 0;
  Range segments;              // into Program::segments
  Bits all_of;                 // scopes that must all be held (union of every all-of requirement)
  Range any_of;                // into Program::bit_refs: each a set of which at least one must be held
  Id resource_type = kNone;    // has_action: the resource type
  Id action = kNone;           // has_action: action id on resource_type
  enum class IdKind : std::uint8_t { None = 0, PathParam, Query, Header } id_kind = IdKind::None;
  Id id_name = kNone;          // string id of the parameter / query key / header
  std::uint32_t id_segment = 0;  // PathParam: index of the segment within the pattern
  Loc loc;
  friend bool operator==(const EndpointRow&, const EndpointRow&) = default;
};

// A node of a method's routing trie. Matching walks the request path's
// segments; at each node it tries, in order, the literal child equal to the
// segment, the `{param}` child, the `*` child, and finally a `**` endpoint
// (which matches the rest, including nothing). The first complete match wins,
// which gives the documented precedence: most specific, left to right.
struct RouteNode {
  Range literals;              // into Program::route_edges, sorted by label bytes
  Id param_child = kNone;      // node
  Id star_child = kNone;       // node
  Id endpoint = kNone;         // endpoint matched when the path ends here
  Id double_star = kNone;      // endpoint of a `**` segment at this position
  friend bool operator==(const RouteNode&, const RouteNode&) = default;
};

struct RouteEdge {
  Id label = kNone;  // string id of the literal segment
  Id child = kNone;  // node
  friend bool operator==(const RouteEdge&, const RouteEdge&) = default;
};

// --- conditions ---------------------------------------------------------------------

struct ConstRow {
  ValueType type = ValueType::Bool;
  enum class Extra : std::uint8_t { None = 0, Cidr, Hours } extra = Extra::None;
  std::uint8_t ipv4 = 0;
  std::uint8_t prefix = 0;         // Cidr: prefix length over 128 bits
  std::uint16_t start_minute = 0;  // Hours: start, inclusive
  std::uint16_t end_minute = 0;    // Hours: end, exclusive; start > end wraps midnight
  std::int64_t number = 0;         // Int value; Bool 0/1; Enum value index; Time: Unix seconds
  Id string = kNone;               // String (and Entity ids): string id
  std::array<std::uint8_t, 16> address{};  // Ip / Cidr, IPv4 mapped as ::ffff:a.b.c.d
  friend bool operator==(const ConstRow&, const ConstRow&) = default;
};

// One step of an attribute path: read attribute `attribute` (a slot of the
// entity type `type` of kind `kind`).
struct PathStep {
  EntityKind kind = EntityKind::Principal;
  Id type = kNone;
  Id attribute = kNone;  // slot within the type's attributes
  friend bool operator==(const PathStep&, const PathStep&) = default;
};

struct PathRow {
  EntityKind root = EntityKind::Principal;  // principal, resource or context
  ValueType type = ValueType::String;        // type of the final attribute
  // The first step, once per entity type the root may be (the request's
  // principal or resource type selects one); a type not listed lacks the
  // attribute, which is an evaluation error.
  Range first;  // into Program::path_steps
  Range rest;   // into Program::path_steps: following steps through entity references
  Id text = kNone;  // string id of the path as written, for explanations
  friend bool operator==(const PathRow&, const PathRow&) = default;
};

// Bytecode of a condition. Evaluation keeps a small stack of values; every
// instruction is fixed-size and the program for one condition is the Range
// of Program::code a rule points to. Jumps are relative to the next
// instruction. A missing attribute or entity makes the whole condition an
// evaluation error (the rule is then treated as failing closed).
enum class Op : std::uint8_t {
  LoadPath = 0,  // push the value of path `arg`
  LoadConst,     // push constant `arg`
  Compare,       // pop b, a; push (a <op> b); `a` = CompareOp, `b` = ValueType compared
  InList,        // pop a; push a ∈ constants [arg, arg + b)
  InCidr,        // pop a (ip); push a ∈ constant `arg` (cidr)
  InHours,       // pop a (time); push time-of-day(a) ∈ constant `arg` (hours)
  Test,          // pop a (bool); push a
  Predicate,     // push the result of predicate `arg` (Program::predicates)
  Not,           // pop a; push !a
  JumpIfFalse,   // if top is false: jump `arg` (keep top); else pop
  JumpIfTrue,    // if top is true: jump `arg` (keep top); else pop
};

enum class CompareOp : std::uint8_t { Eq = 0, Ne, Lt, Le, Gt, Ge };

struct Instr {
  Op op = Op::LoadConst;
  std::uint8_t a = 0;
  std::uint16_t b = 0;
  std::uint32_t arg = 0;
  friend bool operator==(const Instr&, const Instr&) = default;
};

// The subject forms (also usable inside conditions).
enum class SubjectKind : std::uint8_t { Anyone = 0, Role, Scope, Grant, Member };

struct PredicateRow {
  SubjectKind kind = SubjectKind::Anyone;
  Id arg = kNone;   // Role: role id; Scope: scope id; Grant: minimum level id (kNone: the action's level map decides)
  Id path = kNone;  // Role/Grant `in PATH`, Member `of PATH`: path id; kNone: the resource itself
  friend bool operator==(const PredicateRow&, const PredicateRow&) = default;
};

// --- rules --------------------------------------------------------------------------

enum class Effect : std::uint8_t { Allow = 0, Deny = 1 };

struct MessagePartRow {
  enum class Kind : std::uint8_t { Literal = 0, Path, Action, Tenant } kind = Kind::Literal;
  Id text = kNone;  // Literal: the text; otherwise the placeholder as written
  Id path = kNone;  // Path: path id
  friend bool operator==(const MessagePartRow&, const MessagePartRow&) = default;
};

struct RuleRow {
  Id name = kNone;
  Effect effect = Effect::Allow;
  std::uint8_t monitor = 0;       // this rule runs in monitor mode (its own clause or the policy's mode)
  std::uint8_t cross_tenant = 0;
  Id subject = kNone;             // predicate id
  Range when;                     // into Program::code; empty: no condition
  Range unless;                   // into Program::code
  std::uint16_t stack_depth = 0;  // max evaluation stack depth over both programs
  Id code = kNone;                // string id of the denial code
  Range message;                  // into Program::message_parts; empty: the default message
  Loc loc;                        // the rule's name
  friend bool operator==(const RuleRow&, const RuleRow&) = default;
};

// --- the program ------------------------------------------------------------------------

struct Program {
  // Identity.
  Id name = kNone;      // string id of the policy name
  Mode mode = Mode::Enforce;
  TenancyRow tenancy;
  std::vector<std::string> files;    // source paths, as compiled (relative to the policy root)
  std::vector<std::string> strings;  // interned strings; Id = index

  // Shared pools.
  std::vector<std::uint64_t> bit_words;
  std::vector<Bits> bit_refs;
  std::vector<Id> ids;
  std::vector<TenantSourceRow> tenant_sources;

  // Declarations.
  std::vector<ScopeRow> scopes;
  std::vector<LevelRow> levels;
  std::vector<RoleRow> roles;
  std::vector<EnumRow> enums;
  std::vector<AttributeRow> attributes;
  std::vector<PrincipalTypeRow> principals;
  std::vector<ResourceTypeRow> resources;
  Range context_attributes;  // into attributes
  std::vector<Id> action_names;

  // Routing.
  std::vector<EndpointRow> endpoints;
  std::vector<SegmentRow> segments;
  std::vector<RouteNode> route_nodes;
  std::vector<RouteEdge> route_edges;
  std::array<Id, kMethodCount> route_roots{kNone, kNone, kNone, kNone, kNone, kNone, kNone};

  // Rules and their index: rule_lists[resource.rule_lists + action] is the
  // Range of rule_ids to evaluate for (resource type, action).
  std::vector<RuleRow> rules;
  std::vector<Range> rule_lists;
  std::vector<Id> rule_ids;

  // Conditions.
  std::vector<Instr> code;
  std::vector<ConstRow> constants;
  std::vector<PathRow> paths;
  std::vector<PathStep> path_steps;
  std::vector<PredicateRow> predicates;
  std::vector<MessagePartRow> message_parts;

  const std::string& str(Id id) const { return strings[id]; }
  friend bool operator==(const Program&, const Program&) = default;
};

// Rows are plain data: copied, compared and serialized field by field.
static_assert(std::is_trivially_copyable_v<Range>);
static_assert(std::is_trivially_copyable_v<Loc>);
static_assert(std::is_trivially_copyable_v<ScopeRow>);
static_assert(std::is_trivially_copyable_v<RoleRow>);
static_assert(std::is_trivially_copyable_v<ResourceTypeRow>);
static_assert(std::is_trivially_copyable_v<EndpointRow>);
static_assert(std::is_trivially_copyable_v<RouteNode>);
static_assert(std::is_trivially_copyable_v<ConstRow>);
static_assert(std::is_trivially_copyable_v<Instr>);
static_assert(std::is_trivially_copyable_v<RuleRow>);
static_assert(sizeof(Instr) == 8);

// Bit test over a Bits slice of a program's word pool.
inline bool test_bit(const Program& p, Bits b, Id i) {
  const std::uint32_t w = i / 64;
  return w < b.words && ((p.bit_words[b.offset + w] >> (i % 64)) & 1u) != 0;
}

}  // namespace warden::table
