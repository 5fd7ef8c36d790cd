// Test coverage of rules, endpoints and denial codes (see coverage.hpp).
#include "policy_test/coverage.hpp"

#include "views/render.hpp"

namespace warden::policy_test {
namespace {

bool has_scope_requirement(const table::Program& p, const table::EndpointRow& e) {
  return e.any_of.count > 0 || !views::bit_members(p, e.all_of).empty();
}

bool uses_grants(const table::Program& p) {
  for (const auto& pred : p.predicates) {
    if (pred.kind == table::SubjectKind::Grant) return true;
  }
  return false;
}

bool can_fail_to_evaluate(const table::Program& p) {
  for (const auto& rule : p.rules) {
    if (rule.when.count || rule.unless.count) return true;
    if (p.predicates[rule.subject].path != table::kNone) return true;
  }
  return false;
}

// Whether a request can fail an endpoint's bindings (INVALID_BINDING): an id
// taken from the query, a header or the body can be missing, and a query
// parameter can be given twice (a suite's headers and body are JSON
// objects, whose names are unique).
bool takes_request_values(const table::Program& p, const table::EndpointRow& e) {
  auto has = [&](table::Range parts, bool any_source) {
    for (std::uint32_t i = 0; i < parts.count; ++i) {
      const auto kind = p.value_parts[parts.begin + i].kind;
      if (kind == table::ValuePartRow::Kind::Query) return true;
      if (any_source && (kind == table::ValuePartRow::Kind::Header || kind == table::ValuePartRow::Kind::Body)) return true;
    }
    return false;
  };
  if (e.id_kind == table::EndpointRow::IdKind::Query || e.id_kind == table::EndpointRow::IdKind::Header ||
      e.id_kind == table::EndpointRow::IdKind::Body) {
    return true;
  }
  if (e.id_kind == table::EndpointRow::IdKind::Composite && has(e.id_parts, true)) return true;
  for (std::uint32_t k = 0; k < e.bindings.count; ++k) {
    if (has(p.bindings[e.bindings.begin + k].parts, false)) return true;
  }
  return false;
}

// The endpoint a decision was routed to: its `endpoint` field reads
// "METHOD pattern" once routing succeeded.
table::Id routed_endpoint(const table::Program& p, const Decision& d) {
  const std::string_view text = d.endpoint.view();
  const auto space = text.find(' ');
  if (space == std::string_view::npos || d.code.view() == "NO_MATCHING_ENDPOINT" || d.code.view() == "INVALID_PATH") {
    return table::kNone;
  }
  const std::string_view method = text.substr(0, space), pattern = text.substr(space + 1);
  for (table::Id i = 0; i < p.endpoints.size(); ++i) {
    const table::EndpointRow& e = p.endpoints[i];
    if (p.str(e.pattern) != pattern) continue;
    for (std::size_t m = 0; m < table::kMethodCount; ++m) {
      if ((e.methods >> m & 1u) && method == views::method_name(static_cast<table::Method>(m))) return i;
    }
  }
  return table::kNone;
}

}  // namespace

void observe(const table::Program& program, const Decision& d, Observed& out) {
  for (std::uint8_t i = 0; i < d.rule_count && i < Decision::kMaxRules; ++i) out.rules.insert(d.rules[i].name.str());
  if (d.outcome != Outcome::Allow && !d.code.empty()) out.codes.insert(d.code.str());
  if (const table::Id e = routed_endpoint(program, d); e != table::kNone) out.endpoints.insert(e);
}

std::vector<ApplicableCode> applicable_codes(const table::Program& p) {
  std::vector<ApplicableCode> out;
  auto add = [&](const std::string& code, const std::string& reason) {
    for (auto& c : out) {
      if (c.code == code) {
        if (c.reason.find(reason) == std::string::npos) c.reason += ", " + reason;
        return;
      }
    }
    out.push_back({code, reason});
  };
  for (const auto& rule : p.rules) {
    if (rule.effect == table::Effect::Deny) add(p.str(rule.code), "rule `" + p.str(rule.name) + "`");
  }
  bool scopes_required = false;
  for (const auto& e : p.endpoints) scopes_required = scopes_required || has_scope_requirement(p, e);
  if (scopes_required) add("SCOPE_MISSING", "built-in: endpoints require scopes");
  if (!p.endpoints.empty()) {
    add("NO_MATCHING_ENDPOINT", "built-in: the policy routes endpoints");
    add("INVALID_PATH", "built-in: the policy routes endpoints, so paths are normalized");
  }
  for (const auto& e : p.endpoints) {
    if (e.is_public) continue;
    if (!(e.callers & table::kCallerAnonymous)) add("UNAUTHENTICATED", "built-in: endpoints want credentials");
    if ((e.callers & (table::kCallerSession | table::kCallerKey)) != (table::kCallerSession | table::kCallerKey)) {
      add("CALLER_NOT_ALLOWED", "built-in: endpoints admit some kinds of callers only");
    }
    if (takes_request_values(p, e)) add("INVALID_BINDING", "built-in: endpoints take values from the request");
  }
  if (p.tenancy.isolation) add("TENANT_MISMATCH", "built-in: tenant isolation is on");
  if (!p.scopes.empty()) {
    for (const char* code : {"KEY_UNKNOWN", "KEY_REVOKED", "KEY_EXPIRED", "KEY_PRINCIPAL_MISMATCH"}) {
      add(code, "built-in: the policy declares scopes, so API keys are checked");
    }
  }
  if (!p.action_names.empty()) add("PERMISSION_DENIED", "built-in: default deny");
  if (uses_grants(p)) {
    add("GRANT_EXPIRED", "built-in: rules use grants");
    add("GRANT_REVOKED", "built-in: rules use grants");
  }
  if (can_fail_to_evaluate(p)) add("EVAL_ERROR", "built-in: rules read attributes");
  return out;
}

std::size_t PolicyCoverage::gaps() const {
  std::size_t n = 0;
  for (const auto* items : {&rules, &endpoints, &codes}) {
    for (const auto& item : *items) n += !item.covered;
  }
  return n;
}

PolicyCoverage coverage(const table::Program& p, std::string_view location, const std::string& display,
                        const Observed& observed) {
  PolicyCoverage out;
  out.policy = display;
  for (const auto& rule : p.rules) {
    out.rules.push_back({p.str(rule.name), views::source_location(p, location, rule.loc), observed.rules.count(p.str(rule.name)) > 0});
  }
  for (table::Id i = 0; i < p.endpoints.size(); ++i) {
    const table::EndpointRow& e = p.endpoints[i];
    out.endpoints.push_back(
        {views::methods_text(e) + " " + p.str(e.pattern), views::source_location(p, location, e.loc), observed.endpoints.count(i) > 0});
  }
  for (const auto& c : applicable_codes(p)) out.codes.push_back({c.code, c.reason, observed.codes.count(c.code) > 0});
  return out;
}

}  // namespace warden::policy_test
