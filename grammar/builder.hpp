// The parser's state: the AST under construction and scratch for the
// declaration being parsed.
//
// Actions (actions.hpp) fill the scratch bottom-up and move a declaration into
// the Policy only when the whole declaration has matched, so a syntax error
// never leaves half a declaration behind. After an error parse.cpp calls
// reset() and restarts at the next declaration.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "grammar/ast.hpp"
#include "support/diagnostic.hpp"
#include "support/source.hpp"

namespace warden::grammar {

struct Builder {
  Builder(const SourceSet& sources_in, std::uint32_t file_in, ast::Policy& out_in, DiagnosticSink& sink_in)
      : sources(sources_in), file(file_in), base(sources_in.file(file_in).text().data()), out(out_in), sink(sink_in) {}

  const SourceSet& sources;
  std::uint32_t file;
  const char* base;
  ast::Policy& out;
  DiagnosticSink& sink;

  // Where the declaration being parsed starts (set by the control's start()).
  std::uint32_t declaration_start = 0;

  // Span of [begin, begin + size) with trailing whitespace and comments trimmed.
  Span span(const char* begin, std::size_t size) const;
  // Span of exactly [begin, begin + size).
  Span exact_span(const char* begin, std::size_t size) const {
    return sources.span(file, offset(begin), static_cast<std::uint32_t>(size));
  }
  std::uint32_t offset(const char* p) const { return static_cast<std::uint32_t>(p - base); }

  void reset();

  // --- scratch, by construct ---
  ast::StringLit last_string;
  ast::Name name;  // single-name declarations (policy name, code)
  ast::Mode mode = ast::Mode::Enforce;
  ast::TenancyDecl tenancy;
  std::vector<ast::TenantSource> tenant_sources;
  ast::ScopeDecl scope;
  ast::LevelsDecl levels;
  ast::RoleDecl role;
  ast::PrincipalDecl principal;
  ast::ResourceDecl resource;
  ast::LevelMap level_map;
  ast::ContextDecl context;
  ast::TypeExpr type;
  ast::AttributeDecl attribute;
  std::vector<ast::AttributeDecl>* attribute_target = nullptr;
  ast::EndpointDecl endpoint;
  std::vector<ast::Name> required_scopes;
  ast::EndpointAction endpoint_action;
  std::vector<ast::ValuePart> value_parts;  // the value being read (`a + "/" + b`)
  ast::Binding binding;
  ast::CallersDecl callers;                 // the `callers` list being read
  ast::GroupDecl group;
  bool in_group = false;
  std::size_t group_endpoint_mark = 0;      // out.endpoints.size() when the group began
  ast::HttpDecl http;
  std::uint8_t http_option = 0;             // the value of the `http` item being read
  std::vector<ast::StringLit> proxies;
  // Where `requires`, `callers` and `deny` items go: the endpoint, the group
  // or the `http` block being read (null outside them).
  std::vector<ast::Requirement>* requirements_target = nullptr;
  std::optional<ast::CallersDecl>* callers_target = nullptr;
  std::vector<ast::Rule>* denies_target = nullptr;
  bool callers_in_http = false;
  ast::Rule rule;
  ast::AttrPath path;
  ast::Predicate predicate;
  std::vector<ast::Operand> operands;
  std::vector<std::size_t> set_marks;
  ast::SetExpr set;
  std::vector<ast::ExprId> expr_stack;
  enum class Tail : std::uint8_t { None, Compare, In } tail = Tail::None;
  ast::CompareOp op = ast::CompareOp::Eq;

  ast::ExprId push_expr(ast::Expr e);
  ast::ExprId pop_expr();
  ast::Operand pop_operand();
};

// Split an endpoint pattern into segments, reporting E0105 for malformed ones.
std::vector<ast::PathSegment> parse_path_pattern(const ast::StringLit& pattern, Builder& b);

}  // namespace warden::grammar
