// The printer for rules. Layout:
//
//   EFFECT NAME: SUBJECT to ACTIONS on TYPES        (filled to the width)
//     CLAUSE                                         (one per line, in source order)
//     when A                                         (a condition too long for
//       and B                                         its line breaks before each
//       and C;                                        operator of its top chain)
//
// A rule without clauses is a single statement ending in `;`.
#include <algorithm>

#include "format/printer.hpp"

namespace warden::format::detail {
namespace {

// Clauses are indented by kIndent under the head, broken conditions by 2 more.
constexpr std::uint32_t kConditionExtra = 2;

void add_names(std::vector<Word>& words, const char* keyword, const ast::NameList& list) {
  if (list.all || list.names.empty()) {
    words.push_back({std::string(keyword) + " *", list.span.offset});
    return;
  }
  for (std::size_t i = 0; i < list.names.size(); ++i) {
    std::string text = (i == 0 ? std::string(keyword) + " " : std::string()) + list.names[i].text;
    if (i + 1 < list.names.size()) text += ",";
    words.push_back({std::move(text), list.names[i].span.offset});
  }
}

struct Clause {
  std::uint32_t offset = 0;
  std::vector<Line> lines;
};

Line clause_line(std::string text, std::uint32_t anchor, std::uint32_t indent, LineKind kind) {
  Line l;
  l.kind = kind;
  l.indent = indent;
  l.comment_indent = indent;
  l.text = std::move(text);
  l.anchor = anchor;
  return l;
}

// `when EXPR` / `unless EXPR`: one line when it fits, else broken before each
// operator of the expression's top-level chain.
Clause condition(const char* keyword, const ast::Rule& rule, ast::ExprId root, const Context& cx, std::uint32_t clause_indent) {
  const std::uint32_t at = rule.exprs[root].span.offset;
  Clause c{at, {}};
  const std::string one = std::string(keyword) + " " + expr_text(rule, root);
  const std::vector<ast::ExprId> items = chain_items(rule, root);
  // +1 for a `;` that may follow.
  if (clause_indent + one.size() + 1 <= cx.width || items.size() < 2) {
    c.lines.push_back(clause_line(one, at, clause_indent, LineKind::Item));
    return c;
  }
  const char* op = rule.exprs[root].kind == ast::Expr::Kind::And ? "and " : "or ";
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string text = (i == 0 ? std::string(keyword) + " " : std::string(op)) + chain_item_text(rule, root, items[i]);
    c.lines.push_back(clause_line(text, rule.exprs[items[i]].span.offset,
                                  i == 0 ? clause_indent : clause_indent + kConditionExtra,
                                  i == 0 ? LineKind::Item : LineKind::Continuation));
  }
  c.lines.front().anchor = at;
  return c;
}

Clause simple(std::string text, Span span, std::uint32_t clause_indent) {
  return {span.offset, {clause_line(std::move(text), span.offset, clause_indent, LineKind::Item)}};
}

// The head at `indent`, then the clauses one level deeper.
void print_with_clauses(const ast::Rule& rule, std::vector<Word> head, const Context& cx, std::vector<Line>& out,
                        std::uint32_t indent) {
  const std::uint32_t clause_indent = indent + kIndent;
  std::vector<Clause> clauses;
  if (rule.when) clauses.push_back(condition("when", rule, *rule.when, cx, clause_indent));
  if (rule.unless) clauses.push_back(condition("unless", rule, *rule.unless, cx, clause_indent));
  if (rule.code) clauses.push_back(simple("code " + rule.code->text, rule.code->span, clause_indent));
  if (rule.message) clauses.push_back(simple("message " + quote(rule.message->value), rule.message->span, clause_indent));
  if (rule.monitor_span) clauses.push_back(simple("monitor", *rule.monitor_span, clause_indent));
  if (rule.cross_tenant_span) clauses.push_back(simple("cross_tenant", *rule.cross_tenant_span, clause_indent));
  std::stable_sort(clauses.begin(), clauses.end(), [](const Clause& a, const Clause& b) { return a.offset < b.offset; });

  if (clauses.empty()) head.back().text += ";";
  std::vector<Line> lines = fill(indent, head, cx.width);
  lines.front().anchor = rule.span.offset;
  for (auto& c : clauses) {
    for (auto& l : c.lines) lines.push_back(std::move(l));
  }
  lines.back().text += clauses.empty() ? "" : ";";
  lines.back().src_end = rule.span.offset + rule.span.length;
  for (auto& l : lines) out.push_back(std::move(l));
}

}  // namespace

void print_rule(const ast::Rule& rule, const Context& cx, std::vector<Line>& out) {
  std::vector<Word> head{{rule.effect == ast::Effect::Allow ? "allow" : "deny", rule.span.offset},
                         {rule.name.text + ":", rule.name.span.offset},
                         {predicate_text(rule.subject), rule.subject.span.offset}};
  add_names(head, "to", rule.actions);
  add_names(head, "on", rule.types);
  print_with_clauses(rule, std::move(head), cx, out, 0);
}

void print_endpoint_deny(const ast::Rule& rule, const Context& cx, std::vector<Line>& out, std::uint32_t indent) {
  std::vector<Word> head{{"deny", rule.span.offset},
                         {rule.name.text + ":", rule.name.span.offset},
                         {predicate_text(rule.subject), rule.subject.span.offset}};
  print_with_clauses(rule, std::move(head), cx, out, indent);
}

}  // namespace warden::format::detail
