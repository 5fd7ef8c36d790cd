// Semantic actions: turn matched grammar rules into AST nodes in the Builder.
//
// One specialization per rule whose text matters. Actions run bottom-up, after
// their rule has matched; a declaration's action moves the finished node into
// the Policy. Duplicate items inside a construct (a second `isolation` line, a
// second `when` clause) are reported here and parsing goes on.
#pragma once

#include <charconv>
#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/limit_depth.hpp>

#include "grammar/builder.hpp"
#include "grammar/grammar.hpp"

namespace warden::grammar {

namespace r = rules;
namespace pegtl = tao::pegtl;

// Expressions nest at most this deep (parentheses and `not`).
inline constexpr std::size_t kMaxExpressionDepth = 64;

template <typename Rule>
struct action : pegtl::nothing<Rule> {};

template <>
struct action<r::unary> : pegtl::limit_depth<kMaxExpressionDepth> {};

inline ast::Name make_name(const auto& in, Builder& b) {
  return ast::Name{in.string(), b.exact_span(in.begin(), in.size())};
}

// Report a construct given twice; `what` is its keyword.
inline void report_twice(Builder& b, Code code, Span span, std::string_view what, Span first) {
  auto& d = b.sink.report(code, span, "`" + std::string(what) + "` given more than once");
  if (first.valid()) d.labels.push_back({first, "first given here"});
}

#define WARDEN_ACTION(rule) \
  template <>               \
  struct action<r::rule> {  \
    static void apply(const auto& in, Builder& b)

// --- strings and names ------------------------------------------------------

// The value of a string literal matched by `in` (quotes included).
inline ast::StringLit unescape(const auto& in, Builder& b) {
  std::string value;
  const std::string_view text(in.begin() + 1, in.size() - 2);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      const char c = text[++i];
      value.push_back(c == 'n' ? '\n' : c == 't' ? '\t' : c);
    } else {
      value.push_back(text[i]);
    }
  }
  return ast::StringLit{std::move(value), b.exact_span(in.begin(), in.size())};
}

WARDEN_ACTION(string_lit) { b.last_string = unescape(in, b); }
};

WARDEN_ACTION(policy_name) { b.name = make_name(in, b); }
};
WARDEN_ACTION(policy_decl) { b.out.names.push_back({b.name, b.span(in.begin(), in.size())}); }
};

WARDEN_ACTION(mode_monitor) { (void)in; b.mode = ast::Mode::Monitor; }
};
WARDEN_ACTION(mode_enforce) { (void)in; b.mode = ast::Mode::Enforce; }
};
WARDEN_ACTION(mode_decl) { b.out.modes.push_back({b.mode, b.span(in.begin(), in.size())}); }
};

// --- tenancy ------------------------------------------------------------------

WARDEN_ACTION(tenancy_begin) { (void)in; b.tenancy = {}; }
};
inline void set_isolation(const auto& in, Builder& b, bool on) {
  const Span s = b.span(in.begin(), in.size());
  if (b.tenancy.isolation) {
    report_twice(b, Code::E0314, s, "isolation", b.tenancy.isolation_span);
    return;
  }
  b.tenancy.isolation = on;
  b.tenancy.isolation_span = s;
}
WARDEN_ACTION(isolation_on) { set_isolation(in, b, true); }
};
WARDEN_ACTION(isolation_off) { set_isolation(in, b, false); }
};
// Built field by field: GCC 12 at -O3 warns (falsely) about a braced
// temporary holding a std::string here.
inline void add_tenant_source(const auto& in, Builder& b, ast::TenantSource::Kind kind) {
  ast::TenantSource source;
  source.kind = kind;
  if (kind == ast::TenantSource::Kind::Header) source.header = b.last_string;
  source.span = b.span(in.begin(), in.size());
  b.tenant_sources.push_back(std::move(source));
}
WARDEN_ACTION(header_source) { add_tenant_source(in, b, ast::TenantSource::Kind::Header); }
};
WARDEN_ACTION(principal_source) { add_tenant_source(in, b, ast::TenantSource::Kind::Principal); }
};
WARDEN_ACTION(tenant_item) {
  const Span s = b.span(in.begin(), in.size());
  if (!b.tenancy.sources.empty()) {
    report_twice(b, Code::E0314, s, "tenant from", b.tenancy.sources_span);
  } else {
    b.tenancy.sources = std::move(b.tenant_sources);
    b.tenancy.sources_span = s;
  }
  b.tenant_sources.clear();
}
};
WARDEN_ACTION(default_item) {
  const Span s = b.span(in.begin(), in.size());
  if (b.tenancy.default_tenant) {
    report_twice(b, Code::E0314, s, "default", b.tenancy.default_tenant->span);
  } else {
    b.tenancy.default_tenant = b.last_string;
  }
}
};
WARDEN_ACTION(tenancy_decl) {
  b.tenancy.span = b.span(in.begin(), in.size());
  b.out.tenancies.push_back(std::move(b.tenancy));
  b.tenancy = {};
}
};

