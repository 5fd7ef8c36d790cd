// Helpers shared by the checking passes: lookups, phrasing of names and types
// in messages, attribute-path and subject-form resolution, and spans inside
// string literals.
#include <algorithm>

#include "compiler/passes/pass.hpp"

namespace warden::compiler::passes {

std::string quoted(std::string_view name) { return "`" + std::string(name) + "`"; }

std::string methods_text(MethodMask mask, bool any) {
  if (any || mask == kAnyMethod) return "ANY";
  std::string out;
  for (std::size_t i = 0; i < kMethodCount; ++i) {
    if (mask >> i & 1u) out += (out.empty() ? "" : ", ") + std::string(method_name(static_cast<Method>(i)));
  }
  return out;
}

// The endpoint as a user wrote it: "GET, HEAD /api/x".
std::string endpoint_text(const CheckedPolicy& m, const Endpoint& e) {
  return methods_text(e.methods, e.any_method) + " " + m.str(e.pattern);
}

std::vector<std::string_view> keys(const NameIndex& index) {
  std::vector<std::string_view> out;
  out.reserve(index.size());
  for (const auto& [name, id] : index) out.push_back(name);
  return out;
}

std::string path_text(const ast::AttrPath& path, std::size_t attrs) {
  static constexpr const char* kRoots[] = {"principal", "resource", "context", "request"};
  std::string out = kRoots[static_cast<int>(path.root)];
  for (std::size_t i = 0; i < attrs && i < path.attrs.size(); ++i) out += "." + path.attrs[i].text;
  return out;
}

Diagnostic& State::report_unknown(Code code, Span span, std::string message, std::string_view wrong,
                                  const std::vector<std::string_view>& candidates) {
  Diagnostic& d = report(code, span, std::move(message));
  if (auto best = closest_name(wrong, candidates); best && *best != wrong) {
    d.notes.push_back("help: did you mean " + quoted(*best) + "?");
  }
  return d;
}

std::optional<EntityRef> State::find_entity(std::string_view name) const {
  if (auto it = principals.find(name); it != principals.end()) return EntityRef{EntityKind::Principal, it->second};
  if (auto it = resources.find(name); it != resources.end()) return EntityRef{EntityKind::Resource, it->second};
  return std::nullopt;
}

Id State::find_attribute(EntityRef type, std::string_view name) const {
  if (type.index == kNone) return kNone;
  const auto id = model.strings.find(name);
  if (!id) return kNone;
  const auto& attrs = model.attributes(type);
  for (std::size_t i = 0; i < attrs.size(); ++i) {
    if (attrs[i].name == *id) return static_cast<Id>(i);
  }
  return kNone;
}

std::vector<std::string_view> State::attribute_names(EntityRef type) const {
  std::vector<std::string_view> out;
  if (type.index == kNone) return out;
  for (const auto& a : model.attributes(type)) out.push_back(model.str(a.name));
  return out;
}

std::string State::entity_phrase(EntityRef type) const {
  switch (type.kind) {
    case EntityKind::Principal: return "principal type " + quoted(model.str(model.principals[type.index].name));
    case EntityKind::Resource: return "resource type " + quoted(model.str(model.resources[type.index].name));
    case EntityKind::Context: break;
  }
  return "the request context";
}

std::string State::type_phrase(const ValueType& type) const { return quoted(model.type_name(type)); }

Span State::string_span(const ast::StringLit& lit, std::size_t begin, std::size_t length) const {
  if (!lit.span.valid() || lit.span.file >= sources.size()) return lit.span;
  const std::string_view text = sources.file(lit.span.file).text();
  if (lit.span.offset >= text.size() || text[lit.span.offset] != '"') return lit.span;
  const std::size_t limit = std::min<std::size_t>(text.size(), std::size_t{lit.span.offset} + lit.span.length);
  std::size_t raw = lit.span.offset + 1;
  std::size_t value_index = 0;
  std::optional<std::size_t> raw_begin, raw_end;
  while (true) {
    if (value_index == begin && !raw_begin) raw_begin = raw;
    if (value_index == begin + length) {
      raw_end = raw;
      break;
    }
    if (raw >= limit || text[raw] == '"') break;
    raw += text[raw] == '\\' ? 2 : 1;
    ++value_index;
  }
  if (!raw_begin || !raw_end || *raw_end < *raw_begin) return lit.span;
  return sources.span(lit.span.file, static_cast<std::uint32_t>(*raw_begin),
                      static_cast<std::uint32_t>(*raw_end - *raw_begin));
}

// --- attribute paths -------------------------------------------------------------

Id State::resolve_path(const ast::AttrPath& p, Rule& rule, const RuleTypes& types) {
  if (p.attrs.empty()) return kNone;
  if (p.root == ast::AttrPath::Root::Request) {
    // `request.resource.ATTR…` / `request.principal.ATTR…`: the path from the
    // entity on, marked as reading what the request carries.
    const ast::Name& entity = p.attrs.front();
    if ((entity.text != "resource" && entity.text != "principal") || p.attrs.size() < 2) {
      Diagnostic& d = report_unknown(Code::E0206, entity.span,
                                     p.attrs.size() < 2 && (entity.text == "resource" || entity.text == "principal")
                                         ? quoted("request." + entity.text) + " needs an attribute"
                                         : "unknown attribute " + quoted(entity.text) + " on the request",
                                     entity.text, {"resource", "principal"});
      d.notes.push_back(
          "note: `request.resource.ATTR` and `request.principal.ATTR` are the values the request itself carries "
          "(bound by its endpoint, or given in process), whatever the facts say");
      return kNone;
    }
    ast::AttrPath inner;
    inner.root = entity.text == "resource" ? ast::AttrPath::Root::Resource : ast::AttrPath::Root::Principal;
    inner.attrs.assign(p.attrs.begin() + 1, p.attrs.end());
    inner.span = p.span;
    const Id id = resolve_path(inner, rule, types);
    if (id != kNone) rule.paths[id].carried = true;
    return id;
  }
  Path out;
  out.root = static_cast<Path::Root>(p.root);
  out.span = p.span;
  for (const auto& n : p.attrs) out.names.push_back(model.strings.intern(n.text));

  const ast::Name& first = p.attrs.front();
  ValueType type;
  switch (p.root) {
    case ast::AttrPath::Root::Context: {
      const EntityRef ctx{EntityKind::Context, 0};
      const Id attr = find_attribute(ctx, first.text);
      if (attr == kNone) {
        report_unknown(Code::E0206, first.span, "unknown attribute " + quoted(first.text) + " on the request context",
                       first.text, attribute_names(ctx));
        return kNone;
      }
      out.first.push_back({ctx, attr});
      type = model.context.attributes[attr].type;
      break;
    }
    case ast::AttrPath::Root::Principal: {
      std::optional<Id> first_owner;
      for (Id t = 0; t < model.principals.size(); ++t) {
        const EntityRef ref{EntityKind::Principal, t};
        const Id attr = find_attribute(ref, first.text);
        if (attr == kNone) continue;
        const ValueType& this_type = model.principals[t].attributes[attr].type;
        if (first_owner && !(this_type == type)) {
          report(Code::E0306, first.span,
                 "attribute " + quoted(first.text) + " has different types on principal types " +
                     quoted(model.str(model.principals[*first_owner].name)) + " (" + type_phrase(type) + ") and " +
                     quoted(model.str(model.principals[t].name)) + " (" + type_phrase(this_type) + ")");
          return kNone;
        }
        if (!first_owner) {
          first_owner = t;
          type = this_type;
        }
        out.first.push_back({ref, attr});
      }
      if (!first_owner) {
        if (first.text == "id" || first.text == "tenant") {
          type = ValueType{};  // built-in strings exist even with no principal type declared
          break;
        }
        std::vector<std::string_view> candidates;
        for (Id t = 0; t < model.principals.size(); ++t) {
          for (auto n : attribute_names({EntityKind::Principal, t})) candidates.push_back(n);
        }
        if (candidates.empty()) candidates = {"id", "tenant"};
        report_unknown(Code::E0206, first.span, "unknown attribute " + quoted(first.text) + " on principals",
                       first.text, candidates);
        return kNone;
      }
      break;
    }
    case ast::AttrPath::Root::Request: return kNone;  // handled above
    case ast::AttrPath::Root::Resource: {
      if (!types.no_resource.empty()) {
        Diagnostic& d = report(Code::E0321, p.span, quoted(path_text(p, p.attrs.size())) + " is not available here: " +
                                                        types.no_resource);
        if (types.no_resource_at.valid()) d.labels.push_back({types.no_resource_at, "this endpoint names no action"});
        d.notes.push_back("help: give the endpoint `action ACTION on TYPE;`, or test the resource in a rule");
        return kNone;
      }
      if (!types.known || types.types.empty()) return kNone;  // the rule's types already failed
      std::vector<Id> missing;
      std::optional<Id> first_owner;
      for (Id t : types.types) {
        const EntityRef ref{EntityKind::Resource, t};
        const Id attr = find_attribute(ref, first.text);
        if (attr == kNone) {
          missing.push_back(t);
          continue;
        }
        const ValueType& this_type = model.resources[t].attributes[attr].type;
        if (first_owner && !(this_type == type)) {
          report(Code::E0306, first.span,
                 "attribute " + quoted(first.text) + " has different types on resource types " +
                     quoted(model.str(model.resources[*first_owner].name)) + " (" + type_phrase(type) + ") and " +
                     quoted(model.str(model.resources[t].name)) + " (" + type_phrase(this_type) + ")");
          return kNone;
        }
        if (!first_owner) {
          first_owner = t;
          type = this_type;
        }
        out.first.push_back({ref, attr});
      }
      if (!missing.empty()) {
        const EntityRef ref{EntityKind::Resource, missing.front()};
        std::string where = entity_phrase(ref);
        if (missing.size() > 1) {
          where = "resource types";
          for (std::size_t i = 0; i < missing.size(); ++i) {
            where += (i ? ", " : " ") + quoted(model.str(model.resources[missing[i]].name));
          }
        }
        Diagnostic& d = report_unknown(Code::E0206, first.span,
                                       "unknown attribute " + quoted(first.text) + " on " + where, first.text,
                                       attribute_names(ref));
        if (first_owner) {
          d.notes.push_back("note: every resource type of the rule must declare the attribute; " +
                            entity_phrase({EntityKind::Resource, *first_owner}) + " does");
        }
        return kNone;
      }
      break;
    }
  }

  for (std::size_t i = 1; i < p.attrs.size(); ++i) {
    const ast::Name& step = p.attrs[i];
    if (type.kind != ValueType::Kind::Entity) {
      report(Code::E0206, step.span,
             "unknown attribute " + quoted(step.text) + ": " + quoted(path_text(p, i)) + " has type " +
                 type_phrase(type) + ", which has no attributes");
      return kNone;
    }
    if (type.entity.index == kNone) return kNone;  // unknown type, reported by resolve_names
    const Id attr = find_attribute(type.entity, step.text);
    if (attr == kNone) {
      report_unknown(Code::E0206, step.span, "unknown attribute " + quoted(step.text) + " on " + entity_phrase(type.entity),
                     step.text, attribute_names(type.entity));
      return kNone;
    }
    out.rest.push_back({type.entity, attr});
    type = model.attributes(type.entity)[attr].type;
  }
  if (type.kind == ValueType::Kind::Entity && type.entity.index == kNone) return kNone;
  out.type = type;
  rule.paths.push_back(std::move(out));
  return static_cast<Id>(rule.paths.size() - 1);
}

// --- subject forms ------------------------------------------------------------------

namespace {

Id caller_mask_of(ast::CallerKind k) {
  switch (k) {
    case ast::CallerKind::Anonymous: return kCallerAnonymous;
    case ast::CallerKind::Session: return kCallerSession;
    case ast::CallerKind::Key: return kCallerKey;
    case ast::CallerKind::Authenticated: return kCallerSession | kCallerKey;
  }
  return 0;
}

Span type_name_span(const ast::Rule& rule, std::string_view name) {
  for (const auto& n : rule.types.names) {
    if (n.text == name) return n.span;
  }
  return rule.types.span;
}

}  // namespace

std::optional<Predicate> State::resolve_predicate(const ast::Predicate& p, Rule& rule, const ast::Rule& source,
                                                  const RuleTypes& types) {
  Predicate out;
  out.kind = static_cast<Predicate::Kind>(p.kind);
  out.span = p.span;
  bool ok = true;

  // `in PATH` / `of PATH`: resolve and require an entity reference.
  auto resolve_in = [&](const char* form) -> std::optional<EntityRef> {
    if (!p.in) return std::nullopt;
    const Id path = resolve_path(*p.in, rule, types);
    if (path == kNone) {
      ok = false;
      return std::nullopt;
    }
    out.in_path = path;
    const ValueType& t = rule.paths[path].type;
    if (t.kind != ValueType::Kind::Entity) {
      const bool member = p.kind == ast::Predicate::Kind::Member;
      Diagnostic& d = report(Code::E0313, p.in->span,
                             quoted(path_text(*p.in, p.in->attrs.size())) +
                                 (member ? " is not a membership collection" : " is not a reference to an entity"));
      d.notes.push_back(std::string("note: `") + form + "` needs an attribute whose type is " +
                        (member ? "a principal type" : "a principal or resource type") + "; this one has type " +
                        type_phrase(t));
      ok = false;
      return std::nullopt;
    }
    return t.entity;
  };

  Span grant_keyword = p.span;  // `grant`
  grant_keyword.length = std::min<std::uint32_t>(grant_keyword.length, 5);

  // E0317/E0309 for a grant on resource type `t`.
  auto check_grant_type = [&](Id t, Span type_span) {
    const ResourceType& rt = model.resources[t];
    const std::string name = quoted(model.str(rt.name));
    if (rt.grantees.empty()) {
      Diagnostic& d = report(Code::E0317, grant_keyword, "resource type " + name + " accepts no grants");
      if (type_span.valid()) d.labels.push_back({type_span, "resource type named here"});
      d.notes.push_back("help: add `grants to …;` to resource " + name);
      ok = false;
    } else if (rt.level_maps.empty()) {
      const Span at = p.name.text.empty() ? grant_keyword : p.name.span;
      Diagnostic& d = report(Code::E0309, at,
                             p.name.text.empty()
                                 ? "no grant permits an action on resource type " + name + ": it has no `level` maps"
                                 : "level " + quoted(p.name.text) + " permits no action on resource type " + name +
                                       ": it has no `level` maps");
      if (type_span.valid()) d.labels.push_back({type_span, "resource type named here"});
      d.notes.push_back("help: add `level LEVEL: ACTIONS;` to resource " + name);
      ok = false;
    }
  };

  switch (p.kind) {
    case ast::Predicate::Kind::Anyone:
      break;
    case ast::Predicate::Kind::Caller:
      out.id = caller_mask_of(p.caller);
      break;
    case ast::Predicate::Kind::Role: {
      if (auto it = roles.find(p.name.text); it != roles.end()) {
        out.id = it->second;
      } else {
        report_unknown(Code::E0202, p.name.span, "unknown role " + quoted(p.name.text), p.name.text, keys(roles));
        ok = false;
      }
      resolve_in("role … in");
      break;
    }
    case ast::Predicate::Kind::Scope: {
      if (auto it = scopes.find(p.name.text); it != scopes.end()) {
        out.id = it->second;
      } else {
        report_unknown(Code::E0201, p.name.span, "unknown scope " + quoted(p.name.text), p.name.text, keys(scopes));
        ok = false;
      }
      break;
    }
    case ast::Predicate::Kind::Grant: {
      if (!p.name.text.empty()) {
        if (auto it = levels.find(p.name.text); it != levels.end()) {
          out.id = it->second;
        } else {
          report_unknown(Code::E0205, p.name.span, "unknown level " + quoted(p.name.text), p.name.text, keys(levels));
          ok = false;
        }
      }
      if (p.in) {
        const auto entity = resolve_in("grant … in");
        if (entity && entity->kind == EntityKind::Resource) check_grant_type(entity->index, p.in->span);
      } else if (!types.no_resource.empty()) {
        Diagnostic& d = report(Code::E0321, grant_keyword, "`grant` is not available here: " + types.no_resource);
        if (types.no_resource_at.valid()) d.labels.push_back({types.no_resource_at, "this endpoint names no action"});
        d.notes.push_back("help: give the endpoint `action ACTION on TYPE;`, or write `grant … in PATH`");
        ok = false;
      } else if (types.known) {
        if (!types.all) {
          for (Id t : types.types) check_grant_type(t, type_name_span(source, model.str(model.resources[t].name)));
        } else {
          // With `on *` the predicate is simply false on types without grants;
          // it is an error only when no type of the rule can satisfy it.
          std::optional<Id> accepting;
          for (Id t : types.types) {
            if (model.resources[t].grantees.empty()) continue;
            if (!accepting || model.resources[*accepting].level_maps.empty()) accepting = t;
          }
          if (!accepting && !types.types.empty()) {
            Diagnostic& d = report(Code::E0317, grant_keyword, "no resource type of this rule accepts grants");
            d.notes.push_back("help: add `grants to …;` to the resource types that hold grants");
            ok = false;
          } else if (accepting) {
            check_grant_type(*accepting, source.types.span);
          }
        }
      }
      break;
    }
    case ast::Predicate::Kind::Member: {
      if (!p.in) {
        ok = false;
        break;
      }
      const auto entity = resolve_in("member of");
      if (!entity) break;
      bool collection = false;
      if (entity->kind == EntityKind::Principal) {
        for (const auto& pt : model.principals) collection |= pt.collections.contains(entity->index);
      }
      if (!collection) {
        Diagnostic& d = report(Code::E0313, p.in->span,
                               quoted(path_text(*p.in, p.in->attrs.size())) + " is not a membership collection");
        if (entity->kind == EntityKind::Principal) {
          d.notes.push_back("note: no principal type is declared `member of " +
                            model.str(model.principals[entity->index].name) + "`");
        } else {
          d.notes.push_back("note: `member of` needs a principal type that others are members of; this is " +
                            entity_phrase(*entity));
        }
        ok = false;
      }
      break;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

std::uint8_t caller_mask(const ast::CallersDecl& callers) {
  std::uint8_t mask = 0;
  for (const auto k : callers.kinds) mask = static_cast<std::uint8_t>(mask | caller_mask_of(k));
  return mask;
}

}  // namespace warden::compiler::passes
