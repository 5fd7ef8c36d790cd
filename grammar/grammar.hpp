// The PEGTL grammar of the Warden policy language (see docs/language.md).
//
// Rules only: empty structs, no semantic actions (those are in actions.hpp)
// and no error handling beyond naming what was expected. A rule wrapped in
// `req<R>` must match once its declaration has started; if it does not, the
// parse fails with R::expected as the message (wired through must_if in
// parse.cpp). A message may start with a diagnostic code and `|` to select a
// code other than the generic E0101.
//
// Rules whose matched text the actions need get their own name (`role_name`,
// `parent_role`, …) so the action knows where the text belongs, and rules are
// written so that no alternative backtracks over a rule that has an action.
#pragma once

#include <tao/pegtl.hpp>

namespace warden::grammar::rules {

namespace pegtl = tao::pegtl;
using pegtl::at;
using pegtl::eof;
using pegtl::eolf;
using pegtl::not_at;
using pegtl::not_one;
using pegtl::one;
using pegtl::opt;
using pegtl::plus;
using pegtl::ranges;
using pegtl::seq;
using pegtl::sor;
using pegtl::star;
using pegtl::until;

// A rule that must match here.
template <typename R>
struct req : seq<R> {};

// --- lexical -----------------------------------------------------------------

struct comment : seq<one<'#'>, until<eolf>> {};
struct ws : star<sor<pegtl::ascii::space, comment>> {};

template <typename R>
struct tok : seq<R, ws> {};

struct ident_first : ranges<'a', 'z', 'A', 'Z', '_'> {};
struct ident_other : ranges<'a', 'z', 'A', 'Z', '0', '9', '_'> {};
struct identifier : seq<ident_first, star<ident_other>> {};

template <typename Str>
struct kw : seq<Str, not_at<ident_other>, ws> {};

#define WARDEN_KEYWORD(name, text) \
  struct name : kw<TAO_PEGTL_STRING(text)> {}

WARDEN_KEYWORD(kw_policy, "policy");
WARDEN_KEYWORD(kw_mode, "mode");
WARDEN_KEYWORD(kw_tenancy, "tenancy");
WARDEN_KEYWORD(kw_isolation, "isolation");
WARDEN_KEYWORD(kw_tenant, "tenant");
WARDEN_KEYWORD(kw_from, "from");
WARDEN_KEYWORD(kw_header, "header");
WARDEN_KEYWORD(kw_query, "query");
WARDEN_KEYWORD(kw_principal, "principal");
WARDEN_KEYWORD(kw_default, "default");
WARDEN_KEYWORD(kw_scope, "scope");
WARDEN_KEYWORD(kw_implies, "implies");
WARDEN_KEYWORD(kw_levels, "levels");
WARDEN_KEYWORD(kw_role, "role");
WARDEN_KEYWORD(kw_inherits, "inherits");
WARDEN_KEYWORD(kw_member, "member");
WARDEN_KEYWORD(kw_of, "of");
WARDEN_KEYWORD(kw_resource, "resource");
WARDEN_KEYWORD(kw_actions, "actions");
WARDEN_KEYWORD(kw_attribute, "attribute");
WARDEN_KEYWORD(kw_grants, "grants");
WARDEN_KEYWORD(kw_to, "to");
WARDEN_KEYWORD(kw_level, "level");
WARDEN_KEYWORD(kw_context, "context");
WARDEN_KEYWORD(kw_endpoint, "endpoint");
WARDEN_KEYWORD(kw_requires, "requires");
WARDEN_KEYWORD(kw_all, "all");
WARDEN_KEYWORD(kw_any, "any");
WARDEN_KEYWORD(kw_action, "action");
WARDEN_KEYWORD(kw_on, "on");
WARDEN_KEYWORD(kw_public, "public");
WARDEN_KEYWORD(kw_allow, "allow");
WARDEN_KEYWORD(kw_deny, "deny");
WARDEN_KEYWORD(kw_anyone, "anyone");
WARDEN_KEYWORD(kw_grant, "grant");
WARDEN_KEYWORD(kw_when, "when");
WARDEN_KEYWORD(kw_unless, "unless");
WARDEN_KEYWORD(kw_code, "code");
WARDEN_KEYWORD(kw_message, "message");
WARDEN_KEYWORD(kw_monitor, "monitor");
WARDEN_KEYWORD(kw_enforce, "enforce");
WARDEN_KEYWORD(kw_cross_tenant, "cross_tenant");
WARDEN_KEYWORD(kw_and, "and");
WARDEN_KEYWORD(kw_or, "or");
WARDEN_KEYWORD(kw_not, "not");
WARDEN_KEYWORD(kw_in, "in");
WARDEN_KEYWORD(kw_true, "true");
WARDEN_KEYWORD(kw_false, "false");
WARDEN_KEYWORD(kw_cidr, "cidr");
WARDEN_KEYWORD(kw_hours, "hours");
WARDEN_KEYWORD(kw_on_value, "on");
WARDEN_KEYWORD(kw_off_value, "off");
WARDEN_KEYWORD(kw_method_get, "GET");
WARDEN_KEYWORD(kw_method_head, "HEAD");
WARDEN_KEYWORD(kw_method_post, "POST");
WARDEN_KEYWORD(kw_method_put, "PUT");
WARDEN_KEYWORD(kw_method_patch, "PATCH");
WARDEN_KEYWORD(kw_method_delete, "DELETE");
WARDEN_KEYWORD(kw_method_options, "OPTIONS");
WARDEN_KEYWORD(kw_method_any, "ANY");
WARDEN_KEYWORD(kw_path_principal, "principal");
WARDEN_KEYWORD(kw_path_resource, "resource");
WARDEN_KEYWORD(kw_path_context, "context");
WARDEN_KEYWORD(kw_path_request, "request");
// The HTTP surface: the `http` block, groups, callers, bindings.
WARDEN_KEYWORD(kw_http, "http");
WARDEN_KEYWORD(kw_group, "group");
WARDEN_KEYWORD(kw_callers, "callers");
WARDEN_KEYWORD(kw_anonymous, "anonymous");
WARDEN_KEYWORD(kw_session, "session");
WARDEN_KEYWORD(kw_key, "key");
WARDEN_KEYWORD(kw_authenticated, "authenticated");
WARDEN_KEYWORD(kw_bind, "bind");
WARDEN_KEYWORD(kw_body, "body");
WARDEN_KEYWORD(kw_has, "has");
WARDEN_KEYWORD(kw_dot_segments, "dot_segments");
WARDEN_KEYWORD(kw_empty_segments, "empty_segments");
WARDEN_KEYWORD(kw_encoded_slash, "encoded_slash");
WARDEN_KEYWORD(kw_trailing_slash, "trailing_slash");
WARDEN_KEYWORD(kw_semicolons, "semicolons");
WARDEN_KEYWORD(kw_trusted_proxies, "trusted_proxies");
WARDEN_KEYWORD(kw_client_ip, "client_ip");
WARDEN_KEYWORD(kw_peer, "peer");
WARDEN_KEYWORD(kw_forwarded, "forwarded");
WARDEN_KEYWORD(kw_resolve, "resolve");
WARDEN_KEYWORD(kw_reject, "reject");
WARDEN_KEYWORD(kw_merge, "merge");
WARDEN_KEYWORD(kw_keep, "keep");
WARDEN_KEYWORD(kw_decode, "decode");
WARDEN_KEYWORD(kw_strict, "strict");
WARDEN_KEYWORD(kw_ignore, "ignore");
WARDEN_KEYWORD(kw_strip, "strip");

#undef WARDEN_KEYWORD

template <char C>
struct punct : tok<one<C>> {};

struct semi : punct<';'> { static constexpr const char* expected = "expected `;`"; };
struct comma : punct<','> {};
struct colon : punct<':'> { static constexpr const char* expected = "expected `:`"; };
struct lbrace : punct<'{'> { static constexpr const char* expected = "expected `{`"; };
struct rbrace : punct<'}'> { static constexpr const char* expected = "expected `}`"; };
struct lparen : punct<'('> { static constexpr const char* expected = "expected `(`"; };
struct rparen : punct<')'> { static constexpr const char* expected = "expected `)`"; };
struct lbracket : punct<'['> {};
struct rbracket : punct<']'> { static constexpr const char* expected = "expected `]` or `,`"; };
struct pipe : punct<'|'> {};
struct level_lt : punct<'<'> {};
struct star_tok : punct<'*'> {};
struct ge : tok<pegtl::string<'>', '='>> {};
struct plus_tok : punct<'+'> {};
struct bind_eq : tok<seq<one<'='>, not_at<one<'='>>>> { static constexpr const char* expected = "expected `=`"; };

// Keywords that are required once their declaration has begun.
struct to_kw : kw_to { static constexpr const char* expected = "expected `to`"; };
struct on_kw : kw_on { static constexpr const char* expected = "expected `on`"; };
struct of_kw : kw_of { static constexpr const char* expected = "expected `of`"; };
struct from_kw : kw_from { static constexpr const char* expected = "expected `from`"; };

// Strings: "…" with \" \\ \n \t.
struct escape_char : one<'"', '\\', 'n', 't'> {
  static constexpr const char* expected = "E0103|invalid escape sequence, expected one of `\\\"` `\\\\` `\\n` `\\t`";
};
struct string_char : sor<seq<one<'\\'>, req<escape_char>>, not_one<'"', '\\', '\n'>> {};
struct string_close : one<'"'> { static constexpr const char* expected = "E0102|unterminated string literal"; };
struct string_lit : seq<one<'"'>, star<string_char>, req<string_close>> {};
struct string_tok : tok<string_lit> { static constexpr const char* expected = "expected a string"; };

struct integer_lit : seq<opt<one<'-'>>, plus<pegtl::ascii::digit>, not_at<ident_other>> {};

// Scope names: segments of [A-Za-z0-9_.-] joined by `:`.
struct scope_char : ranges<'a', 'z', 'A', 'Z', '0', '9', '_', '_', '.', '.', '-', '-'> {};
struct scope_segment : plus<scope_char> {};
struct scope_text : seq<scope_segment, star<one<':'>, scope_segment>> {};
struct scope_family_text : seq<scope_segment, star<one<':'>, scope_segment>, one<':'>, one<'*'>> {};

// Named identifier positions.
#define WARDEN_NAME(name, what)                                      \
  struct name : identifier {};                                       \
  struct name##_tok : tok<name> {                                    \
    static constexpr const char* expected = "expected " what;        \
  }

