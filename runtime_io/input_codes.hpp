// The codes a JSON reader reports, by what went wrong, for one family of
// input: facts (F01xx), requests (F02xx), test suites (T01xx).
//
// Internal to runtime_io/ (and the suite reader of policy_test/, which shares
// the field readers). The codes themselves live in the one code table
// (support/diagnostic_codes.def); the last two digits mean the same in every
// family. What only one family can report (an unknown record kind, a record
// given twice, fields that exclude each other, an unreadable file) is named
// by its reader directly.
#pragma once

#include "support/diagnostic.hpp"

namespace warden::runtime_io {

struct InputCodes {
  Code invalid_json;   // xx01
  Code missing_field;  // xx02
  Code wrong_type;     // xx03
  Code unknown_field;  // xx04
  Code invalid_time;   // xx06
  Code invalid_value;  // xx08: empty id, bad address or encoding, unknown `op`, …
};

inline constexpr InputCodes kFactCodes{Code::F0101, Code::F0102, Code::F0103, Code::F0104, Code::F0106, Code::F0108};
inline constexpr InputCodes kRequestCodes{Code::F0201, Code::F0202, Code::F0203, Code::F0204, Code::F0206, Code::F0208};
// Suites hold no times of their own (a request's time is the request's,
// F0206): a time read from a suite would be an invalid value.
inline constexpr InputCodes kSuiteCodes{Code::T0101, Code::T0102, Code::T0103, Code::T0104, Code::T0108, Code::T0108};

}  // namespace warden::runtime_io
