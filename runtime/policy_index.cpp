// Building the name lookups of a loaded policy.
#include "runtime/policy_index.hpp"

#include "runtime/fact_schema.hpp"

namespace warden::runtime {

std::shared_ptr<const PolicyIndex> PolicyIndex::build(std::shared_ptr<const table::Program> program,
                                                      std::uint64_t fingerprint) {
  auto ix = std::make_shared<PolicyIndex>();
  const table::Program& p = *program;
  auto name = [&](table::Id id) { return std::string_view(p.strings[id]); };
  for (table::Id i = 0; i < p.principals.size(); ++i) ix->principals.emplace(name(p.principals[i].name), i);
  ix->actions.resize(p.resources.size());
  for (table::Id i = 0; i < p.resources.size(); ++i) {
    const table::ResourceTypeRow& r = p.resources[i];
    ix->resources.emplace(name(r.name), i);
    for (table::Id a = 0; a < r.actions.count; ++a) ix->actions[i].emplace(name(p.action_names[r.actions.begin + a]), a);
  }
  for (table::Id e = 0; e < p.endpoints.size(); ++e) {
    const table::EndpointRow& row = p.endpoints[e];
    // The path a request must have: "/" and the segments joined by "/".
    std::string path(row.segments.count == 0 ? 1 : 0, '/');
    bool literal = true;
    for (std::uint32_t i = 0; i < row.segments.count && literal; ++i) {
      const table::SegmentRow& seg = p.segments[row.segments.begin + i];
      literal = seg.kind == table::SegmentRow::Kind::Literal;
      path.push_back('/');
      if (literal) path.append(p.strings[seg.text]);
    }
    if (!literal) continue;
    auto it = ix->static_routes.find(std::string_view(path));
    if (it == ix->static_routes.end()) {
      ix->static_paths.push_back(std::make_unique<std::string>(path));
      std::array<table::Id, table::kMethodCount> none;
      none.fill(table::kNone);
      it = ix->static_routes.emplace(std::string_view(*ix->static_paths.back()), none).first;
    }
    for (std::size_t m = 0; m < table::kMethodCount; ++m) {
      const bool serves = row.any_method || (row.methods >> m) & 1u;
      if (serves && it->second[m] == table::kNone) it->second[m] = e;
    }
  }
  ix->principal_builtin.reserve(p.paths.size());
  for (const table::PathRow& path : p.paths) {
    // The compiler writes a path's text as the root and its names joined by dots.
    const std::string_view text = path.text < p.strings.size() ? p.strings[path.text] : std::string_view();
    const bool single = path.root == table::EntityKind::Principal && path.rest.count == 0;
    ix->principal_builtin.push_back(!single                        ? table::kNone
                                    : text == "principal.id"      ? table::kAttrId
                                    : text == "principal.tenant"  ? table::kAttrTenant
                                                                  : table::kNone);
  }
  ix->builtin_string.builtin = 1;
  ix->fact_schema = build_fact_schema(p);
  ix->fingerprint = fingerprint;
  ix->program = std::move(program);
  return ix;
}

}  // namespace warden::runtime
