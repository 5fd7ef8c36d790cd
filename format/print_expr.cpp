// Canonical text of literals, paths, predicates and conditions.
#include <algorithm>

#include "format/printer.hpp"

namespace warden::format::detail {
namespace {

const char* compare_text(ast::CompareOp op) {
  switch (op) {
    case ast::CompareOp::Eq: return "==";
    case ast::CompareOp::Ne: return "!=";
    case ast::CompareOp::Lt: return "<";
    case ast::CompareOp::Le: return "<=";
    case ast::CompareOp::Gt: return ">";
    case ast::CompareOp::Ge: return ">=";
  }
  return "==";
}

std::string operand_text(const ast::Operand& o) {
  if (o.kind == ast::Operand::Kind::Path) return path_text(o.path);
  const ast::Literal& l = o.literal;
  switch (l.kind) {
    case ast::Literal::Kind::String: return quote(l.text);
    case ast::Literal::Kind::Int: return std::to_string(l.int_value);
    case ast::Literal::Kind::Bool: return l.bool_value ? "true" : "false";
    case ast::Literal::Kind::Ident: return l.text;
  }
  return l.text;
}

std::string set_text(const ast::SetExpr& s) {
  switch (s.kind) {
    case ast::SetExpr::Kind::List: {
      std::string out = "[";
      for (std::size_t i = 0; i < s.items.size(); ++i) out += (i ? ", " : "") + operand_text(s.items[i]);
      return out + "]";
    }
    case ast::SetExpr::Kind::Cidr: return "cidr(" + quote(s.first.value) + ")";
    case ast::SetExpr::Kind::Hours: return "hours(" + quote(s.first.value) + ", " + quote(s.second.value) + ")";
  }
  return "[]";
}

bool is_chain(ast::Expr::Kind k) { return k == ast::Expr::Kind::And || k == ast::Expr::Kind::Or; }

}  // namespace

std::string quote(std::string_view value) {
  std::string out = "\"";
  for (const char c : value) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

std::string path_text(const ast::AttrPath& path) {
  std::string out;
  switch (path.root) {
    case ast::AttrPath::Root::Principal: out = "principal"; break;
    case ast::AttrPath::Root::Resource: out = "resource"; break;
    case ast::AttrPath::Root::Context: out = "context"; break;
    case ast::AttrPath::Root::Request: out = "request"; break;
  }
  for (const auto& a : path.attrs) out += "." + a.text;
  return out;
}

std::string caller_text(ast::CallerKind k) {
  switch (k) {
    case ast::CallerKind::Anonymous: return "anonymous";
    case ast::CallerKind::Session: return "session";
    case ast::CallerKind::Key: return "key";
    case ast::CallerKind::Authenticated: return "authenticated";
  }
  return "anonymous";
}

std::string value_text(const std::vector<ast::ValuePart>& parts) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += " + ";
    switch (part.kind) {
      case ast::ValuePart::Kind::PathParam: out += part.text; break;
      case ast::ValuePart::Kind::Query: out += "query " + quote(part.text); break;
      case ast::ValuePart::Kind::Header: out += "header " + quote(part.text); break;
      case ast::ValuePart::Kind::Body: out += "body " + quote(part.text); break;
      case ast::ValuePart::Kind::Literal: out += quote(part.text); break;
    }
  }
  return out;
}

std::string predicate_text(const ast::Predicate& p) {
  const std::string in = p.in ? " in " + path_text(*p.in) : "";
  switch (p.kind) {
    case ast::Predicate::Kind::Anyone: return "anyone";
    case ast::Predicate::Kind::Role: return "role " + p.name.text + in;
    case ast::Predicate::Kind::Scope: return "scope " + p.name.text;
    case ast::Predicate::Kind::Grant: return "grant" + (p.name.text.empty() ? "" : " >= " + p.name.text) + in;
    case ast::Predicate::Kind::Member: return "member of " + (p.in ? path_text(*p.in) : std::string("resource"));
    case ast::Predicate::Kind::Caller: return caller_text(p.caller);
  }
  return "anyone";
}

std::vector<ast::ExprId> chain_items(const ast::Rule& rule, ast::ExprId id) {
  const ast::Expr::Kind kind = rule.exprs[id].kind;
  if (!is_chain(kind)) return {id};
  // And/Or nodes are left-nested: walk the left spine.
  std::vector<ast::ExprId> items;
  while (rule.exprs[id].kind == kind) {
    items.push_back(rule.exprs[id].rhs);
    id = rule.exprs[id].lhs;
  }
  items.push_back(id);
  std::reverse(items.begin(), items.end());
  return items;
}

std::string chain_item_text(const ast::Rule& rule, ast::ExprId parent, ast::ExprId item) {
  const ast::Expr::Kind pk = rule.exprs[parent].kind, ik = rule.exprs[item].kind;
  // In an `and` chain an `or` operand needs parentheses, and so does an `and`
  // (only a right operand can be one: `a and (b and c)`); in an `or` chain only
  // a right `or` operand does.
  const bool parens = pk == ast::Expr::Kind::And ? is_chain(ik) : pk == ast::Expr::Kind::Or && ik == ast::Expr::Kind::Or;
  const std::string text = expr_text(rule, item);
  return parens ? "(" + text + ")" : text;
}

std::string expr_text(const ast::Rule& rule, ast::ExprId id) {
  const ast::Expr& e = rule.exprs[id];
  switch (e.kind) {
    case ast::Expr::Kind::And:
    case ast::Expr::Kind::Or: {
      const char* op = e.kind == ast::Expr::Kind::And ? " and " : " or ";
      std::string out;
      bool first = true;
      for (const ast::ExprId item : chain_items(rule, id)) {
        if (!first) out += op;
        out += chain_item_text(rule, id, item);
        first = false;
      }
      return out;
    }
    case ast::Expr::Kind::Not: {
      const std::string inner = expr_text(rule, e.lhs);
      return is_chain(rule.exprs[e.lhs].kind) ? "not (" + inner + ")" : "not " + inner;
    }
    case ast::Expr::Kind::Compare: return operand_text(e.left) + " " + compare_text(e.op) + " " + operand_text(e.right);
    case ast::Expr::Kind::In: return operand_text(e.left) + " in " + set_text(e.set);
    case ast::Expr::Kind::Truthy: return operand_text(e.left);
    case ast::Expr::Kind::Predicate: return predicate_text(e.predicate);
    case ast::Expr::Kind::Has: return "has " + operand_text(e.left);
  }
  return "";
}

}  // namespace warden::format::detail