// --- scopes, levels, roles ------------------------------------------------------

WARDEN_ACTION(scope_begin) { (void)in; b.scope = {}; }
};
WARDEN_ACTION(scope_decl_name) { b.scope.name = make_name(in, b); }
};
WARDEN_ACTION(scope_ref_exact) {
  b.scope.implies.push_back({ast::ScopeRef::Kind::Exact, in.string(), b.exact_span(in.begin(), in.size())});
}
};
WARDEN_ACTION(scope_ref_family) {
  // Store the prefix without the trailing `:*`.
  b.scope.implies.push_back(
      {ast::ScopeRef::Kind::Family, std::string(in.begin(), in.size() - 2), b.exact_span(in.begin(), in.size())});
}
};
WARDEN_ACTION(scope_ref_all) {
  b.scope.implies.push_back({ast::ScopeRef::Kind::All, "*", b.exact_span(in.begin(), in.size())});
}
};
WARDEN_ACTION(scope_decl) {
  b.scope.span = b.span(in.begin(), in.size());
  b.out.scopes.push_back(std::move(b.scope));
}
};

WARDEN_ACTION(levels_begin) { (void)in; b.levels = {}; }
};
WARDEN_ACTION(level_name) { b.levels.levels.push_back(make_name(in, b)); }
};
WARDEN_ACTION(levels_decl) {
  b.levels.span = b.span(in.begin(), in.size());
  b.out.levels.push_back(std::move(b.levels));
}
};

WARDEN_ACTION(role_begin) { (void)in; b.role = {}; }
};
WARDEN_ACTION(role_name) { b.role.name = make_name(in, b); }
};
WARDEN_ACTION(parent_role) { b.role.inherits.push_back(make_name(in, b)); }
};
WARDEN_ACTION(role_decl) {
  b.role.span = b.span(in.begin(), in.size());
  b.out.roles.push_back(std::move(b.role));
}
};

// --- attributes, principals, resources, context ----------------------------------

WARDEN_ACTION(attribute_begin) {
  (void)in;
  b.attribute = {};
  b.type = {};
}
};
WARDEN_ACTION(attribute_name) { b.attribute.name = make_name(in, b); }
};
WARDEN_ACTION(type_name) { b.type.entity = make_name(in, b); }
};
WARDEN_ACTION(enum_value) { b.type.enum_values.push_back(make_name(in, b)); }
};
WARDEN_ACTION(type_expr) {
  using K = ast::TypeExpr::Kind;
  b.type.span = b.span(in.begin(), in.size());
  if (!b.type.enum_values.empty()) {
    b.type.kind = K::Enum;
    b.type.enum_values.insert(b.type.enum_values.begin(), b.type.entity);
    b.type.entity = {};
    return;
  }
  const std::string& t = b.type.entity.text;
  if (t == "string") b.type.kind = K::String;
  else if (t == "int") b.type.kind = K::Int;
  else if (t == "bool") b.type.kind = K::Bool;
  else if (t == "time") b.type.kind = K::Time;
  else if (t == "ip") b.type.kind = K::Ip;
  else b.type.kind = K::Entity;
  if (b.type.kind != K::Entity) b.type.entity = {};
}
};
WARDEN_ACTION(attribute_decl) {
  b.attribute.type = std::move(b.type);
  b.attribute.span = b.span(in.begin(), in.size());
  if (b.attribute_target) b.attribute_target->push_back(std::move(b.attribute));
  b.type = {};
}
};

WARDEN_ACTION(principal_begin) {
  (void)in;
  b.principal = {};
  b.attribute_target = &b.principal.attributes;
}
};
WARDEN_ACTION(principal_name) { b.principal.name = make_name(in, b); }
};
WARDEN_ACTION(member_of_name) { b.principal.member_of.push_back(make_name(in, b)); }
};
WARDEN_ACTION(principal_decl) {
  b.principal.span = b.span(in.begin(), in.size());
  b.out.principals.push_back(std::move(b.principal));
  b.attribute_target = nullptr;
}
};

