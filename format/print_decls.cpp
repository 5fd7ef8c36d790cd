// Printers for every declaration but rules: policy, mode, tenancy, scope,
// levels, role, principal, resource, context and endpoint.
#include <algorithm>

#include "format/printer.hpp"

namespace warden::format::detail {
namespace {

std::uint32_t end_of(Span s) { return s.offset + s.length; }

// Words for `a, b, c` (commas attached), the first prefixed by `lead` so that
// a keyword never ends a line alone; `last` is appended to the final word.
void add_list(std::vector<Word>& words, std::string lead, const std::vector<ast::Name>& names, std::string_view last = "") {
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::string text = (i == 0 ? lead : std::string()) + names[i].text + (i + 1 < names.size() ? "," : "");
    words.push_back({std::move(text), names[i].span.offset});
  }
  if (!words.empty()) words.back().text += last;
}

// The lines of a one-statement declaration or item, ending at `end`.
std::vector<Line> statement(std::uint32_t indent, std::vector<Word> words, std::uint32_t end, const Context& cx) {
  std::vector<Line> lines = fill(indent, words, cx.width);
  lines.back().src_end = end;
  return lines;
}

void append(std::vector<Line>& out, std::vector<Line> lines) {
  for (auto& l : lines) out.push_back(std::move(l));
}

std::string type_text_last(const ast::TypeExpr& t) {
  switch (t.kind) {
    case ast::TypeExpr::Kind::String: return "string";
    case ast::TypeExpr::Kind::Int: return "int";
    case ast::TypeExpr::Kind::Bool: return "bool";
    case ast::TypeExpr::Kind::Time: return "time";
    case ast::TypeExpr::Kind::Ip: return "ip";
    case ast::TypeExpr::Kind::Entity: return t.entity.text;
    case ast::TypeExpr::Kind::Enum: break;
  }
  return "";
}

BlockItem attribute_item(const ast::AttributeDecl& a, std::uint32_t indent, const Context& cx) {
  std::vector<Word> words{{"attribute", a.span.offset}, {a.name.text + ":", a.name.span.offset}};
  if (a.type.kind == ast::TypeExpr::Kind::Enum) {
    for (std::size_t i = 0; i < a.type.enum_values.size(); ++i) {
      const ast::Name& v = a.type.enum_values[i];
      words.push_back({(i ? "| " : "") + v.text, v.span.offset});
    }
  } else {
    words.push_back({type_text_last(a.type), a.type.span.offset});
  }
  words.back().text += ";";
  return {a.span.offset, statement(indent, std::move(words), end_of(a.span), cx)};
}

// Names that were written as several statements (`actions a, b; actions c;`)
// are stored concatenated; a `;` between two of them in the source (outside
// comments) says where a statement ended.
std::vector<std::vector<ast::Name>> split_statements(const std::vector<ast::Name>& names, std::string_view source) {
  std::vector<std::vector<ast::Name>> groups;
  for (std::size_t i = 0; i < names.size(); ++i) {
    bool new_statement = i == 0;
    if (i > 0) {
      const std::uint32_t from = end_of(names[i - 1].span), to = names[i].span.offset;
      for (std::uint32_t p = from; p < to && p < source.size(); ++p) {
        if (source[p] == '#') {
          while (p < to && source[p] != '\n') ++p;
        } else if (source[p] == ';') {
          new_statement = true;
          break;
        }
      }
    }
    if (new_statement) groups.emplace_back();
    groups.back().push_back(names[i]);
  }
  return groups;
}

// The span of a statement of names: from its first name to its last.
std::uint32_t last_end(const std::vector<ast::Name>& names) { return end_of(names.back().span); }

}  // namespace

void print_block(std::vector<Word> header, std::vector<BlockItem> items, Span span, const Context& cx,
                 std::vector<Line>& out, std::uint32_t indent) {
  const std::uint32_t close = span.length ? span.offset + span.length - 1 : span.offset;
  const bool comments_inside = [&] {
    for (std::uint32_t p = span.offset; p < close && p < cx.source.size(); ++p) {
      if (cx.source[p] == '"') {  // skip strings, which may hold `#`
        for (++p; p < close && cx.source[p] != '"'; ++p) p += cx.source[p] == '\\';
      } else if (cx.source[p] == '#') {
        return true;
      }
    }
    return false;
  }();
  if (items.empty() && !comments_inside) {
    header.back().text += " {}";
    append(out, statement(indent, std::move(header), end_of(span), cx));
    return;
  }
  header.back().text += " {";
  append(out, fill(indent, header, cx.width));
  std::stable_sort(items.begin(), items.end(), [](const BlockItem& a, const BlockItem& b) { return a.offset < b.offset; });
  bool first = true;
  for (auto& item : items) {
    if (item.lines.empty()) continue;
    item.lines.front().first_in_block = first;
    first = false;
    append(out, std::move(item.lines));
  }
  Line brace;
  brace.kind = LineKind::Close;
  brace.indent = indent;
  brace.comment_indent = indent + kIndent;
  brace.text = "}";
  brace.anchor = close;
  brace.src_end = end_of(span);
  brace.first_in_block = first;
  out.push_back(std::move(brace));
}

