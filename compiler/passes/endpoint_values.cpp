// Values an endpoint takes from the request: the parts of a resource id
// (`T(owner + "/" + repo)`) and of a `bind resource.ATTR = …;` item.
//
// Used by check_endpoints (pass.hpp). A part is a path parameter of the
// endpoint's own pattern (E0208 otherwise), a query parameter, a header, a
// top-level field of the JSON body (a name that is not empty, E0311), or a
// literal. A binding sets one declared attribute of the endpoint's resource
// type, once (E0320); its value must be readable as the attribute's type:
// the text of a path, query or header part (or of several parts joined) can
// be a string, an entity id, an enum value, a time or an address, but not an
// `int` or a `bool`, which only a body field carries as such (E0306).
#include <algorithm>

#include "compiler/passes/pass.hpp"

namespace warden::compiler::passes {
namespace {

const char* part_phrase(ast::ValuePart::Kind k) {
  switch (k) {
    case ast::ValuePart::Kind::PathParam: return "the path parameter";
    case ast::ValuePart::Kind::Query: return "the query parameter";
    case ast::ValuePart::Kind::Header: return "the header";
    case ast::ValuePart::Kind::Body: return "the body field";
    case ast::ValuePart::Kind::Literal: return "the literal";
  }
  return "the value";
}

}  // namespace

bool resolve_value_parts(State& s, const std::vector<ast::ValuePart>& parts, const ast::EndpointDecl& decl,
                         std::vector<ValuePart>& out) {
  bool ok = true;
  for (const auto& part : parts) {
    ValuePart v;
    v.kind = static_cast<ValuePart::Kind>(part.kind);
    v.text = s.model.strings.intern(part.text);
    v.span = part.span;
    if (part.kind == ast::ValuePart::Kind::PathParam) {
      std::vector<std::string_view> names;
      for (std::size_t i = 0; i < decl.segments.size(); ++i) {
        if (decl.segments[i].kind != ast::PathSegment::Kind::Param) continue;
        names.push_back(decl.segments[i].text);
        if (decl.segments[i].text == part.text && v.segment == kNone) v.segment = static_cast<Id>(i);
      }
      if (v.segment == kNone) {
        Diagnostic& d = s.report_unknown(Code::E0208, part.span, "unknown path parameter " + quoted(part.text), part.text,
                                         names);
        d.labels.push_back({decl.pattern.span, names.empty() ? "this pattern has no `{param}`"
                                                              : "parameters are declared in this pattern"});
        ok = false;
      }
    } else if (part.kind != ast::ValuePart::Kind::Literal && part.text.empty()) {
      s.report(Code::E0311, part.span, std::string("empty name for ") + part_phrase(part.kind));
      ok = false;
    }
    out.push_back(v);
  }
  return ok;
}

bool check_bindings(State& s, const ast::EndpointDecl& decl, Endpoint& e) {
  CheckedPolicy& m = s.model;
  bool ok = true;
  std::vector<std::pair<Id, Span>> bound;  // attribute, where
  for (const auto& b : decl.bindings) {
    const ast::AttrPath& target = b.target;
    const std::string written = path_text(target, target.attrs.size());
    if (!decl.action) {
      Diagnostic& d = s.report(Code::E0320, b.span, "binding " + quoted(written) + " on an endpoint that names no action");
      d.notes.push_back("help: a binding sets an attribute of the endpoint's resource: add `action ACTION on TYPE;`");
      ok = false;
      continue;
    }
    if (target.root != ast::AttrPath::Root::Resource || target.attrs.size() != 1) {
      Diagnostic& d = s.report(Code::E0320, target.span, "cannot bind " + quoted(written) + ": only `resource.ATTR` can be bound");
      d.notes.push_back("note: a binding says where one attribute of the endpoint's resource comes from in the request");
      ok = false;
      continue;
    }
    const ast::Name& attr_name = target.attrs.front();
    if (!e.action || e.action->resource_type == kNone) continue;  // the type failed to resolve: reported
    const EntityRef type{EntityKind::Resource, e.action->resource_type};
    if (attr_name.text == "id") {
      Diagnostic& d = s.report(Code::E0320, attr_name.span, "cannot bind `resource.id` with `bind`");
      d.notes.push_back("help: the id comes from the action: `action " + decl.action->action.text + " on " +
                        decl.action->resource_type.text + "(…);`");
      ok = false;
      continue;
    }
    const Id attr = s.find_attribute(type, attr_name.text);
    if (attr == kNone) {
      s.report_unknown(Code::E0206, attr_name.span, "unknown attribute " + quoted(attr_name.text) + " on " + s.entity_phrase(type),
                       attr_name.text, s.attribute_names(type));
      ok = false;
      continue;
    }
    if (auto it = std::find_if(bound.begin(), bound.end(), [&](const auto& x) { return x.first == attr; }); it != bound.end()) {
      Diagnostic& d = s.report(Code::E0320, target.span, quoted("resource." + attr_name.text) + " is bound twice");
      d.labels.push_back({it->second, "first bound here"});
      ok = false;
      continue;
    }
    bound.emplace_back(attr, target.span);

    Binding out;
    out.attribute = attr;
    out.span = b.span;
    if (!resolve_value_parts(s, b.value, decl, out.parts)) {
      ok = false;
      continue;
    }
    // Only a single body field carries integers and booleans as such.
    const ValueType& t = m.attributes(type)[attr].type;
    const bool typed_body = b.value.size() == 1 && b.value.front().kind == ast::ValuePart::Kind::Body;
    if ((t.kind == ValueType::Kind::Int || t.kind == ValueType::Kind::Bool) && !typed_body) {
      const ast::ValuePart& first = b.value.front();
      Diagnostic& d = s.report(Code::E0306, first.span,
                               "cannot bind " + quoted("resource." + attr_name.text) + " (" + s.type_phrase(t) +
                                   ") to text: " + (b.value.size() > 1 ? std::string("joined parts are") : part_phrase(first.kind) + std::string(" is")) +
                                   " a string");
      d.notes.push_back("note: path, query and header values are text; only a JSON body field carries an integer or a boolean");
      ok = false;
      continue;
    }
    if (t.kind == ValueType::Kind::Enum &&
        std::all_of(b.value.begin(), b.value.end(), [](const ast::ValuePart& p) { return p.kind == ast::ValuePart::Kind::Literal; })) {
      std::string joined;
      for (const auto& p : b.value) joined += p.text;
      const EnumType& en = m.enums.at(t.enum_id);
      const bool member = std::any_of(en.values.begin(), en.values.end(), [&](StringId v) { return m.str(v) == joined; });
      if (!member) {
        std::vector<std::string_view> names;
        for (auto v : en.values) names.push_back(m.str(v));
        s.report_unknown(Code::E0307, b.value.front().span, quoted(joined) + " is not a value of " + quoted("resource." + attr_name.text),
                         joined, names);
        ok = false;
        continue;
      }
    }
    e.bindings.push_back(std::move(out));
  }
  return ok;
}

}  // namespace warden::compiler::passes
