// warden's errors, thrown from C++ (see node_errors.hpp).
#include "node_errors.hpp"

#include "napi_util.hpp"

namespace warden::node {
namespace {

// Per environment (worker threads each load the addon into their own).
struct ErrorClasses {
  napi_ref classes[4] = {nullptr, nullptr, nullptr, nullptr};
};

ErrorClasses* classes(napi_env env) {
  void* data = nullptr;
  napi_get_instance_data(env, &data);
  return static_cast<ErrorClasses*>(data);
}

}  // namespace

napi_value set_error_classes(napi_env env, napi_callback_info info) {
  std::size_t argc = 4;
  napi_value argv[4];
  WARDEN_NAPI(env, napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  if (argc != 4) return throw_type(env, "setErrorClasses(PolicyError, FactsError, RequestError, WatchError)");
  auto* c = new ErrorClasses;
  for (int i = 0; i < 4; ++i) WARDEN_NAPI(env, napi_create_reference(env, argv[i], 1, &c->classes[i]));
  WARDEN_NAPI(env, napi_set_instance_data(
                       env, c,
                       [](napi_env e, void* data, void*) {
                         auto* cls = static_cast<ErrorClasses*>(data);
                         for (auto r : cls->classes) napi_delete_reference(e, r);
                         delete cls;
                       },
                       nullptr));
  return undefined(env);
}

napi_value raise(napi_env env, ErrorKind kind, const std::string& code, const std::string& message,
                 const std::string& file, std::uint32_t line, std::uint32_t column) {
  ErrorClasses* c = classes(env);
  if (!c) {
    napi_throw_error(env, code.c_str(), message.c_str());
    return nullptr;
  }
  napi_value cls = nullptr;
  WARDEN_NAPI(env, napi_get_reference_value(env, c->classes[static_cast<int>(kind)], &cls));
  napi_value args[5] = {make_string(env, code), make_string(env, message), make_string(env, file),
                        make_number(env, line), make_number(env, column)};
  napi_value error = nullptr;
  WARDEN_NAPI(env, napi_new_instance(env, cls, 5, args, &error));
  napi_throw(env, error);
  return nullptr;
}

napi_value raise(napi_env env, ErrorKind kind, const InputError& e) {
  return raise(env, kind, e.code, e.message, e.file, e.line, e.column);
}

napi_value raise(napi_env env, ErrorKind kind, const Status& s) {
  return raise(env, kind, s.code, s.message, "", s.line, 0);
}

}  // namespace warden::node