WARDEN_ACTION(resource_begin) {
  (void)in;
  b.resource = {};
  b.attribute_target = &b.resource.attributes;
}
};
WARDEN_ACTION(resource_name) { b.resource.name = make_name(in, b); }
};
WARDEN_ACTION(resource_action) { b.resource.actions.push_back(make_name(in, b)); }
};
WARDEN_ACTION(grantee_name) { b.resource.grants_to.push_back(make_name(in, b)); }
};
WARDEN_ACTION(level_item_begin) { (void)in; b.level_map = {}; }
};
WARDEN_ACTION(level_map_level) { b.level_map.level = make_name(in, b); }
};
WARDEN_ACTION(level_map_action) { b.level_map.actions.push_back(make_name(in, b)); }
};
WARDEN_ACTION(level_item) {
  b.level_map.span = b.span(in.begin(), in.size());
  b.resource.level_maps.push_back(std::move(b.level_map));
}
};
WARDEN_ACTION(resource_decl) {
  b.resource.span = b.span(in.begin(), in.size());
  b.out.resources.push_back(std::move(b.resource));
  b.attribute_target = nullptr;
}
};

WARDEN_ACTION(context_begin) {
  (void)in;
  b.context = {};
  b.attribute_target = &b.context.attributes;
}
};
WARDEN_ACTION(context_decl) {
  b.context.span = b.span(in.begin(), in.size());
  b.out.contexts.push_back(std::move(b.context));
  b.attribute_target = nullptr;
}
};

// --- endpoints -----------------------------------------------------------------

WARDEN_ACTION(endpoint_begin) {
  (void)in;
  b.endpoint = {};
  b.required_scopes.clear();
  b.requirements_target = &b.endpoint.requirements;
  b.callers_target = &b.endpoint.callers;
  b.denies_target = &b.endpoint.denies;
  b.callers_in_http = false;
}
};

template <ast::Method M>
struct method_action {
  static void apply(const auto& in, Builder& b) {
    b.endpoint.methods.push_back(M);
    b.endpoint.method_spans.push_back(b.span(in.begin(), in.size()));
  }
};
template <> struct action<r::method_get> : method_action<ast::Method::Get> {};
template <> struct action<r::method_head> : method_action<ast::Method::Head> {};
template <> struct action<r::method_post> : method_action<ast::Method::Post> {};
template <> struct action<r::method_put> : method_action<ast::Method::Put> {};
template <> struct action<r::method_patch> : method_action<ast::Method::Patch> {};
template <> struct action<r::method_delete> : method_action<ast::Method::Delete> {};
template <> struct action<r::method_options> : method_action<ast::Method::Options> {};
template <> struct action<r::method_any> : method_action<ast::Method::Any> {};

WARDEN_ACTION(endpoint_pattern) {
  (void)in;
  b.endpoint.pattern = b.last_string;
  b.endpoint.segments = parse_path_pattern(b.endpoint.pattern, b);
}
};
WARDEN_ACTION(required_scope) { b.required_scopes.push_back(make_name(in, b)); }
};
template <ast::Requirement::Kind K>
struct requirement_action {
  static void apply(const auto& in, Builder& b) {
    if (b.requirements_target) b.requirements_target->push_back({K, std::move(b.required_scopes), b.span(in.begin(), in.size())});
    b.required_scopes.clear();
  }
};
template <> struct action<r::require_all> : requirement_action<ast::Requirement::Kind::AllOf> {};
template <> struct action<r::require_any> : requirement_action<ast::Requirement::Kind::AnyOf> {};
template <> struct action<r::require_one> : requirement_action<ast::Requirement::Kind::AllOf> {};

