// Field-reading helpers shared by the fact and request readers (see
// json_fields.hpp).
#include "runtime_io/json_fields.hpp"

#include "support/diagnostic.hpp"
#include "support/literals.hpp"

namespace warden::runtime_io {
const char* a_kind(json::Value::Kind k) {
  switch (k) {
    case json::Value::Kind::Null: return "null";
    case json::Value::Kind::Bool: return "a boolean";
    case json::Value::Kind::Int: return "an integer";
    case json::Value::Kind::Double: return "a number";
    case json::Value::Kind::String: return "a string";
    case json::Value::Kind::Array: return "an array";
    case json::Value::Kind::Object: return "an object";
  }
  return "a value";
}

std::string ticked(std::string_view text) {
  constexpr std::size_t kMax = 80;
  std::string out = "`";
  out += text.substr(0, kMax);
  if (text.size() > kMax) out += "...";
  return out + "`";
}

bool FieldReader::fail_at(Code code, std::string message, std::uint32_t line, std::uint32_t column) {
  error_.code = std::string(code_name(code));
  error_.message = std::move(message);
  error_.file = std::string(file_);
  error_.line = line + line_offset_;
  error_.column = column;
  return false;
}

bool FieldReader::fail(Code code, std::string message, const json::Value& at) {
  return fail_at(code, std::move(message), at.line(), at.column());
}

bool FieldReader::fail_json(const json::Error& e) {
  return fail_at(codes_.invalid_json, "invalid JSON: " + e.message, e.line, e.column);
}

bool FieldReader::object(const json::Value& value, std::string_view what) {
  if (value.is_object()) return true;
  return fail(codes_.wrong_type, std::string(what) + " must be an object, not " + a_kind(value.kind()), value);
}

bool FieldReader::require(const json::Value& object, std::string_view what, std::string_view name) {
  if (object.find(name) != nullptr) return true;
  return fail(codes_.missing_field, "missing field `" + std::string(name) + "` in " + std::string(what), object);
}

bool FieldReader::unknown(const json::Member& m, std::string_view what, std::initializer_list<std::string_view> known) {
  std::string message = "unknown field " + ticked(m.key) + " in " + std::string(what);
  if (auto near = closest_name(m.key, std::vector<std::string_view>(known))) message += " (did you mean `" + *near + "`?)";
  return fail_at(codes_.unknown_field, std::move(message), m.line, m.column);
}

bool FieldReader::wrong_type(const json::Member& m, std::string_view what, std::string_view expected) {
  return fail(codes_.wrong_type,
              "field `" + m.key + "` of " + std::string(what) + " must be " + std::string(expected) + ", not " +
                  a_kind(m.value.kind()),
              m.value);
}

bool FieldReader::string(const json::Member& m, std::string_view what, std::string& out, bool non_empty) {
  if (!m.value.is_string()) return wrong_type(m, what, "a string");
  if (non_empty && m.value.as_string().empty()) {
    return fail(codes_.invalid_value, "field `" + m.key + "` of " + std::string(what) + " must not be empty", m.value);
  }
  out = m.value.as_string();
  return true;
}

bool FieldReader::boolean(const json::Member& m, std::string_view what, bool& out) {
  if (!m.value.is_bool()) return wrong_type(m, what, "`true` or `false`");
  out = m.value.as_bool();
  return true;
}

bool FieldReader::time(const json::Member& m, std::string_view what, std::optional<std::int64_t>& out) {
  if (m.value.is_null()) {
    out.reset();
    return true;
  }
  if (m.value.is_int()) {
    out = m.value.as_int();
    return true;
  }
  if (!m.value.is_string()) return wrong_type(m, what, "an RFC 3339 time string or Unix seconds");
  const TimeResult t = parse_time(m.value.as_string());
  if (!t.error.empty()) {
    return fail(codes_.invalid_time, "invalid time " + ticked(m.value.as_string()) + " in `" + m.key + "`: " + t.error,
                m.value);
  }
  out = t.unix_seconds;
  return true;
}

bool FieldReader::strings(const json::Member& m, std::string_view what, std::vector<std::string>& out) {
  if (!m.value.is_array()) return wrong_type(m, what, "an array of strings");
  out.clear();
  for (const auto& item : m.value.items()) {
    if (!item.is_string()) {
      return fail(codes_.wrong_type,
                  "items of `" + m.key + "` in " + std::string(what) + " must be strings, not " +
                      a_kind(item.kind()),
                  item);
    }
    if (item.as_string().empty()) {
      return fail(codes_.invalid_value, "items of `" + m.key + "` in " + std::string(what) + " must not be empty", item);
    }
    out.push_back(item.as_string());
  }
  return true;
}

}  // namespace warden::runtime_io
