// Internal to format/: the printers that turn AST nodes into canonical Lines
// (layout.hpp). One function per kind of declaration; each appends the lines
// of one declaration, the first of kind Item anchored at the declaration's
// first token and the last with src_end at the declaration's end. The driver
// (format.cpp) orders declarations and decides blank lines between them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "format/layout.hpp"
#include "grammar/ast.hpp"

namespace warden::format::detail {

struct Context {
  std::string_view source;  // the file's text
  std::size_t width = 100;  // line width the printers fill to
};

// Block bodies are indented by this much.
inline constexpr std::uint32_t kIndent = 2;

// --- text of small pieces (print_expr.cpp) ---

// A string literal: quotes, with `"`, `\`, newline and tab escaped.
std::string quote(std::string_view value);
std::string path_text(const ast::AttrPath& path);
std::string predicate_text(const ast::Predicate& p);
std::string caller_text(ast::CallerKind k);
// A value taken from the request: `owner + "/" + repo`, `body "name"`.
std::string value_text(const std::vector<ast::ValuePart>& parts);
// A condition in canonical form: minimal parentheses that keep the tree as
// parsed (a right operand of the same operator keeps its parentheses).
// Recursion is bounded by the parser's nesting limit: chains of `and` / `or`
// are walked iteratively, and each nested call crosses a parenthesis, a
// `not` or a change of operator.
std::string expr_text(const ast::Rule& rule, ast::ExprId id);

// The operands of a chain of one operator at `id` (`a and b and c`), left to
// right; a single element when `id` is not an `and` / `or`.
std::vector<ast::ExprId> chain_items(const ast::Rule& rule, ast::ExprId id);
// An operand of the chain at `parent`, parenthesized where needed.
std::string chain_item_text(const ast::Rule& rule, ast::ExprId parent, ast::ExprId item);

// --- declarations (print_decls.cpp, print_rule.cpp) ---

void print_policy(const ast::PolicyDecl& d, const Context& cx, std::vector<Line>& out);
void print_mode(const ast::ModeDecl& d, const Context& cx, std::vector<Line>& out);
void print_tenancy(const ast::TenancyDecl& d, const Context& cx, std::vector<Line>& out);
void print_scope(const ast::ScopeDecl& d, const Context& cx, std::vector<Line>& out);
void print_levels(const ast::LevelsDecl& d, const Context& cx, std::vector<Line>& out);
void print_role(const ast::RoleDecl& d, const Context& cx, std::vector<Line>& out);
void print_principal(const ast::PrincipalDecl& d, const Context& cx, std::vector<Line>& out);
void print_resource(const ast::ResourceDecl& d, const Context& cx, std::vector<Line>& out);
void print_context(const ast::ContextDecl& d, const Context& cx, std::vector<Line>& out);
// An endpoint at `indent` (0 at top level, kIndent inside a group).
void print_endpoint(const ast::EndpointDecl& d, const Context& cx, std::vector<Line>& out, std::uint32_t indent = 0);
void print_rule(const ast::Rule& d, const Context& cx, std::vector<Line>& out);
// An endpoint's or group's `deny NAME: SUBJECT clauses;` at `indent`.
void print_endpoint_deny(const ast::Rule& d, const Context& cx, std::vector<Line>& out, std::uint32_t indent);
// A group with its endpoints (those of `endpoints` whose group is `index`).
void print_group(const ast::GroupDecl& d, std::uint32_t index, const std::vector<ast::EndpointDecl>& endpoints,
                 const Context& cx, std::vector<Line>& out);
void print_http(const ast::HttpDecl& d, const Context& cx, std::vector<Line>& out);

// One item of a block, with the offset that orders it among its siblings.
struct BlockItem {
  std::uint32_t offset = 0;
  std::vector<Line> lines;
};

// `header {`, the items in source order (printed at indent + kIndent), `}`
// — or `header {}` when there are no items and no comments inside `span`.
void print_block(std::vector<Word> header, std::vector<BlockItem> items, Span span, const Context& cx,
                 std::vector<Line>& out, std::uint32_t indent = 0);

}  // namespace warden::format::detail
