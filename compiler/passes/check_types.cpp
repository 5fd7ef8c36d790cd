// Pass 6: check_types — type-check rule conditions and message templates.
//
// Must run after resolve_rules (a rule's `resource` root stands for its
// target types). Converts each rule's expression arena node by node into the
// model's Condition arena (same indices; children precede parents, so no
// recursion is needed), resolving attribute paths (E0206) and subject forms,
// and converting literals to typed values:
//   E0306 type mismatch (int vs string, path vs path of different types, a
//         non-bool path alone, `in cidr` on a non-ip, `in hours` on a non-time)
//   E0307 an enum value not in the attribute's enum
//   E0308 an operator the type does not support (`<` on strings, …)
//   E0311 an invalid time, IP address, network or time of day
// `has PATH` takes any path. Then parses the `message` template into literal
// and placeholder parts:
//   E0312 unknown placeholder or `{` without `}`; E0206 for a bad path in it.
#include <algorithm>
#include <cctype>

#include "support/literals.hpp"
#include "compiler/passes/pass.hpp"

namespace warden::compiler::passes {
namespace {

using VKind = ValueType::Kind;

const char* op_text(ast::CompareOp op) {
  switch (op) {
    case ast::CompareOp::Eq: return "==";
    case ast::CompareOp::Ne: return "!=";
    case ast::CompareOp::Lt: return "<";
    case ast::CompareOp::Le: return "<=";
    case ast::CompareOp::Gt: return ">";
    case ast::CompareOp::Ge: return ">=";
  }
  return "?";
}

bool is_ordering(ast::CompareOp op) { return op != ast::CompareOp::Eq && op != ast::CompareOp::Ne; }

std::string describe_literal(const ast::Literal& lit) {
  switch (lit.kind) {
    case ast::Literal::Kind::String: return "the string " + quoted("\"" + lit.text + "\"");
    case ast::Literal::Kind::Int: return "the integer " + quoted(std::to_string(lit.int_value));
    case ast::Literal::Kind::Bool: return quoted(lit.bool_value ? "true" : "false");
    case ast::Literal::Kind::Ident: return "the name " + quoted(lit.text);
  }
  return "a literal";
}

// Entity references compare as their ids, which are strings.
bool compatible(const ValueType& a, const ValueType& b) {
  if (a == b) return true;
  const bool a_ref = a.kind == VKind::Entity || a.kind == VKind::String;
  const bool b_ref = b.kind == VKind::Entity || b.kind == VKind::String;
  return a_ref && b_ref && (a.kind != VKind::Entity || b.kind != VKind::Entity);
}

bool is_ident(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

class RuleChecker {
 public:
  RuleChecker(State& s, const ast::Rule& src, Rule& rule, const RuleTypes& types)
      : s_(s), src_(src), rule_(rule), types_(types) {}

  void run() {
    rule_.conditions.resize(src_.exprs.size());
    for (std::size_t i = 0; i < src_.exprs.size(); ++i) convert(src_.exprs[i], rule_.conditions[i]);
    if (src_.when) rule_.when = *src_.when;
    if (src_.unless) rule_.unless = *src_.unless;
    if (src_.message) message(*src_.message);
  }

 private:
  // One side of a comparison, resolved.
  struct Side {
    bool ok = true;
    bool is_path = false;
    Id path = kNone;
    const ast::Literal* literal = nullptr;
    Span span;
    std::string text;  // `resource.org` or the literal described
  };

  Side side(const ast::Operand& o) {
    Side out;
    out.span = o.span;
    if (o.kind == ast::Operand::Kind::Path) {
      out.is_path = true;
      out.path = s_.resolve_path(o.path, rule_, types_);
      out.ok = out.path != kNone;
      out.text = quoted(path_text(o.path, o.path.attrs.size()));
    } else {
      out.literal = &o.literal;
      out.text = describe_literal(o.literal);
    }
    return out;
  }

  const ValueType& type_of(const Side& side) const { return rule_.paths[side.path].type; }

  // The span of `token` in the source between two offsets; `fallback` if absent.
  Span token_span(Span from, std::uint32_t end_offset, std::string_view token, Span fallback) const {
    if (!from.valid() || from.file >= s_.sources.size()) return fallback;
    const std::string_view text = s_.sources.file(from.file).text();
    const std::size_t begin = std::size_t{from.offset} + from.length;
    if (begin > text.size() || end_offset > text.size() || end_offset < begin) return fallback;
    const auto pos = text.substr(begin, end_offset - begin).find(token);
    if (pos == std::string_view::npos) return fallback;
    return s_.sources.span(from.file, static_cast<std::uint32_t>(begin + pos), static_cast<std::uint32_t>(token.size()));
  }

  std::optional<Value> convert_literal(const ast::Literal& lit, const ValueType& t, const std::string& path) {
    CheckedPolicy& m = s_.model;
    Value v;
    v.span = lit.span;
    auto mismatch = [&]() -> Diagnostic& {
      return s_.report(Code::E0306, lit.span,
                       "cannot compare " + path + " (" + s_.type_phrase(t) + ") with " + describe_literal(lit));
    };
    switch (t.kind) {
      case VKind::String:
      case VKind::Entity:
        if (lit.kind == ast::Literal::Kind::String) {
          v.kind = ValueKind::String;
          v.string = m.strings.intern(lit.text);
          return v;
        }
        if (lit.kind == ast::Literal::Kind::Ident) {
          mismatch().notes.push_back("help: write a string: " + quoted("\"" + lit.text + "\""));
        } else {
          mismatch();
        }
        return std::nullopt;
      case VKind::Int:
        if (lit.kind == ast::Literal::Kind::Int) {
          v.kind = ValueKind::Int;
          v.number = lit.int_value;
          return v;
        }
        mismatch();
        return std::nullopt;
      case VKind::Bool:
        if (lit.kind == ast::Literal::Kind::Bool) {
          v.kind = ValueKind::Bool;
          v.number = lit.bool_value ? 1 : 0;
          return v;
        }
        mismatch();
        return std::nullopt;
      case VKind::Time: {
        if (lit.kind != ast::Literal::Kind::String) {
          mismatch().notes.push_back("help: write a time as an RFC 3339 string, e.g. `\"2026-01-31T00:00:00Z\"`");
          return std::nullopt;
        }
        const TimeResult r = parse_time(lit.text);
        if (!r.error.empty()) {
          s_.report(Code::E0311, lit.span, "invalid time " + quoted("\"" + lit.text + "\"") + ": " + r.error);
          return std::nullopt;
        }
        v.kind = ValueKind::Time;
        v.number = r.unix_seconds;
        return v;
      }
      case VKind::Ip: {
        if (lit.kind != ast::Literal::Kind::String) {
          mismatch();
          return std::nullopt;
        }
        const IpResult r = parse_ip(lit.text);
        if (!r.error.empty()) {
          Diagnostic& d =
              s_.report(Code::E0311, lit.span, "invalid IP address " + quoted("\"" + lit.text + "\"") + ": " + r.error);
          if (lit.text.find('/') != std::string::npos) {
            d.notes.push_back("help: to test a network, write " + path + " in cidr(\"" + lit.text + "\")");
          }
          return std::nullopt;
        }
        v.kind = ValueKind::Ip;
        v.address = r.address;
        v.ipv4 = r.ipv4;
        return v;
      }
      case VKind::Enum: {
        const EnumType& e = m.enums.at(t.enum_id);
        auto index_of = [&](std::string_view name) -> std::optional<std::size_t> {
          for (std::size_t i = 0; i < e.values.size(); ++i) {
            if (m.str(e.values[i]) == name) return i;
          }
          return std::nullopt;
        };
        if (lit.kind == ast::Literal::Kind::Ident) {
          if (auto i = index_of(lit.text)) {
            v.kind = ValueKind::Enum;
            v.enum_id = t.enum_id;
            v.number = static_cast<std::int64_t>(*i);
            return v;
          }
          std::vector<std::string_view> names;
          std::string listing;
          for (auto id : e.values) {
            names.push_back(m.str(id));
            listing += (listing.empty() ? "" : ", ") + quoted(m.str(id));
          }
          Diagnostic& d = s_.report_unknown(Code::E0307, lit.span,
                                            quoted(lit.text) + " is not a value of " + path, lit.text, names);
          d.notes.push_back("note: the values are " + listing);
          return std::nullopt;
        }
        Diagnostic& d = mismatch();
        if (lit.kind == ast::Literal::Kind::String && index_of(lit.text)) {
          d.notes.push_back("help: write the enum value without quotes: " + quoted(lit.text));
        }
        return std::nullopt;
      }
    }
    return std::nullopt;
  }

  // A side as a model operand; literals are converted at type `t`.
  std::optional<Operand> operand(const Side& side, const ValueType& t, const std::string& path) {
    Operand out;
    out.span = side.span;
    if (side.is_path) {
      out.kind = Operand::Kind::Path;
      out.path = side.path;
      return out;
    }
    auto v = convert_literal(*side.literal, t, path);
    if (!v) return std::nullopt;
    out.kind = Operand::Kind::Value;
    out.value = *v;
    return out;
  }

  void compare(const ast::Expr& e, Condition& c) {
    c.kind = Condition::Kind::Compare;
    c.op = static_cast<CompareOp>(e.op);
    const Side l = side(e.left), r = side(e.right);
    if (!l.ok || !r.ok) return;
    if (!l.is_path && !r.is_path) {
      s_.report(Code::E0306, e.span, "comparison of two literals; one side must be an attribute path");
      return;
    }
    const Side& path_side = l.is_path ? l : r;
    ValueType t = type_of(path_side);
    if (l.is_path && r.is_path) {
      const ValueType& u = type_of(r);
      if (!compatible(t, u)) {
        Diagnostic& d = s_.report(Code::E0306, r.span,
                                  "cannot compare " + l.text + " (" + s_.type_phrase(t) + ") with " + r.text + " (" +
                                      s_.type_phrase(u) + ")");
        d.labels.push_back({l.span, "this has type " + s_.type_phrase(t)});
        return;
      }
      if (u.kind == VKind::String) t = u;
    }
    c.operand_type = t.kind == VKind::Entity ? ValueType{} : t;
    if (is_ordering(e.op) && t.kind != VKind::Int && t.kind != VKind::Time) {
      const Span at = token_span(l.span, r.span.offset, op_text(e.op), e.span);
      Diagnostic& d = s_.report(Code::E0308, at,
                                "operator " + quoted(op_text(e.op)) + " is not supported on type " + s_.type_phrase(t));
      d.notes.push_back("note: `<`, `<=`, `>` and `>=` compare `int` and `time` values only");
      return;
    }
    auto left = operand(l, t, path_side.text);
    auto right = operand(r, t, path_side.text);
    if (left && right) {
      c.left = *left;
      c.right = *right;
    }
  }

  // The `in` keyword between the left operand and the set.
  Span in_span(const ast::Expr& e) const { return token_span(e.left.span, e.set.span.offset, "in", e.span); }

  void in(const ast::Expr& e, Condition& c) {
    const Side l = side(e.left);
    if (!l.ok) return;
    if (!l.is_path) {
      s_.report(Code::E0306, l.span, "the left side of `in` must be an attribute path, not " + l.text);
      return;
    }
    const ValueType t = type_of(l);
    Operand left;
    left.kind = Operand::Kind::Path;
    left.path = l.path;
    left.span = l.span;
    c.left = left;
    switch (e.set.kind) {
      case ast::SetExpr::Kind::List: {
        c.kind = Condition::Kind::InList;
        c.operand_type = t.kind == VKind::Entity ? ValueType{} : t;
        if (t.kind == VKind::Bool || t.kind == VKind::Time || t.kind == VKind::Ip) {
          Diagnostic& d = s_.report(Code::E0308, in_span(e),
                                    "operator `in [...]` is not supported on type " + s_.type_phrase(t));
          if (t.kind == VKind::Ip) d.notes.push_back("help: to test a network, use `in cidr(\"10.0.0.0/8\")`");
          if (t.kind == VKind::Time) d.notes.push_back("help: to test a time of day, use `in hours(\"09:00\", \"17:00\")`");
          return;
        }
        for (const auto& item : e.set.items) {
          const Side is = side(item);
          if (!is.ok) continue;
          if (is.is_path && !compatible(t, type_of(is))) {
            Diagnostic& d = s_.report(Code::E0306, is.span,
                                      "cannot compare " + l.text + " (" + s_.type_phrase(t) + ") with " + is.text + " (" +
                                          s_.type_phrase(type_of(is)) + ")");
            d.labels.push_back({l.span, "this has type " + s_.type_phrase(t)});
            continue;
          }
          if (auto op = operand(is, t, l.text)) c.items.push_back(*op);
        }
        return;
      }
      case ast::SetExpr::Kind::Cidr: {
        c.kind = Condition::Kind::InCidr;
        if (t.kind != VKind::Ip) {
          s_.report(Code::E0306, l.span,
                    "`in cidr(…)` needs an `ip` attribute, but " + l.text + " has type " + s_.type_phrase(t));
          return;
        }
        const CidrResult r = parse_cidr(e.set.first.value);
        if (!r.error.empty()) {
          Diagnostic& d = s_.report(Code::E0311, e.set.first.span,
                                    "invalid network " + quoted("\"" + e.set.first.value + "\"") + ": " + r.error);
          if (!r.suggestion.empty()) d.notes.push_back("help: did you mean " + quoted("\"" + r.suggestion + "\"") + "?");
          return;
        }
        c.right.kind = Operand::Kind::Value;
        c.right.span = e.set.span;
        c.right.value.kind = ValueKind::Cidr;
        c.right.value.address = r.address;
        c.right.value.prefix = r.prefix;
        c.right.value.ipv4 = r.ipv4;
        c.right.value.span = e.set.span;
        return;
      }
      case ast::SetExpr::Kind::Hours: {
        c.kind = Condition::Kind::InHours;
        if (t.kind != VKind::Time) {
          s_.report(Code::E0306, l.span,
                    "`in hours(…)` needs a `time` attribute, but " + l.text + " has type " + s_.type_phrase(t));
          return;
        }
        const MinuteResult start = parse_time_of_day(e.set.first.value, false);
        const MinuteResult end = parse_time_of_day(e.set.second.value, true);
        bool ok = true;
        if (!start.error.empty()) {
          s_.report(Code::E0311, e.set.first.span,
                    "invalid time of day " + quoted("\"" + e.set.first.value + "\"") + ": " + start.error);
          ok = false;
        }
        if (!end.error.empty()) {
          s_.report(Code::E0311, e.set.second.span,
                    "invalid time of day " + quoted("\"" + e.set.second.value + "\"") + ": " + end.error);
          ok = false;
        }
        if (ok && start.minute == end.minute) {
          s_.report(Code::E0311, e.set.span, "empty hours range: the start and the end are the same time");
          ok = false;
        }
        if (!ok) return;
        c.right.kind = Operand::Kind::Value;
        c.right.span = e.set.span;
        c.right.value.kind = ValueKind::Hours;
        c.right.value.start_minute = start.minute;
        c.right.value.end_minute = end.minute;
        c.right.value.span = e.set.span;
        return;
      }
    }
  }

  void truthy(const ast::Expr& e, Condition& c) {
    c.kind = Condition::Kind::Test;
    const Side l = side(e.left);
    if (!l.ok) return;
    if (!l.is_path) {
      if (l.literal->kind == ast::Literal::Kind::Bool) {
        c.left.kind = Operand::Kind::Value;
        c.left.span = l.span;
        c.left.value.kind = ValueKind::Bool;
        c.left.value.number = l.literal->bool_value ? 1 : 0;
        c.left.value.span = l.span;
        return;
      }
      s_.report(Code::E0306, l.span, l.text + " cannot be used alone as a condition");
      return;
    }
    const ValueType& t = type_of(l);
    if (t.kind != VKind::Bool) {
      Diagnostic& d = s_.report(Code::E0306, l.span,
                                l.text + " has type " + s_.type_phrase(t) + " and cannot be used alone as a condition");
      d.notes.push_back("help: only a `bool` attribute is a condition by itself; compare this one, e.g. " +
                        quoted(path_text(e.left.path, e.left.path.attrs.size()) + " == …"));
      return;
    }
    c.left.kind = Operand::Kind::Path;
    c.left.path = l.path;
    c.left.span = l.span;
  }

  void convert(const ast::Expr& e, Condition& c) {
    c.span = e.span;
    switch (e.kind) {
      case ast::Expr::Kind::And:
        c.kind = Condition::Kind::And;
        c.lhs = e.lhs;
        c.rhs = e.rhs;
        return;
      case ast::Expr::Kind::Or:
        c.kind = Condition::Kind::Or;
        c.lhs = e.lhs;
        c.rhs = e.rhs;
        return;
      case ast::Expr::Kind::Not:
        c.kind = Condition::Kind::Not;
        c.lhs = e.lhs;
        return;
      case ast::Expr::Kind::Compare: compare(e, c); return;
      case ast::Expr::Kind::In: in(e, c); return;
      case ast::Expr::Kind::Truthy: truthy(e, c); return;
      case ast::Expr::Kind::Predicate:
        c.kind = Condition::Kind::Predicate;
        if (auto p = s_.resolve_predicate(e.predicate, rule_, src_, types_)) c.predicate = *p;
        return;
      case ast::Expr::Kind::Has: {
        // Any path: `has` asks whether it has a value of its declared type.
        c.kind = Condition::Kind::Has;
        const Side l = side(e.left);
        if (!l.ok) return;
        c.left.kind = Operand::Kind::Path;
        c.left.path = l.path;
        c.left.span = l.span;
        return;
      }
    }
  }

  // --- message templates ---

  void message(const ast::StringLit& lit) {
    CheckedPolicy& m = s_.model;
    rule_.has_message = true;
    rule_.message_span = lit.span;
    const std::string& text = lit.value;
    std::string literal;
    std::size_t literal_begin = 0;
    auto flush = [&](std::size_t end) {
      if (literal.empty()) return;
      MessagePart part;
      part.kind = MessagePart::Kind::Literal;
      part.text = m.strings.intern(literal);
      part.span = s_.string_span(lit, literal_begin, end - literal_begin);
      rule_.message.push_back(part);
      literal.clear();
    };
    std::size_t i = 0;
    while (i < text.size()) {
      if (text[i] != '{') {
        if (literal.empty()) literal_begin = i;
        literal += text[i++];
        continue;
      }
      const std::size_t close = text.find('}', i + 1);
      const std::size_t reopen = text.find('{', i + 1);
      if (close == std::string::npos || (reopen != std::string::npos && reopen < close)) {
        Diagnostic& d = s_.report(Code::E0312, s_.string_span(lit, i, 1), "unclosed `{` in message template");
        d.notes.push_back("help: close the placeholder with `}`");
        if (literal.empty()) literal_begin = i;
        literal += text[i++];
        continue;
      }
      flush(i);
      placeholder(lit, i, close);
      i = close + 1;
    }
    flush(text.size());
  }

  // The placeholder text[open..close] (braces included).
  void placeholder(const ast::StringLit& lit, std::size_t open, std::size_t close) {
    CheckedPolicy& m = s_.model;
    const std::string& text = lit.value;
    std::size_t b = open + 1, e = close;
    while (b < e && text[b] == ' ') ++b;
    while (e > b && text[e - 1] == ' ') --e;
    const std::string inner = text.substr(b, e - b);
    MessagePart part;
    part.text = m.strings.intern(text.substr(open, close - open + 1));
    part.span = s_.string_span(lit, open, close - open + 1);
    if (inner == "action" || inner == "tenant") {
      part.kind = inner == "action" ? MessagePart::Kind::Action : MessagePart::Kind::Tenant;
      rule_.message.push_back(part);
      return;
    }
    // An attribute path: ROOT.attr{.attr}.
    std::vector<std::pair<std::size_t, std::size_t>> pieces;  // (offset in text, length)
    for (std::size_t start = b;;) {
      const std::size_t dot = text.find('.', start);
      const std::size_t end = dot == std::string::npos || dot > e ? e : dot;
      pieces.emplace_back(start, end - start);
      if (end == e) break;
      start = end + 1;
    }
    std::optional<ast::AttrPath::Root> root;
    const std::string first = text.substr(pieces[0].first, pieces[0].second);
    if (first == "principal") root = ast::AttrPath::Root::Principal;
    if (first == "resource") root = ast::AttrPath::Root::Resource;
    if (first == "context") root = ast::AttrPath::Root::Context;
    if (first == "request") root = ast::AttrPath::Root::Request;
    const bool well_formed =
        root && pieces.size() >= 2 && std::all_of(pieces.begin() + 1, pieces.end(), [&](const auto& p) {
          return is_ident(std::string_view(text).substr(p.first, p.second));
        });
    if (!well_formed) {
      Diagnostic& d = s_.report_unknown(Code::E0312, part.span,
                                        "unknown placeholder " + quoted("{" + inner + "}") + " in message template",
                                        inner, {"action", "tenant", "principal.id", "resource.id", "context.request_id"});
      d.notes.push_back(
          "note: placeholders are `{action}`, `{tenant}` and attribute paths such as `{principal.id}` or "
          "`{resource.org}`");
      return;
    }
    ast::AttrPath path;
    path.root = *root;
    path.span = s_.string_span(lit, b, e - b);
    for (std::size_t k = 1; k < pieces.size(); ++k) {
      path.attrs.push_back(ast::Name{text.substr(pieces[k].first, pieces[k].second),
                                     s_.string_span(lit, pieces[k].first, pieces[k].second)});
    }
    const Id id = s_.resolve_path(path, rule_, types_);
    if (id == kNone) return;
    part.kind = MessagePart::Kind::Path;
    part.path = id;
    rule_.message.push_back(part);
  }

  State& s_;
  const ast::Rule& src_;
  Rule& rule_;
  const RuleTypes& types_;
};

}  // namespace

void check_rule_types(State& s, const ast::Rule& source, Rule& rule, const RuleTypes& types) {
  RuleChecker(s, source, rule, types).run();
}

void check_types(State& s) {
  for (std::size_t i = 0; i < s.ast.rules.size(); ++i) check_rule_types(s, s.ast.rules[i], s.model.rules[i], s.rule_types[i]);
}

}  // namespace warden::compiler::passes