WARDEN_NAME(policy_name, "a policy name");
WARDEN_NAME(role_name, "a role name");
WARDEN_NAME(parent_role, "a role name");
WARDEN_NAME(level_name, "a level name");
WARDEN_NAME(principal_name, "a principal type name");
WARDEN_NAME(member_of_name, "a principal type name");
WARDEN_NAME(resource_name, "a resource type name");
WARDEN_NAME(resource_action, "an action name");
WARDEN_NAME(grantee_name, "a principal type name");
WARDEN_NAME(level_map_level, "a level name");
WARDEN_NAME(level_map_action, "an action name");
WARDEN_NAME(attribute_name, "an attribute name");
WARDEN_NAME(type_name, "a type (`string`, `int`, `bool`, `time`, `ip`, an enum `a | b` or an entity type)");
WARDEN_NAME(enum_value, "an enum value");
WARDEN_NAME(endpoint_action, "an action name");
WARDEN_NAME(endpoint_type, "a resource type name");
WARDEN_NAME(rule_name, "a rule name");
WARDEN_NAME(rule_action, "an action name or `*`");
WARDEN_NAME(rule_type, "a resource type name or `*`");
WARDEN_NAME(predicate_role, "a role name");
WARDEN_NAME(predicate_level, "a level name");
WARDEN_NAME(code_name, "a denial code such as `ORG_SUSPENDED`");
WARDEN_NAME(attr_segment, "an attribute name");
WARDEN_NAME(ident_literal, "a value");
WARDEN_NAME(group_name, "a group name");
WARDEN_NAME(part_param, "a path parameter name, `query \"…\"`, `header \"…\"`, `body \"…\"` or a string");

