// Pass 2: resolve_names — resolve the references between declarations.
//
// Must run after collect_declarations (every name is known). Resolves scope
// implications (E0201; E0316 for a family matching no scope), role parents
// (E0202), principal `member of` and resource `grants to` (E0207), and level
// maps (E0205 for a level outside the chain, E0209 for a level mapped twice,
// E0204/E0310 for their actions). Cycles and closures are close_hierarchies'.
#include <algorithm>

#include "compiler/passes/pass.hpp"

namespace warden::compiler::passes {
namespace {

bool has_prefix(std::string_view name, std::string_view family) {
  return name.size() > family.size() + 1 && name.substr(0, family.size()) == family && name[family.size()] == ':';
}

// Every proper `prefix` of the declared scope names, for family suggestions.
std::vector<std::string> family_candidates(const NameIndex& scopes) {
  std::vector<std::string> out;
  for (const auto& [name, id] : scopes) {
    for (std::size_t pos = name.find(':'); pos != std::string::npos; pos = name.find(':', pos + 1)) {
      out.push_back(name.substr(0, pos));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void resolve_scope_implications(State& s) {
  CheckedPolicy& m = s.model;
  const std::vector<std::string> families = family_candidates(s.scopes);
  for (std::size_t i = 0; i < s.ast.scopes.size(); ++i) {
    const Id self = s.scope_of_decl[i];
    if (self == kNone) continue;
    for (const auto& ref : s.ast.scopes[i].implies) {
      ScopeImplication imp;
      imp.kind = static_cast<ScopeImplication::Kind>(ref.kind);
      imp.text = m.strings.intern(ref.text);
      imp.span = ref.span;
      switch (ref.kind) {
        case ast::ScopeRef::Kind::Exact: {
          if (auto it = s.scopes.find(ref.text); it != s.scopes.end()) {
            imp.scope = it->second;
          } else {
            s.report_unknown(Code::E0201, ref.span, "unknown scope " + quoted(ref.text), ref.text, keys(s.scopes));
            continue;
          }
          break;
        }
        case ast::ScopeRef::Kind::Family: {
          imp.matches = IdSet(m.scopes.size());
          bool any = false;
          for (const auto& [name, id] : s.scopes) {
            if (!has_prefix(name, ref.text)) continue;
            any = true;
            if (id != self) imp.matches.insert(id);
          }
          if (!any) {
            std::vector<std::string_view> candidates(families.begin(), families.end());
            Diagnostic& d = s.report(Code::E0316, ref.span,
                                     "scope family " + quoted(ref.text + ":*") + " matches no declared scope");
            if (auto best = closest_name(ref.text, candidates)) d.notes.push_back("help: did you mean `" + *best + ":*`?");
            continue;
          }
          break;
        }
        case ast::ScopeRef::Kind::All: {
          imp.matches = IdSet(m.scopes.size());
          for (Id id = 0; id < m.scopes.size(); ++id) {
            if (id != self) imp.matches.insert(id);
          }
          break;
        }
      }
      m.scopes[self].implies.push_back(std::move(imp));
    }
  }
}

void resolve_role_parents(State& s) {
  CheckedPolicy& m = s.model;
  for (std::size_t i = 0; i < s.ast.roles.size(); ++i) {
    const Id self = s.role_of_decl[i];
    if (self == kNone) continue;
    Role& role = m.roles[self];
    for (const auto& parent : s.ast.roles[i].inherits) {
      auto it = s.roles.find(parent.text);
      if (it == s.roles.end()) {
        s.report_unknown(Code::E0202, parent.span, "unknown role " + quoted(parent.text), parent.text, keys(s.roles));
        continue;
      }
      if (std::find(role.parents.begin(), role.parents.end(), it->second) != role.parents.end()) continue;
      role.parents.push_back(it->second);
      role.parent_spans.push_back(parent.span);
    }
  }
}

// A principal type named in `member of` / `grants to`; E0207 when unknown.
std::optional<Id> principal_ref(State& s, const ast::Name& name) {
  if (auto it = s.principals.find(name.text); it != s.principals.end()) return it->second;
  if (s.resources.count(name.text)) {
    s.report(Code::E0207, name.span, quoted(name.text) + " is a resource type, not a principal type");
  } else {
    s.report_unknown(Code::E0207, name.span, "unknown principal type " + quoted(name.text), name.text,
                     keys(s.principals));
  }
  return std::nullopt;
}

void resolve_memberships_and_grantees(State& s) {
  CheckedPolicy& m = s.model;
  for (std::size_t i = 0; i < s.ast.principals.size(); ++i) {
    const Id self = s.principal_of_decl[i];
    if (self == kNone) continue;
    PrincipalType& t = m.principals[self];
    for (const auto& name : s.ast.principals[i].member_of) {
      const auto id = principal_ref(s, name);
      if (!id || std::find(t.member_of.begin(), t.member_of.end(), *id) != t.member_of.end()) continue;
      t.member_of.push_back(*id);
      t.member_of_spans.push_back(name.span);
    }
  }
  for (std::size_t i = 0; i < s.ast.resources.size(); ++i) {
    const Id self = s.resource_of_decl[i];
    if (self == kNone) continue;
    ResourceType& t = m.resources[self];
    for (const auto& name : s.ast.resources[i].grants_to) {
      const auto id = principal_ref(s, name);
      if (!id || std::find(t.grantees.begin(), t.grantees.end(), *id) != t.grantees.end()) continue;
      t.grantees.push_back(*id);
      t.grantee_spans.push_back(name.span);
    }
  }
}

void resolve_level_maps(State& s) {
  CheckedPolicy& m = s.model;
  for (std::size_t i = 0; i < s.ast.resources.size(); ++i) {
    const Id self = s.resource_of_decl[i];
    if (self == kNone) continue;
    ResourceType& t = m.resources[self];
    const NameIndex& actions = s.actions_of[self];
    const std::string owner = quoted(m.str(t.name));
    for (const auto& map : s.ast.resources[i].level_maps) {
      LevelMap out;
      out.span = map.level.span;
      auto level = s.levels.find(map.level.text);
      if (level == s.levels.end()) {
        Diagnostic& d = s.report_unknown(Code::E0205, map.level.span, "unknown level " + quoted(map.level.text),
                                         map.level.text, keys(s.levels));
        if (s.levels.empty()) d.notes.push_back("note: no `levels` chain is declared");
      } else {
        out.level = level->second;
        auto previous = std::find_if(t.level_maps.begin(), t.level_maps.end(),
                                     [&](const LevelMap& l) { return l.level == out.level; });
        if (previous != t.level_maps.end()) {
          Diagnostic& d = s.report(Code::E0209, map.level.span,
                                   "level " + quoted(map.level.text) + " is mapped twice on resource type " + owner);
          d.labels.push_back({previous->span, "previous definition here"});
          continue;
        }
      }
      for (const auto& action : map.actions) {
        if (auto it = actions.find(action.text); it != actions.end()) {
          if (std::find(out.actions.begin(), out.actions.end(), it->second) == out.actions.end()) {
            out.actions.push_back(it->second);
          }
          continue;
        }
        const bool elsewhere = s.action_names.count(action.text) != 0;
        s.report_unknown(elsewhere ? Code::E0310 : Code::E0204, action.span,
                         elsewhere ? "action " + quoted(action.text) + " is not declared on resource type " + owner
                                   : "unknown action " + quoted(action.text) + " on resource type " + owner,
                         action.text, keys(actions));
      }
      if (out.level != kNone) t.level_maps.push_back(std::move(out));
    }
  }
}

}  // namespace

void resolve_names(State& s) {
  resolve_scope_implications(s);
  resolve_role_parents(s);
  resolve_memberships_and_grantees(s);
  resolve_level_maps(s);
}

}  // namespace warden::compiler::passes