WARDEN_ACTION(endpoint_action) {
  b.endpoint_action = {};
  b.endpoint_action.action = make_name(in, b);
  b.value_parts.clear();
}
};
WARDEN_ACTION(endpoint_type) { b.endpoint_action.resource_type = make_name(in, b); }
};
WARDEN_ACTION(endpoint_action_item) {
  const Span s = b.span(in.begin(), in.size());
  if (b.endpoint.action) {
    report_twice(b, Code::E0319, s, "action", b.endpoint.action->span);
    return;
  }
  b.endpoint_action.span = s;
  // The id: one part keeps its kind, several (or a literal) are composite.
  ast::IdSource& id = b.endpoint_action.id;
  id = {};
  if (!b.value_parts.empty()) {
    const ast::ValuePart& first = b.value_parts.front();
    const Span last = b.value_parts.back().span;
    id.span = b.sources.span(b.file, first.span.offset, last.offset + last.length - first.span.offset);
    if (b.value_parts.size() == 1 && first.kind != ast::ValuePart::Kind::Literal) {
      id.kind = static_cast<ast::IdSource::Kind>(static_cast<int>(first.kind) + 1);
      id.name = first.text;
    } else {
      id.kind = ast::IdSource::Kind::Composite;
    }
    id.parts = std::move(b.value_parts);
  }
  b.value_parts.clear();
  b.endpoint.action = std::move(b.endpoint_action);
}
};
WARDEN_ACTION(public_item) {
  const Span s = b.span(in.begin(), in.size());
  if (b.endpoint.public_span) {
    report_twice(b, Code::E0319, s, "public", *b.endpoint.public_span);
    return;
  }
  b.endpoint.public_span = s;
}
};
WARDEN_ACTION(endpoint_decl) {
  b.endpoint.span = b.span(in.begin(), in.size());
  b.endpoint.group = b.in_group ? static_cast<std::uint32_t>(b.out.groups.size()) : ast::kNoGroup;
  b.out.endpoints.push_back(std::move(b.endpoint));
  b.endpoint = {};
  // Back to the enclosing group, or to nothing.
  b.requirements_target = b.in_group ? &b.group.requirements : nullptr;
  b.callers_target = b.in_group ? &b.group.callers : nullptr;
  b.denies_target = b.in_group ? &b.group.denies : nullptr;
}
};

// --- values taken from the request ---------------------------------------------

inline void add_part(const auto& in, Builder& b, ast::ValuePart::Kind kind, std::string text) {
  ast::ValuePart part;
  part.kind = kind;
  part.text = std::move(text);
  part.span = b.span(in.begin(), in.size());
  b.value_parts.push_back(std::move(part));
}
WARDEN_ACTION(part_query) { add_part(in, b, ast::ValuePart::Kind::Query, b.last_string.value); }
};
WARDEN_ACTION(part_header) { add_part(in, b, ast::ValuePart::Kind::Header, b.last_string.value); }
};
WARDEN_ACTION(part_body) { add_part(in, b, ast::ValuePart::Kind::Body, b.last_string.value); }
};
WARDEN_ACTION(part_literal) { add_part(in, b, ast::ValuePart::Kind::Literal, b.last_string.value); }
};
WARDEN_ACTION(part_param) {
  ast::ValuePart part;
  part.kind = ast::ValuePart::Kind::PathParam;
  part.text = in.string();
  part.span = b.exact_span(in.begin(), in.size());
  b.value_parts.push_back(std::move(part));
}
};

// --- bindings, callers, endpoint denies ------------------------------------------

WARDEN_ACTION(bind_begin) {
  (void)in;
  b.binding = {};
  b.value_parts.clear();
}
};
WARDEN_ACTION(bind_item) {
  b.binding.target = b.path;
  b.binding.value = std::move(b.value_parts);
  b.binding.span = b.span(in.begin(), in.size());
  b.value_parts.clear();
  b.endpoint.bindings.push_back(std::move(b.binding));
  b.binding = {};
}
};

WARDEN_ACTION(callers_begin) {
  (void)in;
  b.callers = {};
}
};
WARDEN_ACTION(callers_item) {
  const Span s = b.span(in.begin(), in.size());
  b.callers.span = s;
  if (!b.callers_target) return;
  if (*b.callers_target) {
    report_twice(b, b.callers_in_http ? Code::E0314 : Code::E0319, s, "callers", (*b.callers_target)->span);
    return;
  }
  *b.callers_target = std::move(b.callers);
  if (b.callers_in_http) b.http.item_spans[0] = s;
}
};

WARDEN_ACTION(endpoint_deny_begin) {
  (void)in;
  b.rule = {};
  b.rule.effect = ast::Effect::Deny;
  b.expr_stack.clear();
  b.operands.clear();
  b.predicate = {};
}
};
WARDEN_ACTION(endpoint_deny_item) {
  b.rule.span = b.span(in.begin(), in.size());
  if (b.denies_target) b.denies_target->push_back(std::move(b.rule));
  b.rule = {};
}
};

// --- groups ----------------------------------------------------------------------

