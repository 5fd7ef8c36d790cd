// A small, strict JSON reader for the runtime's inputs (facts, requests).
//
// Pipeline position: support/, below runtime/ and cli/. Text in, a DOM out:
// null, bool, int64 or double numbers, UTF-8 strings, arrays and objects that
// keep their key order. Every value records the 1-based line and column
// (in bytes) where it starts, so input errors can point at it.
//
// Strict on purpose (RFC 8259, nothing more): no comments, no trailing commas,
// no single quotes, no NaN, no byte order mark, no raw control characters or
// invalid UTF-8 in strings, no lone UTF-16 surrogates, no duplicate keys, no
// trailing garbage. Nesting depth and input size are capped. parse() never
// throws: it returns a value or an error {message, line, column}.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace warden::json {

struct Member;

class Value {
 public:
  enum class Kind : std::uint8_t { Null, Bool, Int, Double, String, Array, Object };

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::Null; }
  bool is_bool() const { return kind_ == Kind::Bool; }
  bool is_int() const { return kind_ == Kind::Int; }
  bool is_double() const { return kind_ == Kind::Double; }
  bool is_number() const { return kind_ == Kind::Int || kind_ == Kind::Double; }
  bool is_string() const { return kind_ == Kind::String; }
  bool is_array() const { return kind_ == Kind::Array; }
  bool is_object() const { return kind_ == Kind::Object; }

  // Accessors; each is only meaningful for its kind (others give a default).
  bool as_bool() const { return boolean_; }
  std::int64_t as_int() const { return integer_; }
  double as_double() const { return kind_ == Kind::Int ? static_cast<double>(integer_) : real_; }
  const std::string& as_string() const { return text_; }
  const std::vector<Value>& items() const { return items_; }
  const std::vector<Member>& members() const { return members_; }

  // The member named `key` of an object, or nullptr.
  const Value* find(std::string_view key) const;

  // Where the value starts: 1-based line and column, in bytes.
  std::uint32_t line() const { return line_; }
  std::uint32_t column() const { return column_; }

  // "null", "boolean", "integer", "number", "string", "array", "object".
  static const char* kind_name(Kind k);

 private:
  friend class Parser;
  Kind kind_ = Kind::Null;
  bool boolean_ = false;
  std::int64_t integer_ = 0;
  double real_ = 0;
  std::uint32_t line_ = 0;
  std::uint32_t column_ = 0;
  std::string text_;
  std::vector<Value> items_;
  std::vector<Member> members_;
};

struct Member {
  std::string key;
  std::uint32_t line = 0;  // where the key starts
  std::uint32_t column = 0;
  Value value;
};

struct Error {
  std::string message;  // lowercase, no trailing period: "expected `:` after an object key"
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

struct Limits {
  std::size_t max_depth = 64;               // arrays and objects nested deeper are refused
  std::size_t max_size = 64u * 1024 * 1024;  // bytes of input
};

struct Result {
  std::optional<Value> value;  // set exactly when the text was valid
  Error error;
  bool ok() const { return value.has_value(); }
};

// Parse one complete JSON text. Never throws (running out of memory is
// reported as an error too).
Result parse(std::string_view text, const Limits& limits = {}) noexcept;

}  // namespace warden::json
