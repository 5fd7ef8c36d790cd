// The `warden` Node addon: in-process decisions for JavaScript.
//
// Pipeline position: bindings/node, a front end over the runtime and the
// compiler driver through bindings/core (docs/node.md). index.js is the
// public face; this file exports plain functions over external handles (an
// Engine, a Watcher), which index.js wraps in classes:
//
//   engineNew() → handle                     loadPolicy(h, bytes) / loadPolicyFile(h, path) → findings JSON
//   setVerifyKeys(h, [pathOrText, …])        factsCheck(h) / setFactsCheck(h, 'warn'|'refuse')
//   followPostgres(h, url, mapping, maxStalenessMs, check) → handle   postgresStop / postgresStatus / postgresStale(handle)
//   replaceFacts(h, [kind, text, name, …], check)   apply(h, text, name, check) / applyFile(h, path, check)
//                                            → outcome JSON {"error","findings","total"} (facts_input.hpp)
//   checkFacts(h) / lastFactFindings(h) → findings JSON
//   decide(h, trace, …request slots) → the decision (decision_encoding.hpp)
//   decideJson(h, text, trace) → the JSON form  authorizedResources(h, action, type, …slots) → [ids]
//   policyFingerprint(h) / factsVersion(h) / hasPolicy(h)
//   watch(h, artifact, [facts…], debounceMs, check) → watcher handle; watcherStop(w) / watcherCounters(w)
//   compile(path, werror) → {ok, failure, name, artifact, fingerprint, diagnostics}
//   httpStatus(allowed, code, authenticated) → number
//   setErrorClasses(PolicyError, FactsError, RequestError, WatchError)
//
// Decisions are synchronous: one takes microseconds, no more than a promise
// would cost. A decision comes back as one string
// (decision_encoding.hpp), which index.js reads lazily: `allowed` and `code`
// without parsing, the rest once on first use. Facts are refused by
// index.js, which reads the outcome JSON and throws FactsError with every
// finding; `check` is 'warn', 'refuse' or undefined (the engine's).
#include <node_api.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bindings/core/compile_policy.hpp"
#include "bindings/core/engine_watch.hpp"
#include "bindings/core/facts_input.hpp"
#include "bindings/core/host_engine.hpp"
#include "bindings/core/http_status.hpp"
#include "bindings/core/postgres_facts.hpp"
#include "bindings/core/verify_keys.hpp"
#include "decision_encoding.hpp"
#include "napi_util.hpp"
#include "node_errors.hpp"
#include "node_request.hpp"
#include "warden/explain.hpp"
#include "warden/request_json.hpp"

