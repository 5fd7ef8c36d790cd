// N-API helpers (see napi_util.hpp).
#include "napi_util.hpp"

#include <cmath>

namespace warden::node {

bool ok(napi_env env, napi_status status) {
  if (status == napi_ok) return true;
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) {
    const napi_extended_error_info* info = nullptr;
    napi_get_last_error_info(env, &info);
    napi_throw_error(env, nullptr, info && info->error_message ? info->error_message : "N-API call failed");
  }
  return false;
}

napi_value undefined(napi_env env) {
  napi_value v = nullptr;
  napi_get_undefined(env, &v);
  return v;
}

napi_value make_string(napi_env env, std::string_view s) {
  napi_value v = nullptr;
  WARDEN_NAPI(env, napi_create_string_utf8(env, s.data(), s.size(), &v));
  return v;
}

napi_value make_bool(napi_env env, bool b) {
  napi_value v = nullptr;
  WARDEN_NAPI(env, napi_get_boolean(env, b, &v));
  return v;
}

napi_value make_number(napi_env env, double n) {
  napi_value v = nullptr;
  WARDEN_NAPI(env, napi_create_double(env, n, &v));
  return v;
}

bool get_string(napi_env env, napi_value v, std::string& out) {
  // One call when the text fits the buffer we have; a second when it does not.
  if (out.capacity() < 256) out.reserve(256);
  out.resize(out.capacity());
  std::size_t n = 0;
  if (!ok(env, napi_get_value_string_utf8(env, v, out.data(), out.size() + 1, &n))) return false;
  if (n < out.size()) {
    out.resize(n);
    return true;
  }
  if (!ok(env, napi_get_value_string_utf8(env, v, nullptr, 0, &n))) return false;
  out.resize(n);
  return ok(env, napi_get_value_string_utf8(env, v, out.data(), n + 1, &n));
}

bool get_strings(napi_env env, napi_value array, std::vector<std::string>& out) {
  std::uint32_t n = 0;
  if (!ok(env, napi_get_array_length(env, array, &n))) return false;
  out.resize(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    napi_value item = nullptr;
    if (!ok(env, napi_get_element(env, array, i, &item)) || !get_string(env, item, out[i])) return false;
  }
  return true;
}

napi_valuetype type_of(napi_env env, napi_value v) {
  napi_valuetype t = napi_undefined;
  napi_typeof(env, v, &t);
  return t;
}

const char* a_kind(napi_env env, napi_value v) {
  switch (type_of(env, v)) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return "a boolean";
    case napi_number: {
      double d = 0;
      napi_get_value_double(env, v, &d);
      return std::floor(d) == d ? "an integer" : "a number";
    }
    case napi_string: return "a string";
    case napi_object: {
      bool array = false;
      napi_is_array(env, v, &array);
      return array ? "an array" : "an object";
    }
    default: return "a value of another type";
  }
}

napi_value throw_type(napi_env env, const std::string& message) {
  napi_throw_type_error(env, nullptr, message.c_str());
  return nullptr;
}

}  // namespace warden::node
