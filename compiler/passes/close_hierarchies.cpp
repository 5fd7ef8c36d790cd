// Pass 3: close_hierarchies — cycle detection and transitive closures.
//
// Must run after resolve_names (edges are resolved). Reports one E0301
// (roles), E0302 (scopes) or E0303 (membership) per strongly connected
// component that forms a cycle, naming a shortest cycle through its earliest
// declared member, with the primary span on the edge leaving that member and
// "cycle goes through here" labels on the others. Then closes:
//   - role.holds (itself + ancestors) and role.held_by (itself + descendants),
//   - scope.closure over exact, family and `*` implications,
//   - principal.collections (transitive `member of`; a type that is a member
//     of itself is among its own collections),
//   - resource.effective_grantees and resource.level_actions (per level, the
//     actions of that level and every lower one).
// Scope cycles are looked for along exact implications only: a family or `*`
// is a catch-all, and `admin implies *` must not make every scope that
// implies `admin` a cycle. Closures stay finite on cyclic input (closure over
// components), and every walk is iterative.
#include <algorithm>

#include "compiler/graph.hpp"
#include "compiler/passes/pass.hpp"

namespace warden::compiler::passes {
namespace {

template <class NameOf>
void report_cycles(State& s, const Digraph& g, Code code, const char* what, NameOf name_of) {
  for (const auto& component : strongly_connected_components(g)) {
    if (!is_cycle(g, component)) continue;
    const auto cycle = find_cycle(g, component, component.front());
    if (cycle.empty()) continue;
    std::string names = quoted(name_of(cycle.front().first));
    for (const auto& [from, edge] : cycle) names += " -> " + quoted(name_of(edge->to));
    Diagnostic& d = s.report(code, cycle.front().second->span, std::string("cycle in ") + what + ": " + names);
    for (std::size_t i = 1; i < cycle.size(); ++i) d.labels.push_back({cycle[i].second->span, "cycle goes through here"});
  }
}

void close_roles(State& s) {
  CheckedPolicy& m = s.model;
  const std::size_t n = m.roles.size();
  Digraph parents(n), children(n);
  for (Id r = 0; r < n; ++r) {
    for (std::size_t i = 0; i < m.roles[r].parents.size(); ++i) {
      parents.add(r, m.roles[r].parents[i], m.roles[r].parent_spans[i]);
      children.add(m.roles[r].parents[i], r, m.roles[r].parent_spans[i]);
    }
  }
  report_cycles(s, parents, Code::E0301, "role inheritance", [&](Id r) { return m.str(m.roles[r].name); });
  auto holds = reflexive_closure(parents);
  auto held_by = reflexive_closure(children);
  for (Id r = 0; r < n; ++r) {
    m.roles[r].holds = std::move(holds[r]);
    m.roles[r].held_by = std::move(held_by[r]);
  }
}

void close_scopes(State& s) {
  CheckedPolicy& m = s.model;
  const std::size_t n = m.scopes.size();
  Digraph exact(n), all(n);
  for (Id sc = 0; sc < n; ++sc) {
    for (const auto& imp : m.scopes[sc].implies) {
      if (imp.kind == ScopeImplication::Kind::Exact) {
        if (imp.scope == kNone) continue;
        exact.add(sc, imp.scope, imp.span);
        all.add(sc, imp.scope, imp.span);
      } else {
        for (Id to : imp.matches.ids()) all.add(sc, to, imp.span);
      }
    }
  }
  report_cycles(s, exact, Code::E0302, "scope implication", [&](Id sc) { return m.str(m.scopes[sc].name); });
  auto closure = reflexive_closure(all);
  for (Id sc = 0; sc < n; ++sc) m.scopes[sc].closure = std::move(closure[sc]);
}

void close_membership(State& s) {
  CheckedPolicy& m = s.model;
  const std::size_t n = m.principals.size();
  // A type may be a member of itself — teams in teams, to any depth — and
  // the facts refuse a cycle of entities (F0306). A cycle through two types
  // or more is a policy mistake: E0303.
  Digraph member_of(n), between_types(n);
  for (Id p = 0; p < n; ++p) {
    for (std::size_t i = 0; i < m.principals[p].member_of.size(); ++i) {
      const Id c = m.principals[p].member_of[i];
      member_of.add(p, c, m.principals[p].member_of_spans[i]);
      if (c != p) between_types.add(p, c, m.principals[p].member_of_spans[i]);
    }
  }
  report_cycles(s, between_types, Code::E0303, "membership", [&](Id p) { return m.str(m.principals[p].name); });
  auto closure = reflexive_closure(member_of);
  for (Id p = 0; p < n; ++p) {
    const auto& direct = m.principals[p].member_of;
    if (std::find(direct.begin(), direct.end(), p) == direct.end()) closure[p].erase(p);
    m.principals[p].collections = std::move(closure[p]);
  }
}

void close_resources(State& s) {
  CheckedPolicy& m = s.model;
  for (auto& t : m.resources) {
    t.effective_grantees = IdSet(m.principals.size());
    for (Id p = 0; p < m.principals.size(); ++p) {
      for (Id g : t.grantees) {
        if (g == p || m.principals[p].collections.contains(g)) {
          t.effective_grantees.insert(p);
          break;
        }
      }
    }
    t.level_actions.assign(m.levels.size(), IdSet(t.actions.size()));
    for (const auto& map : t.level_maps) {
      for (Id a : map.actions) t.level_actions[map.level].insert(a);
    }
    for (std::size_t l = 1; l < t.level_actions.size(); ++l) t.level_actions[l].insert_all(t.level_actions[l - 1]);
  }
}

}  // namespace

void close_hierarchies(State& s) {
  close_roles(s);
  close_scopes(s);
  close_membership(s);
  close_resources(s);
}

}  // namespace warden::compiler::passes
