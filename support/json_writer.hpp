// Writing JSON: string escaping and a small streaming writer.
//
// Pipeline position: support/, used by runtime_io/ (explain_json.cpp) and the CLI to
// produce machine-readable output with a stable key order. The writer appends
// to a caller-owned std::string, so a loop that reuses the string (batch
// evaluation) does not allocate once it has grown. Output is always valid
// JSON: bytes that are not valid UTF-8 (e.g. text cut by a fixed-capacity
// field) are written as U+FFFD.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace warden::json {

// Append `s` quoted and escaped.
void append_string(std::string& out, std::string_view s);

// Append `s` escaped but without the surrounding quotes.
void append_escaped(std::string& out, std::string_view s);

class Value;
// Append a parsed value, compactly, keys in their original order. Doubles
// are written in the shortest form that reads back to the same value.
void append_value(std::string& out, const Value& v);

// A writer for one JSON value. Commas are inserted automatically; the caller
// is responsible for balancing begin/end and for calling key() before each
// value inside an object.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  Writer& begin_object();
  Writer& end_object();
  Writer& begin_array();
  Writer& end_array();
  Writer& key(std::string_view k);
  Writer& string(std::string_view s);
  Writer& integer(std::int64_t n);
  Writer& unsigned_integer(std::uint64_t n);
  Writer& boolean(bool b);
  Writer& null();
  // Pre-rendered JSON, inserted as one value.
  Writer& raw(std::string_view json);

  // Shorthands for a key and its value.
  Writer& field(std::string_view k, std::string_view s) { return key(k).string(s); }
  Writer& field(std::string_view k, const char* s) { return key(k).string(s); }
  Writer& field(std::string_view k, std::int64_t n) { return key(k).integer(n); }
  Writer& field(std::string_view k, bool b) { return key(k).boolean(b); }

 private:
  void separate();

  std::string& out_;
  bool need_comma_ = false;
};

}  // namespace warden::json
