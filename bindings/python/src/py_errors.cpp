// warden's exceptions, raised from C++ (see py_errors.hpp).
#include "py_errors.hpp"

namespace py = pybind11;

namespace warden::python {
namespace {

// Owned references kept for the life of the process: exception classes are
// never unloaded with the module, and destroying Python objects at exit,
// after the interpreter is gone, would crash.
PyObject* g_classes[4] = {nullptr, nullptr, nullptr, nullptr};

}  // namespace

void init_errors() {
  py::module_ m = py::module_::import("warden._errors");
  const char* names[4] = {"PolicyError", "FactsError", "RequestError", "WatchError"};
  for (int i = 0; i < 4; ++i) g_classes[i] = py::object(m.attr(names[i])).release().ptr();
}

void raise(ErrorKind kind, const std::string& code, const std::string& message, const std::string& file,
           std::uint32_t line, std::uint32_t column) {
  py::handle cls(g_classes[static_cast<int>(kind)]);
  py::object instance = cls(code, message, file, line, column);
  PyErr_SetObject(cls.ptr(), instance.ptr());
  throw py::error_already_set();
}

void raise(ErrorKind kind, const InputError& e) { raise(kind, e.code, e.message, e.file, e.line, e.column); }

void raise(ErrorKind kind, const Status& s) { raise(kind, s.code, s.message, "", s.line, 0); }

py::object findings_object(const bindings::HostFindings& findings) {
  static PyObject* from_json = py::object(py::module_::import("warden._findings").attr("_from_json")).release().ptr();
  return py::reinterpret_borrow<py::object>(from_json)(bindings::findings_json(findings));
}

void raise_facts(const bindings::HostFinding& e, const bindings::HostFindings& findings) {
  py::handle cls(g_classes[static_cast<int>(ErrorKind::Facts)]);
  py::object record = e.record < 0 ? py::none() : py::object(py::int_(e.record));
  py::object section = e.section.empty() ? py::none() : py::object(py::str(e.section));
  py::object instance = cls(e.code, e.message, e.file, e.line, e.column, record, section, findings_object(findings));
  PyErr_SetObject(cls.ptr(), instance.ptr());
  throw py::error_already_set();
}

}  // namespace warden::python
