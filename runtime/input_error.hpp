// Errors in runtime input — fact files, fact updates and requests — with a
// stable code and the place in the input.
//
// Pipeline position: runtime/ I/O (library warden_runtime_io), between the
// files an operator hands to `warden eval` / a service and the Engine. Codes:
// F01xx for facts, F02xx for requests; the last two digits mean the same in
// both families (F0102 and F0202 are both "missing field"). Fact *changes*
// the Engine refuses (F03xx) come from the Engine itself. The table below is
// the one list of these codes; docs/facts.md documents them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "warden/engine.hpp"

namespace warden::runtime {

struct InputCodes {
  const char* unreadable;     // xx00: the file cannot be read
  const char* invalid_json;   // xx01
  const char* missing_field;  // xx02
  const char* wrong_type;     // xx03
  const char* unknown_field;  // xx04
  const char* unknown_kind;   // xx05: facts only (record kind)
  const char* invalid_time;   // xx06
  const char* duplicate;      // xx07: facts only (record given twice)
  const char* invalid_value;  // xx08: empty id, bad address or encoding, unknown `op`, …
  const char* conflict;       // xx09: fields that exclude each other
};

inline constexpr InputCodes kFactCodes{"F0100", "F0101", "F0102", "F0103", "F0104",
                                       "F0105", "F0106", "F0107", "F0108", "F0109"};
inline constexpr InputCodes kRequestCodes{"F0200", "F0201", "F0202", "F0203", "F0204",
                                          "F0205", "F0206", "F0207", "F0208", "F0209"};

struct InputError {
  std::string code;     // "F0102"
  std::string message;  // lowercase, one line, no trailing period; names in backticks
  std::string file;     // "facts.jsonl"; empty for input without a name
  std::uint32_t line = 0;    // 1-based; 0 when not about one place
  std::uint32_t column = 0;  // 1-based byte column; 0 when unknown
};

// `file:line:col: error[F0102]: message` (the location parts that are known).
std::string format_error(const InputError& e);

// As an Engine Status (code, message with the file name, line).
Status to_status(const InputError& e);

}  // namespace warden::runtime
