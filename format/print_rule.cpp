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

constexpr std::uint32_t kClauseIndent = kIndent;
constexpr std::uint32_t kConditionIndent = kIndent + 2;

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
Clause condition(const char* keyword, const ast::Rule& rule, ast::ExprId root, const Context& cx) {
  const std::uint32_t at = rule.exprs[root].span.offset;
  Clause c{at, {}};
  const std::string one = std::string(keyword) + " " + expr_text(rule, root);
  const std::vector<ast::ExprId> items = chain_items(rule, root);
  // +1 for a `;` that may follow.
  if (kClauseIndent + one.size() + 1 <= cx.width || items.size() < 2) {
    c.lines.push_back(clause_line(one, at, kClauseIndent, LineKind::Item));
    return c;
  }
  const char* op = rule.exprs[root].kind == ast::Expr::Kind::And ? "and " : "or ";
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string text = (i == 0 ? std::string(keyword) + " " : std::string(op)) + chain_item_text(rule, root, items[i]);
    c.lines.push_back(clause_line(text, rule.exprs[items[i]].span.offset, i == 0 ? kClauseIndent : kConditionIndent,
                                  i == 0 ? LineKind::Item : LineKind::Continuation));
  }
  c.lines.front().anchor = at;
  return c;
}

Clause simple(std::string text, Span span) {
  return {span.offset, {clause_line(std::move(text), span.offset, kClauseIndent, LineKind::Item)}};
}

}  // namespace

void print_rule(const ast::Rule& rule, const Context& cx, std::vector<Line>& out) {
  std::vector<Word> head{{rule.effect == ast::Effect::Allow ? "allow" : "deny", rule.span.offset},
                         {rule.name.text + ":", rule.name.span.offset},
                         {predicate_text(rule.subject), rule.subject.span.offset}};
  add_names(head, "to", rule.actions);
  add_names(head, "on", rule.types);

  std::vector<Clause> clauses;
  if (rule.when) clauses.push_back(condition("when", rule, *rule.when, cx));
  if (rule.unless) clauses.push_back(condition("unless", rule, *rule.unless, cx));
  if (rule.code) clauses.push_back(simple("code " + rule.code->text, rule.code->span));
  if (rule.message) clauses.push_back(simple("message " + quote(rule.message->value), rule.message->span));
  if (rule.monitor_span) clauses.push_back(simple("monitor", *rule.monitor_span));
  if (rule.cross_tenant_span) clauses.push_back(simple("cross_tenant", *rule.cross_tenant_span));
  std::stable_sort(clauses.begin(), clauses.end(), [](const Clause& a, const Clause& b) { return a.offset < b.offset; });

  if (clauses.empty()) head.back().text += ";";
  std::vector<Line> lines = fill(0, head, cx.width);
  lines.front().anchor = rule.span.offset;
  for (auto& c : clauses) {
    for (auto& l : c.lines) lines.push_back(std::move(l));
  }
  lines.back().text += clauses.empty() ? "" : ";";
  lines.back().src_end = rule.span.offset + rule.span.length;
  for (auto& l : lines) out.push_back(std::move(l));
}

}  // namespace warden::format::detail
