// An error in JSON input — a fact file, a fact update, a request — with its
// stable code and its place in the input.
//
// Part of the public API (include/warden/), returned by the readers of
// facts_json.hpp and request_json.hpp. Codes: F01xx for facts, F02xx for
// requests (the last two digits mean the same in both families: F0102 and
// F0202 are both "missing field"), T01xx for policy test suites; all are
// listed in docs/diagnostics.md. Nothing that reads input throws for bad
// input: it returns one of these.
#pragma once

#include <cstdint>
#include <string>

#include "warden/status.hpp"

namespace warden {

struct InputError {
  std::string code;          // "F0102"
  std::string message;       // lowercase, one line, no trailing period; names in backticks
  std::string file;          // "facts.jsonl"; empty for input without a name
  std::uint32_t line = 0;    // 1-based; 0 when not about one place
  std::uint32_t column = 0;  // 1-based byte column; 0 when unknown
};

// `file:line:col: error[F0102]: message` (the location parts that are known).
std::string format_error(const InputError& e);

// As an Engine Status (code, message with the file name, line).
Status to_status(const InputError& e);

}  // namespace warden
