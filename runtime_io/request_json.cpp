// The request reader (see warden/request_json.hpp).
#include "warden/request_json.hpp"

#include <string>

#include "runtime_io/json_fields.hpp"
#include "runtime_io/request_reader.hpp"
#include "support/literals.hpp"

namespace warden {
namespace {

using namespace runtime_io;  // the readers' internals

constexpr std::size_t kMaxRequest = std::size_t{1} << 20;

using AddAttribute = void (OwnedRequest::*)(std::string_view, const AttributeValue&);

// An attribute value as the request carries it: string, integer or boolean.
bool attribute(FieldReader& r, const json::Member& a, std::string_view what, OwnedRequest& out, AddAttribute add) {
  switch (a.value.kind()) {
    case json::Value::Kind::String: (out.*add)(a.key, AttributeValue::string(a.value.as_string())); return true;
    case json::Value::Kind::Int: (out.*add)(a.key, AttributeValue::integer(a.value.as_int())); return true;
    case json::Value::Kind::Bool: (out.*add)(a.key, AttributeValue::flag(a.value.as_bool())); return true;
    default:
      return r.fail(r.codes().wrong_type,
                    "attribute " + ticked(a.key) + " of " + std::string(what) +
                        " must be a string, an integer or a boolean, not " + a_kind(a.value.kind()),
                    a.value);
  }
}

bool attributes(FieldReader& r, const json::Member& m, std::string_view what, OwnedRequest& out, AddAttribute add) {
  if (!m.value.is_object()) return r.wrong_type(m, what, "an object");
  for (const auto& a : m.value.members()) {
    if (!attribute(r, a, what, out, add)) return false;
  }
  return true;
}

// A string member, kept in `out`.
bool text(FieldReader& r, const json::Member& m, std::string_view what, OwnedRequest& out, std::string_view& field,
          bool non_empty = true) {
  if (!m.value.is_string()) return r.wrong_type(m, what, "a string");
  if (non_empty && m.value.as_string().empty()) {
    return r.fail(r.codes().invalid_value, "field `" + m.key + "` of " + std::string(what) + " must not be empty",
                  m.value);
  }
  field = out.keep(m.value.as_string());
  return true;
}

// The principal or the resource: {"type", "id", "attributes"}.
bool entity(FieldReader& r, const json::Member& m, bool principal, OwnedRequest& out) {
  const std::string_view what = principal ? "principal" : "resource";
  if (!m.value.is_object()) return r.wrong_type(m, "request", "an object");
  Request& q = out.request;
  for (const auto& f : m.value.members()) {
    bool ok = true;
    if (f.key == "type") ok = text(r, f, what, out, principal ? q.principal_type : q.resource_type);
    else if (f.key == "id") ok = text(r, f, what, out, principal ? q.principal_id : q.resource_id);
    else if (f.key == "attributes")
      ok = attributes(r, f, what, out,
                      principal ? &OwnedRequest::add_principal_attribute : &OwnedRequest::add_resource_attribute);
    else return r.unknown(f, what, {"type", "id", "attributes"});
    if (!ok) return false;
  }
  // A resource names its type; a principal defaults to `user`.
  return principal || r.require(m.value, what, "type");
}

bool key_values(FieldReader& r, const json::Member& m, OwnedRequest& out, bool headers) {
  if (!m.value.is_object()) return r.wrong_type(m, "request", "an object of strings");
  for (const auto& kv : m.value.members()) {
    if (!kv.value.is_string()) {
      return r.fail(r.codes().wrong_type,
                    std::string(headers ? "header " : "query parameter ") + ticked(kv.key) + " must be a string, not " +
                        a_kind(kv.value.kind()),
                    kv.value);
    }
    if (headers) {
      out.add_header(kv.key, kv.value.as_string());
    } else {
      out.add_query(kv.key, kv.value.as_string());
    }
  }
  return true;
}

bool context(FieldReader& r, const json::Member& m, OwnedRequest& out) {
  if (!m.value.is_object()) return r.wrong_type(m, "request", "an object");
  for (const auto& c : m.value.members()) {
    if (c.key == "time") {
      if (!r.time(c, "context", out.request.time)) return false;
    } else if (c.key == "client_ip") {
      std::string_view ip;
      if (!text(r, c, "context", out, ip)) return false;
      if (const IpResult parsed = parse_ip(ip); !parsed.error.empty()) {
        return r.fail(r.codes().invalid_value, "invalid `client_ip` " + ticked(ip) + ": " + parsed.error, c.value);
      }
      out.request.client_ip = ip;
    } else if (!attribute(r, c, "context", out, &OwnedRequest::add_context)) {
      return false;
    }
  }
  return true;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decode a query component (`+` is a space) into `out`.
bool decode_component(std::string_view in, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = hex(in[i + 1]), lo = hex(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += in[i];
    }
  }
  return true;
}

// The top-level scalar fields of a body object (request_json.hpp).
bool add_body(const json::Value& object, OwnedRequest& out, std::string& reason) {
  if (!object.is_object()) {
    reason = "a body is one JSON object";
    return false;
  }
  if (object.members().size() > kMaxBodyFields) {
    reason = "a body has at most " + std::to_string(kMaxBodyFields) + " fields";
    return false;
  }
  for (const auto& f : object.members()) {
    switch (f.value.kind()) {
      case json::Value::Kind::String: out.add_body_field(f.key, AttributeValue::string(f.value.as_string())); break;
      case json::Value::Kind::Int: out.add_body_field(f.key, AttributeValue::integer(f.value.as_int())); break;
      case json::Value::Kind::Bool: out.add_body_field(f.key, AttributeValue::flag(f.value.as_bool())); break;
      default: break;  // not a value a binding can take
    }
  }
  return true;
}

bool read_fields(FieldReader& r, const json::Value& o, OwnedRequest& out) {
  constexpr std::string_view w = "request";
  Request& q = out.request;
  const json::Member* path = nullptr;
  const json::Member* query = nullptr;
  for (const auto& m : o.members()) {
    if (m.key == "path" || m.key == "query") {
      // Read after the loop: the path's own query parameters come first.
      const bool is_path = m.key == "path";
      if (is_path ? !m.value.is_string() : !m.value.is_object()) {
        return r.wrong_type(m, w, is_path ? "a string" : "an object of strings");
      }
      (is_path ? path : query) = &m;
      continue;
    }
    bool ok = true;
    if (m.key == "request_id") ok = text(r, m, w, out, q.request_id, false);
    else if (m.key == "tenant") ok = text(r, m, w, out, q.tenant, false);
    else if (m.key == "principal") ok = entity(r, m, true, out);
    else if (m.key == "api_key") ok = text(r, m, w, out, q.api_key);
    else if (m.key == "action") ok = text(r, m, w, out, q.action);
    else if (m.key == "resource") ok = entity(r, m, false, out);
    else if (m.key == "method") ok = text(r, m, w, out, q.method);
    else if (m.key == "headers") ok = key_values(r, m, out, true);
    else if (m.key == "context") ok = context(r, m, out);
    else if (m.key == "peer") ok = text(r, m, w, out, q.peer_address);
    else if (m.key == "body") {
      std::string reason;
      if (!m.value.is_object()) return r.wrong_type(m, w, "an object");
      if (!add_body(m.value, out, reason)) return r.fail(r.codes().invalid_value, "invalid `body`: " + reason, m.value);
    } else {
      return r.unknown(m, w, {"request_id", "tenant", "principal", "api_key", "action", "resource", "method", "path",
                              "headers", "query", "body", "peer", "context"});
    }
    if (!ok) return false;
  }
  if (path) {
    const char* reason = nullptr;
    if (!set_target(path->value.as_string(), out, reason)) {
      return r.fail(r.codes().invalid_value, "invalid `path` " + ticked(path->value.as_string()) + ": " + reason,
                    path->value);
    }
  }
  if (query && !key_values(r, *query, out, false)) return false;
  // Either an action on a resource or an HTTP request.
  if (o.find("action") && o.find("method")) {
    return r.fail(Code::F0209, "a request has either `action` (with `resource`) or `method` and `path`, not both",
                  *o.find("method"));
  }
  if (o.find("method")) return r.require(o, w, "path");
  if (o.find("path")) return r.require(o, w, "method");
  if (o.find("action")) return r.require(o, w, "resource");
  if (o.find("resource")) return r.require(o, w, "action");
  return r.fail(r.codes().missing_field, "missing field `action` or `method` in request (a request needs `action` and "
                "`resource`, or `method` and `path`)", o);
}

}  // namespace

bool set_target(std::string_view target, OwnedRequest& out, const char*& reason) {
  if (const auto hash = target.find('#'); hash != std::string_view::npos) target = target.substr(0, hash);
  const auto question = target.find('?');
  const std::string_view path = target.substr(0, question);
  if (path.empty() || path.front() != '/') {
    reason = "a path starts with `/`";
    return false;
  }
  out.request.path = out.keep(path);
  if (question == std::string_view::npos) return true;
  std::string_view rest = target.substr(question + 1);
  std::string name, value;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    if (!decode_component(pair.substr(0, eq), name) ||
        !decode_component(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), value)) {
      reason = "malformed percent-encoding in the query string";
      return false;
    }
    out.add_query(name, value);
  }
  return true;
}