void print_policy(const ast::PolicyDecl& d, const Context& cx, std::vector<Line>& out) {
  append(out, statement(0, {{"policy", d.span.offset}, {d.name.text + ";", d.name.span.offset}}, end_of(d.span), cx));
}

void print_mode(const ast::ModeDecl& d, const Context& cx, std::vector<Line>& out) {
  const char* value = d.mode == ast::Mode::Monitor ? "monitor;" : "enforce;";
  append(out, statement(0, {{"mode", d.span.offset}, {value, d.span.offset}}, end_of(d.span), cx));
}

void print_tenancy(const ast::TenancyDecl& d, const Context& cx, std::vector<Line>& out) {
  std::vector<BlockItem> items;
  if (d.isolation) {
    const std::uint32_t at = d.isolation_span.offset;
    items.push_back({at, statement(kIndent, {{"isolation", at}, {*d.isolation ? "on;" : "off;", at}}, end_of(d.isolation_span), cx)});
  }
  if (!d.sources.empty()) {
    std::vector<Word> words{{"tenant", d.sources_span.offset}};
    for (std::size_t i = 0; i < d.sources.size(); ++i) {
      const ast::TenantSource& s = d.sources[i];
      std::string text = i == 0 ? "from " : "";
      text += s.kind == ast::TenantSource::Kind::Header ? "header " + quote(s.header.value) : "principal";
      text += i + 1 < d.sources.size() ? "," : ";";
      words.push_back({std::move(text), s.span.offset});
    }
    items.push_back({d.sources_span.offset, statement(kIndent, std::move(words), end_of(d.sources_span), cx)});
  }
  if (d.default_tenant) {
    const Span s = d.default_tenant->span;
    items.push_back({s.offset, statement(kIndent, {{"default", s.offset}, {quote(d.default_tenant->value) + ";", s.offset}}, end_of(s) + 1, cx)});
  }
  print_block({{"tenancy", d.span.offset}}, std::move(items), d.span, cx, out);
}

void print_scope(const ast::ScopeDecl& d, const Context& cx, std::vector<Line>& out) {
  std::vector<Word> words{{"scope", d.span.offset}, {d.name.text, d.name.span.offset}};
  for (std::size_t i = 0; i < d.implies.size(); ++i) {
    const ast::ScopeRef& r = d.implies[i];
    std::string text = i == 0 ? "implies " : "";
    text += r.kind == ast::ScopeRef::Kind::Family ? r.text + ":*" : r.text;
    if (i + 1 < d.implies.size()) text += ",";
    words.push_back({std::move(text), r.span.offset});
  }
  words.back().text += ";";
  append(out, statement(0, std::move(words), end_of(d.span), cx));
}

void print_levels(const ast::LevelsDecl& d, const Context& cx, std::vector<Line>& out) {
  std::vector<Word> words{{"levels", d.span.offset}};
  for (std::size_t i = 0; i < d.levels.size(); ++i) {
    words.push_back({(i ? "< " : "") + d.levels[i].text, d.levels[i].span.offset});
  }
  words.back().text += ";";
  append(out, statement(0, std::move(words), end_of(d.span), cx));
}

void print_role(const ast::RoleDecl& d, const Context& cx, std::vector<Line>& out) {
  std::vector<Word> words{{"role", d.span.offset}, {d.name.text, d.name.span.offset}};
  add_list(words, "inherits ", d.inherits);
  words.back().text += ";";
  append(out, statement(0, std::move(words), end_of(d.span), cx));
}

