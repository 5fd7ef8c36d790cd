// Pass 4: check_endpoints — resolve and check the HTTP endpoints.
//
// Must run after close_hierarchies (scopes and resource types are final) and
// check_http (the default callers). Per endpoint: E0201 for an unknown
// required scope (its own or its group's), E0203/E0204/E0310 for the action,
// E0208 for an id part naming no `{param}` of the pattern or a parameter
// declared twice, the bindings (endpoint_values.cpp), E0304 for no guard at
// all, E0315 for `public` with requirements, callers, bindings, denies or a
// group, W0405 for scopes required where no API-key caller is admitted. The
// effective callers are the endpoint's, else its group's, else the `http`
// block's. Across endpoints: E0305 for two endpoints sharing a
// method (ANY shares every method) and the same pattern shape, W0401 for two
// that overlap with different requirements, naming the one that wins by the
// precedence of language.md (left to right: literal > {param} > * > **).
#include <algorithm>
#include <tuple>

#include "compiler/passes/pass.hpp"

namespace warden::compiler::passes {
namespace {

using SegKind = Segment::Kind;

MethodMask method_bit(ast::Method m) {
  if (m == ast::Method::Any) return kAnyMethod;
  return static_cast<MethodMask>(1u << static_cast<unsigned>(m));
}

// Whether some path matches both patterns. `**` matches zero or more segments.
bool patterns_overlap(const std::vector<Segment>& a, const std::vector<Segment>& b) {
  for (std::size_t i = 0;; ++i) {
    const bool a_end = i == a.size(), b_end = i == b.size();
    if (a_end && b_end) return true;
    if ((!a_end && a[i].kind == SegKind::DoubleStar) || (!b_end && b[i].kind == SegKind::DoubleStar)) return true;
    if (a_end || b_end) return false;
    if (a[i].kind == SegKind::Literal && b[i].kind == SegKind::Literal && a[i].text != b[i].text) return false;
  }
}

bool same_shape(const std::vector<Segment>& a, const std::vector<Segment>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].kind != b[i].kind) return false;
    if (a[i].kind == SegKind::Literal && a[i].text != b[i].text) return false;
  }
  return true;
}

// Precedence rank of a segment: lower is more specific. The end of a pattern
// ranks between a literal and `**` (an exact `/a` beats `/a/**`).
int rank(const std::vector<Segment>& p, std::size_t i) {
  if (i >= p.size()) return 1;
  switch (p[i].kind) {
    case SegKind::Literal: return 0;
    case SegKind::Param: return 2;
    case SegKind::Star: return 3;
    case SegKind::DoubleStar: return 4;
  }
  return 4;
}

// True when `a` wins over `b` where both match (they differ in shape).
bool wins(const std::vector<Segment>& a, const std::vector<Segment>& b) {
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const int ra = rank(a, i), rb = rank(b, i);
    if (ra != rb) return ra < rb;
  }
  return false;
}

// What an endpoint demands, normalized so that equal demands compare equal
// however they are written.
struct Demand {
  bool is_public = false;
  std::vector<Id> all_of;
  std::vector<std::vector<Id>> any_of;
  std::optional<std::tuple<Id, Id, int, StringId>> action;
  std::uint8_t callers = 0;
  friend bool operator==(const Demand&, const Demand&) = default;
};

Demand demand_of(const Endpoint& e) {
  Demand d;
  d.is_public = e.is_public;
  for (const auto& r : e.requirements) {
    std::vector<Id> scopes = r.scopes;
    std::sort(scopes.begin(), scopes.end());
    scopes.erase(std::unique(scopes.begin(), scopes.end()), scopes.end());
    if (r.kind == ScopeRequirement::Kind::AllOf || scopes.size() == 1) {
      d.all_of.insert(d.all_of.end(), scopes.begin(), scopes.end());
    } else {
      d.any_of.push_back(std::move(scopes));
    }
  }
  std::sort(d.all_of.begin(), d.all_of.end());
  d.all_of.erase(std::unique(d.all_of.begin(), d.all_of.end()), d.all_of.end());
  std::sort(d.any_of.begin(), d.any_of.end());
  d.any_of.erase(std::unique(d.any_of.begin(), d.any_of.end()), d.any_of.end());
  if (e.action) {
    d.action = std::tuple(e.action->resource_type, e.action->action, static_cast<int>(e.action->id.kind),
                          e.action->id.name);
  }
  d.callers = e.callers;
  return d;
}