bool set_body(std::string_view json_text, OwnedRequest& out, std::string& reason) {
  if (json_text.size() > kMaxBodyBytes) {
    reason = "a body is at most " + std::to_string(kMaxBodyBytes / 1024) + " KiB";
    return false;
  }
  json::Limits limits;
  limits.max_size = kMaxBodyBytes;
  const auto parsed = json::parse(json_text, limits);
  if (!parsed.ok()) {
    reason = "not JSON: " + parsed.error.message;
    return false;
  }
  return add_body(*parsed.value, out, reason);
}

std::optional<InputError> runtime_io::read_request(const json::Value& object, OwnedRequest& out,
                                                   std::string_view file_name, std::uint32_t line) {
  out.clear();
  InputError error;
  FieldReader r(kRequestCodes, file_name, line - 1, error);
  if (r.object(object, "a request") && read_fields(r, object, out)) return std::nullopt;
  out.clear();
  return error;
}

std::optional<InputError> parse_request(std::string_view text, OwnedRequest& out, std::string_view file_name,
                                        std::uint32_t line) {
  json::Limits limits;
  limits.max_size = kMaxRequest;
  const auto parsed = json::parse(text, limits);
  if (!parsed.ok()) {
    out.clear();
    InputError error;
    FieldReader r(kRequestCodes, file_name, line - 1, error);
    r.fail_json(parsed.error);
    return error;
  }
  return read_request(*parsed.value, out, file_name, line);
}

}  // namespace warden
