// The full explanation trace of a decision: every step the evaluator took.
//
// Part of the public API (include/warden/). A Decision always carries its
// summary (decision.hpp); the trace is filled only when one is passed to
// Engine::decide(), and costs nothing otherwise. Rendered as text or JSON by
// explain.hpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace warden {

struct TraceEvent {
  enum class Kind : std::uint8_t { Step, Rule, Grant, Membership, Scope, Tenant, Route, Role } kind = Kind::Step;
  std::string text;  // one line: "rule `viewers` (rules.warden:12:7): allow matched: role `viewer` held via `admin`"
};

struct Trace {
  std::vector<TraceEvent> events;
};

}  // namespace warden
