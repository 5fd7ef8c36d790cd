// The machine-readable explanation of a decision and of a trace (see
// warden/explain.hpp): one line, stable key order, every key present.
#include "runtime_io/rule_refs_json.hpp"
#include "support/json_writer.hpp"
#include "warden/explain.hpp"

namespace warden {
namespace {

void write_trace(json::Writer& w, const Trace& t) {
  w.begin_array();
  for (const auto& e : t.events) {
    w.begin_object().field("kind", trace_kind_name(e.kind)).field("text", e.text).end_object();
  }
  w.end_array();
}

}  // namespace

void write_rule_refs(json::Writer& w, const Decision& d) {
  w.key("rules").begin_array();
  for (std::uint8_t i = 0; i < d.rule_count && i < Decision::kMaxRules; ++i) {
    const RuleRef& r = d.rules[i];
    w.begin_object().field("name", r.name.view()).field("effect", r.deny ? "deny" : "allow");
    w.field("monitor", r.monitor).field("file", r.file.view());
    w.key("line").unsigned_integer(r.line).key("column").unsigned_integer(r.column).end_object();
  }
  w.end_array();
}

void append_decision_json(std::string& out, const Decision& d, const Trace* trace) {
  json::Writer w(out);
  w.begin_object();
  w.field("outcome", outcome_name(d.outcome)).field("allowed", d.allowed());
  w.field("code", d.code.view()).field("message", d.message.view()).field("hint", d.hint.view());
  w.field("required", d.required.view()).field("present", d.present.view());
  write_rule_refs(w, d);
  w.field("source", source_kind_name(d.source)).field("source_detail", d.source_detail.view());
  w.field("grant_id", d.grant_id.view()).field("endpoint", d.endpoint.view()).field("action", d.action.view());
  w.field("resource_type", d.resource_type.view()).field("resource_id", d.resource_id.view());
  w.field("principal", d.principal.view()).field("tenant", d.tenant.view()).field("request_id", d.request_id.view());
  w.field("policy_fingerprint", fingerprint_hex(d.policy_fingerprint));
  w.key("facts_version").unsigned_integer(d.facts_version);
  if (trace) {
    w.key("trace");
    write_trace(w, *trace);
  }
  w.end_object();
}

std::string decision_json(const Decision& d, const Trace* trace) {
  std::string out;
  append_decision_json(out, d, trace);
  return out;
}

void append_trace_json(std::string& out, const Trace& t) {
  json::Writer w(out);
  write_trace(w, t);
}

std::string trace_json(const Trace& t) {
  std::string out;
  append_trace_json(out, t);
  return out;
}

}  // namespace warden
