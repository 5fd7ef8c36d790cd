// Strict reading of fields from a parsed JSON object, for the fact and
// request readers.
//
// Internal to runtime_io/. A FieldReader knows what it reads ("grant",
// "request"), which code family to report with and where the object sits in
// its file (JSONL parses one line at a time, so value lines are shifted by the
// line's position). Every helper returns false after recording exactly one
// error; callers stop at the first one.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime_io/input_codes.hpp"
#include "support/json.hpp"
#include "warden/input_error.hpp"

namespace warden::runtime_io {

class FieldReader {
 public:
  FieldReader(const InputCodes& codes, std::string_view file, std::uint32_t line_offset, InputError& error)
      : codes_(codes), file_(file), line_offset_(line_offset), error_(error) {}

  const InputCodes& codes() const { return codes_; }

  // Record an error at a value (or at a member's key) and return false.
  bool fail(Code code, std::string message, const json::Value& at);
  bool fail_at(Code code, std::string message, std::uint32_t line, std::uint32_t column);
  // An invalid-JSON error from json::parse.
  bool fail_json(const json::Error& e);

  // `value` must be an object (of `what`).
  bool object(const json::Value& value, std::string_view what);
  // `name` must be present in `object`.
  bool require(const json::Value& object, std::string_view what, std::string_view name);
  // An unknown member; `known` feeds the "did you mean" suggestion.
  bool unknown(const json::Member& m, std::string_view what, std::initializer_list<std::string_view> known);

  // Typed members. `non_empty` refuses "" with invalid_value.
  bool string(const json::Member& m, std::string_view what, std::string& out, bool non_empty = false);
  bool boolean(const json::Member& m, std::string_view what, bool& out);
  // RFC 3339 text or Unix seconds; null leaves `out` empty.
  bool time(const json::Member& m, std::string_view what, std::optional<std::int64_t>& out);
  // An array of non-empty strings.
  bool strings(const json::Member& m, std::string_view what, std::vector<std::string>& out);

  // "field `level` of grant must be a string, not an integer"
  bool wrong_type(const json::Member& m, std::string_view what, std::string_view expected);

 private:
  const InputCodes& codes_;
  std::string_view file_;
  std::uint32_t line_offset_;
  InputError& error_;
};

// "a string", "an integer", "null", … for messages.
const char* a_kind(json::Value::Kind k);

// "`x`" with the text shortened to a readable length.
std::string ticked(std::string_view text);

}  // namespace warden::runtime_io