#undef WARDEN_NAME

struct scope_decl_name : scope_text {};
struct scope_decl_name_tok : tok<seq<scope_decl_name, not_at<one<':'>>>> {
  static constexpr const char* expected = "expected a scope name such as `model:read`";
};
struct required_scope : scope_text {};
struct required_scope_tok : tok<required_scope> {
  static constexpr const char* expected = "expected a scope name";
};
struct predicate_scope : scope_text {};
struct predicate_scope_tok : tok<predicate_scope> {
  static constexpr const char* expected = "expected a scope name";
};

// --- policy, mode --------------------------------------------------------------

struct policy_decl : seq<kw_policy, req<policy_name_tok>, req<semi>> {};

struct mode_monitor : kw_monitor {};
struct mode_enforce : kw_enforce {};
struct mode_value : sor<mode_monitor, mode_enforce> {
  static constexpr const char* expected = "expected `monitor` or `enforce`";
};
struct mode_decl : seq<kw_mode, req<mode_value>, req<semi>> {};

// --- tenancy -----------------------------------------------------------------

struct isolation_on : kw_on_value {};
struct isolation_off : kw_off_value {};
struct isolation_value : sor<isolation_on, isolation_off> {
  static constexpr const char* expected = "expected `on` or `off`";
};
struct isolation_item : seq<kw_isolation, req<isolation_value>, req<semi>> {};

