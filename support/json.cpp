// The strict JSON reader (see json.hpp): a recursive-descent parser whose
// recursion is bounded by Limits::max_depth.
#include "support/json.hpp"

#include <charconv>
#include <cstdio>
#include <new>
#include <string>
#include <unordered_set>

namespace warden::json {

const Value* Value::find(std::string_view key) const {
  for (const auto& m : members_) {
    if (m.key == key) return &m.value;
  }
  return nullptr;
}

const char* Value::kind_name(Kind k) {
  switch (k) {
    case Kind::Null: return "null";
    case Kind::Bool: return "boolean";
    case Kind::Int: return "integer";
    case Kind::Double: return "number";
    case Kind::String: return "string";
    case Kind::Array: return "array";
    case Kind::Object: return "object";
  }
  return "value";
}

class Parser {
 public:
  Parser(std::string_view text, const Limits& limits) : s_(text), limits_(limits) {}

  bool document(Value& out) {
    if (s_.size() > limits_.max_size) {
      return fail_at(0, "input larger than " + std::to_string(limits_.max_size) + " bytes");
    }
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") return fail_at(0, "byte order mark is not allowed");
    skip_ws();
    if (!value(out, 0)) return false;
    skip_ws();
    if (pos_ != s_.size()) return fail_at(pos_, "unexpected " + describe(pos_) + " after the JSON value");
    return true;
  }

  Error error;

 private:
  // Objects with more members than this check duplicates with a hash set.
  static constexpr std::size_t kLinearDuplicateCheck = 16;

  bool at_end() const { return pos_ >= s_.size(); }
  char peek() const { return s_[pos_]; }
  std::uint32_t column_of(std::size_t pos) const { return static_cast<std::uint32_t>(pos - line_start_ + 1); }

  bool fail_at(std::size_t pos, std::string message) {
    error.message = std::move(message);
    error.line = line_;
    error.column = column_of(pos < line_start_ ? line_start_ : pos);
    return false;
  }

  // "end of input", "`x`" or "byte 0x01" for the character at `pos`.
  std::string describe(std::size_t pos) const {
    if (pos >= s_.size()) return "end of input";
    const auto c = static_cast<unsigned char>(s_[pos]);
    if (c >= 0x21 && c < 0x7f) return std::string("`") + static_cast<char>(c) + "`";
    char buf[16];
    std::snprintf(buf, sizeof buf, "byte 0x%02x", c);
    return buf;
  }

  void skip_ws() {
    while (!at_end()) {
      const char c = peek();
      if (c == '\n') {
        ++pos_;
        ++line_;
        line_start_ = pos_;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++pos_;
      } else {
        break;
      }
    }
  }

  void mark(Value& v) const {
    v.line_ = line_;
    v.column_ = column_of(pos_);
  }

  bool value(Value& out, std::size_t depth) {
    mark(out);
    if (at_end()) return fail_at(pos_, "unexpected end of input, expected a value");
    switch (peek()) {
      case '{': return object(out, depth + 1);
      case '[': return array(out, depth + 1);
      case '"':
        out.kind_ = Value::Kind::String;
        return string(out.text_);
      case 't': return literal(out, "true", Value::Kind::Bool, true);
      case 'f': return literal(out, "false", Value::Kind::Bool, false);
      case 'n': return literal(out, "null", Value::Kind::Null, false);
      default:
        if (peek() == '-' || (peek() >= '0' && peek() <= '9')) return number(out);
        return fail_at(pos_, "unexpected " + describe(pos_) + ", expected a value");
    }
  }

  bool literal(Value& out, std::string_view word, Value::Kind kind, bool flag) {
    if (s_.substr(pos_, word.size()) != word) return fail_at(pos_, "unexpected " + describe(pos_) + ", expected a value");
    pos_ += word.size();
    out.kind_ = kind;
    out.boolean_ = flag;
    return true;
  }

  bool depth_ok(std::size_t depth) {
    if (depth <= limits_.max_depth) return true;
    return fail_at(pos_, "nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
  }

  bool array(Value& out, std::size_t depth) {
    if (!depth_ok(depth)) return false;
    out.kind_ = Value::Kind::Array;
    ++pos_;  // [
    skip_ws();
    if (!at_end() && peek() == ']') {
      ++pos_;
      return true;
    }
    for (;;) {
      skip_ws();
      out.items_.emplace_back();
      if (!value(out.items_.back(), depth)) return false;
      skip_ws();
      if (at_end()) return fail_at(pos_, "unexpected end of input, expected `,` or `]`");
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == ']') {
        ++pos_;
        return true;
      }
      return fail_at(pos_, "unexpected " + describe(pos_) + ", expected `,` or `]` after an array element");
    }
  }

