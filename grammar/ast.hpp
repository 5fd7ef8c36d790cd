// The abstract syntax tree of a Warden policy, as the parser builds it.
//
// grammar/ produces it, compiler/ consumes it, nothing later sees it. Nodes are
// plain values; every node that a diagnostic may point at carries a Span.
// Lists keep source order. Expressions are stored in a flat arena (Expr nodes
// refer to children by index) so that no pass needs recursion over user
// input to destroy or copy them, and depth is bounded by the parser.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "support/source.hpp"

namespace warden::ast {

// A name as written, with where it was written.
struct Name {
  std::string text;
  Span span;
};

// A string literal after unescaping; `span` covers the quotes.
struct StringLit {
  std::string value;
  Span span;
};

// --- policy, mode, tenancy ---------------------------------------------------

struct PolicyDecl {
  Name name;
  Span span;
};

enum class Mode : std::uint8_t { Enforce, Monitor };

struct ModeDecl {
  Mode mode = Mode::Enforce;
  Span span;
};

struct TenantSource {
  enum class Kind : std::uint8_t { Header, Principal } kind = Kind::Principal;
  StringLit header;  // for Kind::Header
  Span span;
};

struct TenancyDecl {
  std::optional<bool> isolation;  // `isolation on|off;`
  Span isolation_span;
  std::vector<TenantSource> sources;  // `tenant from …;`
  Span sources_span;
  std::optional<StringLit> default_tenant;  // `default "…";`
  // Items given twice are reported by the parser's builder as they are seen
  // (E0314), so the compiler sees at most one of each.
  Span span;
};

// --- scopes, levels, roles ---------------------------------------------------

// A reference to scopes in `implies`: one scope, a family `prefix:*`, or `*`.
struct ScopeRef {
  enum class Kind : std::uint8_t { Exact, Family, All } kind = Kind::Exact;
  std::string text;  // the scope name, or the family prefix without `:*`
  Span span;
};

struct ScopeDecl {
  Name name;
  std::vector<ScopeRef> implies;
  Span span;
};

struct LevelsDecl {
  std::vector<Name> levels;  // lowest first
  Span span;
};

struct RoleDecl {
  Name name;
  std::vector<Name> inherits;
  Span span;
};

// --- types, attributes, principals, resources, context ----------------------

struct TypeExpr {
  enum class Kind : std::uint8_t { String, Int, Bool, Time, Ip, Enum, Entity } kind = Kind::String;
  std::vector<Name> enum_values;  // Kind::Enum
  Name entity;                    // Kind::Entity: a principal or resource type
  Span span;
};

struct AttributeDecl {
  Name name;
  TypeExpr type;
  Span span;
};

struct PrincipalDecl {
  Name name;
  std::vector<Name> member_of;
  std::vector<AttributeDecl> attributes;
  Span span;
};

struct LevelMap {
  Name level;
  std::vector<Name> actions;
  Span span;
};

struct ResourceDecl {
  Name name;
  std::vector<Name> actions;  // all `actions` lines, concatenated in order
  std::vector<AttributeDecl> attributes;
  std::vector<Name> grants_to;  // all `grants to` lines, concatenated
  std::vector<LevelMap> level_maps;
  Span span;
};

struct ContextDecl {
  std::vector<AttributeDecl> attributes;
  Span span;
};

// --- endpoints -------------------------------------------------------------

enum class Method : std::uint8_t { Get, Head, Post, Put, Patch, Delete, Options, Any };

struct PathSegment {
  enum class Kind : std::uint8_t { Literal, Param, Star, DoubleStar } kind = Kind::Literal;
  std::string text;  // literal text, or the parameter name
  Span span;
};

struct Requirement {
  enum class Kind : std::uint8_t { AllOf, AnyOf } kind = Kind::AllOf;  // a single scope is AllOf
  std::vector<Name> scopes;
  Span span;
};

// One piece of a value taken from the request: a path parameter, a query
// parameter, a header, a top-level field of the JSON body, or literal text.
struct ValuePart {
  enum class Kind : std::uint8_t { PathParam, Query, Header, Body, Literal } kind = Kind::PathParam;
  std::string text;  // parameter, query key, header or field name; or the literal
  Span span;
};

// Where the resource id comes from: `T(part + part …)`. One part keeps its
// own kind; several (a composite id) are Kind::Composite with `parts`.
struct IdSource {
  enum class Kind : std::uint8_t { None, PathParam, Query, Header, Body, Composite } kind = Kind::None;
  std::string name;              // parameter name, query key, header or body field name
  std::vector<ValuePart> parts;  // every part, in order (one for the single kinds)
  Span span;
};

struct EndpointAction {
  Name action;
  Name resource_type;
  IdSource id;
  Span span;
};

// --- expressions -------------------------------------------------------------

using ExprId = std::uint32_t;

// A path such as `resource.org.status`: a root and one or more attributes.
struct AttrPath {
  // Request: `request.resource.…` / `request.principal.…`, the values the
  // request itself carries (attrs[0] is `resource` or `principal`).
  enum class Root : std::uint8_t { Principal, Resource, Context, Request } root = Root::Principal;
  std::vector<Name> attrs;
  Span span;
};

// Caller kinds, by the credentials a request presents: none (anonymous), a
// signed-in session without an API key, or an API key. `authenticated` is
// session or key. Used in `callers …;` and as subject forms.
enum class CallerKind : std::uint8_t { Anonymous, Session, Key, Authenticated };

// The subject forms, usable both as a rule's subject and inside conditions.
struct Predicate {
  enum class Kind : std::uint8_t { Anyone, Role, Scope, Grant, Member, Caller } kind = Kind::Anyone;
  Name name;                     // Role: the role; Scope: the scope; Grant: the level (empty = any level permitting the action)
  CallerKind caller = CallerKind::Anonymous;  // Caller
  std::optional<AttrPath> in;    // Role/Grant: `in PATH`; Member: `of PATH`
  Span span;
};

struct Literal {
  enum class Kind : std::uint8_t { String, Int, Bool, Ident } kind = Kind::String;
  std::string text;        // String: unescaped value; Ident: the name
  std::int64_t int_value = 0;
  bool bool_value = false;
  Span span;
};

enum class CompareOp : std::uint8_t { Eq, Ne, Lt, Le, Gt, Ge };

struct Operand {
  enum class Kind : std::uint8_t { Path, Literal } kind = Kind::Literal;
  AttrPath path;
  Literal literal;
  Span span;
};

struct SetExpr {
  enum class Kind : std::uint8_t { List, Cidr, Hours } kind = Kind::List;
  std::vector<Operand> items;  // List
  StringLit first;             // Cidr: the network; Hours: the start
  StringLit second;            // Hours: the end
  Span span;
};

struct Expr {
  enum class Kind : std::uint8_t {
    And,        // lhs and rhs
    Or,         // lhs or rhs
    Not,        // not lhs
    Compare,    // left op right
    In,         // left in set
    Truthy,     // a bare operand (a bool path)
    Predicate,  // role/scope/grant/member/caller
    Has,        // has left (a path)
  } kind = Kind::Truthy;
  ExprId lhs = 0, rhs = 0;  // And/Or/Not children (indices into Rule::exprs)
  CompareOp op = CompareOp::Eq;
  Operand left, right;  // Compare (left, right), In/Truthy (left)
  SetExpr set;          // In
  Predicate predicate;  // Predicate
  Span span;
};

// --- rules -------------------------------------------------------------------

enum class Effect : std::uint8_t { Allow, Deny };

// A list of names or `*`.
struct NameList {
  bool all = false;
  std::vector<Name> names;
  Span span;
};

struct Rule {
  Effect effect = Effect::Allow;
  Name name;
  Predicate subject;
  NameList actions;
  NameList types;
  std::optional<ExprId> when;    // root of the `when` expression in exprs
  std::optional<ExprId> unless;  // root of the `unless` expression in exprs
  std::optional<Name> code;
  std::optional<StringLit> message;
  std::optional<Span> monitor_span;
  std::optional<Span> cross_tenant_span;
  std::vector<Expr> exprs;  // arena for this rule's expressions; children precede parents
  Span span;
};

// --- endpoints, groups, http ------------------------------------------------

struct CallersDecl {
  std::vector<CallerKind> kinds;
  std::vector<Span> spans;  // one per kind
  Span span;                // the whole item
};

// `bind resource.ATTR = VALUE;`: a resource attribute the request carries.
struct Binding {
  AttrPath target;
  std::vector<ValuePart> value;
  Span span;
};

inline constexpr std::uint32_t kNoGroup = 0xffffffffu;

struct EndpointDecl {
  std::vector<Method> methods;
  std::vector<Span> method_spans;
  StringLit pattern;                 // as written
  std::vector<PathSegment> segments;  // parsed; empty for "/"
  std::vector<Requirement> requirements;  // every `requires` line
  std::optional<EndpointAction> action;
  std::optional<Span> public_span;   // set when `public;` is given
  std::optional<CallersDecl> callers;
  std::vector<Binding> bindings;
  std::vector<Rule> denies;          // `deny NAME: …;` items (no actions or types)
  std::uint32_t group = kNoGroup;    // index into Policy::groups, or kNoGroup
  Span span;
};

// `group NAME { … }`: what its endpoints share. The endpoints themselves are
// in Policy::endpoints, with `group` set.
struct GroupDecl {
  Name name;
  std::vector<Requirement> requirements;
  std::optional<CallersDecl> callers;
  std::vector<Rule> denies;
  Span span;
};

// The `http` block. Each item at most once (E0314 from the builder).
struct HttpDecl {
  enum class DotSegments : std::uint8_t { Resolve, Reject };
  enum class EmptySegments : std::uint8_t { Merge, Keep, Reject };
  enum class EncodedSlash : std::uint8_t { Reject, Decode, Keep };
  enum class TrailingSlash : std::uint8_t { Strict, Ignore };
  enum class Semicolons : std::uint8_t { Reject, Keep, Strip };
  enum class ClientIp : std::uint8_t { Peer, Forwarded, Header };
  std::optional<CallersDecl> callers;
  std::optional<DotSegments> dot_segments;
  std::optional<EmptySegments> empty_segments;
  std::optional<EncodedSlash> encoded_slash;
  std::optional<TrailingSlash> trailing_slash;
  std::optional<Semicolons> semicolons;
  std::vector<StringLit> trusted_proxies;
  std::optional<ClientIp> client_ip;
  StringLit client_ip_header;  // ClientIp::Header
  // Where each item was given (for diagnostics and the formatter), in the
  // order of the fields above; invalid when absent.
  std::array<Span, 8> item_spans{};
  Span span;
};

// --- a whole policy ----------------------------------------------------------

// Everything parsed from the files of one policy, in source order (files in
// the order given to the parser). Which file a node came from is in its span.
struct Policy {
  std::vector<PolicyDecl> names;
  std::vector<ModeDecl> modes;
  std::vector<TenancyDecl> tenancies;
  std::vector<ScopeDecl> scopes;
  std::vector<LevelsDecl> levels;
  std::vector<RoleDecl> roles;
  std::vector<PrincipalDecl> principals;
  std::vector<ResourceDecl> resources;
  std::vector<ContextDecl> contexts;
  std::vector<EndpointDecl> endpoints;
  std::vector<GroupDecl> groups;
  std::vector<HttpDecl> https;
  std::vector<Rule> rules;
};

const char* method_name(Method m);

}  // namespace warden::ast
