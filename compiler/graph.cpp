// Iterative graph algorithms for hierarchy closure and cycle detection.
#include "compiler/graph.hpp"

#include <algorithm>
#include <deque>

namespace warden::compiler {

std::vector<std::vector<Id>> strongly_connected_components(const Digraph& g) {
  const std::size_t n = g.size();
  std::vector<Id> index(n, kNone), low(n, 0);
  std::vector<bool> on_stack(n, false);
  std::vector<Id> stack;
  std::vector<std::vector<Id>> components;
  Id next_index = 0;

  struct Frame {
    Id node;
    std::size_t edge;
  };
  std::vector<Frame> work;

  for (Id root = 0; root < n; ++root) {
    if (index[root] != kNone) continue;
    work.push_back({root, 0});
    index[root] = low[root] = next_index++;
    stack.push_back(root);
    on_stack[root] = true;
    while (!work.empty()) {
      Frame& f = work.back();
      const Id v = f.node;
      if (f.edge < g.out[v].size()) {
        const Id w = g.out[v][f.edge++].to;
        if (w >= n) continue;
        if (index[w] == kNone) {
          index[w] = low[w] = next_index++;
          stack.push_back(w);
          on_stack[w] = true;
          work.push_back({w, 0});  // invalidates f; not used after this
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      // v is finished.
      if (low[v] == index[v]) {
        std::vector<Id> component;
        Id w;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[w] = false;
          component.push_back(w);
        } while (w != v);
        std::sort(component.begin(), component.end());
        components.push_back(std::move(component));
      }
      work.pop_back();
      if (!work.empty()) {
        const Id parent = work.back().node;
        low[parent] = std::min(low[parent], low[v]);
      }
    }
  }
  return components;
}

bool is_cycle(const Digraph& g, const std::vector<Id>& component) {
  if (component.size() > 1) return true;
  if (component.empty()) return false;
  const Id v = component.front();
  return std::any_of(g.out[v].begin(), g.out[v].end(), [&](const Edge& e) { return e.to == v; });
}

std::vector<IdSet> reflexive_closure(const Digraph& g) {
  const std::size_t n = g.size();
  std::vector<IdSet> closure(n, IdSet(n));
  // Components come sinks first, so every successor outside a component is
  // already closed when the component is reached.
  for (const auto& component : strongly_connected_components(g)) {
    IdSet reach(n);
    for (Id v : component) {
      reach.insert(v);
      for (const Edge& e : g.out[v]) {
        if (e.to < n) reach.insert_all(closure[e.to]);
      }
    }
    // Edges inside the component pointed at not-yet-closed members; their
    // members are in `reach` already, which is all they can add.
    for (Id v : component) closure[v] = reach;
  }
  return closure;
}

std::vector<std::pair<Id, const Edge*>> find_cycle(const Digraph& g, const std::vector<Id>& component, Id start) {
  const std::size_t n = g.size();
  std::vector<bool> inside(n, false);
  for (Id v : component) inside[v] = true;
  // Breadth-first from start; the first edge back to start closes the cycle.
  std::vector<std::pair<Id, const Edge*>> parent(n, {kNone, nullptr});
  std::vector<bool> seen(n, false);
  std::deque<Id> queue{start};
  seen[start] = true;
  while (!queue.empty()) {
    const Id v = queue.front();
    queue.pop_front();
    for (const Edge& e : g.out[v]) {
      if (e.to >= n || !inside[e.to]) continue;
      if (e.to == start) {
        std::vector<std::pair<Id, const Edge*>> path{{v, &e}};
        for (Id u = v; u != start; u = parent[u].first) path.push_back(parent[u]);
        std::reverse(path.begin(), path.end());
        return path;
      }
      if (!seen[e.to]) {
        seen[e.to] = true;
        parent[e.to] = {v, &e};
        queue.push_back(e.to);
      }
    }
  }
  return {};
}

}  // namespace warden::compiler