WARDEN_ACTION(group_begin) {
  (void)in;
  b.group = {};
  b.in_group = true;
  b.group_endpoint_mark = b.out.endpoints.size();
  b.requirements_target = &b.group.requirements;
  b.callers_target = &b.group.callers;
  b.denies_target = &b.group.denies;
  b.callers_in_http = false;
}
};
WARDEN_ACTION(group_name) { b.group.name = make_name(in, b); }
};
WARDEN_ACTION(group_decl) {
  b.group.span = b.span(in.begin(), in.size());
  b.out.groups.push_back(std::move(b.group));
  b.group = {};
  b.in_group = false;
  b.requirements_target = nullptr;
  b.callers_target = nullptr;
  b.denies_target = nullptr;
}
};

// --- the http block -----------------------------------------------------------------

WARDEN_ACTION(http_begin) {
  (void)in;
  b.http = {};
  b.callers_target = &b.http.callers;
  b.callers_in_http = true;
}
};
template <std::uint8_t V>
struct option_action {
  static void apply(const auto&, Builder& b) { b.http_option = V; }
};
template <> struct action<r::dot_resolve> : option_action<0> {};
template <> struct action<r::dot_reject> : option_action<1> {};
template <> struct action<r::empty_merge> : option_action<0> {};
template <> struct action<r::empty_keep> : option_action<1> {};
template <> struct action<r::empty_reject> : option_action<2> {};
template <> struct action<r::slash_reject> : option_action<0> {};
template <> struct action<r::slash_decode> : option_action<1> {};
template <> struct action<r::slash_keep> : option_action<2> {};
template <> struct action<r::trailing_strict> : option_action<0> {};
template <> struct action<r::trailing_ignore> : option_action<1> {};
template <> struct action<r::semicolons_reject> : option_action<0> {};
template <> struct action<r::semicolons_keep> : option_action<1> {};
template <> struct action<r::semicolons_strip> : option_action<2> {};
template <> struct action<r::client_ip_peer> : option_action<0> {};
template <> struct action<r::client_ip_forwarded> : option_action<1> {};
template <> struct action<r::client_ip_header> : option_action<2> {};

// Sets an `http` item once; a repeat is E0314 and keeps the first.
template <std::size_t Slot, typename T>
void set_http_item(const auto& in, Builder& b, std::optional<T>& field, std::string_view what) {
  const Span s = b.span(in.begin(), in.size());
  if (field) {
    report_twice(b, Code::E0314, s, what, b.http.item_spans[Slot]);
    return;
  }
  field = static_cast<T>(b.http_option);
  b.http.item_spans[Slot] = s;
}
WARDEN_ACTION(dot_segments_item) { set_http_item<1>(in, b, b.http.dot_segments, "dot_segments"); }
};
WARDEN_ACTION(empty_segments_item) { set_http_item<2>(in, b, b.http.empty_segments, "empty_segments"); }
};
WARDEN_ACTION(encoded_slash_item) { set_http_item<3>(in, b, b.http.encoded_slash, "encoded_slash"); }
};
WARDEN_ACTION(trailing_slash_item) { set_http_item<4>(in, b, b.http.trailing_slash, "trailing_slash"); }
};
WARDEN_ACTION(semicolons_item) { set_http_item<5>(in, b, b.http.semicolons, "semicolons"); }
};
WARDEN_ACTION(proxy_network) {
  (void)in;
  b.proxies.push_back(b.last_string);
}
};
WARDEN_ACTION(trusted_proxies_item) {
  const Span s = b.span(in.begin(), in.size());
  if (b.http.item_spans[6].valid()) {
    report_twice(b, Code::E0314, s, "trusted_proxies", b.http.item_spans[6]);
  } else {
    b.http.trusted_proxies = std::move(b.proxies);
    b.http.item_spans[6] = s;
  }
  b.proxies.clear();
}
};
WARDEN_ACTION(client_ip_item) {
  set_http_item<7>(in, b, b.http.client_ip, "client_ip");
  if (b.http.client_ip == ast::HttpDecl::ClientIp::Header && b.http.item_spans[7] == b.span(in.begin(), in.size())) {
    b.http.client_ip_header = b.last_string;
  }
}
};
WARDEN_ACTION(http_decl) {
  b.http.span = b.span(in.begin(), in.size());
  b.out.https.push_back(std::move(b.http));
  b.http = {};
  b.callers_target = nullptr;
  b.callers_in_http = false;
}
};

