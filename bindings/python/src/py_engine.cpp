// warden.Engine, warden.Watcher, warden.compile() (see py_engine.hpp).
#include "py_engine.hpp"

#include <pybind11/stl.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bindings/core/compile_policy.hpp"
#include "bindings/core/engine_watch.hpp"
#include "bindings/core/facts_input.hpp"
#include "bindings/core/host_engine.hpp"
#include "bindings/core/postgres_facts.hpp"
#include "bindings/core/verify_keys.hpp"
#include "py_decision.hpp"
#include "py_errors.hpp"
#include "py_request.hpp"
#include "warden/explain.hpp"
#include "warden/request_json.hpp"

namespace py = pybind11;

namespace warden::python {
namespace {

using HostPtr = std::shared_ptr<bindings::HostEngine>;

py::object json_fn(const char* name) {
  return py::module_::import("json").attr(name);
}

// A record or a fact document as compact JSON text, for the runtime readers.
std::string dumps(py::handle value) {
  static PyObject* dumps = py::object(json_fn("dumps")).release().ptr();  // kept for the process
  py::object text = py::reinterpret_borrow<py::object>(dumps)(value, py::arg("separators") = py::make_tuple(",", ":"),
                                                                py::arg("allow_nan") = false);
  return text.cast<std::string>();
}

bool is_path(py::handle v) {
  if (PyUnicode_Check(v.ptr())) return true;
  static PyObject* path_like = py::object(py::module_::import("os").attr("PathLike")).release().ptr();
  return PyObject_IsInstance(v.ptr(), path_like) == 1;
}

std::string fspath(py::handle v) {
  static PyObject* f = py::object(py::module_::import("os").attr("fspath")).release().ptr();
  return py::reinterpret_borrow<py::object>(f)(v).cast<std::string>();
}

// A list of records: JSONL, one record per line, so errors name the record.
std::string lines(py::handle records) {
  std::string text;
  for (py::handle r : records) {
    if (!text.empty()) text += '\n';
    text += dumps(r);
  }
  return text;
}

// `verify_keys`: None (no change), one key or a list of keys, each a path
// (str or os.PathLike) or a key file's text.
void set_verify_keys(Engine& e, py::handle verify_keys) {
  if (verify_keys.is_none()) return;
  std::vector<std::string> given;
  if (is_path(verify_keys)) {
    given.push_back(fspath(verify_keys));
  } else if (PyList_Check(verify_keys.ptr()) || PyTuple_Check(verify_keys.ptr())) {
    for (py::handle k : verify_keys) {
      if (!is_path(k)) {
        throw py::type_error("a verify key is a path or a key file's text, not " + std::string(Py_TYPE(k.ptr())->tp_name));
      }
      given.push_back(fspath(k));
    }
  } else {
    throw py::type_error("verify_keys must be a path, a key file's text or a list of them, not " +
                         std::string(Py_TYPE(verify_keys.ptr())->tp_name));
  }
  std::vector<VerifyKey> keys;
  if (const Status s = bindings::read_verify_keys(given, keys); !s.ok) raise(ErrorKind::Policy, s);
  e.set_verify_keys(std::move(keys));
}

// A fact document in the layout of bindings::document_places(): each record
// of a list member on a line of its own, so that a line names its record.
std::string document(py::handle doc) {
  // Keys that are not strings: as json.dumps() writes them, in one line.
  for (auto item : py::reinterpret_borrow<py::dict>(doc)) {
    if (!PyUnicode_Check(item.first.ptr())) return dumps(doc);
  }
  std::string text = "{";
  bool first = true;
  for (auto [key, value] : py::reinterpret_borrow<py::dict>(doc)) {
    text += first ? "\n" : ",\n";
    first = false;
    text += dumps(key);
    text += ':';
    if (!PyList_Check(value.ptr()) && !PyTuple_Check(value.ptr())) {
      text += dumps(value);
      continue;
    }
    text += '[';
    bool first_record = true;
    for (py::handle r : value) {
      text += first_record ? "\n" : ",\n";
      first_record = false;
      text += dumps(r);
    }
    text += "\n]";
  }
  text += "\n}";
  return text;
}

// `facts_check`: None (the engine's), "warn" or "refuse".
std::optional<FactsCheck> check_arg(py::handle v) {
  if (v.is_none()) return std::nullopt;
  if (PyUnicode_Check(v.ptr())) {
    if (auto check = bindings::facts_check_named(v.cast<std::string>())) return check;
  }
  throw py::value_error("facts_check must be \"warn\" or \"refuse\", not " + py::repr(v).cast<std::string>());
}

// The only keyword argument of a call taking *args.
std::optional<FactsCheck> facts_check_kwarg(py::kwargs kwargs, const char* function) {
  std::optional<FactsCheck> check;
  for (auto [key, value] : kwargs) {
    if (key.cast<std::string>() != "facts_check") {
      throw py::type_error(std::string(function) + "() got an unexpected keyword argument '" + key.cast<std::string>() + "'");
    }
    check = check_arg(value);
  }
  return check;
}

bindings::FactsSource facts_source(py::handle v, const std::string& name) {
  using Kind = bindings::FactsSource::Kind;
  if (is_path(v)) return {Kind::File, fspath(v), ""};
  if (PyDict_Check(v.ptr())) return {Kind::Document, document(v), name};
  if (PyList_Check(v.ptr()) || PyTuple_Check(v.ptr())) return {Kind::Lines, lines(v), name};
  throw py::type_error("facts must be a path (JSON or JSONL file), a dict (a fact document) or a list of records, not " +
                       std::string(Py_TYPE(v.ptr())->tp_name));
}

std::unique_ptr<PyDecision> decide(const Engine& engine, py::handle request, py::handle kwargs) {
  BuilderLease lease;
  bool trace = false;
  const Request& r = read_request(lease.get(), request, kwargs, &trace);
  // Default-initialized: the Decision's buffers need no zeroing.
  std::unique_ptr<PyDecision> d(new PyDecision);
  d->authenticated = !r.api_key.empty() || !r.principal_id.empty();
  if (trace) d->trace = std::make_unique<Trace>();
  {
    py::gil_scoped_release release;
    if (d->trace) engine.decide(r, d->decision, *d->trace);
    else engine.decide(r, d->decision);
  }
  return d;
}

class PyWatcher {
 public:
  explicit PyWatcher(std::unique_ptr<bindings::EngineWatch> w) : watch_(std::move(w)) {}
  void stop() {
    py::gil_scoped_release release;
    watch_->stop();
  }
  py::object counters() const { return json_fn("loads")(watch_->counters_json()); }