void print_principal(const ast::PrincipalDecl& d, const Context& cx, std::vector<Line>& out) {
  std::vector<Word> words{{"principal", d.span.offset}, {d.name.text, d.name.span.offset}};
  add_list(words, "member of ", d.member_of);
  std::vector<BlockItem> items;
  for (const auto& a : d.attributes) items.push_back(attribute_item(a, kIndent, cx));
  if (items.empty()) {
    words.back().text += ";";
    append(out, statement(0, std::move(words), end_of(d.span), cx));
    return;
  }
  print_block(std::move(words), std::move(items), d.span, cx, out);
}

void print_resource(const ast::ResourceDecl& d, const Context& cx, std::vector<Line>& out) {
  std::vector<BlockItem> items;
  for (const auto& group : split_statements(d.actions, cx.source)) {
    std::vector<Word> words;
    add_list(words, "actions ", group, ";");
    items.push_back({group.front().span.offset, statement(kIndent, std::move(words), last_end(group) + 1, cx)});
  }
  for (const auto& a : d.attributes) items.push_back(attribute_item(a, kIndent, cx));
  for (const auto& group : split_statements(d.grants_to, cx.source)) {
    std::vector<Word> words;
    add_list(words, "grants to ", group, ";");
    items.push_back({group.front().span.offset, statement(kIndent, std::move(words), last_end(group) + 1, cx)});
  }
  for (const auto& m : d.level_maps) {
    std::vector<Word> words{{"level", m.span.offset}, {m.level.text + ":", m.level.span.offset}};
    add_list(words, "", m.actions, ";");
    items.push_back({m.span.offset, statement(kIndent, std::move(words), end_of(m.span), cx)});
  }
  print_block({{"resource", d.span.offset}, {d.name.text, d.name.span.offset}}, std::move(items), d.span, cx, out);
}

void print_context(const ast::ContextDecl& d, const Context& cx, std::vector<Line>& out) {
  std::vector<BlockItem> items;
  for (const auto& a : d.attributes) items.push_back(attribute_item(a, kIndent, cx));
  print_block({{"context", d.span.offset}}, std::move(items), d.span, cx, out);
}

namespace {

BlockItem requires_item(const ast::Requirement& r, std::uint32_t indent, const Context& cx) {
  std::vector<Word> words{{"requires", r.span.offset}};
  if (r.kind == ast::Requirement::Kind::AllOf && r.scopes.size() == 1) {
    words.push_back({r.scopes.front().text + ";", r.scopes.front().span.offset});
  } else {
    add_list(words, r.kind == ast::Requirement::Kind::AllOf ? "all(" : "any(", r.scopes, ");");
  }
  return {r.span.offset, statement(indent, std::move(words), end_of(r.span) + 1, cx)};
}

BlockItem callers_item(const ast::CallersDecl& c, std::uint32_t indent, const Context& cx) {
  std::vector<Word> words{{"callers", c.span.offset}};
  for (std::size_t i = 0; i < c.kinds.size(); ++i) {
    const std::uint32_t at = i < c.spans.size() ? c.spans[i].offset : c.span.offset;
    words.push_back({caller_text(c.kinds[i]) + (i + 1 < c.kinds.size() ? "," : ";"), at});
  }
  return {c.span.offset, statement(indent, std::move(words), end_of(c.span), cx)};
}

BlockItem deny_item(const ast::Rule& r, std::uint32_t indent, const Context& cx) {
  BlockItem item{r.span.offset, {}};
  print_endpoint_deny(r, cx, item.lines, indent);
  return item;
}

}  // namespace

void print_endpoint(const ast::EndpointDecl& d, const Context& cx, std::vector<Line>& out, std::uint32_t indent) {
  const std::uint32_t inner = indent + kIndent;
  std::vector<Word> header{{"endpoint", d.span.offset}};
  for (std::size_t i = 0; i < d.methods.size(); ++i) {
    const std::uint32_t at = i < d.method_spans.size() ? d.method_spans[i].offset : d.span.offset;
    header.push_back({std::string(ast::method_name(d.methods[i])) + (i + 1 < d.methods.size() ? "," : ""), at});
  }
  header.push_back({quote(d.pattern.value), d.pattern.span.offset});

  std::vector<BlockItem> items;
  for (const auto& r : d.requirements) items.push_back(requires_item(r, inner, cx));
  if (d.action) {
    const ast::EndpointAction& a = *d.action;
    std::string type = a.resource_type.text;
    if (a.id.kind != ast::IdSource::Kind::None) type += "(" + value_text(a.id.parts) + ")";
    std::vector<Word> words{{"action", a.span.offset}, {a.action.text, a.action.span.offset},
                            {"on " + type + ";", a.resource_type.span.offset}};
    items.push_back({a.span.offset, statement(inner, std::move(words), end_of(a.span), cx)});
  }
  if (d.public_span) {
    items.push_back({d.public_span->offset, statement(inner, {{"public;", d.public_span->offset}}, end_of(*d.public_span), cx)});
  }
  if (d.callers) items.push_back(callers_item(*d.callers, inner, cx));
  for (const auto& b : d.bindings) {
    std::vector<Word> words{{"bind", b.span.offset}, {path_text(b.target), b.target.span.offset}};
    const std::uint32_t at = b.value.empty() ? b.span.offset : b.value.front().span.offset;
    words.push_back({"= " + value_text(b.value) + ";", at});
    items.push_back({b.span.offset, statement(inner, std::move(words), end_of(b.span), cx)});
  }
  for (const auto& r : d.denies) items.push_back(deny_item(r, inner, cx));
  print_block(std::move(header), std::move(items), d.span, cx, out, indent);
}

