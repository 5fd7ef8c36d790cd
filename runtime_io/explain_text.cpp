// The human-readable explanation of a decision and of a trace (see
// warden/explain.hpp).
#include <cinttypes>
#include <cstdio>

#include "warden/explain.hpp"

namespace warden {
namespace {

// `  label:      value` with the values aligned.
void line(std::string& out, std::string_view label, std::string_view value) {
  if (value.empty()) return;
  constexpr std::size_t kWidth = 12;
  out += "  ";
  out += label;
  out += ':';
  out.append(label.size() + 1 < kWidth ? kWidth - label.size() - 1 : 1, ' ');
  out += value;
  out += '\n';
}

std::string rule_text(const RuleRef& r) {
  std::string s = r.deny ? "deny `" : "allow `";
  s += r.name.view();
  s += '`';
  if (!r.file.empty()) {
    s += " at ";
    s += r.file.view();
    s += ':' + std::to_string(r.line) + ':' + std::to_string(r.column);
  }
  if (r.monitor) s += " (monitor)";
  return s;
}

std::string source_text(const Decision& d) {
  // "team-grant: team `ml`", but "scope `model:read`" rather than
  // "scope: scope `model:read`" when the detail already names the kind.
  std::string s;
  const std::string_view kind = d.source != SourceKind::None ? source_kind_name(d.source) : "";
  const std::string_view detail = d.source_detail.view();
  if (!kind.empty() && !(detail.size() > kind.size() && detail.substr(0, kind.size()) == kind &&
                         detail[kind.size()] == ' ')) {
    s = kind;
  }
  if (!detail.empty()) {
    if (!s.empty()) s += ": ";
    s += detail;
  }
  // A deny has no source but may name a grant (the expired one of
  // GRANT_EXPIRED): explain_text() prints it on a line of its own.
  if (!d.grant_id.empty() && !s.empty()) {
    s += ' ';
    s += "(grant `";
    s += d.grant_id.view();
    s += "`)";
  }
  return s;
}

std::string action_text(const Decision& d) {
  std::string s(d.action.view());
  if (d.resource_type.empty()) return s;
  s += s.empty() ? "" : " on ";
  s += d.resource_type.view();
  if (!d.resource_id.empty()) {
    s += " `";
    s += d.resource_id.view();
    s += '`';
  }
  return s;
}

}  // namespace

std::string fingerprint_hex(std::uint64_t fingerprint) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, fingerprint);
  return buf;
}

const char* trace_kind_name(TraceEvent::Kind k) {
  switch (k) {
    case TraceEvent::Kind::Step: return "step";
    case TraceEvent::Kind::Rule: return "rule";
    case TraceEvent::Kind::Grant: return "grant";
    case TraceEvent::Kind::Membership: return "membership";
    case TraceEvent::Kind::Scope: return "scope";
    case TraceEvent::Kind::Tenant: return "tenant";
    case TraceEvent::Kind::Route: return "route";
    case TraceEvent::Kind::Role: return "role";
  }
  return "step";
}

std::string explain_text(const Decision& d) {
  std::string out = outcome_name(d.outcome);
  if (!d.code.empty()) {
    out += ' ';
    out += d.code.view();
  }
  out += '\n';
  line(out, "message", d.message);
  line(out, "hint", d.hint);
  line(out, "required", d.required);
  line(out, "present", d.present);
  for (std::uint8_t i = 0; i < d.rule_count && i < Decision::kMaxRules; ++i) line(out, "rule", rule_text(d.rules[i]));
  line(out, "source", source_text(d));
  if (d.source == SourceKind::None && d.source_detail.empty() && !d.grant_id.empty()) {
    line(out, "grant", "`" + std::string(d.grant_id.view()) + "`");
  }
  line(out, "endpoint", d.endpoint);
  // The path as received and as routed, when they differ.
  if (!d.raw_path.empty()) {
    std::string path(d.raw_path.view());
    if (d.path.empty()) path += " (refused)";
    else if (d.path.view() != d.raw_path.view()) path += " -> " + std::string(d.path.view());
    line(out, "path", path);
  }
  line(out, "action", action_text(d));
  line(out, "principal", d.principal);
  line(out, "caller", caller_kind_name(d.caller));
  line(out, "client ip", d.client_ip);
  line(out, "tenant", d.tenant);
  line(out, "request id", d.request_id);
  line(out, "policy", fingerprint_hex(d.policy_fingerprint));
  line(out, "facts", "version " + std::to_string(d.facts_version));
  return out;
}

std::string trace_text(const Trace& t) {
  std::string out;
  for (const auto& e : t.events) {
    out += '[';
    out += trace_kind_name(e.kind);
    out += "] ";
    out += e.text;
    out += '\n';
  }
  return out;
}

}  // namespace warden