struct header_source : seq<kw_header, req<string_tok>> {};
struct principal_source : kw_principal {};
struct tenant_source : sor<header_source, principal_source> {
  static constexpr const char* expected = "expected `header \"…\"` or `principal`";
};
struct tenant_item : seq<kw_tenant, req<from_kw>, req<tenant_source>, star<comma, req<tenant_source>>, req<semi>> {};
struct default_item : seq<kw_default, req<string_tok>, req<semi>> {};
struct tenancy_item : sor<isolation_item, tenant_item, default_item> {
  static constexpr const char* expected = "expected `isolation`, `tenant`, `default` or `}`";
};
struct tenancy_begin : kw_tenancy {};
struct tenancy_decl : seq<tenancy_begin, req<lbrace>, until<rbrace, req<tenancy_item>>> {};

// --- scopes, levels, roles -----------------------------------------------------

struct scope_ref_family : scope_family_text {};
struct scope_ref_all : one<'*'> {};
struct scope_ref_exact : scope_text {};
struct scope_ref : tok<sor<scope_ref_family, scope_ref_all, scope_ref_exact>> {
  static constexpr const char* expected = "expected a scope, a family `prefix:*` or `*`";
};
struct scope_begin : kw_scope {};
struct scope_decl
    : seq<scope_begin, req<scope_decl_name_tok>, opt<kw_implies, req<scope_ref>, star<comma, req<scope_ref>>>, req<semi>> {};

struct levels_begin : kw_levels {};
struct levels_decl : seq<levels_begin, req<level_name_tok>, star<level_lt, req<level_name_tok>>, req<semi>> {};

struct role_begin : kw_role {};
struct role_decl
    : seq<role_begin, req<role_name_tok>, opt<kw_inherits, req<parent_role_tok>, star<comma, req<parent_role_tok>>>, req<semi>> {};

// --- attributes, principals, resources, context ---------------------------------

struct enum_more : seq<pipe, req<enum_value_tok>> {};
struct type_expr : seq<type_name_tok, star<enum_more>> {
  static constexpr const char* expected = type_name_tok::expected;
};
struct attribute_begin : kw_attribute {};
struct attribute_decl : seq<attribute_begin, req<attribute_name_tok>, req<colon>, req<type_expr>, req<semi>> {
  static constexpr const char* expected = "expected `attribute` or `}`";
};

struct principal_begin : kw_principal {};
struct principal_body : sor<semi, seq<lbrace, until<rbrace, req<attribute_decl>>>> {
  static constexpr const char* expected = "expected `;`, `{` or `member of`";
};
struct principal_decl
    : seq<principal_begin, req<principal_name_tok>,
          opt<kw_member, req<of_kw>, req<member_of_name_tok>, star<comma, req<member_of_name_tok>>>, req<principal_body>> {};

