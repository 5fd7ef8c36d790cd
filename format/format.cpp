// The formatter's driver: parse one file, print its declarations in source
// order with blank lines between groups, render with comments, and verify the
// result (format.hpp).
#include "format/format.hpp"

#include <algorithm>
#include <functional>

#include "format/layout.hpp"
#include "format/printer.hpp"
#include "grammar/comments.hpp"
#include "grammar/parse.hpp"

namespace warden::format {
namespace {

// Declaration groups: a blank line separates declarations of different
// groups (`policy` and `mode` form the header). Tenancy, resource, context,
// endpoint, endpoint group and `http` blocks are each a group of their own.
enum class Group : std::uint8_t {
  Header, Tenancy, Scope, Levels, Role, Principal, Resource, Context, Endpoint, Rule, Http, EndpointGroup
};

struct Decl {
  std::uint32_t offset;
  Group group;
  std::function<void(const detail::Context&, std::vector<Line>&)> print;
};

std::vector<Decl> declarations(const ast::Policy& p) {
  std::vector<Decl> out;
  auto add = [&](const auto& list, Group g, auto printer) {
    for (const auto& d : list) {
      out.push_back({d.span.offset, g, [&d, printer](const detail::Context& cx, std::vector<Line>& lines) { printer(d, cx, lines); }});
    }
  };
  add(p.names, Group::Header, detail::print_policy);
  add(p.modes, Group::Header, detail::print_mode);
  add(p.tenancies, Group::Tenancy, detail::print_tenancy);
  add(p.scopes, Group::Scope, detail::print_scope);
  add(p.levels, Group::Levels, detail::print_levels);
  add(p.roles, Group::Role, detail::print_role);
  add(p.principals, Group::Principal, detail::print_principal);
  add(p.resources, Group::Resource, detail::print_resource);
  add(p.contexts, Group::Context, detail::print_context);
  for (const auto& e : p.endpoints) {
    if (e.group != ast::kNoGroup) continue;  // printed inside its group
    out.push_back({e.span.offset, Group::Endpoint,
                   [&e](const detail::Context& cx, std::vector<Line>& lines) { detail::print_endpoint(e, cx, lines); }});
  }
  for (std::uint32_t g = 0; g < p.groups.size(); ++g) {
    const ast::GroupDecl& d = p.groups[g];
    out.push_back({d.span.offset, Group::EndpointGroup, [&d, g, &p](const detail::Context& cx, std::vector<Line>& lines) {
                     detail::print_group(d, g, p.endpoints, cx, lines);
                   }});
  }
  add(p.https, Group::Http, detail::print_http);
  add(p.rules, Group::Rule, detail::print_rule);
  std::stable_sort(out.begin(), out.end(), [](const Decl& a, const Decl& b) { return a.offset < b.offset; });
  return out;
}

std::vector<Line> print_lines(const ast::Policy& policy, const detail::Context& cx) {
  std::vector<Line> lines;
  const std::vector<Decl> decls = declarations(policy);
  for (std::size_t i = 0; i < decls.size(); ++i) {
    const std::size_t first = lines.size();
    decls[i].print(cx, lines);
    if (first == lines.size()) continue;
    Line& head = lines[first];
    head.first_in_block = i == 0;
    const Group g = decls[i].group;
    head.force_blank = i > 0 && (decls[i - 1].group != g || g == Group::Resource || g == Group::Endpoint ||
                                 g == Group::Tenancy || g == Group::Context || g == Group::EndpointGroup ||
                                 g == Group::Http);
  }
  return lines;
}

// The code of the lines, for comparing two prints of equivalent ASTs.
std::string code_only(const std::vector<Line>& lines) {
  std::string out;
  for (const auto& l : lines) out += std::string(l.indent, ' ') + l.text + "\n";
  return out;
}

// The comments of a text, sorted: a comment in the middle of a construct may
// move past another one, but none may be lost or changed.
std::vector<std::string_view> comment_texts(std::string_view text) {
  std::vector<std::string_view> out;
  for (const auto& c : grammar::scan_comments(text)) out.push_back(c.text(text));
  std::sort(out.begin(), out.end());
  return out;
}

struct Parsed {
  SourceSet sources;
  ast::Policy policy;
  std::vector<Diagnostic> diagnostics;
  bool errors = false;
};

void parse(Parsed& p, std::string path, std::string text) {
  DiagnosticSink sink;
  const std::uint32_t id = p.sources.add(std::move(path), std::move(text));
  grammar::parse_file(p.sources, id, p.policy, sink);
  p.errors = sink.has_errors();
  p.diagnostics = sink.take();
  normalize(p.diagnostics, 500);
}

}  // namespace

bool Result::ok() const {
  if (!internal_error.empty()) return false;
  return std::none_of(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

Result format_source(std::string path, std::string text, const Options& options) {
  Result result;
  Parsed in;
  parse(in, path, std::move(text));
  result.diagnostics = in.diagnostics;
  if (in.errors) {
    result.sources = std::move(in.sources);
    return result;
  }
  const std::string_view source = in.sources.file(0).text();
  const detail::Context cx{source, options.width};
  const std::vector<Line> lines = print_lines(in.policy, cx);
  const auto comments = grammar::scan_comments(source);
  result.text = render(lines, source, comments);
  result.changed = result.text != source;

  // Self-check: the output parses to an AST that prints the same, and keeps
  // every comment.
  Parsed again;
  parse(again, path, result.text);
  if (again.errors) {
    result.internal_error = "formatted text does not parse";
  } else if (code_only(print_lines(again.policy, {again.sources.file(0).text(), options.width})) != code_only(lines)) {
    result.internal_error = "formatted text does not print back the same";
  } else if (comment_texts(result.text) != comment_texts(source)) {
    result.internal_error = "a comment was lost";
  }
  if (!result.internal_error.empty()) {
    result.text.clear();
    result.changed = false;
  }
  result.sources = std::move(in.sources);
  return result;
}

}  // namespace warden::format
