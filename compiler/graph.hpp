// Directed graphs over dense ids for the hierarchy passes: strongly connected
// components (cycle detection), reflexive-transitive closure and naming a
// concrete cycle. Every walk is iterative, so a long user-written chain of
// `inherits`/`implies`/`member of` can never overflow the stack.
//
// Internal to compiler/ (used by passes/close_hierarchies.cpp).
#pragma once

#include <vector>

#include "compiler/model.hpp"
#include "support/source.hpp"

namespace warden::compiler {

struct Edge {
  Id to = kNone;
  Span span;  // where the edge was written (`inherits b`: the `b`)
};

struct Digraph {
  explicit Digraph(std::size_t nodes) : out(nodes) {}
  std::size_t size() const { return out.size(); }
  void add(Id from, Id to, Span span) { out[from].push_back(Edge{to, span}); }

  std::vector<std::vector<Edge>> out;  // per node, in insertion order
};

// Strongly connected components (Tarjan, iterative). Components come out in
// reverse topological order: a component is listed after every component it
// can reach. Members of a component are sorted ascending.
std::vector<std::vector<Id>> strongly_connected_components(const Digraph& g);

// Whether a component is a cycle: more than one node, or a node with an edge
// to itself.
bool is_cycle(const Digraph& g, const std::vector<Id>& component);

// For each node: itself and every node reachable from it.
std::vector<IdSet> reflexive_closure(const Digraph& g);

// A shortest cycle through `start` staying inside `component`, as the edges
// taken: start -> … -> start. Empty if there is none.
std::vector<std::pair<Id, const Edge*>> find_cycle(const Digraph& g, const std::vector<Id>& component, Id start);

}  // namespace warden::compiler