struct actions_item : seq<kw_actions, req<resource_action_tok>, star<comma, req<resource_action_tok>>, req<semi>> {};
struct grants_item : seq<kw_grants, req<to_kw>, req<grantee_name_tok>, star<comma, req<grantee_name_tok>>, req<semi>> {};
struct level_item_begin : kw_level {};
struct level_item : seq<level_item_begin, req<level_map_level_tok>, req<colon>, req<level_map_action_tok>,
                        star<comma, req<level_map_action_tok>>, req<semi>> {};
struct resource_item : sor<actions_item, attribute_decl, grants_item, level_item> {
  static constexpr const char* expected = "expected `actions`, `attribute`, `grants to`, `level` or `}`";
};
struct resource_begin : kw_resource {};
struct resource_decl : seq<resource_begin, req<resource_name_tok>, req<lbrace>, until<rbrace, req<resource_item>>> {};

struct context_begin : kw_context {};
struct context_decl : seq<context_begin, req<lbrace>, until<rbrace, req<attribute_decl>>> {};

// --- endpoints -----------------------------------------------------------------

struct method_get : kw_method_get {};
struct method_head : kw_method_head {};
struct method_post : kw_method_post {};
struct method_put : kw_method_put {};
struct method_patch : kw_method_patch {};
struct method_delete : kw_method_delete {};
struct method_options : kw_method_options {};
struct method_any : kw_method_any {};
struct method : sor<method_get, method_head, method_post, method_put, method_patch, method_delete, method_options, method_any> {
  static constexpr const char* expected = "expected an HTTP method (`GET`, `HEAD`, `POST`, `PUT`, `PATCH`, `DELETE`, `OPTIONS` or `ANY`)";
};
struct endpoint_pattern : string_tok {
  static constexpr const char* expected = "expected a path pattern such as \"/api/models/{name}\"";
};

struct require_all_begin : kw_all {};
struct require_any_begin : kw_any {};
struct require_list : seq<lparen, req<required_scope_tok>, star<comma, req<required_scope_tok>>, req<rparen>> {};
struct require_all : seq<require_all_begin, require_list> {};
struct require_any : seq<require_any_begin, require_list> {};
struct require_one : required_scope_tok {};
struct requirement : sor<require_all, require_any, require_one> {
  static constexpr const char* expected = "expected a scope, `all(…)` or `any(…)`";
};
struct requires_item : seq<kw_requires, req<requirement>, req<semi>> {};

// --- expressions ---------------------------------------------------------------

// A root is a root only when a `.` follows, so the words stay usable as enum
// values (`kind == request`).
struct path_principal : seq<kw_path_principal, at<one<'.'>>> {};
struct path_resource : seq<kw_path_resource, at<one<'.'>>> {};
struct path_context : seq<kw_path_context, at<one<'.'>>> {};
struct path_request : seq<kw_path_request, at<one<'.'>>> {};
struct path_root : sor<path_principal, path_resource, path_context, path_request> {};
struct path_dot : tok<one<'.'>> { static constexpr const char* expected = "expected `.` and an attribute name"; };
struct attr_path : seq<path_root, req<path_dot>, req<attr_segment_tok>, star<path_dot, req<attr_segment_tok>>> {};
struct path_ref : attr_path {
  static constexpr const char* expected = "expected a path such as `resource.org`";
};

