// Throwing warden's JavaScript errors (index.js: PolicyError, FactsError,
// RequestError, WatchError) from C++, each with its stable code and place.
//
// Part of the Node addon (bindings/node). index.js hands the classes over
// once (setErrorClasses); they are held by references for the addon's life.
#pragma once

#include <node_api.h>

#include <string>

#include "warden/input_error.hpp"
#include "warden/engine.hpp"

namespace warden::node {

enum class ErrorKind { Policy = 0, Facts = 1, Request = 2, Watch = 3 };

napi_value set_error_classes(napi_env env, napi_callback_info info);

// Throw; returns nullptr so callers can `return raise(...)`.
napi_value raise(napi_env env, ErrorKind kind, const std::string& code, const std::string& message,
                 const std::string& file = "", std::uint32_t line = 0, std::uint32_t column = 0);
napi_value raise(napi_env env, ErrorKind kind, const InputError& e);
napi_value raise(napi_env env, ErrorKind kind, const Status& s);

}  // namespace warden::node
