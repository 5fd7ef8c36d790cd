// Endpoint routing: a request's method and normalized path
// (path_normalize.hpp) to an endpoint of the table.
//
// Walks the method's segment trie depth-first, trying at each node the equal
// literal, then `{param}`, then `*`, then a `**` endpoint: the first complete
// match is the most specific one, compared left to right. Each trie node is
// visited at most once per path, so the walk is linear in the trie size and
// the recursion depth is bounded by kMaxSegments.
#include <algorithm>
#include <cstring>
#include <new>

#include "runtime/evaluation.hpp"

namespace warden::runtime {
namespace {

std::optional<table::Method> parse_method(std::string_view m) {
  static constexpr std::pair<std::string_view, table::Method> kMethods[] = {
      {"GET", table::Method::Get},     {"HEAD", table::Method::Head},   {"POST", table::Method::Post},
      {"PUT", table::Method::Put},     {"PATCH", table::Method::Patch}, {"DELETE", table::Method::Delete},
      {"OPTIONS", table::Method::Options}};
  for (const auto& [name, method] : kMethods) {
    if (name == m) return method;
  }
  return std::nullopt;
}

struct Walker {
  const table::Program& p;
  std::span<const std::string_view> segs;

  table::Id match(table::Id node_id, std::size_t i) const {
    const table::RouteNode& node = p.route_nodes[node_id];
    if (i == segs.size()) {
      if (node.endpoint != table::kNone) return node.endpoint;
      return node.double_star;  // `**` also matches nothing
    }
    const std::string_view seg = segs[i];
    // Literal children are sorted by bytes: a few are scanned (lengths
    // first, inline compares), more are searched.
    const auto* first = p.route_edges.data() + node.literals.begin;
    const auto* last = first + node.literals.count;
    const table::RouteEdge* it = last;
    if (node.literals.count <= 8) {
      for (const auto* e = first; e != last; ++e) {
        if (runtime::same_text(p.strings[e->label], seg)) {
          it = e;
          break;
        }
      }
    } else {
      it = std::lower_bound(first, last, seg, [&](const table::RouteEdge& e, std::string_view s) {
        return std::string_view(p.strings[e.label]) < s;
      });
      if (it != last && p.strings[it->label] != seg) it = last;
    }
    if (it != last) {
      if (const table::Id found = match(it->child, i + 1); found != table::kNone) return found;
    }
    if (!seg.empty()) {
      if (node.param_child != table::kNone) {
        if (const table::Id found = match(node.param_child, i + 1); found != table::kNone) return found;
      }
      if (node.star_child != table::kNone) {
        if (const table::Id found = match(node.star_child, i + 1); found != table::kNone) return found;
      }
    }
    return node.double_star;
  }
};

}  // namespace

table::Id Evaluation::route(std::string_view method, const NormalizedPath& path) {
  const auto m = parse_method(method);
  if (!m) return table::kNone;
  const table::Id root = p.route_roots[static_cast<std::size_t>(*m)];
  if (root == table::kNone) return table::kNone;
  // An all-literal pattern equal to the normalized path is what the walk
  // would find. The normalized text is never longer than the raw path.
  if (!ix.static_routes.empty()) {
    struct Text {
      char bytes[NormalizedPath::kMaxBytes];
      std::size_t size = 0;
      void append(std::string_view s) {
        std::memcpy(bytes + size, s.data(), s.size());
        size += s.size();
      }
    } text;
    path.write(text);
    if (const auto it = ix.static_routes.find(std::string_view(text.bytes, text.size)); it != ix.static_routes.end()) {
      if (const table::Id e = it->second[static_cast<std::size_t>(*m)]; e != table::kNone) return e;
    }
  }
  // The normalizer caps segments at kMaxSegments, the size of this storage.
  static_assert(NormalizedPath::kMaxSegments == kMaxSegments);
  segment_count = path.count();
  for (std::size_t i = 0; i < segment_count; ++i) new (segments() + i) std::string_view(path.segment(i));
  return Walker{p, {segments(), segment_count}}.match(root, 0);
}

}  // namespace warden::runtime
