// Pass 1: collect_declarations — build the symbol tables.
//
// Reads every declaration once, in source order, and creates the model's
// entries for them: the policy-wide singletons (name, mode, tenancy, level
// chain, context; E0314 when one is given twice), scopes, roles, principal and
// resource types (one namespace), their attributes with resolved types
// (E0210 for an unknown entity type), actions, enum types, and the rule
// headers. Every duplicate name is E0209 with a "previous definition here"
// label. References between declarations are left to resolve_names.
#include <algorithm>

#include "compiler/passes/pass.hpp"

namespace warden::compiler::passes {
namespace {

// The first `length` bytes of `span` (a declaration's keyword).
Span head(Span span, std::uint32_t length) {
  span.length = std::min(span.length, length);
  return span;
}

template <class Decl, class SpanOf>
void report_repeats(State& s, const std::vector<Decl>& decls, const char* keyword, SpanOf span_of) {
  for (std::size_t i = 1; i < decls.size(); ++i) {
    Diagnostic& d = s.report(Code::E0314, span_of(decls[i]), quoted(keyword) + " is declared more than once");
    d.labels.push_back({span_of(decls[0]), "previous declaration here"});
  }
}

Diagnostic& duplicate(State& s, Span at, std::string message, Span previous) {
  Diagnostic& d = s.report(Code::E0209, at, std::move(message));
  if (previous.valid()) d.labels.push_back({previous, "previous definition here"});
  return d;
}

void collect_singletons(State& s) {
  const ast::Policy& a = s.ast;
  CheckedPolicy& m = s.model;
  report_repeats(s, a.names, "policy", [](const ast::PolicyDecl& d) { return head(d.span, 6); });
  report_repeats(s, a.modes, "mode", [](const ast::ModeDecl& d) { return head(d.span, 4); });
  report_repeats(s, a.tenancies, "tenancy", [](const ast::TenancyDecl& d) { return head(d.span, 7); });
  report_repeats(s, a.levels, "levels", [](const ast::LevelsDecl& d) { return head(d.span, 6); });
  report_repeats(s, a.contexts, "context", [](const ast::ContextDecl& d) { return head(d.span, 7); });

  if (!a.names.empty()) {
    m.name = m.strings.intern(a.names[0].name.text);
    m.name_span = a.names[0].name.span;
  }
  if (!a.modes.empty()) {
    m.mode = a.modes[0].mode == ast::Mode::Monitor ? Mode::Monitor : Mode::Enforce;
    m.mode_span = a.modes[0].span;
  }

  Tenancy& t = m.tenancy;
  if (!a.tenancies.empty()) {
    const ast::TenancyDecl& d = a.tenancies[0];
    t.declared = true;
    t.isolation = d.isolation.value_or(false);
    t.span = d.span;
    for (const auto& src : d.sources) {
      TenantSource out;
      out.kind = src.kind == ast::TenantSource::Kind::Header ? TenantSource::Kind::Header : TenantSource::Kind::Principal;
      if (out.kind == TenantSource::Kind::Header) out.header = m.strings.intern(src.header.value);
      out.span = src.span;
      t.sources.push_back(out);
    }
    if (d.default_tenant) t.default_tenant = m.strings.intern(d.default_tenant->value);
  }
  if (t.sources.empty()) t.sources.push_back(TenantSource{});  // the principal's own tenant
  if (t.default_tenant == kNone) t.default_tenant = m.strings.intern("default");

  if (!a.levels.empty()) {
    for (const auto& level : a.levels[0].levels) {
      if (auto it = s.levels.find(level.text); it != s.levels.end()) {
        duplicate(s, level.span, "duplicate level " + quoted(level.text) + " in the level chain",
                  m.levels[it->second].span);
        continue;
      }
      s.levels.emplace(level.text, static_cast<Id>(m.levels.size()));
      m.levels.push_back(Level{m.strings.intern(level.text), level.span});
    }
  }
}

void collect_scopes_and_roles(State& s) {
  CheckedPolicy& m = s.model;
  for (const auto& decl : s.ast.scopes) {
    if (auto it = s.scopes.find(decl.name.text); it != s.scopes.end()) {
      duplicate(s, decl.name.span, "duplicate scope " + quoted(decl.name.text), m.scopes[it->second].span);
      s.scope_of_decl.push_back(kNone);
      continue;
    }
    const auto id = static_cast<Id>(m.scopes.size());
    s.scopes.emplace(decl.name.text, id);
    s.scope_of_decl.push_back(id);
    Scope scope;
    scope.name = m.strings.intern(decl.name.text);
    scope.span = decl.name.span;
    m.scopes.push_back(std::move(scope));
  }
  for (const auto& decl : s.ast.roles) {
    if (auto it = s.roles.find(decl.name.text); it != s.roles.end()) {
      duplicate(s, decl.name.span, "duplicate role " + quoted(decl.name.text), m.roles[it->second].span);
      s.role_of_decl.push_back(kNone);
      continue;
    }
    const auto id = static_cast<Id>(m.roles.size());
    s.roles.emplace(decl.name.text, id);
    s.role_of_decl.push_back(id);
    Role role;
    role.name = m.strings.intern(decl.name.text);
    role.span = decl.name.span;
    m.roles.push_back(std::move(role));
  }
}

// Principal and resource types share one namespace; the later declaration
// (by file, then offset) is the duplicate.
void collect_type_names(State& s) {
  CheckedPolicy& m = s.model;
  const auto& ps = s.ast.principals;
  const auto& rs = s.ast.resources;
  s.principal_of_decl.assign(ps.size(), kNone);
  s.resource_of_decl.assign(rs.size(), kNone);
  auto before = [](const Span& x, const Span& y) { return std::pair(x.file, x.offset) < std::pair(y.file, y.offset); };

  std::size_t pi = 0, ri = 0;
  while (pi < ps.size() || ri < rs.size()) {
    const bool take_principal = ri == rs.size() || (pi < ps.size() && !before(rs[ri].name.span, ps[pi].name.span));
    const ast::Name& name = take_principal ? ps[pi].name : rs[ri].name;
    if (auto previous = s.find_entity(name.text)) {
      const Span prev_span = previous->kind == EntityKind::Principal ? m.principals[previous->index].span
                                                                      : m.resources[previous->index].span;
      Diagnostic& d = duplicate(s, name.span, "duplicate type " + quoted(name.text), prev_span);
      if ((previous->kind == EntityKind::Principal) != take_principal) {
        d.notes.push_back("note: principal and resource types share one namespace");
      }
    } else if (take_principal) {
      const auto id = static_cast<Id>(m.principals.size());
      s.principals.emplace(name.text, id);
      s.principal_of_decl[pi] = id;
      PrincipalType t;
      t.name = m.strings.intern(name.text);
      t.span = name.span;
      m.principals.push_back(std::move(t));
    } else {
      const auto id = static_cast<Id>(m.resources.size());
      s.resources.emplace(name.text, id);
      s.resource_of_decl[ri] = id;
      ResourceType t;
      t.name = m.strings.intern(name.text);
      t.span = name.span;
      m.resources.push_back(std::move(t));
    }
    (take_principal ? pi : ri)++;
  }
}

Attribute builtin(CheckedPolicy& m, std::string_view name, ValueType::Kind kind) {
  Attribute a;
  a.name = m.strings.intern(name);
  a.type.kind = kind;
  a.builtin = true;
  return a;
}

ValueType resolve_type(State& s, const ast::TypeExpr& t, std::string_view owner) {
  CheckedPolicy& m = s.model;
  ValueType out;
  switch (t.kind) {
    case ast::TypeExpr::Kind::String: out.kind = ValueType::Kind::String; break;
    case ast::TypeExpr::Kind::Int: out.kind = ValueType::Kind::Int; break;
    case ast::TypeExpr::Kind::Bool: out.kind = ValueType::Kind::Bool; break;
    case ast::TypeExpr::Kind::Time: out.kind = ValueType::Kind::Time; break;
    case ast::TypeExpr::Kind::Ip: out.kind = ValueType::Kind::Ip; break;
    case ast::TypeExpr::Kind::Enum: {
      out.kind = ValueType::Kind::Enum;
      std::vector<StringId> values;
      std::vector<Span> spans;
      for (const auto& v : t.enum_values) {
        const StringId id = m.strings.intern(v.text);
        if (auto it = std::find(values.begin(), values.end(), id); it != values.end()) {
          duplicate(s, v.span, "duplicate enum value " + quoted(v.text) + " in " + std::string(owner),
                    spans[static_cast<std::size_t>(it - values.begin())]);
          continue;
        }
        values.push_back(id);
        spans.push_back(v.span);
      }
      auto [it, inserted] = s.enum_ids.emplace(values, static_cast<Id>(m.enums.size()));
      if (inserted) m.enums.push_back(EnumType{values});
      out.enum_id = it->second;
      break;
    }
    case ast::TypeExpr::Kind::Entity: {
      out.kind = ValueType::Kind::Entity;
      if (auto e = s.find_entity(t.entity.text)) {
        out.entity = *e;
      } else {
        std::vector<std::string_view> candidates = keys(s.principals);
        for (auto k : keys(s.resources)) candidates.push_back(k);
        for (auto k : {"string", "int", "bool", "time", "ip"}) candidates.push_back(k);
        Diagnostic& d = s.report_unknown(Code::E0210, t.entity.span, "unknown type " + quoted(t.entity.text),
                                         t.entity.text, candidates);
        if (d.notes.empty()) {
          d.notes.push_back(
              "note: an attribute type is `string`, `int`, `bool`, `time`, `ip`, an enum `a | b`, or a declared "
              "principal or resource type");
        }
        out.entity = EntityRef{EntityKind::Principal, kNone};
      }
      break;
    }
  }
  return out;
}

// Built-ins first, then the declared attributes; E0209 for a repeated name.
std::vector<Attribute> collect_attributes(State& s, std::vector<Attribute> attrs,
                                          const std::vector<ast::AttributeDecl>& decls, const std::string& owner) {
  CheckedPolicy& m = s.model;
  const std::size_t builtins = attrs.size();
  for (const auto& decl : decls) {
    const StringId name = m.strings.intern(decl.name.text);
    auto it = std::find_if(attrs.begin(), attrs.end(), [&](const Attribute& a) { return a.name == name; });
    if (it != attrs.end()) {
      if (static_cast<std::size_t>(it - attrs.begin()) < builtins) {
        duplicate(s, decl.name.span, "duplicate attribute " + quoted(decl.name.text) + ": it is built in on " + owner,
                  Span{});
      } else {
        duplicate(s, decl.name.span, "duplicate attribute " + quoted(decl.name.text) + " on " + owner, it->span);
      }
      continue;
    }
    Attribute a;
    a.name = name;
    a.span = decl.name.span;
    a.type = resolve_type(s, decl.type, "attribute " + quoted(decl.name.text));
    attrs.push_back(a);
  }
  return attrs;
}

void collect_type_members(State& s) {
  CheckedPolicy& m = s.model;
  const std::vector<Attribute> entity_builtins = {builtin(m, "id", ValueType::Kind::String),
                                                  builtin(m, "tenant", ValueType::Kind::String)};
  for (std::size_t i = 0; i < s.ast.principals.size(); ++i) {
    const Id id = s.principal_of_decl[i];
    if (id == kNone) continue;
    const std::string owner = "principal type " + quoted(s.ast.principals[i].name.text);
    m.principals[id].attributes = collect_attributes(s, entity_builtins, s.ast.principals[i].attributes, owner);
  }
  s.actions_of.resize(m.resources.size());
  for (std::size_t i = 0; i < s.ast.resources.size(); ++i) {
    const Id id = s.resource_of_decl[i];
    if (id == kNone) continue;
    const ast::ResourceDecl& decl = s.ast.resources[i];
    const std::string owner = "resource type " + quoted(decl.name.text);
    ResourceType& t = m.resources[id];
    t.attributes = collect_attributes(s, entity_builtins, decl.attributes, owner);
    NameIndex& actions = s.actions_of[id];
    for (const auto& a : decl.actions) {
      if (auto it = actions.find(a.text); it != actions.end()) {
        duplicate(s, a.span, "duplicate action " + quoted(a.text) + " on " + owner, t.actions[it->second].span);
        continue;
      }
      actions.emplace(a.text, static_cast<Id>(t.actions.size()));
      t.actions.push_back(Action{m.strings.intern(a.text), a.span});
      ++s.action_names[a.text];
    }
  }

  std::vector<Attribute> context = {builtin(m, "time", ValueType::Kind::Time),
                                    builtin(m, "client_ip", ValueType::Kind::Ip),
                                    builtin(m, "request_id", ValueType::Kind::String)};
  if (!s.ast.contexts.empty()) {
    m.context.span = s.ast.contexts[0].span;
    context = collect_attributes(s, std::move(context), s.ast.contexts[0].attributes, "the request context");
  }
  m.context.attributes = std::move(context);
}

void collect_rules(State& s) {
  CheckedPolicy& m = s.model;
  NameIndex names;
  for (const auto& decl : s.ast.rules) {
    Rule r;
    r.effect = decl.effect == ast::Effect::Allow ? Effect::Allow : Effect::Deny;
    r.name = m.strings.intern(decl.name.text);
    r.name_span = decl.name.span;
    r.span = decl.span;
    if (auto it = names.find(decl.name.text); it != names.end()) {
      duplicate(s, decl.name.span, "duplicate rule name " + quoted(decl.name.text), m.rules[it->second].name_span);
    } else {
      names.emplace(decl.name.text, static_cast<Id>(m.rules.size()));
    }
    m.rules.push_back(std::move(r));
  }
}

}  // namespace

namespace {

// A policy that declares nothing denies every request without a word: it is
// almost always a wrong path, an emptied file or a truncated checkout, so it
// is an error rather than a policy.
void check_not_empty(State& s) {
  const ast::Policy& a = s.ast;
  if (!a.tenancies.empty() || !a.scopes.empty() || !a.levels.empty() || !a.roles.empty() || !a.principals.empty() ||
      !a.resources.empty() || !a.contexts.empty() || !a.endpoints.empty() || !a.rules.empty()) {
    return;
  }
  Span where = !a.names.empty() ? a.names[0].span : s.sources.size() ? s.sources.span(0, 0, 0) : Span{};
  s.report(Code::E0005, where, "the policy declares nothing: no scope, type, endpoint or rule")
      .notes.push_back("note: a policy without rules denies every request; is this the right file?");
}

}  // namespace

void collect_declarations(State& s) {
  check_not_empty(s);
  collect_singletons(s);
  collect_scopes_and_roles(s);
  collect_type_names(s);
  collect_type_members(s);
  collect_rules(s);
}

}  // namespace warden::compiler::passes