// --- paths, predicates, operands ---------------------------------------------------

template <ast::AttrPath::Root R>
struct path_root_action {
  static void apply(const auto& in, Builder& b) {
    b.path = {};
    b.path.root = R;
    b.path.span = b.exact_span(in.begin(), 0);
  }
};
template <> struct action<r::path_principal> : path_root_action<ast::AttrPath::Root::Principal> {};
template <> struct action<r::path_resource> : path_root_action<ast::AttrPath::Root::Resource> {};
template <> struct action<r::path_context> : path_root_action<ast::AttrPath::Root::Context> {};
template <> struct action<r::path_request> : path_root_action<ast::AttrPath::Root::Request> {};

WARDEN_ACTION(attr_segment) {
  b.path.attrs.push_back(make_name(in, b));
  // The path spans from its root to the end of its last attribute.
  b.path.span.length = b.offset(in.end()) - b.path.span.offset;
}
};

WARDEN_ACTION(predicate_role) { b.predicate.name = make_name(in, b); }
};
WARDEN_ACTION(predicate_scope) { b.predicate.name = make_name(in, b); }
};
WARDEN_ACTION(predicate_level) { b.predicate.name = make_name(in, b); }
};
WARDEN_ACTION(role_predicate_in) { (void)in; b.predicate.in = b.path; }
};
WARDEN_ACTION(grant_predicate_in) { (void)in; b.predicate.in = b.path; }
};

template <ast::Predicate::Kind K>
struct predicate_action {
  static void apply(const auto& in, Builder& b) {
    b.predicate.kind = K;
    b.predicate.span = b.span(in.begin(), in.size());
  }
};
template <> struct action<r::role_predicate> : predicate_action<ast::Predicate::Kind::Role> {};
template <> struct action<r::scope_predicate> : predicate_action<ast::Predicate::Kind::Scope> {};
template <> struct action<r::grant_predicate> : predicate_action<ast::Predicate::Kind::Grant> {};
template <> struct action<r::subject_anyone> : predicate_action<ast::Predicate::Kind::Anyone> {};
template <ast::CallerKind K>
struct caller_action {
  static void apply(const auto&, Builder& b) { b.predicate.caller = K; }
};
template <> struct action<r::caller_anonymous> : caller_action<ast::CallerKind::Anonymous> {};
template <> struct action<r::caller_session> : caller_action<ast::CallerKind::Session> {};
template <> struct action<r::caller_key> : caller_action<ast::CallerKind::Key> {};
template <> struct action<r::caller_authenticated> : caller_action<ast::CallerKind::Authenticated> {};
// As a subject or condition it is a predicate; in `callers …;` one of a list.
WARDEN_ACTION(caller_predicate) {
  const Span s = b.span(in.begin(), in.size());
  b.predicate.kind = ast::Predicate::Kind::Caller;
  b.predicate.span = s;
  b.callers.kinds.push_back(b.predicate.caller);
  b.callers.spans.push_back(s);
}
};
WARDEN_ACTION(member_predicate) {
  b.predicate.kind = ast::Predicate::Kind::Member;
  b.predicate.in = b.path;
  b.predicate.span = b.span(in.begin(), in.size());
}
};

template <ast::Literal::Kind K>
struct literal_action {
  static void apply(const auto& in, Builder& b) {
    ast::Operand o;
    o.kind = ast::Operand::Kind::Literal;
    o.literal.kind = K;
    o.span = o.literal.span = b.exact_span(in.begin(), in.size());
    if constexpr (K == ast::Literal::Kind::String) {
      o.literal.text = unescape(in, b).value;
    } else if constexpr (K == ast::Literal::Kind::Int) {
      const char* first = in.begin();
      const auto [ptr, ec] = std::from_chars(first, in.end(), o.literal.int_value);
      if (ec != std::errc() || ptr != in.end()) {
        b.sink.report(Code::E0104, o.span, "integer `" + in.string() + "` does not fit in 64 bits");
      }
      o.literal.text = in.string();
    } else {
      o.literal.text = in.string();
    }
    b.operands.push_back(std::move(o));
  }
};
template <> struct action<r::lit_string> : literal_action<ast::Literal::Kind::String> {};
template <> struct action<r::lit_integer> : literal_action<ast::Literal::Kind::Int> {};
template <> struct action<r::ident_literal> : literal_action<ast::Literal::Kind::Ident> {};
template <bool V>
struct bool_action {
  static void apply(const auto& in, Builder& b) {
    ast::Operand o;
    o.kind = ast::Operand::Kind::Literal;
    o.literal.kind = ast::Literal::Kind::Bool;
    o.literal.bool_value = V;
    o.literal.text = V ? "true" : "false";
    o.span = o.literal.span = b.span(in.begin(), in.size());
    b.operands.push_back(std::move(o));
  }
};
template <> struct action<r::lit_true> : bool_action<true> {};
template <> struct action<r::lit_false> : bool_action<false> {};
WARDEN_ACTION(operand_path) {
  (void)in;
  ast::Operand o;
  o.kind = ast::Operand::Kind::Path;
  o.path = b.path;
  o.span = b.path.span;
  b.operands.push_back(std::move(o));
}
};

