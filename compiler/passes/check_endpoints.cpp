// Pass 4: check_endpoints — resolve and check the HTTP endpoints.
//
// Must run after close_hierarchies (scopes and resource types are final).
// Per endpoint: E0201 for an unknown required scope, E0203/E0204/E0310 for the
// action, E0208 for an id source naming no `{param}` of the pattern or a
// parameter declared twice, E0304 for no guard at all, E0315 for `public`
// with requirements. Across endpoints: E0305 for two endpoints sharing a
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
  return d;
}

struct Checked {
  bool ok = true;  // no error in this endpoint: take part in W0401
};

Checked build_endpoint(State& s, const ast::EndpointDecl& decl, Endpoint& e) {
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

  for (const auto& req : decl.requirements) {
    ScopeRequirement out;
    out.kind = req.kind == ast::Requirement::Kind::AnyOf ? ScopeRequirement::Kind::AnyOf : ScopeRequirement::Kind::AllOf;
    out.span = req.span;
    for (const auto& scope : req.scopes) {
      if (auto it = s.scopes.find(scope.text); it != s.scopes.end()) {
        out.scopes.push_back(it->second);
      } else {
        s.report_unknown(Code::E0201, scope.span, "unknown scope " + quoted(scope.text), scope.text, keys(s.scopes));
        result.ok = false;
      }
    }
    e.requirements.push_back(std::move(out));
  }

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
    if (a.id.kind != ast::IdSource::Kind::None) out.id.name = m.strings.intern(a.id.name);
    if (a.id.kind == ast::IdSource::Kind::PathParam) {
      for (std::size_t i = 0; i < decl.segments.size(); ++i) {
        if (decl.segments[i].kind == ast::PathSegment::Kind::Param && decl.segments[i].text == a.id.name) {
          out.id.segment = static_cast<Id>(i);
          break;
        }
      }
      if (out.id.segment == kNone) {
        std::vector<std::string_view> names;
        for (const auto& p : params) names.push_back(p.first);
        Diagnostic& d = s.report_unknown(Code::E0208, a.id.span, "unknown path parameter " + quoted(a.id.name),
                                         a.id.name, names);
        d.labels.push_back({decl.pattern.span, names.empty() ? "this pattern has no `{param}`"
                                                              : "parameters are declared in this pattern"});
        result.ok = false;
      }
    }
    e.action = out;
  }

  if (decl.public_span) {
    e.is_public = true;
    e.public_span = *decl.public_span;
    if (!decl.requirements.empty() || decl.action) {
      Diagnostic& d = s.report(Code::E0315, *decl.public_span,
                               "public endpoint " + quoted(endpoint_text(m, e)) + " also has requirements");
      for (const auto& req : decl.requirements) d.labels.push_back({req.span, "requirement given here"});
      if (decl.action) d.labels.push_back({decl.action->span, "action given here"});
      d.notes.push_back("help: remove `public;` or the requirements");
      result.ok = false;
    }
  } else if (decl.requirements.empty() && !decl.action) {
    Diagnostic& d = s.report(Code::E0304, decl.pattern.span,
                             "endpoint " + quoted(endpoint_text(m, e)) + " has no requirement and is not public");
    d.notes.push_back("help: add `requires SCOPE;` or `action ACTION on TYPE;`, or mark it `public;`");
    result.ok = false;
  }
  return result;
}

}  // namespace

void check_endpoints(State& s) {
  CheckedPolicy& m = s.model;
  std::vector<Checked> checked;
  for (const auto& decl : s.ast.endpoints) {
    Endpoint e;
    checked.push_back(build_endpoint(s, decl, e));
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