namespace warden::node {
namespace {

using HostPtr = std::shared_ptr<bindings::HostEngine>;

// Arguments of a call, up to N.
template <std::size_t N>
struct Args {
  napi_value v[N];
  std::size_t n = N;
  bool read(napi_env env, napi_callback_info info) {
    n = N;
    if (!ok(env, napi_get_cb_info(env, info, &n, v, nullptr, nullptr))) return false;
    napi_value u = undefined(env);
    for (std::size_t i = n; i < N; ++i) v[i] = u;
    return true;
  }
};

template <typename T>
T* handle(napi_env env, napi_value v) {
  void* p = nullptr;
  if (type_of(env, v) != napi_external || napi_get_value_external(env, v, &p) != napi_ok || !p) {
    throw_type(env, "not a warden handle");
    return nullptr;
  }
  return static_cast<T*>(p);
}

bindings::HostEngine* host_of(napi_env env, napi_value v) {
  HostPtr* h = handle<HostPtr>(env, v);
  return h ? h->get() : nullptr;
}

Engine* engine_of(napi_env env, napi_value v) {
  bindings::HostEngine* h = host_of(env, v);
  return h ? &h->engine() : nullptr;
}

// A FactsCheck argument: undefined (the engine's), 'warn' or 'refuse'.
bool check_of(napi_env env, napi_value v, std::optional<FactsCheck>& out) {
  out.reset();
  if (type_of(env, v) == napi_undefined) return true;
  std::string name;
  if (type_of(env, v) == napi_string && get_string(env, v, name)) {
    if ((out = bindings::facts_check_named(name))) return true;
  }
  throw_type(env, "factsCheck must be 'warn' or 'refuse'");
  return false;
}

// Bytes of a Buffer / TypedArray.
bool bytes_of(napi_env env, napi_value v, std::span<const char>& out) {
  bool is_typed = false;
  napi_is_typedarray(env, v, &is_typed);
  if (!is_typed) {
    throw_type(env, "an artifact must be a Buffer or Uint8Array");
    return false;
  }
  napi_typedarray_type type;
  std::size_t length = 0, offset = 0;
  void* data = nullptr;
  napi_value buffer = nullptr;
  if (!ok(env, napi_get_typedarray_info(env, v, &type, &length, &data, &buffer, &offset))) return false;
  out = {static_cast<const char*>(data), length};
  return true;
}

// A native object handed to JavaScript as an external: freed when the
// handle is collected.
template <typename T>
napi_value external(napi_env env, std::unique_ptr<T> object) {
  napi_value out = nullptr;
  WARDEN_NAPI(env, napi_create_external(
                       env, object.get(), [](napi_env, void* data, void*) { delete static_cast<T*>(data); }, nullptr,
                       &out));
  object.release();  // owned by the external from here on
  return out;
}

// stop(handle): a watcher or a fact source, joined.
template <typename T>
napi_value stop_handle(napi_env env, napi_callback_info info) {
  Args<1> a;
  if (!a.read(env, info)) return nullptr;
  T* object = handle<T>(env, a.v[0]);
  if (!object) return nullptr;
  object->stop();
  return undefined(env);
}

// A JSON text a handle's object renders (counters, status).
template <typename T, std::string (T::*Render)() const>
napi_value json_of_handle(napi_env env, napi_callback_info info) {
  Args<1> a;
  if (!a.read(env, info)) return nullptr;
  T* object = handle<T>(env, a.v[0]);
  return object ? make_string(env, (object->*Render)()) : nullptr;
}

napi_value engine_new(napi_env env, napi_callback_info) {
  return external(env, std::make_unique<HostPtr>(std::make_shared<bindings::HostEngine>()));
}

// The facts in service that the new policy does not declare, as findings JSON.
napi_value load_policy(napi_env env, napi_callback_info info) {
  Args<2> a;
  if (!a.read(env, info)) return nullptr;
  bindings::HostEngine* h = host_of(env, a.v[0]);
  std::span<const char> bytes;
  if (!h || !bytes_of(env, a.v[1], bytes)) return nullptr;
  bindings::HostFindings findings;
  const Status s = h->load_policy(bytes, findings);
  return s.ok ? make_string(env, bindings::findings_json(findings)) : raise(env, ErrorKind::Policy, s);
}

napi_value load_policy_file(napi_env env, napi_callback_info info) {
  Args<2> a;
  std::string path;
  if (!a.read(env, info)) return nullptr;
  bindings::HostEngine* h = host_of(env, a.v[0]);
  if (!h || !get_string(env, a.v[1], path)) return nullptr;
  bindings::HostFindings findings;
  const Status s = h->load_policy_file(path, findings);
  return s.ok ? make_string(env, bindings::findings_json(findings)) : raise(env, ErrorKind::Policy, s);
}

napi_value facts_check(napi_env env, napi_callback_info info) {
  Args<1> a;
  if (!a.read(env, info)) return nullptr;
  bindings::HostEngine* h = host_of(env, a.v[0]);
  return h ? make_string(env, bindings::facts_check_name(h->facts_check())) : nullptr;
}

napi_value set_facts_check(napi_env env, napi_callback_info info) {
  Args<2> a;
  if (!a.read(env, info)) return nullptr;
  bindings::HostEngine* h = host_of(env, a.v[0]);
  std::optional<FactsCheck> check;
  if (!h || !check_of(env, a.v[1], check)) return nullptr;
  if (check) h->set_facts_check(*check);
  return undefined(env);
}

napi_value check_facts(napi_env env, napi_callback_info info) {
  Args<1> a;
  if (!a.read(env, info)) return nullptr;
  bindings::HostEngine* h = host_of(env, a.v[0]);
  return h ? make_string(env, bindings::findings_json(h->check_facts())) : nullptr;
}

napi_value last_fact_findings(napi_env env, napi_callback_info info) {
  Args<1> a;
  if (!a.read(env, info)) return nullptr;
  bindings::HostEngine* h = host_of(env, a.v[0]);
  return h ? make_string(env, bindings::findings_json(h->last_findings())) : nullptr;
}

// setVerifyKeys(h, [key, …]): each a path or a key file's text.
napi_value set_verify_keys(napi_env env, napi_callback_info info) {
  Args<2> a;
  if (!a.read(env, info)) return nullptr;
  Engine* e = engine_of(env, a.v[0]);
  if (!e) return nullptr;
  std::vector<std::string> given;
  if (!get_strings(env, a.v[1], given)) return nullptr;
  std::vector<VerifyKey> keys;
  if (const Status s = bindings::read_verify_keys(given, keys); !s.ok) return raise(env, ErrorKind::Policy, s);
  e->set_verify_keys(std::move(keys));
  return undefined(env);
}

napi_value replace_facts(napi_env env, napi_callback_info info) {
  Args<3> a;
  if (!a.read(env, info)) return nullptr;
  bindings::HostEngine* h = host_of(env, a.v[0]);
  std::optional<FactsCheck> check;
  if (!h || !check_of(env, a.v[2], check)) return nullptr;
  std::uint32_t n = 0;
  WARDEN_NAPI(env, napi_get_array_length(env, a.v[1], &n));
  std::vector<bindings::FactsSource> sources;
  std::string kind;
  for (std::uint32_t i = 0; i + 2 < n; i += 3) {
    napi_value k, t, name;
    WARDEN_NAPI(env, napi_get_element(env, a.v[1], i, &k));
    WARDEN_NAPI(env, napi_get_element(env, a.v[1], i + 1, &t));
    WARDEN_NAPI(env, napi_get_element(env, a.v[1], i + 2, &name));
    bindings::FactsSource s;
    if (!get_string(env, k, kind) || !get_string(env, t, s.text) || !get_string(env, name, s.name)) return nullptr;
    s.kind = kind == "file"       ? bindings::FactsSource::Kind::File
             : kind == "document" ? bindings::FactsSource::Kind::Document
                                  : bindings::FactsSource::Kind::Lines;
    sources.push_back(std::move(s));
  }
  return make_string(env, bindings::outcome_json(h->replace_facts(sources, check)));
}

napi_value apply(napi_env env, napi_callback_info info) {
  Args<4> a;
  std::string text, name;
  if (!a.read(env, info)) return nullptr;
  bindings::HostEngine* h = host_of(env, a.v[0]);
  std::optional<FactsCheck> check;
  if (!h || !get_string(env, a.v[1], text) || !get_string(env, a.v[2], name) || !check_of(env, a.v[3], check)) {
    return nullptr;
  }
  return make_string(env, bindings::outcome_json(h->apply_update(text, name, check)));
}

napi_value apply_file(napi_env env, napi_callback_info info) {
  Args<3> a;
  std::string path;
  if (!a.read(env, info)) return nullptr;
  bindings::HostEngine* h = host_of(env, a.v[0]);
  std::optional<FactsCheck> check;
  if (!h || !get_string(env, a.v[1], path) || !check_of(env, a.v[2], check)) return nullptr;
  return make_string(env, bindings::outcome_json(h->apply_update_file(path, check)));
}

// The thread's builder, decision and buffers, reused by every call (one
// thread-local lookup per call: scratch()).
struct Scratch {
  bindings::RequestBuilder builder;
  Decision decision;
  std::string out;   // the decision string
  std::string text;  // request values being read
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

// The decision as index.js reads it: the compact form when it can carry it,
// else the explanation JSON (with the trace when there is one).
napi_value decision_value(napi_env env, Scratch& s, const Trace* trace) {
  napi_value v = nullptr;
  if (!trace && encode_compact(s.decision, s.out)) {
    WARDEN_NAPI(env, napi_create_string_latin1(env, s.out.data(), s.out.size(), &v));
    return v;
  }
  s.out.clear();
  append_decision_json(s.out, s.decision, trace);
  return make_string(env, s.out);
}

napi_value decide(napi_env env, napi_callback_info info) {
  Args<2 + kRequestSlots> a;
  if (!a.read(env, info)) return nullptr;
  const Engine* e = engine_of(env, a.v[0]);
  if (!e) return nullptr;
  bool trace = false;
  napi_get_value_bool(env, a.v[1], &trace);
  Scratch& s = scratch();
  if (!read_request(env, a.v + 2, s.builder, s.text, true)) return nullptr;
  const Request& r = s.builder.owned().request;
  if (trace) {
    Trace t;
    e->decide(r, s.decision, t);
    return decision_value(env, s, &t);
  }
  e->decide(r, s.decision);
  return decision_value(env, s, nullptr);
}

napi_value decide_json(napi_env env, napi_callback_info info) {
  Args<3> a;
  std::string text;
  if (!a.read(env, info)) return nullptr;
  const Engine* e = engine_of(env, a.v[0]);
  if (!e || !get_string(env, a.v[1], text)) return nullptr;
  bool trace = false;
  napi_get_value_bool(env, a.v[2], &trace);
  OwnedRequest request;
  if (auto error = parse_request(text, request)) return raise(env, ErrorKind::Request, *error);
  // Always the JSON form: what `warden eval --format json` prints, the
  // reference the compact form is tested against.
  Scratch& s = scratch();
  Trace t;
  if (trace) e->decide(request.request, s.decision, t);
  else e->decide(request.request, s.decision);
  s.out.clear();
  append_decision_json(s.out, s.decision, trace ? &t : nullptr);
  return make_string(env, s.out);
}

napi_value authorized_resources(napi_env env, napi_callback_info info) {
  Args<3 + kRequestSlots> a;
  std::string action, type;
  if (!a.read(env, info)) return nullptr;
  const Engine* e = engine_of(env, a.v[0]);
  if (!e || !get_string(env, a.v[1], action) || !get_string(env, a.v[2], type)) return nullptr;
  Scratch& s = scratch();
  if (!read_request(env, a.v + 3, s.builder, s.text, false)) return nullptr;
  const std::vector<std::string> ids = e->authorized_resources(s.builder.owned().request, action, type);
  napi_value out = nullptr;
  WARDEN_NAPI(env, napi_create_array_with_length(env, ids.size(), &out));
  for (std::size_t i = 0; i < ids.size(); ++i) {
    WARDEN_NAPI(env, napi_set_element(env, out, static_cast<std::uint32_t>(i), make_string(env, ids[i])));
  }
  return out;
}

napi_value policy_fingerprint(napi_env env, napi_callback_info info) {
  Args<1> a;
  if (!a.read(env, info)) return nullptr;
  const Engine* e = engine_of(env, a.v[0]);
  return e ? make_string(env, fingerprint_hex(e->policy_fingerprint())) : nullptr;
}

napi_value facts_version(napi_env env, napi_callback_info info) {
  Args<1> a;
  if (!a.read(env, info)) return nullptr;
  const Engine* e = engine_of(env, a.v[0]);
  return e ? make_number(env, static_cast<double>(e->facts_version())) : nullptr;
}

napi_value has_policy(napi_env env, napi_callback_info info) {
  Args<1> a;
  if (!a.read(env, info)) return nullptr;
  const Engine* e = engine_of(env, a.v[0]);
  return e ? make_bool(env, e->has_policy()) : nullptr;
}

napi_value watch(napi_env env, napi_callback_info info) {
  Args<5> a;
  if (!a.read(env, info)) return nullptr;
  bindings::HostEngine* h = host_of(env, a.v[0]);
  std::optional<FactsCheck> check;
  if (!h || !check_of(env, a.v[4], check)) return nullptr;
  bindings::WatchSpec spec;
  if (type_of(env, a.v[1]) == napi_string && !get_string(env, a.v[1], spec.artifact)) return nullptr;
  if (!get_strings(env, a.v[2], spec.facts)) return nullptr;
  std::uint32_t debounce = 10;
  napi_get_value_uint32(env, a.v[3], &debounce);
  spec.debounce_ms = debounce;
  Status s;
  std::unique_ptr<bindings::EngineWatch> w = h->watch(spec, check, s);
  if (!w) return raise(env, ErrorKind::Watch, s);
  return external(env, std::move(w));
}

// followPostgres(h, url, mapping, maxStalenessMs, check) → handle: the first
// load happens here (synchronously, like every load of this addon), then the
// source follows on its own thread.
napi_value follow_postgres(napi_env env, napi_callback_info info) {
  Args<5> a;
  if (!a.read(env, info)) return nullptr;
  bindings::HostEngine* h = host_of(env, a.v[0]);
  bindings::PostgresFactsOptions o;
  std::optional<FactsCheck> check;
  if (!h || !get_string(env, a.v[1], o.url) || !get_string(env, a.v[2], o.mapping) || !check_of(env, a.v[4], check)) {
    return nullptr;
  }
  std::uint32_t max_staleness = 0;
  napi_get_value_uint32(env, a.v[3], &max_staleness);
  o.max_staleness = std::chrono::milliseconds(max_staleness);
  Status s;
  std::unique_ptr<bindings::PostgresFacts> f = h->follow_postgres(o, check, s);
  if (!f) return raise(env, ErrorKind::Facts, s);
  return external(env, std::move(f));
}

napi_value postgres_stale(napi_env env, napi_callback_info info) {
  Args<1> a;
  if (!a.read(env, info)) return nullptr;
  auto* f = handle<bindings::PostgresFacts>(env, a.v[0]);
  if (!f) return nullptr;
  napi_value out = nullptr;
  WARDEN_NAPI(env, napi_get_boolean(env, f->stale(), &out));
  return out;
}

napi_value set_property(napi_env env, napi_value object, const char* name, napi_value value) {
  if (!value) return nullptr;
  WARDEN_NAPI(env, napi_set_named_property(env, object, name, value));
  return object;
}

napi_value compile(napi_env env, napi_callback_info info) {
  Args<2> a;
  std::string path;
  if (!a.read(env, info) || !get_string(env, a.v[0], path)) return nullptr;
  bool werror = false;
  napi_get_value_bool(env, a.v[1], &werror);
  const bindings::CompiledPolicy c = bindings::compile_policy(path, werror);
  napi_value out = nullptr, artifact = nullptr, diagnostics = nullptr;
  WARDEN_NAPI(env, napi_create_object(env, &out));
  if (c.ok) {
    void* data = nullptr;
    WARDEN_NAPI(env, napi_create_buffer_copy(env, c.artifact.size(), c.artifact.data(), &data, &artifact));
  } else {
    WARDEN_NAPI(env, napi_get_null(env, &artifact));
  }
  WARDEN_NAPI(env, napi_create_array_with_length(env, c.diagnostics.size(), &diagnostics));
  for (std::size_t i = 0; i < c.diagnostics.size(); ++i) {
    const auto& d = c.diagnostics[i];
    napi_value o = nullptr;
    WARDEN_NAPI(env, napi_create_object(env, &o));
    if (!set_property(env, o, "code", make_string(env, d.code)) ||
        !set_property(env, o, "severity", make_string(env, d.severity)) ||
        !set_property(env, o, "message", make_string(env, d.message)) ||
        !set_property(env, o, "file", make_string(env, d.file)) ||
        !set_property(env, o, "line", make_number(env, d.line)) ||
        !set_property(env, o, "column", make_number(env, d.column)) ||
        !set_property(env, o, "text", make_string(env, d.text)) ||
        !set_property(env, o, "json", make_string(env, d.json))) {
      return nullptr;
    }
    WARDEN_NAPI(env, napi_set_element(env, diagnostics, static_cast<std::uint32_t>(i), o));
  }
  if (!set_property(env, out, "ok", make_bool(env, c.ok)) ||
      !set_property(env, out, "failure", make_string(env, c.failure)) ||
      !set_property(env, out, "name", make_string(env, c.name)) || !set_property(env, out, "artifact", artifact) ||
      !set_property(env, out, "fingerprint", make_string(env, fingerprint_hex(c.fingerprint))) ||
      !set_property(env, out, "diagnostics", diagnostics)) {
    return nullptr;
  }
  return out;
}

napi_value http_status(napi_env env, napi_callback_info info) {
  Args<3> a;
  std::string code;
  if (!a.read(env, info)) return nullptr;
  bool allowed = false, authenticated = false;
  napi_get_value_bool(env, a.v[0], &allowed);
  if (!get_string(env, a.v[1], code)) return nullptr;
  napi_get_value_bool(env, a.v[2], &authenticated);
  Decision d;
  d.outcome = allowed ? Outcome::Allow : Outcome::Deny;
  d.code.assign(code);
  return make_number(env, bindings::http_status(d, authenticated));
}

napi_value init(napi_env env, napi_value exports) {
  const napi_property_descriptor functions[] = {
#define WARDEN_FN(name, fn) {name, nullptr, fn, nullptr, nullptr, nullptr, napi_default, nullptr}
      WARDEN_FN("engineNew", engine_new),
      WARDEN_FN("loadPolicy", load_policy),
      WARDEN_FN("loadPolicyFile", load_policy_file),
      WARDEN_FN("setVerifyKeys", set_verify_keys),
      WARDEN_FN("factsCheck", facts_check),
      WARDEN_FN("setFactsCheck", set_facts_check),
      WARDEN_FN("checkFacts", check_facts),
      WARDEN_FN("lastFactFindings", last_fact_findings),
      WARDEN_FN("replaceFacts", replace_facts),
      WARDEN_FN("apply", apply),
      WARDEN_FN("applyFile", apply_file),
      WARDEN_FN("decide", decide),
      WARDEN_FN("decideJson", decide_json),
      WARDEN_FN("authorizedResources", authorized_resources),
      WARDEN_FN("policyFingerprint", policy_fingerprint),
      WARDEN_FN("factsVersion", facts_version),
      WARDEN_FN("hasPolicy", has_policy),
      WARDEN_FN("watch", watch),
      WARDEN_FN("watcherStop", stop_handle<bindings::EngineWatch>),
      WARDEN_FN("watcherCounters", (json_of_handle<bindings::EngineWatch, &bindings::EngineWatch::counters_json>)),
      WARDEN_FN("followPostgres", follow_postgres),
      WARDEN_FN("postgresStop", stop_handle<bindings::PostgresFacts>),
      WARDEN_FN("postgresStatus", (json_of_handle<bindings::PostgresFacts, &bindings::PostgresFacts::status_json>)),
      WARDEN_FN("postgresStale", postgres_stale),
      WARDEN_FN("compile", compile),
      WARDEN_FN("httpStatus", http_status),
      WARDEN_FN("setErrorClasses", set_error_classes),
#undef WARDEN_FN
  };
  WARDEN_NAPI(env, napi_define_properties(env, exports, std::size(functions), functions));
  napi_value version = make_string(env, WARDEN_VERSION);
  return set_property(env, exports, "version", version);
}

}  // namespace
}  // namespace warden::node

NAPI_MODULE_INIT() { return warden::node::init(env, exports); }