// --- expressions -------------------------------------------------------------------

template <ast::CompareOp Op>
struct op_action {
  static void apply(const auto&, Builder& b) { b.op = Op; }
};
template <> struct action<r::op_eq> : op_action<ast::CompareOp::Eq> {};
template <> struct action<r::op_ne> : op_action<ast::CompareOp::Ne> {};
template <> struct action<r::op_lt> : op_action<ast::CompareOp::Lt> {};
template <> struct action<r::op_le> : op_action<ast::CompareOp::Le> {};
template <> struct action<r::op_gt> : op_action<ast::CompareOp::Gt> {};
template <> struct action<r::op_ge> : op_action<ast::CompareOp::Ge> {};

WARDEN_ACTION(compare_tail) { (void)in; b.tail = Builder::Tail::Compare; }
};
WARDEN_ACTION(in_tail) { (void)in; b.tail = Builder::Tail::In; }
};
WARDEN_ACTION(set_begin) { (void)in; b.set_marks.push_back(b.operands.size()); }
};
WARDEN_ACTION(set_list) {
  b.set = {};
  b.set.kind = ast::SetExpr::Kind::List;
  b.set.span = b.span(in.begin(), in.size());
  const std::size_t mark = b.set_marks.back();
  b.set_marks.pop_back();
  b.set.items.assign(std::make_move_iterator(b.operands.begin() + static_cast<std::ptrdiff_t>(mark)),
                     std::make_move_iterator(b.operands.end()));
  b.operands.resize(mark);
}
};
WARDEN_ACTION(set_cidr) {
  b.set = {};
  b.set.kind = ast::SetExpr::Kind::Cidr;
  b.set.first = b.last_string;
  b.set.span = b.span(in.begin(), in.size());
}
};
WARDEN_ACTION(hours_from) { (void)in; b.set.first = b.last_string; }
};
WARDEN_ACTION(hours_to) { (void)in; b.set.second = b.last_string; }
};
WARDEN_ACTION(set_hours) {
  b.set.kind = ast::SetExpr::Kind::Hours;
  b.set.items.clear();
  b.set.span = b.span(in.begin(), in.size());
}
};

WARDEN_ACTION(comparison) {
  ast::Expr e;
  e.span = b.span(in.begin(), in.size());
  switch (b.tail) {
    case Builder::Tail::Compare:
      e.kind = ast::Expr::Kind::Compare;
      e.op = b.op;
      e.right = b.pop_operand();
      e.left = b.pop_operand();
      break;
    case Builder::Tail::In:
      e.kind = ast::Expr::Kind::In;
      e.left = b.pop_operand();
      e.set = std::move(b.set);
      b.set = {};
      break;
    case Builder::Tail::None:
      e.kind = ast::Expr::Kind::Truthy;
      e.left = b.pop_operand();
      break;
  }
  b.tail = Builder::Tail::None;
  b.push_expr(std::move(e));
}
};
WARDEN_ACTION(predicate_expr) {
  ast::Expr e;
  e.kind = ast::Expr::Kind::Predicate;
  e.span = b.span(in.begin(), in.size());
  e.predicate = std::move(b.predicate);
  b.predicate = {};
  b.push_expr(std::move(e));
}
};
WARDEN_ACTION(has_expr) {
  ast::Expr e;
  e.kind = ast::Expr::Kind::Has;
  e.span = b.span(in.begin(), in.size());
  e.left.kind = ast::Operand::Kind::Path;
  e.left.path = b.path;
  e.left.span = b.path.span;
  b.push_expr(std::move(e));
}
};
WARDEN_ACTION(not_expr) {
  ast::Expr e;
  e.kind = ast::Expr::Kind::Not;
  e.span = b.span(in.begin(), in.size());
  e.lhs = b.pop_expr();
  b.push_expr(std::move(e));
}
};
template <ast::Expr::Kind K>
struct binary_action {
  static void apply(const auto& in, Builder& b) {
    ast::Expr e;
    e.kind = K;
    e.rhs = b.pop_expr();
    e.lhs = b.pop_expr();
    // The span runs from the left operand to the end of the right one.
    const Span left = b.rule.exprs[e.lhs].span;
    const std::uint32_t end = b.offset(in.begin()) + static_cast<std::uint32_t>(b.span(in.begin(), in.size()).length);
    e.span = b.sources.span(b.file, left.offset, end - left.offset);
    b.push_expr(std::move(e));
  }
};
template <> struct action<r::and_tail> : binary_action<ast::Expr::Kind::And> {};
template <> struct action<r::or_tail> : binary_action<ast::Expr::Kind::Or> {};

