// Python values to a warden::Request: a request dict and/or keyword
// arguments, walked once and handed to the shared RequestBuilder
// (bindings/core/request_builder.hpp), which copies what it keeps.
//
// Part of the Python module (bindings/python). Runs with the interpreter lock
// held; nothing here calls back into Python code except for mappings that
// are not dicts (their items() is called) and datetime values.
#pragma once

#include <pybind11/pybind11.h>

#include "bindings/core/request_builder.hpp"

namespace warden::python {

// Fill `builder` from `request` (a dict, or None) and then `kwargs` (dict or
// null). A `trace` keyword sets `trace`. Raises warden.RequestError (F02xx)
// for a value of the wrong type or an unknown field; returns the request
// (target: an HTTP request or an action on a resource is required).
const Request& read_request(bindings::RequestBuilder& builder, pybind11::handle request, pybind11::handle kwargs,
                            bool* trace, bool need_target = true);

// A RequestBuilder for this call: the thread's own, or a fresh one when a
// call on this thread is already using it (a mapping's items() deciding).
class BuilderLease {
 public:
  BuilderLease();
  ~BuilderLease();
  BuilderLease(const BuilderLease&) = delete;
  BuilderLease& operator=(const BuilderLease&) = delete;
  bindings::RequestBuilder& get() { return *builder_; }

 private:
  bindings::RequestBuilder* builder_;
  bool own_;
};

}  // namespace warden::python
