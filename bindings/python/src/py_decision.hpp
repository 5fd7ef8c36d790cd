// warden.Decision: a decision and its explanation, as Python sees it.
//
// Part of the Python module (bindings/python). The object holds the C++
// Decision (a plain value of inline buffers, decision.hpp) and, when asked
// for, the Trace; attributes are converted when read, so a decision whose
// caller only looks at `allowed` costs no string conversions. to_json() is
// the runtime's explanation JSON (warden/explain.hpp) and to_dict() that
// JSON parsed, field for field.
#pragma once

#include <pybind11/pybind11.h>

#include <memory>

#include "warden/engine.hpp"

namespace warden::python {

struct PyDecision {
  Decision decision;
  std::unique_ptr<Trace> trace;  // set by decide(..., trace=True)
  bool authenticated = false;    // the request presented a key or a principal
};

void bind_decision(pybind11::module_& m);

}  // namespace warden::python
