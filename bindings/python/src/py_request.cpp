// Walking a Python request (see py_request.hpp). The structure is the JSON
// request's (docs/cli.md): top-level fields, `principal` and `resource`
// objects with `type`, `id` and `attributes`, `headers` and `query` maps, a
// `body` map (the top-level fields of a JSON body), a `context` map with
// `time`, `client_ip` and attributes. `None` stands for a
// field not given, so callers can pass optional values straight through.
#include "py_request.hpp"

#include <datetime.h>

#include <memory>

#include "py_errors.hpp"

namespace py = pybind11;

namespace warden::python {
namespace {

using bindings::EntityField;
using bindings::RequestBuilder;
using bindings::RequestField;
using Owner = RequestBuilder::Owner;

constexpr std::string_view kTimeExpected = "an RFC 3339 time string, Unix seconds or a datetime";

[[noreturn]] void fail(RequestBuilder& b) { raise(ErrorKind::Request, b.error()); }

// "a string", "an integer", … as the JSON reader names kinds.
const char* a_kind(PyObject* v) {
  if (v == Py_None) return "null";
  if (PyBool_Check(v)) return "a boolean";
  if (PyLong_Check(v)) return "an integer";
  if (PyFloat_Check(v)) return "a number";
  if (PyUnicode_Check(v)) return "a string";
  if (PyDict_Check(v) || PyMapping_Check(v)) return "an object";
  if (PyList_Check(v) || PyTuple_Check(v)) return "an array";
  return Py_TYPE(v)->tp_name;
}

// The UTF-8 text of a str (cached by CPython for ASCII), or of bytes (HTTP
// header names and values as ASGI hands them over). False for other types.
bool text_of(PyObject* v, std::string_view& out) {
  if (PyUnicode_Check(v)) {
    Py_ssize_t n = 0;
    const char* s = PyUnicode_AsUTF8AndSize(v, &n);
    if (!s) throw py::error_already_set();
    out = {s, static_cast<std::size_t>(n)};
    return true;
  }
  if (PyBytes_Check(v)) {
    out = {PyBytes_AS_STRING(v), static_cast<std::size_t>(PyBytes_GET_SIZE(v))};
    return true;
  }
  return false;
}

// Calls `f(key, value)` for each item of a dict (fast path) or of any mapping.
template <typename F>
void for_items(PyObject* mapping, F&& f) {
  if (PyDict_Check(mapping)) {
    Py_ssize_t pos = 0;
    PyObject *k, *v;
    while (PyDict_Next(mapping, &pos, &k, &v)) f(k, v);
    return;
  }
  py::object items = py::reinterpret_steal<py::object>(PyMapping_Items(mapping));
  if (!items) throw py::error_already_set();
  for (py::handle item : items) {
    py::tuple pair = py::reinterpret_borrow<py::tuple>(item);
    f(pair[0].ptr(), pair[1].ptr());
  }
}

std::string_view key_text(RequestBuilder& b, PyObject* k, std::string_view of) {
  std::string_view key;
  if (!PyUnicode_Check(k) || !text_of(k, key)) {
    b.fail(Code::F0203, "keys of " + std::string(of) + " must be strings, not " + a_kind(k));
    fail(b);
  }
  return key;
}

void attribute(RequestBuilder& b, Owner owner, std::string_view name, PyObject* v, std::string_view of) {
  std::string_view s;
  if (PyBool_Check(v)) {
    b.attribute_flag(owner, name, v == Py_True);
  } else if (PyLong_Check(v)) {
    int overflow = 0;
    const long long n = PyLong_AsLongLongAndOverflow(v, &overflow);
    if (overflow) {
      b.fail(Code::F0208, "attribute `" + std::string(name) + "` of " + std::string(of) +
                          " is out of the 64-bit integer range");
      fail(b);
    }
    b.attribute(owner, name, static_cast<std::int64_t>(n));
  } else if (PyUnicode_Check(v) && text_of(v, s)) {
    b.attribute(owner, name, s);
  } else {
    b.fail(Code::F0203, "attribute `" + std::string(name) + "` of " + std::string(of) +
                        " must be a string, an integer or a boolean, not " + a_kind(v));
    fail(b);
  }
}

void attributes(RequestBuilder& b, Owner owner, PyObject* v, std::string_view of) {
  if (!PyDict_Check(v) && !PyMapping_Check(v)) {
    if (!b.wrong_type("attributes", of, "an object", a_kind(v))) fail(b);
  }
  for_items(v, [&](PyObject* k, PyObject* value) { attribute(b, owner, key_text(b, k, of), value, of); });
}

void entity(RequestBuilder& b, bool principal, PyObject* v) {
  const char* of = principal ? "principal" : "resource";
  if (!PyDict_Check(v) && !PyMapping_Check(v)) {
    if (!b.wrong_type(of, "request", "an object", a_kind(v))) fail(b);
  }
  b.entity_seen(principal);
  for_items(v, [&](PyObject* k, PyObject* value) {
    const std::string_view key = key_text(b, k, of);
    const EntityField f = bindings::entity_field(key);
    if (value == Py_None) return;
    if (f == EntityField::Unknown) {
      b.unknown_field(key, of);
      fail(b);
    }
    if (f == EntityField::Attributes) {
      attributes(b, principal ? Owner::Principal : Owner::Resource, value, of);
      return;
    }
    std::string_view s;
    if (!PyUnicode_Check(value) || !text_of(value, s)) {
      b.wrong_type(key, of, "a string", a_kind(value));
      fail(b);
    }
    if (!b.entity_text(principal, f, s)) fail(b);
  });
}

// `headers` / `query`: a mapping, or a sequence of (name, value) pairs (str
// or bytes, as ASGI gives headers).
void key_values(RequestBuilder& b, bool headers, PyObject* v) {
  const char* field = headers ? "headers" : "query";
  const auto add = [&](PyObject* k, PyObject* value) {
    std::string_view name, text;
    if (!text_of(k, name) || !text_of(value, text)) {
      b.fail(Code::F0203, std::string(headers ? "headers" : "query parameters") +
                          " must be strings, not " + a_kind(text_of(k, name) ? value : k));
      fail(b);
    }
    if (headers) b.header(name, text);
    else b.query(name, text);
  };
  if (PyList_Check(v) || PyTuple_Check(v)) {
    py::sequence seq = py::reinterpret_borrow<py::sequence>(v);
    for (py::handle item : seq) {
      PyObject* p = item.ptr();
      if (!(PyTuple_Check(p) || PyList_Check(p)) || PySequence_Size(p) != 2) {
        b.fail(Code::F0203,
               std::string("items of `") + field + "` must be (name, value) pairs, not " + a_kind(p));
        fail(b);
      }
      py::object name = py::reinterpret_steal<py::object>(PySequence_GetItem(p, 0));
      py::object value = py::reinterpret_steal<py::object>(PySequence_GetItem(p, 1));
      add(name.ptr(), value.ptr());
    }
    return;
  }
  if (!PyDict_Check(v) && !PyMapping_Check(v)) {
    b.wrong_type(field, "request", "an object of strings", a_kind(v));
    fail(b);
  }
  for_items(v, add);
}

// `body`: the strings, integers and booleans of a mapping (a JSON object
// body as json.loads gives it); members of other kinds are left out, as the
// JSON reader leaves out null, fractions, arrays and objects.
void body(RequestBuilder& b, PyObject* v) {
  if (!PyDict_Check(v) && !PyMapping_Check(v)) {
    b.wrong_type("body", "request", "an object", a_kind(v));
    fail(b);
  }
  const Py_ssize_t n = PyMapping_Size(v);
  if (n < 0) throw py::error_already_set();
  if (!b.body(static_cast<std::size_t>(n))) fail(b);
  for_items(v, [&](PyObject* k, PyObject* value) {
    const std::string_view name = key_text(b, k, "body");
    std::string_view s;
    if (PyBool_Check(value)) {
      b.body_field(name, AttributeValue::flag(value == Py_True));
    } else if (PyLong_Check(value)) {
      int overflow = 0;
      const long long number = PyLong_AsLongLongAndOverflow(value, &overflow);
      if (!overflow) b.body_field(name, AttributeValue::integer(static_cast<std::int64_t>(number)));
    } else if (PyUnicode_Check(value) && text_of(value, s)) {
      b.body_field(name, AttributeValue::string(s));
    }
  });
}

void context(RequestBuilder& b, PyObject* v) {
  if (!PyDict_Check(v) && !PyMapping_Check(v)) {
    b.wrong_type("context", "request", "an object", a_kind(v));
    fail(b);
  }
  for_items(v, [&](PyObject* k, PyObject* value) {
    const std::string_view key = key_text(b, k, "context");
    if (value == Py_None) return;
    std::string_view s;
    if (key == "time") {
      bool ok = true;
      if (PyUnicode_Check(value) && text_of(value, s)) {
        ok = b.time(s);
      } else if (PyLong_Check(value) && !PyBool_Check(value)) {
        int overflow = 0;
        const long long seconds = PyLong_AsLongLongAndOverflow(value, &overflow);
        // As the JSON reader: Unix seconds beyond 64 bits are not Unix seconds.
        ok = overflow ? b.wrong_type("time", "context", kTimeExpected, "an integer out of the 64-bit range")
                      : b.time(static_cast<std::int64_t>(seconds));
      } else if (PyDateTime_Check(value)) {
        // An aware datetime is a point in time; a naive one is taken as UTC.
        py::handle dt(value);
        py::object aware = dt.attr("tzinfo").is_none()
                               ? dt.attr("replace")(py::arg("tzinfo") = py::module_::import("datetime").attr("timezone").attr("utc"))
                               : py::reinterpret_borrow<py::object>(dt);
        ok = b.time(static_cast<std::int64_t>(aware.attr("timestamp")().cast<double>()));
      } else {
        b.wrong_type("time", "context", kTimeExpected, a_kind(value));
        ok = false;
      }
      if (!ok) fail(b);
    } else if (key == "client_ip") {
      if (!PyUnicode_Check(value) || !text_of(value, s)) {
        b.wrong_type("client_ip", "context", "a string", a_kind(value));
        fail(b);
      }
      if (!b.client_ip(s)) fail(b);
    } else {
      attribute(b, Owner::Context, key, value, "context");
    }
  });
}

void member(RequestBuilder& b, std::string_view key, PyObject* value) {
  const RequestField f = bindings::request_field(key);
  switch (f) {
    case RequestField::Unknown: b.unknown_field(key, "request"); fail(b);
    case RequestField::Principal: entity(b, true, value); return;
    case RequestField::Resource: entity(b, false, value); return;
    case RequestField::Headers: key_values(b, true, value); return;
    case RequestField::Query: key_values(b, false, value); return;
    case RequestField::Body: body(b, value); return;
    case RequestField::Context: context(b, value); return;
    default: {
      std::string_view s;
      if (!PyUnicode_Check(value) || !text_of(value, s)) {
        b.wrong_type(key, "request", "a string", a_kind(value));
        fail(b);
      }
      if (!b.text(f, s)) fail(b);
    }
  }
}

thread_local bindings::RequestBuilder* t_builder = nullptr;
thread_local bool t_builder_busy = false;

}  // namespace

BuilderLease::BuilderLease() {
  if (!t_builder_busy) {
    if (!t_builder) t_builder = new bindings::RequestBuilder;  // one per thread, kept for its life
    builder_ = t_builder;
    own_ = false;
    t_builder_busy = true;
  } else {
    builder_ = new bindings::RequestBuilder;
    own_ = true;
  }
  builder_->reset();
}

BuilderLease::~BuilderLease() {
  if (own_) delete builder_;
  else t_builder_busy = false;
}

const Request& read_request(bindings::RequestBuilder& b, py::handle request, py::handle kwargs, bool* trace,
                            bool need_target) {
  if (!PyDateTimeAPI) PyDateTime_IMPORT;
  const auto walk = [&](PyObject* mapping, bool keywords) {
    for_items(mapping, [&](PyObject* k, PyObject* value) {
      const std::string_view key = key_text(b, k, "request");
      if (keywords && trace && key == "trace") {
        *trace = PyObject_IsTrue(value) == 1;
        return;
      }
      if (value == Py_None) return;
      member(b, key, value);
    });
  };
  if (request && !request.is_none()) {
    if (!PyDict_Check(request.ptr()) && !PyMapping_Check(request.ptr())) {
      b.fail(Code::F0203,
             std::string("a request must be a dict (or keyword arguments), not ") + a_kind(request.ptr()));
      fail(b);
    }
    walk(request.ptr(), false);
  }
  if (kwargs && !kwargs.is_none()) walk(kwargs.ptr(), true);
  const Request* r = b.finish(need_target);
  if (!r) fail(b);
  return *r;
}

}  // namespace warden::python
