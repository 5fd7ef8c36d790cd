// Small helpers over Node's C API (node_api.h) for the addon: status checks
// that turn into pending JavaScript exceptions, and value conversions.
//
// Part of the Node addon (bindings/node). Written against the C N-API
// directly (no node-addon-api): it is ABI-stable across Node versions, needs
// nothing beyond the Node headers already installed, and keeps the per-call
// path free of C++ wrapper objects and exceptions.
#pragma once

#include <node_api.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace warden::node {

// Every N-API call on the way is checked; a failure leaves a pending
// exception (set here if N-API did not set one) and returns nullptr/false.
bool ok(napi_env env, napi_status status);
#define WARDEN_NAPI(env, call) \
  do {                         \
    if (!::warden::node::ok(env, (call))) return nullptr; \
  } while (0)

napi_value undefined(napi_env env);
napi_value make_string(napi_env env, std::string_view s);
napi_value make_bool(napi_env env, bool b);
napi_value make_number(napi_env env, double n);

// The UTF-8 text of a string value into `out` (reusing its capacity).
bool get_string(napi_env env, napi_value v, std::string& out);
// The strings of an array value (file paths, keys) into `out`.
bool get_strings(napi_env env, napi_value array, std::vector<std::string>& out);
napi_valuetype type_of(napi_env env, napi_value v);
// "a string", "an integer", "an object", … as the JSON reader names kinds.
const char* a_kind(napi_env env, napi_value v);

// Throw a TypeError with `message`; returns nullptr for `return throw_type(...)`.
napi_value throw_type(napi_env env, const std::string& message);

}  // namespace warden::node
