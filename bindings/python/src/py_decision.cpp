// warden.Decision and warden.Rule (see py_decision.hpp).
#include "py_decision.hpp"

#include "bindings/core/http_status.hpp"
#include "warden/explain.hpp"

namespace py = pybind11;

namespace warden::python {
namespace {

// Text cut at a byte boundary may end inside a UTF-8 sequence: replace
// rather than fail.
py::str utf8(std::string_view v) {
  PyObject* o = PyUnicode_DecodeUTF8(v.data(), static_cast<Py_ssize_t>(v.size()), "replace");
  if (!o) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(o);
}

template <std::size_t N>
py::str str(const FixedString<N>& s) {
  return utf8(s.view());
}

py::list trace_list(const Trace& t) {
  py::list out;
  for (const auto& e : t.events) {
    py::dict d;
    d["kind"] = trace_kind_name(e.kind);
    d["text"] = utf8(e.text);
    out.append(std::move(d));
  }
  return out;
}

py::str to_json(const PyDecision& d) { return utf8(decision_json(d.decision, d.trace.get())); }

py::object json_loads() {
  static PyObject* loads = py::object(py::module_::import("json").attr("loads")).release().ptr();  // kept for the process
  return py::reinterpret_borrow<py::object>(loads);
}

}  // namespace

void bind_decision(py::module_& m) {
  py::class_<RuleRef>(m, "Rule", "A rule that determined a decision, with its source location.")
      .def_property_readonly("name", [](const RuleRef& r) { return str(r.name); },
                             "The rule's name, or `endpoint METHOD PATTERN`.")
      .def_property_readonly("effect", [](const RuleRef& r) { return r.deny ? "deny" : "allow"; },
                             "`allow` or `deny`.")
      .def_property_readonly("monitor", [](const RuleRef& r) { return r.monitor; },
                             "A monitor-mode rule: its deny was logged, not enforced.")
      .def_property_readonly("file", [](const RuleRef& r) { return str(r.file); }, "The policy file it is written in.")
      .def_property_readonly("line", [](const RuleRef& r) { return r.line; })
      .def_property_readonly("column", [](const RuleRef& r) { return r.column; })
      .def("to_dict",
           [](const RuleRef& r) {
             py::dict d;
             d["name"] = str(r.name);
             d["effect"] = r.deny ? "deny" : "allow";
             d["monitor"] = r.monitor;
             d["file"] = str(r.file);
             d["line"] = r.line;
             d["column"] = r.column;
             return d;
           },
           "The rule as in the explanation JSON.")
      .def("__repr__", [](const RuleRef& r) {
        return "<Rule " + std::string(r.deny ? "deny " : "allow ") + r.name.str() + " at " + r.file.str() + ":" +
               std::to_string(r.line) + ":" + std::to_string(r.column) + ">";
      });

  py::class_<PyDecision>(m, "Decision",
                         "A decision and its explanation. Attributes mirror the explanation JSON (to_dict()).")
      .def_property_readonly("outcome", [](const PyDecision& d) { return outcome_name(d.decision.outcome); },
                             "`allow`, `deny` or `would-deny` (a monitor-mode deny: allowed).")
      .def_property_readonly("allowed", [](const PyDecision& d) { return d.decision.allowed(); },
                             "True for `allow` and `would-deny`.")
      .def_property_readonly("code", [](const PyDecision& d) { return str(d.decision.code); },
                             "Stable code: ALLOW, SCOPE_MISSING, PERMISSION_DENIED, ORG_SUSPENDED, ...")
      .def_property_readonly("message", [](const PyDecision& d) { return str(d.decision.message); },
                             "The sentence for a 403 body.")
      .def_property_readonly("hint", [](const PyDecision& d) { return str(d.decision.hint); },
                             "What would make the request pass.")
      .def_property_readonly("required", [](const PyDecision& d) { return str(d.decision.required); },
                             "What was required (scopes, level, role, tenant).")
      .def_property_readonly("present", [](const PyDecision& d) { return str(d.decision.present); },
                             "What the principal had.")
      .def_property_readonly("rules",
                             [](const PyDecision& d) {
                               py::list out;
                               for (std::uint8_t i = 0; i < d.decision.rule_count && i < Decision::kMaxRules; ++i) {
                                 out.append(py::cast(d.decision.rules[i]));
                               }
                               return out;
                             },
                             "The determining rules (list of Rule).")
      .def_property_readonly("source", [](const PyDecision& d) { return source_kind_name(d.decision.source); },
                             "The permission source: scope, role, direct-grant, collection-grant, ...")
      .def_property_readonly("source_detail", [](const PyDecision& d) { return str(d.decision.source_detail); })
      .def_property_readonly("grant_id", [](const PyDecision& d) { return str(d.decision.grant_id); })
      .def_property_readonly("endpoint", [](const PyDecision& d) { return str(d.decision.endpoint); })
      .def_property_readonly("raw_path", [](const PyDecision& d) { return str(d.decision.raw_path); },
                             "HTTP requests: the path as received.")
      .def_property_readonly("path", [](const PyDecision& d) { return str(d.decision.path); },
                             "HTTP requests: the path as normalized for routing (empty when it was refused).")
      .def_property_readonly("action", [](const PyDecision& d) { return str(d.decision.action); })
      .def_property_readonly("resource_type", [](const PyDecision& d) { return str(d.decision.resource_type); })
      .def_property_readonly("resource_id", [](const PyDecision& d) { return str(d.decision.resource_id); })
      .def_property_readonly("principal", [](const PyDecision& d) { return str(d.decision.principal); })
      .def_property_readonly("caller", [](const PyDecision& d) { return caller_kind_name(d.decision.caller); },
                             "`anonymous`, `session` or `key`, by the credentials the request presents.")
      .def_property_readonly("client_ip", [](const PyDecision& d) { return str(d.decision.client_ip); },
                             "The client address the decision used, when it used one.")
      .def_property_readonly("tenant", [](const PyDecision& d) { return str(d.decision.tenant); })
      .def_property_readonly("request_id", [](const PyDecision& d) { return str(d.decision.request_id); })
      .def_property_readonly("policy_fingerprint",
                             [](const PyDecision& d) { return fingerprint_hex(d.decision.policy_fingerprint); },
                             "The policy's fingerprint, 16 hex digits.")
      .def_property_readonly("facts_version", [](const PyDecision& d) { return d.decision.facts_version; })
      .def_property_readonly("trace",
                             [](const PyDecision& d) -> py::object {
                               if (!d.trace) return py::none();
                               return trace_list(*d.trace);
                             },
                             "The full trace ([{kind, text}]) with decide(..., trace=True), else None.")
      .def_property_readonly("http_status",
                             [](const PyDecision& d) { return bindings::http_status(d.decision, d.authenticated); },
                             "200 allowed; 401 no or bad credential; 503 no policy; 403 otherwise.")
      .def("to_json", &to_json, "The explanation JSON: one line, stable key order (as `warden eval --format json`).")
      .def("to_dict", [](const PyDecision& d) { return json_loads()(to_json(d)); }, "to_json(), parsed.")
      .def("__repr__", [](const PyDecision& d) {
        return "<Decision " + std::string(outcome_name(d.decision.outcome)) + " " + d.decision.code.str() + ">";
      });
}

}  // namespace warden::python
