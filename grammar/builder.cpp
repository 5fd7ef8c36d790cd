// Builder helpers: spans, scratch reset, expression stacks and path patterns.
#include "grammar/builder.hpp"

#include <algorithm>
#include <cctype>

namespace warden::grammar {
namespace {

bool is_ident(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

}  // namespace

Span Builder::span(const char* begin, std::size_t size) const {
  // Matches include the whitespace and comments after their last token; a
  // span should end at that token. Scan forward to find the last byte that is
  // neither whitespace nor inside a comment.
  std::size_t last_end = 0;
  bool in_comment = false, in_string = false;
  for (std::size_t i = 0; i < size; ++i) {
    const char c = begin[i];
    if (in_comment) {
      if (c == '\n') in_comment = false;
      continue;
    }
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      last_end = i + 1;
      continue;
    }
    if (c == '#') {
      in_comment = true;
    } else if (!std::isspace(static_cast<unsigned char>(c))) {
      if (c == '"') in_string = true;
      last_end = i + 1;
    }
  }
  return exact_span(begin, std::min(last_end, size));
}

void Builder::reset() {
  last_string = {};
  name = {};
  mode = ast::Mode::Enforce;
  tenancy = {};
  tenant_sources.clear();
  scope = {};
  levels = {};
  role = {};
  principal = {};
  resource = {};
  level_map = {};
  context = {};
  type = {};
  attribute = {};
  attribute_target = nullptr;
  endpoint = {};
  required_scopes.clear();
  endpoint_action = {};
  value_parts.clear();
  binding = {};
  callers = {};
  if (in_group) out.endpoints.resize(std::min(out.endpoints.size(), group_endpoint_mark));  // the group failed
  group = {};
  in_group = false;
  group_endpoint_mark = 0;
  http = {};
  http_option = 0;
  proxies.clear();
  requirements_target = nullptr;
  callers_target = nullptr;
  denies_target = nullptr;
  callers_in_http = false;
  rule = {};
  path = {};
  predicate = {};
  operands.clear();
  set_marks.clear();
  set = {};
  expr_stack.clear();
  tail = Tail::None;
  op = ast::CompareOp::Eq;
}

ast::ExprId Builder::push_expr(ast::Expr e) {
  rule.exprs.push_back(std::move(e));
  const auto id = static_cast<ast::ExprId>(rule.exprs.size() - 1);
  expr_stack.push_back(id);
  return id;
}

ast::ExprId Builder::pop_expr() {
  // The grammar guarantees an operand for every operator; an empty stack would
  // be a parser bug, answered with a harmless node rather than a crash.
  if (expr_stack.empty()) return push_expr({}), pop_expr();
  const ast::ExprId id = expr_stack.back();
  expr_stack.pop_back();
  return id;
}

ast::Operand Builder::pop_operand() {
  if (operands.empty()) return {};
  ast::Operand o = std::move(operands.back());
  operands.pop_back();
  return o;
}

std::vector<ast::PathSegment> parse_path_pattern(const ast::StringLit& pattern, Builder& b) {
  std::vector<ast::PathSegment> segments;
  const std::string& p = pattern.value;
  // Offsets into the literal are exact when it has no escapes, which a path
  // pattern never needs.
  auto seg_span = [&](std::size_t at, std::size_t len) {
    return b.sources.span(b.file, pattern.span.offset + 1 + static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(len));
  };
  auto error = [&](std::size_t at, std::size_t len, std::string message) {
    b.sink.report(Code::E0105, seg_span(at, len), std::move(message));
  };
  if (p.empty() || p[0] != '/') {
    b.sink.report(Code::E0105, pattern.span, "path pattern must start with `/`");
    return segments;
  }
  if (p == "/") return segments;
  std::size_t pos = 1;
  while (true) {
    const std::size_t end = std::min(p.find('/', pos), p.size());
    const std::string_view s(p.data() + pos, end - pos);
    ast::PathSegment seg;
    seg.span = seg_span(pos, s.size());
    if (s.empty()) {
      error(pos == 0 ? 0 : pos - 1, 1, "empty path segment");
    } else if (s == "*") {
      seg.kind = ast::PathSegment::Kind::Star;
    } else if (s == "**") {
      seg.kind = ast::PathSegment::Kind::DoubleStar;
      if (end != p.size()) error(pos, s.size(), "`**` may only be the last segment");
    } else if (s.front() == '{' && s.back() == '}') {
      seg.kind = ast::PathSegment::Kind::Param;
      seg.text = std::string(s.substr(1, s.size() - 2));
      if (!is_ident(seg.text)) error(pos, s.size(), "path parameter `" + std::string(s) + "` must be `{name}` with an identifier name");
    } else if (s.find_first_of("{}*?# \t") != std::string_view::npos) {
      error(pos, s.size(), "segment `" + std::string(s) + "` mixes a literal with `{`, `}`, `*`, `?`, `#` or a space");
    } else {
      seg.kind = ast::PathSegment::Kind::Literal;
      seg.text = std::string(s);
    }
    segments.push_back(std::move(seg));
    if (end == p.size()) break;
    pos = end + 1;
  }
  return segments;
}

}  // namespace warden::grammar