 private:
  std::unique_ptr<bindings::EngineWatch> watch_;
};

// Facts following a PostgreSQL database (Engine.follow_postgres()).
class PyPostgresFacts {
 public:
  explicit PyPostgresFacts(std::unique_ptr<bindings::PostgresFacts> f) : facts_(std::move(f)) {}
  void stop() {
    py::gil_scoped_release release;
    facts_->stop();
  }
  bool stale() const { return facts_->stale(); }
  py::object status() const { return json_fn("loads")(facts_->status_json()); }

 private:
  std::unique_ptr<bindings::PostgresFacts> facts_;
};

}  // namespace

void bind_engine(py::module_& m) {
  py::class_<PyPostgresFacts>(m, "PostgresFacts", "An engine's facts following a PostgreSQL database; see Engine.follow_postgres().")
      .def("stop", &PyPostgresFacts::stop, "Stop following (the engine keeps the facts it has).")
      .def("status", &PyPostgresFacts::status,
           "state (starting, live, resyncing, disconnected, stopped), loaded, staleness_seconds, position (the "
           "database position the facts reflect), facts_version, last_error and counters.")
      .def_property_readonly("stale", &PyPostgresFacts::stale,
                             "True past max_staleness_ms: a caller that prefers refusing to deciding on old facts "
                             "checks it before deciding (warden serve answers FACTS_STALE then).")
      .def("__enter__", [](py::object self) { return self; })
      .def("__exit__", [](PyPostgresFacts& f, py::args) { f.stop(); });

  py::class_<PyWatcher>(m, "Watcher", "Hot reload of an engine's artifact and fact files; see Engine.watch().")
      .def("stop", &PyWatcher::stop, "Stop watching (joins the watcher's thread).")
      .def("counters", &PyWatcher::counters,
           "Per target: successes, failures, consecutive_failures and the last failure with its diagnostics.")
      .def("__enter__", [](py::object self) { return self; })
      .def("__exit__", [](PyWatcher& w, py::args) { w.stop(); });

  py::class_<bindings::HostEngine, HostPtr>(m, "Engine", R"doc(The decision engine: one policy and one fact set, replaced atomically.

decide(), authorized_resources() and the accessors may run on any number of
threads at once, also while policy loads and fact updates run; they release
the interpreter lock while deciding. A failed load or update raises and
changes nothing: the running policy and facts stay in service.

Facts are checked against the policy they are loaded under (F04xx: a type,
role, scope, level, attribute or value it does not declare): facts_check
"warn" (the default) loads them and returns the findings, "refuse" raises
FactsError and keeps the facts in service. A policy loaded later is checked
against the facts in service; what it does not declare is returned, never
refused. last_fact_findings holds what the last check found.)doc")
      .def(py::init([](py::object artifact, py::object verify_keys, py::handle facts_check) {
             auto h = std::make_shared<bindings::HostEngine>();
             set_verify_keys(h->engine(), verify_keys);
             if (auto check = check_arg(facts_check)) h->set_facts_check(*check);
             if (!artifact.is_none()) {
               std::string bytes = artifact.cast<std::string>();
               Status s;
               {
                 py::gil_scoped_release release;
                 s = h->engine().load_policy(bytes);
               }
               if (!s.ok) raise(ErrorKind::Policy, s);
             }
             return h;
           }),
           py::arg("artifact") = py::none(), py::kw_only(), py::arg("verify_keys") = py::none(),
           py::arg("facts_check") = "warn",
           "An engine, with the policy artifact (the bytes of a `.wdn` file, e.g. compile(path).artifact) if given. "
           "Without a policy every request is denied with NO_POLICY. With `verify_keys` (key files written by "
           "`warden keygen`, as paths or as their text), it loads only artifacts signed by one of them: unsigned "
           "E0509, another key E0510, a signature that does not verify E0511, a key that cannot be read E0512. "
           "`facts_check`: \"warn\" (default) or \"refuse\", for facts naming what the policy does not declare.")
      .def_static("from_file",
                  [](py::handle path, py::object verify_keys, py::handle facts_check) {
                    auto h = std::make_shared<bindings::HostEngine>();
                    set_verify_keys(h->engine(), verify_keys);
                    if (auto check = check_arg(facts_check)) h->set_facts_check(*check);
                    const std::string p = fspath(path);
                    Status s;
                    {
                      py::gil_scoped_release release;
                      s = h->engine().load_policy_file(p);
                    }
                    if (!s.ok) raise(ErrorKind::Policy, s);
                    return h;
                  },
                  py::arg("path"), py::kw_only(), py::arg("verify_keys") = py::none(), py::arg("facts_check") = "warn",
                  "An engine with the artifact file at `path` (written by `warden compile -o`); `verify_keys` and "
                  "`facts_check` as for Engine().")
      .def("set_verify_keys", [](bindings::HostEngine& h, py::object keys) { set_verify_keys(h.engine(), keys); },
           py::arg("verify_keys"),
           "Load only artifacts signed by one of these keys from now on (paths or key texts; several let keys "
           "rotate). The running policy stays; an empty list accepts unsigned artifacts again.")
      .def("load_policy",
           [](bindings::HostEngine& h, py::bytes artifact) {
             std::string bytes = artifact;
             Status s;
             bindings::HostFindings findings;
             {
               py::gil_scoped_release release;
               s = h.load_policy(bytes, findings);
             }
             if (!s.ok) raise(ErrorKind::Policy, s);
             return findings_object(findings);
           },
           py::arg("artifact"),
           "Replace the policy with an artifact's bytes. A truncated, corrupt or foreign artifact raises PolicyError "
           "(E05xx) and the running policy stays. Returns the facts in service that the new policy does not "
           "declare (FactFindings; they stay in service and never allow anything).")
      .def("load_policy_file",
           [](bindings::HostEngine& h, py::handle path) {
             const std::string p = fspath(path);
             Status s;
             bindings::HostFindings findings;
             {
               py::gil_scoped_release release;
               s = h.load_policy_file(p, findings);
             }
             if (!s.ok) raise(ErrorKind::Policy, s);
             return findings_object(findings);
           },
           py::arg("path"), "Replace the policy with the artifact file at `path`; returns as load_policy() does.")
      .def("replace_facts",
           [](bindings::HostEngine& h, py::args sources, py::kwargs kwargs) {
             const std::optional<FactsCheck> check = facts_check_kwarg(kwargs, "replace_facts");
             std::vector<bindings::FactsSource> in;
             for (std::size_t i = 0; i < sources.size(); ++i) {
               in.push_back(facts_source(sources[i], sources.size() == 1 ? "facts" : "facts[" + std::to_string(i) + "]"));
             }
             bindings::FactsOutcome out;
             {
               py::gil_scoped_release release;
               out = h.replace_facts(in, check);
             }
             if (out.error) raise_facts(*out.error, out.findings);
             return findings_object(out.findings);
           },
           R"doc(replace_facts(*sources, facts_check=None) -> FactFindings

Replace every fact with the facts of `sources`, read together: paths of JSON
or JSONL fact files, dicts (a fact document: {"entities": [...], "grants":
[...], ...}) and lists of records (each with its "kind"), as docs/facts.md
describes. A record given twice is an error. On any error FactsError (F01xx /
F03xx, with the file or source and line; `record` for a list or a dict's
section) is raised and the running facts stay.

Checked against the policy in service: with facts_check "warn" (the
engine's default) what it does not declare is loaded and returned as
FactFindings; with "refuse" it raises FactsError with the F04xx code (every
reason in `.findings`) and nothing is loaded.)doc")
      .def("apply",
           [](bindings::HostEngine& h, py::handle changes, py::handle facts_check) {
             const std::optional<FactsCheck> check = check_arg(facts_check);
             bindings::FactsOutcome out;
             if (is_path(changes)) {
               const std::string p = fspath(changes);
               py::gil_scoped_release release;
               out = h.apply_update_file(p, check);
             } else {
               const std::string text = lines(changes);
               py::gil_scoped_release release;
               out = h.apply_update(text, "updates", check);
             }
             if (out.error) raise_facts(*out.error, out.findings);
             return findings_object(out.findings);
           },
           py::arg("changes"), py::kw_only(), py::arg("facts_check") = py::none(),
           R"doc(Apply a batch of fact changes atomically: a list of changes
({"op": "upsert" | "remove", "kind": ..., fields...}) or the path of a JSONL
update file. All or nothing: on error FactsError names the change (`record`,
its index in the list; `line`, its line in a file) and nothing is published.
Upserts are checked against the policy as for replace_facts(); removals never
are. Returns the findings (FactFindings).)doc")
      .def("check_facts",
           [](const bindings::HostEngine& h) {
             bindings::HostFindings findings;
             {
               py::gil_scoped_release release;
               findings = h.check_facts();
             }
             return findings_object(findings);
           },
           "The facts in service checked against the policy in service, now: what it does not declare (FactFindings, "
           "each message naming its record).")
      .def_property(
          "facts_check", [](const bindings::HostEngine& h) { return bindings::facts_check_name(h.facts_check()); },
          [](bindings::HostEngine& h, py::handle v) {
            if (auto check = check_arg(v)) h.set_facts_check(*check);
          },
          "\"warn\" or \"refuse\": what facts naming what the policy does not declare do, for every load that does "
          "not say (replace_facts, apply, watch, follow_postgres).")
      .def_property_readonly(
          "last_fact_findings", [](const bindings::HostEngine& h) { return findings_object(h.last_findings()); },
          "What the last check of facts against the policy on this engine found: a replace_facts(), apply() or "
          "policy load, or a reload of a watcher or a database load of follow_postgres() started from it "
          "(FactFindings; for a refused load, the reasons).")
      .def("decide",
           [](const bindings::HostEngine& h, py::args args, py::kwargs kwargs) {
             if (args.size() > 1) throw py::type_error("decide() takes one positional argument, the request dict");
             return decide(h.engine(), args.size() ? args[0] : py::handle(), kwargs);
           },
           R"doc(decide(request=None, /, *, trace=False, **fields) -> Decision

Decide a request, given as a dict and/or keyword arguments with the fields
of the JSON request (docs/cli.md): request_id, tenant, api_key,
principal={"type", "id", "attributes"}, and either method + path (+ headers,
query, body: the top-level fields of a JSON body, peer: the connection's
address; the path may carry a query string) or action + resource={"type",
"id", "attributes"}; context={"time": RFC 3339 text, Unix seconds or a datetime,
"client_ip": ..., other attributes}. None means "not given". Headers and query
may be dicts or sequences of (name, value) pairs of str or bytes. A malformed
request raises RequestError (F02xx); a decision never raises. With
trace=True the decision carries the full trace.)doc")
      .def("decide_json",
           [](const bindings::HostEngine& h, const std::string& text, bool trace) {
             OwnedRequest request;
             if (auto error = parse_request(text, request)) raise(ErrorKind::Request, *error);
             std::unique_ptr<PyDecision> d(new PyDecision);
             d->authenticated = !request.request.api_key.empty() || !request.request.principal_id.empty();
             if (trace) d->trace = std::make_unique<Trace>();
             py::gil_scoped_release release;
             if (d->trace) h.engine().decide(request.request, d->decision, *d->trace);
             else h.engine().decide(request.request, d->decision);
             return d;
           },
           py::arg("text"), py::arg("trace") = false,
           "Decide a request given as JSON text, read by the runtime's request reader (as `warden eval --request`).")
      .def("authorized_resources",
           [](const bindings::HostEngine& h, const std::string& action, const std::string& resource_type, py::args args,
              py::kwargs kwargs) {
             if (args.size() > 1) throw py::type_error("authorized_resources() takes one request dict at most");
             BuilderLease lease;
             const Request& r = read_request(lease.get(), args.size() ? args[0] : py::handle(), kwargs, nullptr, false);
             std::vector<std::string> ids;
             {
               py::gil_scoped_release release;
               ids = h.engine().authorized_resources(r, action, resource_type);
             }
             return ids;
           },
           py::arg("action"), py::arg("resource_type"),
           R"doc(authorized_resources(action, resource_type, request=None, /, **fields) -> list[str]

The ids of the known resources of `resource_type` on which the request's
principal (principal, api_key, tenant, headers, context) may perform `action`,
sorted: exactly those decide() allows. For list endpoints.)doc")
      .def("watch",
           [](bindings::HostEngine& h, py::object artifact, py::object facts, unsigned debounce_ms,
              py::handle facts_check) {
             bindings::WatchSpec spec;
             if (!artifact.is_none()) spec.artifact = fspath(artifact);
             if (!facts.is_none()) {
               if (is_path(facts)) spec.facts.push_back(fspath(facts));
               else for (py::handle f : facts) spec.facts.push_back(fspath(f));
             }
             spec.debounce_ms = debounce_ms;
             if (spec.artifact.empty() && spec.facts.empty()) {
               throw py::value_error("watch() needs an artifact file, fact files or both");
             }
             const std::optional<FactsCheck> check = check_arg(facts_check);
             Status s;
             std::unique_ptr<bindings::EngineWatch> w;
             {
               py::gil_scoped_release release;
               w = h.watch(spec, check, s);
             }
             if (!w) raise(ErrorKind::Watch, s);
             return std::make_unique<PyWatcher>(std::move(w));
           },
           py::arg("artifact") = py::none(), py::arg("facts") = py::none(), py::arg("debounce_ms") = 10, py::kw_only(),
           py::arg("facts_check") = py::none(),
           R"doc(Load the artifact file and/or the fact files now, then reload them whenever they
change (replace them atomically: write a new file and rename it over the old
one), on a thread of its own. A version that fails to load is refused and
counted (Watcher.counters()); decisions keep the last good one. An error in
the initial load raises WatchError. Fact files are checked against the
policy (facts_check, or the engine's), and each policy reload against the
facts in service; the findings of the last load are last_fact_findings.)doc")
      .def("follow_postgres",
           [](bindings::HostEngine& h, const std::string& url, py::handle mapping, std::uint64_t max_staleness_ms,
              py::handle facts_check) {
             bindings::PostgresFactsOptions o;
             o.url = url;
             o.mapping = fspath(mapping);
             o.max_staleness = std::chrono::milliseconds(max_staleness_ms);
             const std::optional<FactsCheck> check = check_arg(facts_check);
             Status s;
             std::unique_ptr<bindings::PostgresFacts> f;
             {
               py::gil_scoped_release release;
               f = h.follow_postgres(o, check, s);
             }
             if (!f) {
               bindings::HostFindings findings;
               if (s.code.rfind("F04", 0) == 0) findings = h.last_findings();
               raise_facts({s.code, s.message, "", s.line, 0, {}, -1, false}, findings);
             }
             return std::make_unique<PyPostgresFacts>(std::move(f));
           },
           py::arg("url"), py::arg("mapping"), py::kw_only(), py::arg("max_staleness_ms") = 0,
           py::arg("facts_check") = py::none(),
           R"doc(Load the facts from a PostgreSQL database through a mapping file, in one consistent
snapshot, then follow its changes on a thread of its own (the triggers of
`warden facts install-triggers` publish them), as `warden serve --facts
postgresql://…` does (docs/postgres.md). When the connection drops, decisions
keep the last facts; the source reconnects and resynchronizes. A mapping that
is refused or does not fit the database, or a database that cannot be
reached, raises FactsError (P01xx–P03xx) and changes nothing. Rows naming
what the policy does not declare are loaded with warnings (last_fact_findings,
status() counters), or with facts_check "refuse" refuse the load (FactsError
F04xx at the start; later, the batch is refused and the facts in service
stay).)doc")
      .def_property_readonly("has_policy", [](const bindings::HostEngine& h) { return h.engine().has_policy(); })
      .def_property_readonly("policy_fingerprint",
                             [](const bindings::HostEngine& h) { return fingerprint_hex(h.engine().policy_fingerprint()); },
                             "The loaded policy's fingerprint (16 hex digits; all zeros without a policy).")
      .def_property_readonly("facts_version", [](const bindings::HostEngine& h) { return h.engine().facts_version(); },
                             "Grows with every published fact change, full replacements included.");
}

void bind_compile(py::module_& m) {
  py::class_<bindings::CompiledDiagnostic>(m, "Diagnostic", "A compiler diagnostic, as `warden check` reports it.")
      .def_readonly("code", &bindings::CompiledDiagnostic::code)
      .def_readonly("severity", &bindings::CompiledDiagnostic::severity)
      .def_readonly("message", &bindings::CompiledDiagnostic::message)
      .def_readonly("file", &bindings::CompiledDiagnostic::file)
      .def_readonly("line", &bindings::CompiledDiagnostic::line)
      .def_readonly("column", &bindings::CompiledDiagnostic::column)
      .def_readonly("text", &bindings::CompiledDiagnostic::text, "Rendered with the source line and a caret.")
      .def("to_dict", [](const bindings::CompiledDiagnostic& d) { return json_fn("loads")(d.json); },
           "As `warden check --format json` gives it.")
      .def("__str__", [](const bindings::CompiledDiagnostic& d) { return d.text; })
      .def("__repr__", [](const bindings::CompiledDiagnostic& d) {
        return "<Diagnostic " + d.severity + "[" + d.code + "] " + d.message + ">";
      });

  py::class_<bindings::CompiledPolicy>(m, "Compilation", "What compile() produced: an artifact or diagnostics.")
      .def_readonly("ok", &bindings::CompiledPolicy::ok)
      .def_readonly("failure", &bindings::CompiledPolicy::failure, "'' | 'input' | 'policy' | 'internal'")
      .def_readonly("name", &bindings::CompiledPolicy::name)
      .def_property_readonly("artifact",
                             [](const bindings::CompiledPolicy& c) -> py::object {
                               if (!c.ok) return py::none();
                               return py::bytes(c.artifact);
                             },
                             "The `.wdn` bytes (what `warden compile -o` writes), or None on failure.")
      .def_property_readonly("fingerprint",
                             [](const bindings::CompiledPolicy& c) { return fingerprint_hex(c.fingerprint); })
      .def_readonly("diagnostics", &bindings::CompiledPolicy::diagnostics)
      .def("__repr__", [](const bindings::CompiledPolicy& c) {
        return "<Compilation " + c.name + (c.ok ? " ok " + fingerprint_hex(c.fingerprint) : " failed") + " (" +
               std::to_string(c.diagnostics.size()) + " diagnostics)>";
      });

  m.def("compile",
        [](py::handle path, bool werror) {
          const std::string p = fspath(path);
          py::gil_scoped_release release;
          return bindings::compile_policy(p, werror);
        },
        py::arg("policy_path"), py::kw_only(), py::arg("werror") = false,
        R"doc(Compile a policy through the compiler driver, as `warden compile` does: a policy
directory, a one-file policy, or a `.wdn` artifact (read and verified).
Returns a Compilation: .ok, .artifact (bytes for Engine()), .fingerprint and
.diagnostics (each with code, severity, message, file, line, column, text).
werror=True fails on warnings too.)doc");
}

}  // namespace warden::python