struct role_predicate_in : seq<kw_in, req<path_ref>> {};
struct role_predicate : seq<kw_role, req<predicate_role_tok>, opt<role_predicate_in>> {};
struct scope_predicate : seq<kw_scope, req<predicate_scope_tok>> {};
struct grant_level : seq<ge, req<predicate_level_tok>> {};
struct grant_predicate_in : seq<kw_in, req<path_ref>> {};
struct grant_predicate : seq<kw_grant, opt<grant_level>, opt<grant_predicate_in>> {};
struct member_predicate : seq<kw_member, req<of_kw>, req<path_ref>> {};
// Caller kinds: who is calling, by the credentials presented.
struct caller_anonymous : kw_anonymous {};
struct caller_session : kw_session {};
struct caller_key : kw_key {};
struct caller_authenticated : kw_authenticated {};
struct caller_predicate : sor<caller_anonymous, caller_session, caller_key, caller_authenticated> {
  static constexpr const char* expected = "expected `anonymous`, `session`, `key` or `authenticated`";
};
struct predicate_begin
    : at<sor<kw_role, kw_scope, kw_grant, kw_member, kw_anonymous, kw_session, kw_key, kw_authenticated>> {};
struct predicate : sor<role_predicate, scope_predicate, grant_predicate, member_predicate, caller_predicate> {};

struct lit_true : kw_true {};
struct lit_false : kw_false {};
struct lit_string : string_lit {};
struct lit_integer : integer_lit {};
struct operand_path : attr_path {};
struct operand : tok<sor<operand_path, lit_string, lit_integer, lit_true, lit_false, ident_literal>> {
  static constexpr const char* expected = "expected a path, a literal or a value";
};

struct op_eq : tok<pegtl::string<'=', '='>> {};
struct op_ne : tok<pegtl::string<'!', '='>> {};
struct op_le : tok<pegtl::string<'<', '='>> {};
struct op_ge : tok<pegtl::string<'>', '='>> {};
struct op_lt : tok<one<'<'>> {};
struct op_gt : tok<one<'>'>> {};
struct compare_op : sor<op_eq, op_ne, op_le, op_ge, op_lt, op_gt> {};
struct compare_tail : seq<compare_op, req<operand>> {};

struct set_begin : lbracket {};
struct set_list : seq<set_begin, opt<operand, star<comma, req<operand>>>, req<rbracket>> {};
struct set_cidr : seq<kw_cidr, req<lparen>, req<string_tok>, req<rparen>> {};
struct set_hours_comma : comma { static constexpr const char* expected = "expected `,`"; };
struct hours_from : string_tok {};
struct hours_to : string_tok {};
struct set_hours : seq<kw_hours, req<lparen>, req<hours_from>, req<set_hours_comma>, req<hours_to>, req<rparen>> {};
struct set_expr : sor<set_list, set_cidr, set_hours> {
  static constexpr const char* expected = "expected `[…]`, `cidr(\"…\")` or `hours(\"…\", \"…\")`";
};
struct in_tail : seq<kw_in, req<set_expr>> {};

struct comparison : seq<operand, opt<sor<compare_tail, in_tail>>> {};

struct expr;
struct unary;
struct not_expr : seq<kw_not, req<unary>> {};
struct paren_expr : seq<lparen, req<expr>, req<rparen>> {};
struct predicate_expr : seq<predicate_begin, predicate> {};
struct has_expr : seq<kw_has, req<path_ref>> {};
struct unary : sor<not_expr, paren_expr, predicate_expr, has_expr, comparison> {
  static constexpr const char* expected = "expected a condition";
};
struct and_tail : seq<kw_and, req<unary>> {};
struct conjunction : seq<unary, star<and_tail>> {
  static constexpr const char* expected = "expected a condition";
};
struct or_tail : seq<kw_or, req<conjunction>> {};
struct expr : seq<conjunction, star<or_tail>> {
  static constexpr const char* expected = "expected a condition";
};

// --- rules -----------------------------------------------------------------------

struct subject_anyone : kw_anyone {};
struct subject : sor<subject_anyone, predicate> {
  static constexpr const char* expected =
      "expected a subject (`anyone`, `role`, `scope`, `grant`, `member of`, `anonymous`, `session`, `key` or "
      "`authenticated`)";
};
struct rule_all_actions : star_tok {};
struct rule_actions : sor<rule_all_actions, seq<rule_action_tok, star<comma, req<rule_action_tok>>>> {
  static constexpr const char* expected = rule_action_tok::expected;
};
struct rule_all_types : star_tok {};
struct rule_types : sor<rule_all_types, seq<rule_type_tok, star<comma, req<rule_type_tok>>>> {
  static constexpr const char* expected = rule_type_tok::expected;
};