struct Checked {
  bool ok = true;  // no error in this endpoint: take part in W0401
};

// A group's requirements, resolved once (E0201 reported once per group).
std::vector<ScopeRequirement> resolve_requirements(State& s, const std::vector<ast::Requirement>& reqs, bool& ok) {
  std::vector<ScopeRequirement> out;
  for (const auto& req : reqs) {
    ScopeRequirement r;
    r.kind = req.kind == ast::Requirement::Kind::AnyOf ? ScopeRequirement::Kind::AnyOf : ScopeRequirement::Kind::AllOf;
    r.span = req.span;
    for (const auto& scope : req.scopes) {
      if (auto it = s.scopes.find(scope.text); it != s.scopes.end()) {
        r.scopes.push_back(it->second);
      } else {
        s.report_unknown(Code::E0201, scope.span, "unknown scope " + quoted(scope.text), scope.text, keys(s.scopes));
        ok = false;
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

struct GroupInfo {
  std::vector<ScopeRequirement> requirements;
  bool ok = true;
};

Checked build_endpoint(State& s, const ast::EndpointDecl& decl, Endpoint& e, const std::vector<GroupInfo>& groups) {
  CheckedPolicy& m = s.model;
  Checked result;
  e.span = decl.span;
  e.method_spans = decl.method_spans;
  for (auto method : decl.methods) {
    e.methods |= method_bit(method);
    e.any_method |= method == ast::Method::Any;
  }
  e.pattern = m.strings.intern(decl.pattern.value);
  e.pattern_span = decl.pattern.span;

  std::vector<std::pair<std::string_view, Span>> params;
  for (const auto& seg : decl.segments) {
    Segment out;
    out.kind = static_cast<SegKind>(seg.kind);
    out.text = m.strings.intern(seg.text);
    out.span = seg.span;
    if (seg.kind == ast::PathSegment::Kind::Param) {
      auto previous = std::find_if(params.begin(), params.end(), [&](const auto& p) { return p.first == seg.text; });
      if (previous != params.end()) {
        Diagnostic& d = s.report(Code::E0208, seg.span, "path parameter " + quoted(seg.text) + " is declared twice");
        d.labels.push_back({previous->second, "previous definition here"});
        result.ok = false;
      } else {
        params.emplace_back(seg.text, seg.span);
      }
    }
    e.segments.push_back(out);
  }

  e.requirements = resolve_requirements(s, decl.requirements, result.ok);
  const ast::GroupDecl* group = decl.group < s.ast.groups.size() ? &s.ast.groups[decl.group] : nullptr;
  if (group) {
    e.group = decl.group;
    const GroupInfo& info = groups[decl.group];
    result.ok = result.ok && info.ok;
    e.requirements.insert(e.requirements.end(), info.requirements.begin(), info.requirements.end());
  }
  // The callers: the endpoint's own, else its group's, else the `http` block's.
  const ast::CallersDecl* callers = decl.callers                ? &*decl.callers
                                    : group && group->callers   ? &*group->callers
                                    : !s.ast.https.empty() && s.ast.https[0].callers ? &*s.ast.https[0].callers
                                                                                      : nullptr;
  e.callers = callers ? caller_mask(*callers) : kCallersDefault;

  if (decl.action) {
    const ast::EndpointAction& a = *decl.action;
    EndpointAction out;
    out.span = a.span;
    auto type = s.resources.find(a.resource_type.text);
    if (type == s.resources.end()) {
      if (s.principals.count(a.resource_type.text)) {
        s.report(Code::E0203, a.resource_type.span,
                 quoted(a.resource_type.text) + " is a principal type, not a resource type");
      } else {
        s.report_unknown(Code::E0203, a.resource_type.span, "unknown resource type " + quoted(a.resource_type.text),
                         a.resource_type.text, keys(s.resources));
      }
      result.ok = false;
    } else {
      out.resource_type = type->second;
      const NameIndex& actions = s.actions_of[type->second];
      if (auto it = actions.find(a.action.text); it != actions.end()) {
        out.action = it->second;
      } else {
        const bool elsewhere = s.action_names.count(a.action.text) != 0;
        const std::string owner = quoted(a.resource_type.text);
        Diagnostic& d =
            s.report_unknown(elsewhere ? Code::E0310 : Code::E0204, a.action.span,
                             elsewhere ? "action " + quoted(a.action.text) + " is not declared on resource type " + owner
                                       : "unknown action " + quoted(a.action.text) + " on resource type " + owner,
                             a.action.text, keys(actions));
        d.labels.push_back({a.resource_type.span, "resource type named here"});
        result.ok = false;
      }
    }
    out.id.kind = static_cast<IdSource::Kind>(a.id.kind);
    out.id.span = a.id.span;
    if (!resolve_value_parts(s, a.id.parts, decl, out.id.parts)) result.ok = false;
    if (a.id.kind != ast::IdSource::Kind::None && a.id.kind != ast::IdSource::Kind::Composite && !out.id.parts.empty()) {
      out.id.name = out.id.parts.front().text;
      out.id.segment = out.id.parts.front().segment;
      out.id.parts.clear();  // one part: the kind and name say it all
    }
    e.action = out;
  }

  if (!check_bindings(s, decl, e)) result.ok = false;

  const bool requires_any = !decl.requirements.empty() || (group && !group->requirements.empty());
  if (decl.public_span) {
    e.is_public = true;
    e.public_span = *decl.public_span;
    e.callers = kCallersAll;
    const bool conflict = !decl.requirements.empty() || decl.action || decl.callers || !decl.bindings.empty() ||
                          !decl.denies.empty() || group;
    if (conflict) {
      Diagnostic& d = s.report(Code::E0315, *decl.public_span,
                               "public endpoint " + quoted(endpoint_text(m, e)) + " also has requirements");
      for (const auto& req : decl.requirements) d.labels.push_back({req.span, "requirement given here"});
      if (decl.action) d.labels.push_back({decl.action->span, "action given here"});
      if (decl.callers) d.labels.push_back({decl.callers->span, "callers given here"});
      for (const auto& b : decl.bindings) d.labels.push_back({b.span, "binding given here"});
      for (const auto& r : decl.denies) d.labels.push_back({r.name.span, "deny given here"});
      if (group) d.labels.push_back({group->name.span, "in this group"});
      d.notes.push_back(group ? "help: remove `public;`, or declare the endpoint outside the group"
                              : "help: remove `public;` or the requirements");
      result.ok = false;
    }
  } else if (!requires_any && !decl.action) {
    Diagnostic& d = s.report(Code::E0304, decl.pattern.span,
                             "endpoint " + quoted(endpoint_text(m, e)) + " has no requirement and is not public");
    d.notes.push_back("help: add `requires SCOPE;` or `action ACTION on TYPE;`, or mark it `public;`");
    result.ok = false;
  }
  // Without an action only the scopes decide, and only an API key has
  // scopes: such an endpoint admits keys alone. Admitting others explicitly
  // would let them through unchecked.
  if (!e.is_public && !decl.action) {
    const ast::CallersDecl* own = decl.callers ? &*decl.callers : group && group->callers ? &*group->callers : nullptr;
    if (own && (caller_mask(*own) & ~kCallerKey)) {
      Diagnostic& d = s.report(Code::E0304, own->span,
                               "endpoint " + quoted(endpoint_text(m, e)) +
                                   " admits callers without an API key, but names no action to decide them");
      if (decl.callers == std::nullopt) d.labels.push_back({decl.pattern.span, "endpoint in the group"});
      d.notes.push_back("note: without `action ACTION on TYPE;` only the scopes decide, and only API keys have scopes");
      d.notes.push_back("help: add an action, or admit `key` callers only");
      result.ok = false;
    } else if (!(e.callers & kCallerKey)) {
      Diagnostic& d = s.report(Code::E0304, decl.pattern.span,
                               "endpoint " + quoted(endpoint_text(m, e)) + " admits no caller: it names no action, so " +
                                   "only API keys can be decided, and the `http` block admits none");
      d.notes.push_back("help: add an action, or admit `key` callers");
      result.ok = false;
    }
    e.callers &= kCallerKey;
  }
  if (!e.is_public && decl.action && requires_any && !(e.callers & kCallerKey)) {
    const Span at = !decl.requirements.empty() ? decl.requirements.front().span : group->requirements.front().span;
    Diagnostic& d = s.report(Code::W0405, at,
                             "scope requirement has no effect: endpoint " + quoted(endpoint_text(m, e)) +
                                 " admits no API-key caller");
    if (callers) d.labels.push_back({callers->span, "callers declared here"});
    d.notes.push_back("note: scopes are what an API key holds; session and anonymous callers are decided by the rules");
  }
  return result;
}

}  // namespace

void check_endpoints(State& s) {
  CheckedPolicy& m = s.model;
  std::vector<GroupInfo> groups;
  for (const auto& g : s.ast.groups) {
    GroupInfo info;
    info.requirements = resolve_requirements(s, g.requirements, info.ok);
    groups.push_back(std::move(info));
  }
  std::vector<Checked> checked;
  for (const auto& decl : s.ast.endpoints) {
    Endpoint e;
    checked.push_back(build_endpoint(s, decl, e, groups));
    m.endpoints.push_back(std::move(e));
  }

  std::vector<Demand> demands;
  for (const auto& e : m.endpoints) demands.push_back(demand_of(e));
  for (std::size_t j = 1; j < m.endpoints.size(); ++j) {
    const Endpoint& later = m.endpoints[j];
    for (std::size_t i = 0; i < j; ++i) {
      const Endpoint& earlier = m.endpoints[i];
      const MethodMask shared = static_cast<MethodMask>(earlier.methods & later.methods);
      if (shared == 0 || !patterns_overlap(earlier.segments, later.segments)) continue;
      const bool any = earlier.any_method && later.any_method;
      const std::string shared_text = methods_text(shared, any);
      if (same_shape(earlier.segments, later.segments)) {
        Diagnostic& d = s.report(Code::E0305, later.pattern_span,
                                 "duplicate endpoint " + quoted(shared_text + " " + m.str(later.pattern)));
        d.labels.push_back({earlier.pattern_span, "previous definition here"});
        if (earlier.pattern != later.pattern) {
          d.notes.push_back("note: " + quoted(m.str(earlier.pattern)) + " and " + quoted(m.str(later.pattern)) +
                            " have the same shape; parameter names do not distinguish endpoints");
        }
        continue;
      }
      if (!checked[i].ok || !checked[j].ok || demands[i] == demands[j]) continue;
      const bool later_wins = wins(later.segments, earlier.segments);
      const Endpoint& winner = later_wins ? later : earlier;
      const Endpoint& loser = later_wins ? earlier : later;
      Diagnostic& d = s.report(Code::W0401, loser.pattern_span,
                               "endpoints " + quoted(shared_text + " " + m.str(loser.pattern)) + " and " +
                                   quoted(shared_text + " " + m.str(winner.pattern)) +
                                   " overlap with different requirements; " + quoted(m.str(winner.pattern)) +
                                   " wins where both match");
      d.labels.push_back({winner.pattern_span, "this endpoint wins by precedence"});
      d.notes.push_back(
          "note: the most specific pattern wins, compared segment by segment from the left: a literal beats "
          "`{param}`, which beats `*`, which beats `**`");
    }
  }
}

}  // namespace warden::compiler::passes