// --- rules -------------------------------------------------------------------------

template <ast::Effect E>
struct effect_action {
  static void apply(const auto&, Builder& b) {
    b.rule = {};
    b.rule.effect = E;
    b.expr_stack.clear();
    b.operands.clear();
    b.predicate = {};
  }
};
template <> struct action<r::effect_allow> : effect_action<ast::Effect::Allow> {};
template <> struct action<r::effect_deny> : effect_action<ast::Effect::Deny> {};

WARDEN_ACTION(rule_name) { b.rule.name = make_name(in, b); }
};
WARDEN_ACTION(subject) {
  (void)in;
  b.rule.subject = std::move(b.predicate);
  b.predicate = {};
}
};
WARDEN_ACTION(rule_all_actions) { b.rule.actions.all = true; b.rule.actions.span = b.span(in.begin(), in.size()); }
};
WARDEN_ACTION(rule_action) { b.rule.actions.names.push_back(make_name(in, b)); }
};
WARDEN_ACTION(rule_actions) { b.rule.actions.span = b.span(in.begin(), in.size()); }
};
WARDEN_ACTION(rule_all_types) { b.rule.types.all = true; b.rule.types.span = b.span(in.begin(), in.size()); }
};
WARDEN_ACTION(rule_type) { b.rule.types.names.push_back(make_name(in, b)); }
};
WARDEN_ACTION(rule_types) { b.rule.types.span = b.span(in.begin(), in.size()); }
};

inline void set_condition(const auto& in, Builder& b, std::optional<ast::ExprId>& slot, std::string_view what) {
  const ast::ExprId root = b.pop_expr();
  if (slot) {
    report_twice(b, Code::E0319, b.span(in.begin(), in.size()), what, b.rule.exprs[*slot].span);
    return;
  }
  slot = root;
}
WARDEN_ACTION(when_clause) { set_condition(in, b, b.rule.when, "when"); }
};
WARDEN_ACTION(unless_clause) { set_condition(in, b, b.rule.unless, "unless"); }
};
WARDEN_ACTION(code_name) { b.name = make_name(in, b); }
};
WARDEN_ACTION(code_clause) {
  if (b.rule.code) {
    report_twice(b, Code::E0319, b.span(in.begin(), in.size()), "code", b.rule.code->span);
    return;
  }
  b.rule.code = b.name;
}
};
WARDEN_ACTION(message_clause) {
  if (b.rule.message) {
    report_twice(b, Code::E0319, b.span(in.begin(), in.size()), "message", b.rule.message->span);
    return;
  }
  b.rule.message = b.last_string;
}
};
WARDEN_ACTION(monitor_clause) {
  const Span s = b.span(in.begin(), in.size());
  if (b.rule.monitor_span) {
    report_twice(b, Code::E0319, s, "monitor", *b.rule.monitor_span);
    return;
  }
  b.rule.monitor_span = s;
}
};
WARDEN_ACTION(cross_tenant_clause) {
  const Span s = b.span(in.begin(), in.size());
  if (b.rule.cross_tenant_span) {
    report_twice(b, Code::E0319, s, "cross_tenant", *b.rule.cross_tenant_span);
    return;
  }
  b.rule.cross_tenant_span = s;
}
};
WARDEN_ACTION(rule_decl) {
  b.rule.span = b.span(in.begin(), in.size());
  b.out.rules.push_back(std::move(b.rule));
  b.rule = {};
}
};

#undef WARDEN_ACTION

}  // namespace warden::grammar