struct when_clause : seq<kw_when, req<expr>> {};
struct unless_clause : seq<kw_unless, req<expr>> {};
struct code_clause : seq<kw_code, req<code_name_tok>> {};
struct message_clause : seq<kw_message, req<string_tok>> {};
struct monitor_clause : kw_monitor {};
struct cross_tenant_clause : kw_cross_tenant {};
struct rule_clause : sor<when_clause, unless_clause, code_clause, message_clause, monitor_clause, cross_tenant_clause> {};
struct rule_end : semi {
  static constexpr const char* expected = "expected `when`, `unless`, `code`, `message`, `monitor`, `cross_tenant` or `;`";
};

struct effect_allow : kw_allow {};
struct effect_deny : kw_deny {};
struct rule_decl : seq<sor<effect_allow, effect_deny>, req<rule_name_tok>, req<colon>, req<subject>, req<to_kw>,
                       req<rule_actions>, req<on_kw>, req<rule_types>, star<rule_clause>, req<rule_end>> {};

// --- the HTTP surface: endpoints, groups, the `http` block ----------------------

// Where a request value comes from: a path parameter, a query parameter, a
// header or a top-level field of the JSON body, or a literal; `+` joins
// several into one text (a composite id such as `owner + "/" + repo`).
struct part_query : seq<kw_query, req<string_tok>> {};
struct part_header : seq<kw_header, req<string_tok>> {};
struct part_body : seq<kw_body, req<string_tok>> {};
struct part_literal : tok<string_lit> {};
struct value_part : sor<part_query, part_header, part_body, part_literal, part_param_tok> {
  static constexpr const char* expected = part_param_tok::expected;
};
struct value_expr : seq<value_part, star<plus_tok, req<value_part>>> {
  static constexpr const char* expected = part_param_tok::expected;
};

struct endpoint_action_item : seq<kw_action, req<endpoint_action_tok>, req<on_kw>, req<endpoint_type_tok>,
                                  opt<lparen, req<value_expr>, req<rparen>>, req<semi>> {};
struct public_item : seq<kw_public, req<semi>> {};

struct callers_list : seq<req<caller_predicate>, star<comma, req<caller_predicate>>> {};
struct callers_begin : kw_callers {};
struct callers_item : seq<callers_begin, callers_list, req<semi>> {};

struct bind_begin : kw_bind {};
struct bind_item : seq<bind_begin, req<path_ref>, req<bind_eq>, req<value_expr>, req<semi>> {};

// `deny NAME: SUBJECT clauses;` on an endpoint or a group: a rule whose
// actions and types are those of the endpoints it is on.
struct endpoint_deny_begin : kw_deny {};
struct endpoint_deny_clause : sor<when_clause, unless_clause, code_clause, message_clause, monitor_clause> {};
struct endpoint_deny_end : semi {
  static constexpr const char* expected = "expected `when`, `unless`, `code`, `message`, `monitor` or `;`";
};
struct endpoint_deny_item : seq<endpoint_deny_begin, req<rule_name_tok>, req<colon>, req<subject>,
                                star<endpoint_deny_clause>, req<endpoint_deny_end>> {};

struct endpoint_item : sor<requires_item, endpoint_action_item, public_item, callers_item, bind_item, endpoint_deny_item> {
  static constexpr const char* expected = "expected `requires`, `action`, `public`, `callers`, `bind`, `deny` or `}`";
};
struct endpoint_begin : kw_endpoint {};
struct endpoint_decl : seq<endpoint_begin, req<method>, star<comma, req<method>>, req<endpoint_pattern>, req<lbrace>,
                           until<rbrace, req<endpoint_item>>> {};

// `group NAME { … }`: requirements, callers and denies shared by the
// endpoints declared inside.
struct group_item : sor<requires_item, callers_item, endpoint_deny_item, endpoint_decl> {
  static constexpr const char* expected = "expected `requires`, `callers`, `deny`, `endpoint` or `}`";
};
struct group_begin : kw_group {};
struct group_decl : seq<group_begin, req<group_name_tok>, req<lbrace>, until<rbrace, req<group_item>>> {};

