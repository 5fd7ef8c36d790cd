// The codes of one family of JSON input errors, by what went wrong.
//
// Internal to runtime_io/ (and the suite reader of policy_test/, which shares
// the shape): a reader is given the family it reports in — facts (F01xx),
// requests (F02xx), test suites (T01xx) — and picks the code by kind, so the
// last two digits mean the same in every family.
#pragma once

namespace warden::runtime_io {

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

}  // namespace warden::runtime_io
