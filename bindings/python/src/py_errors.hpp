// Raising warden's Python exceptions (warden/_errors.py) from C++: every one
// carries the stable code and, for input, the place.
//
// Part of the Python module (bindings/python).
#pragma once

#include <pybind11/pybind11.h>

#include <string>

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

}  // namespace warden::python