// The `http` block: how paths are normalized before routing, where the
// client address comes from, and which callers endpoints admit by default.
struct dot_resolve : kw_resolve {};
struct dot_reject : kw_reject {};
struct dot_segments_value : sor<dot_resolve, dot_reject> {
  static constexpr const char* expected = "expected `resolve` or `reject`";
};
struct empty_merge : kw_merge {};
struct empty_keep : kw_keep {};
struct empty_reject : kw_reject {};
struct empty_segments_value : sor<empty_merge, empty_keep, empty_reject> {
  static constexpr const char* expected = "expected `merge`, `keep` or `reject`";
};
struct slash_reject : kw_reject {};
struct slash_decode : kw_decode {};
struct slash_keep : kw_keep {};
struct encoded_slash_value : sor<slash_reject, slash_decode, slash_keep> {
  static constexpr const char* expected = "expected `reject`, `decode` or `keep`";
};
struct trailing_strict : kw_strict {};
struct trailing_ignore : kw_ignore {};
struct trailing_slash_value : sor<trailing_strict, trailing_ignore> {
  static constexpr const char* expected = "expected `strict` or `ignore`";
};
struct semicolons_reject : kw_reject {};
struct semicolons_keep : kw_keep {};
struct semicolons_strip : kw_strip {};
struct semicolons_value : sor<semicolons_reject, semicolons_keep, semicolons_strip> {
  static constexpr const char* expected = "expected `reject`, `keep` or `strip`";
};
struct dot_segments_item : seq<kw_dot_segments, req<dot_segments_value>, req<semi>> {};
struct empty_segments_item : seq<kw_empty_segments, req<empty_segments_value>, req<semi>> {};
struct encoded_slash_item : seq<kw_encoded_slash, req<encoded_slash_value>, req<semi>> {};
struct trailing_slash_item : seq<kw_trailing_slash, req<trailing_slash_value>, req<semi>> {};
struct semicolons_item : seq<kw_semicolons, req<semicolons_value>, req<semi>> {};
struct proxy_network : string_tok {
  static constexpr const char* expected = "expected a network such as \"10.0.0.0/8\"";
};
struct trusted_proxies_item : seq<kw_trusted_proxies, req<proxy_network>, star<comma, req<proxy_network>>, req<semi>> {};
struct client_ip_peer : kw_peer {};
struct client_ip_forwarded : kw_forwarded {};
struct client_ip_header : seq<kw_header, req<string_tok>> {};
struct client_ip_source : sor<client_ip_peer, client_ip_forwarded, client_ip_header> {
  static constexpr const char* expected = "expected `peer`, `forwarded` or `header \"…\"`";
};
struct client_ip_item : seq<kw_client_ip, req<from_kw>, req<client_ip_source>, req<semi>> {};
struct http_item : sor<callers_item, dot_segments_item, empty_segments_item, encoded_slash_item, trailing_slash_item,
                       semicolons_item, trusted_proxies_item, client_ip_item> {
  static constexpr const char* expected =
      "expected `callers`, `dot_segments`, `empty_segments`, `encoded_slash`, `trailing_slash`, `semicolons`, "
      "`trusted_proxies`, `client_ip` or `}`";
};
struct http_begin : kw_http {};
struct http_decl : seq<http_begin, req<lbrace>, until<rbrace, req<http_item>>> {};

// --- top level -----------------------------------------------------------------

struct declaration : sor<policy_decl, mode_decl, tenancy_decl, scope_decl, levels_decl, role_decl, principal_decl,
                         resource_decl, context_decl, endpoint_decl, group_decl, http_decl, rule_decl> {
  static constexpr const char* expected =
      "expected a declaration (`scope`, `role`, `levels`, `principal`, `resource`, `endpoint`, `group`, `http`, "
      "`allow`, `deny`, …)";
};

// One run of declarations; parse.cpp restarts it after each syntax error.
struct declarations : seq<ws, until<eof, req<declaration>>> {};

}  // namespace warden::grammar::rules