  bool object(Value& out, std::size_t depth) {
    if (!depth_ok(depth)) return false;
    out.kind_ = Value::Kind::Object;
    ++pos_;  // {
    skip_ws();
    if (!at_end() && peek() == '}') {
      ++pos_;
      return true;
    }
    std::unordered_set<std::string> seen;  // used once the object is large
    for (;;) {
      skip_ws();
      if (at_end() || peek() != '"') return fail_at(pos_, "unexpected " + describe(pos_) + ", expected a string key");
      Member m;
      m.line = line_;
      m.column = column_of(pos_);
      const std::size_t key_pos = pos_;
      if (!string(m.key)) return false;
      if (is_duplicate(out.members_, m.key, seen)) {
        pos_ = key_pos;
        return fail_at(pos_, "duplicate key `" + printable(m.key) + "`");
      }
      skip_ws();
      if (at_end() || peek() != ':') return fail_at(pos_, "unexpected " + describe(pos_) + ", expected `:` after an object key");
      ++pos_;
      skip_ws();
      out.members_.push_back(std::move(m));
      if (!value(out.members_.back().value, depth)) return false;
      skip_ws();
      if (at_end()) return fail_at(pos_, "unexpected end of input, expected `,` or `}`");
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() == '}') {
        ++pos_;
        return true;
      }
      return fail_at(pos_, "unexpected " + describe(pos_) + ", expected `,` or `}` after an object member");
    }
  }

  // Small objects are searched linearly; from kLinearDuplicateCheck members
  // on, the keys are also kept in `seen` (copies: the members may move).
  static bool is_duplicate(const std::vector<Member>& members, const std::string& key,
                           std::unordered_set<std::string>& seen) {
    if (members.size() < kLinearDuplicateCheck) {
      for (const auto& m : members) {
        if (m.key == key) return true;
      }
      return false;
    }
    if (seen.empty()) {
      for (const auto& m : members) seen.insert(m.key);
    }
    return !seen.insert(key).second;
  }

