// The `warden._warden` extension module: in-process decisions for Python.
//
// Pipeline position: bindings/python, a front end over the runtime and the
// compiler driver (docs/python.md). The package `warden` (warden/__init__.py)
// re-exports what is defined here, with the exception classes and the
// FastAPI integration written in Python.
#include <pybind11/pybind11.h>

#include "py_decision.hpp"
#include "py_engine.hpp"
#include "py_errors.hpp"

PYBIND11_MODULE(_warden, m) {
  m.doc() = "Warden's decision engine and policy compiler, in process.";
  warden::python::init_errors();
  warden::python::bind_decision(m);
  warden::python::bind_engine(m);
  warden::python::bind_compile(m);
  m.attr("__version__") = WARDEN_VERSION;
}
