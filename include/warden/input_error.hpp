// An error in JSON input — a fact file, a fact update, a request — with its
// stable code and its place in the input.
//
// Part of the public API (include/warden/), returned by the readers of
// facts_json.hpp and request_json.hpp. Codes: F01xx for facts, F02xx for
// requests (the last two digits mean the same in both families: F0102 and
// F0202 are both "missing field"), F04xx for facts the policy they are
// loaded under does not know, T01xx for policy test suites; all are
// listed in docs/diagnostics.md. Nothing that reads input throws for bad
// input: it returns one of these.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "warden/status.hpp"

namespace warden {

struct InputError {
  std::string code;          // "F0102"
  std::string message;       // lowercase, one line, no trailing period; names in backticks
  std::string file;          // "facts.jsonl"; empty for input without a name
  std::uint32_t line = 0;    // 1-based; 0 when not about one place
  std::uint32_t column = 0;  // 1-based byte column; 0 when unknown
  // A finding reported without refusing the input (F04xx read with
  // FactsCheck::Warn, facts_json.hpp).
  bool warning = false;
};

// `file:line:col: error[F0102]: message` (the location parts that are known;
// `warning[…]` for a warning).
std::string format_error(const InputError& e);

// Findings of which only the first `kept.size()` of `total` were kept
// (facts_json.hpp): one format_error() line each, then
// "… N more not shown" when some were dropped. Empty for none.
std::string format_findings(const std::vector<InputError>& kept, std::size_t total);

// As an Engine Status (code, message with the file name, line).
Status to_status(const InputError& e);

}  // namespace warden
