// Raising warden's Python exceptions (warden/_errors.py) from C++: every one
// carries the stable code and, for input, the place.
//
// Part of the Python module (bindings/python).
#pragma once

#include <pybind11/pybind11.h>

#include <string>

#include "bindings/core/facts_input.hpp"
#include "warden/input_error.hpp"
#include "warden/engine.hpp"

namespace warden::python {

enum class ErrorKind { Policy, Facts, Request, Watch };

// Look the exception classes up once (at module import).
void init_errors();

// Raise (throws pybind11::error_already_set).
[[noreturn]] void raise(ErrorKind kind, const std::string& code, const std::string& message,
                        const std::string& file = "", std::uint32_t line = 0, std::uint32_t column = 0);
[[noreturn]] void raise(ErrorKind kind, const InputError& e);
[[noreturn]] void raise(ErrorKind kind, const Status& s);
// FactsError for refused facts: the error placed (file, line, column; record
// and section for in-memory input) with every F04xx reason in `findings`.
[[noreturn]] void raise_facts(const bindings::HostFinding& error, const bindings::HostFindings& findings);

// Findings as a warden.FactFindings (warden/_findings.py).
pybind11::object findings_object(const bindings::HostFindings& findings);

}  // namespace warden::python
