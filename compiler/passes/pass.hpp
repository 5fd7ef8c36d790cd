// The shared state of the checking passes and the declarations of the passes.
//
// compiler/check.cpp runs the passes in the order of its pipeline table; each
// pass reads the AST, fills in its part of the CheckedPolicy under
// construction and reports into the DiagnosticSink. Passes never stop at an
// error: an unresolved reference becomes kNone and later passes skip what
// depends on it, so one run reports every independent error.
//
// Internal to compiler/.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/model.hpp"
#include "grammar/ast.hpp"
#include "support/diagnostic.hpp"
#include "support/source.hpp"

namespace warden::compiler::passes {

// Name -> id, for lookups and suggestions (iterated only in name order).
using NameIndex = std::map<std::string, Id, std::less<>>;

// What a rule's `resource` root may stand for while its paths are resolved.
struct RuleTypes {
  std::vector<Id> types;  // the rule's target resource types, ascending
  bool known = false;     // false when the type list failed to resolve: skip resource paths silently
  bool all = false;       // `on *`
  // An endpoint's or group's deny where some endpoint names no action: why
  // `resource` is not available (E0321), and where that endpoint is.
  std::string no_resource;
  Span no_resource_at;
};

struct State {
  State(const ast::Policy& policy, const SourceSet& source_set, DiagnosticSink& diagnostics, CheckedPolicy& out)
      : ast(policy), sources(source_set), sink(diagnostics), model(out) {}

  const ast::Policy& ast;
  const SourceSet& sources;
  DiagnosticSink& sink;
  CheckedPolicy& model;

  // --- filled by collect_declarations ---
  NameIndex scopes, levels, roles;
  NameIndex principals, resources;  // one namespace, checked together
  std::vector<Id> scope_of_decl;      // ast.scopes[i] -> scope id, kNone for a duplicate
  std::vector<Id> role_of_decl;       // ast.roles[i] -> role id
  std::vector<Id> principal_of_decl;  // ast.principals[i] -> principal type id
  std::vector<Id> resource_of_decl;   // ast.resources[i] -> resource type id
  std::vector<NameIndex> actions_of;  // per resource type: action name -> id
  NameIndex action_names;             // every action name of any type -> number of types declaring it
  std::map<std::vector<StringId>, Id> enum_ids;

  // The source of every endpoint or group deny: model.rules[ast.rules.size() + i]
  // comes from *endpoint_rules[i].
  std::vector<const ast::Rule*> endpoint_rules;

  // --- filled by resolve_rules (top-level rules) and check_endpoint_rules ---
  std::vector<RuleTypes> rule_types;  // per rule

  // --- helpers (state.cpp) ---

  Diagnostic& report(Code code, Span span, std::string message) { return sink.report(code, span, std::move(message)); }
  // An unknown-name error with a "did you mean" help when a candidate is close.
  Diagnostic& report_unknown(Code code, Span span, std::string message, std::string_view wrong,
                             const std::vector<std::string_view>& candidates);

  std::optional<EntityRef> find_entity(std::string_view name) const;
  // The attribute of `type` named `name`, or kNone.
  Id find_attribute(EntityRef type, std::string_view name) const;
  std::vector<std::string_view> attribute_names(EntityRef type) const;
  std::string entity_phrase(EntityRef type) const;  // "resource type `model`"
  std::string type_phrase(const ValueType& type) const;  // "`string`", "the enum `a | b`", "`org`"

  // Resolves `path` into rule.paths and returns its id; reports E0206/E0306
  // and returns kNone on failure.
  Id resolve_path(const ast::AttrPath& path, Rule& rule, const RuleTypes& types);

  // Resolves a subject form (as a subject or a condition) of `rule`; reports
  // E0201/E0202/E0205/E0206/E0309/E0313/E0317. Returns nullopt on failure.
  std::optional<Predicate> resolve_predicate(const ast::Predicate& pred, Rule& rule, const ast::Rule& source,
                                             const RuleTypes& types);

  // The span of value bytes [begin, begin + length) of a string literal,
  // mapped back through escapes to the source; the whole literal if the
  // source does not match.
  Span string_span(const ast::StringLit& lit, std::size_t begin, std::size_t length) const;
};

std::string quoted(std::string_view name);  // "`name`"
std::string methods_text(MethodMask mask, bool any);             // "GET, HEAD", "ANY"
std::string endpoint_text(const CheckedPolicy& m, const Endpoint& e);  // "GET, HEAD /api/x"
std::vector<std::string_view> keys(const NameIndex& index);
std::string path_text(const ast::AttrPath& path, std::size_t attrs);  // "resource.org" for attrs = 1

// A rule's subject, code, `monitor` and `cross_tenant` (resolve_rules.cpp).
void resolve_rule_head(State& state, const ast::Rule& source, Rule& rule, const RuleTypes& types);
// A rule's conditions and message (check_types.cpp).
void check_rule_types(State& state, const ast::Rule& source, Rule& rule, const RuleTypes& types);

// A value taken from the request (`name`, `query "q"`, `a + "/" + b`) of an
// endpoint whose pattern has `segments` (endpoint_values.cpp). Reports E0208
// for an unknown path parameter and E0311 for an empty name; false then.
bool resolve_value_parts(State& state, const std::vector<ast::ValuePart>& parts, const ast::EndpointDecl& endpoint,
                         std::vector<ValuePart>& out);
// The endpoint's `bind` items (E0320, E0206, E0306).
bool check_bindings(State& state, const ast::EndpointDecl& decl, Endpoint& endpoint);
// The caller mask of a `callers` list.
std::uint8_t caller_mask(const ast::CallersDecl& callers);

// --- the passes, in pipeline order (see check.cpp) ---

void collect_declarations(State& state);
void resolve_names(State& state);
void close_hierarchies(State& state);
void check_http(State& state);
void check_endpoints(State& state);
void resolve_rules(State& state);
void check_types(State& state);
void check_endpoint_rules(State& state);
void check_rules(State& state);

}  // namespace warden::compiler::passes
