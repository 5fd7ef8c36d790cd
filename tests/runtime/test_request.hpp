// Test helper: a Request that owns its strings.
//
// warden::Request only borrows (string_views and spans); tests build requests
// piece by piece and keep them around (random generators, failure reports),
// so they hold a TestRequest and take a Request view of it for each call.
#pragma once

#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "warden/request.hpp"

namespace warden::test {

// An owned attribute value (AttributeValue without the borrowing).
struct TestValue {
  AttributeValue::Kind kind = AttributeValue::Kind::String;
  std::string text;
  std::int64_t number = 0;
  bool boolean = false;

  static TestValue string(std::string s) { return {AttributeValue::Kind::String, std::move(s), 0, false}; }
  static TestValue integer(std::int64_t n) { return {AttributeValue::Kind::Int, {}, n, false}; }
  static TestValue flag(bool b) { return {AttributeValue::Kind::Bool, {}, 0, b}; }

  std::string describe() const {
    switch (kind) {
      case AttributeValue::Kind::String: return "\"" + text + "\"";
      case AttributeValue::Kind::Int: return std::to_string(number);
      case AttributeValue::Kind::Bool: return boolean ? "true" : "false";
    }
    return "?";
  }
};

using TestAttributes = std::vector<std::pair<std::string, TestValue>>;
using TestPairs = std::vector<std::pair<std::string, std::string>>;

struct TestRequest {
  std::string request_id = "req";
  std::string tenant;
  std::string principal_type = "user";
  std::string principal_id;
  std::string api_key;
  TestAttributes principal_attributes;
  std::string action;
  std::string resource_type;
  std::string resource_id;
  TestAttributes resource_attributes;
  std::string method;
  std::string path;
  TestPairs headers;
  TestPairs query;
  TestAttributes body;
  std::optional<std::int64_t> time;
  std::string client_ip;
  std::string peer_address;
  TestAttributes context;

  // A view of this request, valid while this object is alive and unchanged.
  // (The view's spans point into `views_`, rebuilt by each call.)
  Request view() const {
    views_.principal = named(principal_attributes);
    views_.resource = named(resource_attributes);
    views_.context = named(context);
    views_.headers = pairs(headers);
    views_.query = pairs(query);
    views_.body = named(body);
    Request r;
    r.request_id = request_id;
    r.tenant = tenant;
    r.principal_type = principal_type;
    r.principal_id = principal_id;
    r.api_key = api_key;
    r.principal_attributes = views_.principal;
    r.action = action;
    r.resource_type = resource_type;
    r.resource_id = resource_id;
    r.resource_attributes = views_.resource;
    r.method = method;
    r.path = path;
    r.headers = views_.headers;
    r.query = views_.query;
    r.body = views_.body;
    r.time = time;
    r.client_ip = client_ip;
    r.peer_address = peer_address;
    r.context = views_.context;
    return r;
  }

  std::string describe() const {
    std::ostringstream out;
    out << "request {";
    if (!tenant.empty()) out << " tenant=" << tenant;
    out << " principal=" << principal_type << "/" << (principal_id.empty() ? "(none)" : principal_id);
    if (!api_key.empty()) out << " api_key=" << api_key;
    for (const auto& [n, v] : principal_attributes) out << " principal." << n << "=" << v.describe();
    if (!method.empty()) {
      out << " " << method << " " << path;
      for (const auto& [n, v] : query) out << " query:" << n << "=" << v;
    } else {
      out << " " << action << " on " << resource_type << "/" << (resource_id.empty() ? "(none)" : resource_id);
    }
    for (const auto& [n, v] : resource_attributes) out << " resource." << n << "=" << v.describe();
    for (const auto& [n, v] : headers) out << " header:" << n << "=" << v;
    for (const auto& [n, v] : body) out << " body." << n << "=" << v.describe();
    if (time) out << " time=" << *time;
    else out << " time=(none)";
    out << " client_ip=" << (client_ip.empty() ? "(none)" : client_ip);
    if (!peer_address.empty()) out << " peer=" << peer_address;
    for (const auto& [n, v] : context) out << " context." << n << "=" << v.describe();
    out << " }";
    return out.str();
  }

 private:
  static std::vector<NamedValue> named(const TestAttributes& attrs) {
    std::vector<NamedValue> out;
    for (const auto& [n, v] : attrs) out.push_back({n, AttributeValue{v.kind, v.text, v.number, v.boolean}});
    return out;
  }
  static std::vector<KeyValue> pairs(const TestPairs& kvs) {
    std::vector<KeyValue> out;
    for (const auto& [n, v] : kvs) out.push_back({n, v});
    return out;
  }
  struct Views {
    std::vector<NamedValue> principal, resource, context, body;
    std::vector<KeyValue> headers, query;
  };
  mutable Views views_;
};

// A direct request: `principal` (a user) does `action` on `type` `id`, at `time`.
inline TestRequest action_request(std::string principal, std::string action, std::string type, std::string id,
                                  std::optional<std::int64_t> time) {
  TestRequest r;
  r.principal_id = std::move(principal);
  r.action = std::move(action);
  r.resource_type = std::move(type);
  r.resource_id = std::move(id);
  r.time = time;
  return r;
}

}  // namespace warden::test