  // A key as shown in a message: control bytes and quotes escaped, cut short.
  static std::string printable(std::string_view key) {
    std::string out;
    for (const char c : key.substr(0, 64)) {
      if (static_cast<unsigned char>(c) < 0x20 || c == '`') {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(c));
        out += buf;
      } else {
        out += c;
      }
    }
    if (key.size() > 64) out += "...";
    return out;
  }

  static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // Four hex digits at pos_ (after `\u`).
  bool hex4(std::uint32_t& out) {
    out = 0;
    for (int i = 0; i < 4; ++i) {
      const int d = pos_ + static_cast<std::size_t>(i) < s_.size() ? hex_digit(s_[pos_ + i]) : -1;
      if (d < 0) return fail_at(pos_ - 2, "invalid `\\u` escape (expected 4 hex digits)");
      out = out * 16 + static_cast<std::uint32_t>(d);
    }
    pos_ += 4;
    return true;
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  bool escape(std::string& out) {
    const std::size_t start = pos_;  // at the backslash
    ++pos_;
    if (at_end()) return fail_at(start, "unexpected end of input in a string escape");
    const char c = peek();
    ++pos_;
    switch (c) {
      case '"': out += '"'; return true;
      case '\\': out += '\\'; return true;
      case '/': out += '/'; return true;
      case 'b': out += '\b'; return true;
      case 'f': out += '\f'; return true;
      case 'n': out += '\n'; return true;
      case 'r': out += '\r'; return true;
      case 't': out += '\t'; return true;
      case 'u': break;
      default: return fail_at(start, "invalid escape `\\" + describe(start + 1) + "`");
    }
    std::uint32_t cp = 0;
    if (!hex4(cp)) return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return fail_at(start, "lone UTF-16 low surrogate in a `\\u` escape");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (s_.substr(pos_, 2) != "\\u") return fail_at(start, "UTF-16 high surrogate not followed by a low surrogate");
      pos_ += 2;
      std::uint32_t low = 0;
      if (!hex4(low)) return false;
      if (low < 0xDC00 || low > 0xDFFF) return fail_at(start, "UTF-16 high surrogate not followed by a low surrogate");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(out, cp);
    return true;
  }

  // Length of the valid UTF-8 sequence at pos_ (a non-ASCII lead byte), or 0.
  std::size_t utf8_sequence() const {
    const auto b = [&](std::size_t i) { return pos_ + i < s_.size() ? static_cast<unsigned char>(s_[pos_ + i]) : 0u; };
    const auto cont = [&](std::size_t i) { return (b(i) & 0xC0u) == 0x80u; };
    const unsigned lead = b(0);
    if (lead >= 0xC2 && lead <= 0xDF) return cont(1) ? 2 : 0;
    if (lead >= 0xE0 && lead <= 0xEF) {
      if (!cont(1) || !cont(2)) return 0;
      if (lead == 0xE0 && b(1) < 0xA0) return 0;  // overlong
      if (lead == 0xED && b(1) > 0x9F) return 0;  // UTF-16 surrogate
      return 3;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
      if (!cont(1) || !cont(2) || !cont(3)) return 0;
      if (lead == 0xF0 && b(1) < 0x90) return 0;  // overlong
      if (lead == 0xF4 && b(1) > 0x8F) return 0;  // above U+10FFFF
      return 4;
    }
    return 0;
  }

  bool string(std::string& out) {
    const std::size_t open = pos_;
    ++pos_;  // "
    for (;;) {
      // Copy the run of plain characters in one go.
      const std::size_t run = pos_;
      while (!at_end()) {
        const auto c = static_cast<unsigned char>(peek());
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++pos_;
      }
      out.append(s_.data() + run, pos_ - run);
      if (at_end()) return fail_at(open, "unterminated string");
      const auto c = static_cast<unsigned char>(peek());
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c == '\\') {
        if (!escape(out)) return false;
      } else if (c < 0x20) {
        return fail_at(pos_, c == '\n' ? std::string("unterminated string") : "control character " + describe(pos_) +
                                                                                  " in a string (escape it)");
      } else {
        const std::size_t n = utf8_sequence();
        if (n == 0) return fail_at(pos_, "invalid UTF-8 in a string");
        out.append(s_.data() + pos_, n);
        pos_ += n;
      }
    }
  }

  bool number(Value& out) {
    const std::size_t start = pos_;
    const auto digit = [&] { return !at_end() && peek() >= '0' && peek() <= '9'; };
    if (peek() == '-') ++pos_;
    if (!digit()) return fail_at(start, "invalid number");
    if (peek() == '0') {
      ++pos_;
      if (digit()) return fail_at(start, "leading zeros are not allowed in numbers");
    } else {
      while (digit()) ++pos_;
    }
    bool integral = true;
    if (!at_end() && peek() == '.') {
      integral = false;
      ++pos_;
      if (!digit()) return fail_at(start, "invalid number (expected digits after `.`)");
      while (digit()) ++pos_;
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      integral = false;
      ++pos_;
      if (!at_end() && (peek() == '+' || peek() == '-')) ++pos_;
      if (!digit()) return fail_at(start, "invalid number (expected digits in the exponent)");
      while (digit()) ++pos_;
    }
    const char* first = s_.data() + start;
    const char* last = s_.data() + pos_;
    if (integral) {
      std::int64_t n = 0;
      const auto r = std::from_chars(first, last, n);
      if (r.ec == std::errc{} && r.ptr == last) {
        out.kind_ = Value::Kind::Int;
        out.integer_ = n;
        return true;
      }
      // Too large for int64: kept as a double.
    }
    double d = 0;
    const auto r = std::from_chars(first, last, d);
    if (r.ec != std::errc{} || r.ptr != last) return fail_at(start, "number out of range");
    out.kind_ = Value::Kind::Double;
    out.real_ = d;
    return true;
  }

  std::string_view s_;
  Limits limits_;
  std::size_t pos_ = 0;
  std::uint32_t line_ = 1;
  std::size_t line_start_ = 0;
};

Result parse(std::string_view text, const Limits& limits) noexcept {
  Result result;
  try {
    Parser p(text, limits);
    Value v;
    if (p.document(v)) {
      result.value = std::move(v);
    } else {
      result.error = std::move(p.error);
    }
  } catch (const std::bad_alloc&) {
    result.value.reset();
    result.error = {"out of memory", 1, 1};  // short: fits without allocating
  } catch (...) {
    result.value.reset();
    result.error = {"internal error", 1, 1};
  }
  return result;
}

}  // namespace warden::json