void print_group(const ast::GroupDecl& d, std::uint32_t index, const std::vector<ast::EndpointDecl>& endpoints,
                 const Context& cx, std::vector<Line>& out) {
  std::vector<BlockItem> items;
  for (const auto& r : d.requirements) items.push_back(requires_item(r, kIndent, cx));
  if (d.callers) items.push_back(callers_item(*d.callers, kIndent, cx));
  for (const auto& r : d.denies) items.push_back(deny_item(r, kIndent, cx));
  for (const auto& e : endpoints) {
    if (e.group != index) continue;
    BlockItem item{e.span.offset, {}};
    print_endpoint(e, cx, item.lines, kIndent);
    item.lines.front().force_blank = true;  // like top-level endpoints, one block per paragraph
    items.push_back(std::move(item));
  }
  print_block({{"group", d.span.offset}, {d.name.text, d.name.span.offset}}, std::move(items), d.span, cx, out);
}

void print_http(const ast::HttpDecl& d, const Context& cx, std::vector<Line>& out) {
  std::vector<BlockItem> items;
  auto option = [&](std::size_t slot, const char* keyword, std::string value) {
    const Span s = d.item_spans[slot];
    items.push_back({s.offset, statement(kIndent, {{keyword, s.offset}, {std::move(value) + ";", s.offset}}, end_of(s), cx)});
  };
  static constexpr const char* kDots[] = {"resolve", "reject"};
  static constexpr const char* kEmpty[] = {"merge", "keep", "reject"};
  static constexpr const char* kSlash[] = {"reject", "decode", "keep"};
  static constexpr const char* kTrailing[] = {"strict", "ignore"};
  static constexpr const char* kSemicolons[] = {"reject", "keep", "strip"};
  if (d.callers) items.push_back(callers_item(*d.callers, kIndent, cx));
  if (d.dot_segments) option(1, "dot_segments", kDots[static_cast<int>(*d.dot_segments)]);
  if (d.empty_segments) option(2, "empty_segments", kEmpty[static_cast<int>(*d.empty_segments)]);
  if (d.encoded_slash) option(3, "encoded_slash", kSlash[static_cast<int>(*d.encoded_slash)]);
  if (d.trailing_slash) option(4, "trailing_slash", kTrailing[static_cast<int>(*d.trailing_slash)]);
  if (d.semicolons) option(5, "semicolons", kSemicolons[static_cast<int>(*d.semicolons)]);
  if (!d.trusted_proxies.empty()) {
    const Span s = d.item_spans[6];
    std::vector<Word> words{{"trusted_proxies", s.offset}};
    for (std::size_t i = 0; i < d.trusted_proxies.size(); ++i) {
      const auto& lit = d.trusted_proxies[i];
      words.push_back({quote(lit.value) + (i + 1 < d.trusted_proxies.size() ? "," : ";"), lit.span.offset});
    }
    items.push_back({s.offset, statement(kIndent, std::move(words), end_of(s), cx)});
  }
  if (d.client_ip) {
    std::string from = "from ";
    switch (*d.client_ip) {
      case ast::HttpDecl::ClientIp::Peer: from += "peer"; break;
      case ast::HttpDecl::ClientIp::Forwarded: from += "forwarded"; break;
      case ast::HttpDecl::ClientIp::Header: from += "header " + quote(d.client_ip_header.value); break;
    }
    option(7, "client_ip", from);
  }
  print_block({{"http", d.span.offset}}, std::move(items), d.span, cx, out);
}

}  // namespace warden::format::detail
