// Rendering decisions and traces for people (text) and tools (JSON).
//
// Part of the public API (include/warden/, library warden_runtime_io), after
// Engine::decide(): `warden eval` prints these, services log them and put
// them in 403 bodies. Pure functions over the public value types
// (decision.hpp, trace.hpp). The JSON
// forms are one line with a stable key order and every key always present,
// so access logs can be diffed and parsed without guessing; the append_*
// forms write into a caller's buffer so a batch loop can reuse it.
#pragma once

#include <string>

#include "warden/decision.hpp"
#include "warden/trace.hpp"

namespace warden {

// Multi-line text:
//   deny SCOPE_MISSING
//     message:    …
//     required:   …
//     rule:       deny `name` at file:line:col
//     …
// Lines for empty fields are left out.
std::string explain_text(const Decision& d);

// {"outcome","allowed","code","message","hint","required","present",
//  "rules":[{"name","effect","monitor","file","line","column"}],
//  "source","source_detail","grant_id","endpoint","action","resource_type",
//  "resource_id","principal","tenant","request_id","policy_fingerprint",
//  "facts_version"} and, when `trace` is given, "trace":[…] last.
void append_decision_json(std::string& out, const Decision& d, const Trace* trace = nullptr);
std::string decision_json(const Decision& d, const Trace* trace = nullptr);

// One line per event: `[kind] text`.
std::string trace_text(const Trace& t);

// [{"kind":"rule","text":"…"},…]
void append_trace_json(std::string& out, const Trace& t);
std::string trace_json(const Trace& t);

// "step", "rule", "grant", "membership", "scope", "tenant", "route", "role".
const char* trace_kind_name(TraceEvent::Kind k);

// A fingerprint as 16 lowercase hex digits.
std::string fingerprint_hex(std::uint64_t fingerprint);

}  // namespace warden
