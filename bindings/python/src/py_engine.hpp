// warden.Engine, warden.Watcher and warden.compile() for Python.
//
// Part of the Python module (bindings/python): a thin front end over the
// public Engine (include/warden/engine.hpp), the fact readers
// (bindings/core/facts_input.hpp), hot reload (bindings/core/engine_watch.hpp)
// and the compiler driver (bindings/core/compile_policy.hpp). The
// interpreter lock is released while a decision, a load, an update or a
// compilation runs, so Python threads decide in parallel and a reload on one
// thread never stalls the others.
#pragma once

#include <pybind11/pybind11.h>

namespace warden::python {

void bind_engine(pybind11::module_& m);
void bind_compile(pybind11::module_& m);

}  // namespace warden::python
