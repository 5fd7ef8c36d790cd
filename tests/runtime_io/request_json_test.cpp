// Reading requests from JSON (warden/request_json.hpp) and the storage that
// keeps them alive (warden/owned_request.hpp).
#include <catch2/catch.hpp>

#include "warden/request_json.hpp"

using namespace warden;

namespace {

std::string_view attr_text(std::span<const NamedValue> list, std::string_view name) {
  for (const auto& v : list) {
    if (v.name == name) return v.value.text;
  }
  return "<missing>";
}

InputError error_of(std::string_view text) {
  OwnedRequest r;
  auto e = parse_request(text, r, "req.json");
  REQUIRE(e);
  return *e;
}

}  // namespace

TEST_CASE("requests: an HTTP request with everything", "[request]") {
  OwnedRequest r;
  const auto e = parse_request(R"({
    "request_id": "r-1", "tenant": "acme",
    "principal": {"type": "user", "id": "alice", "attributes": {"department": "ml", "level": 3, "staff": true}},
    "api_key": "k1",
    "method": "GET", "path": "/api/2.0/mlflow/registered-models/get?name=my%20model&x=a+b&flag#frag",
    "headers": {"X-Tenant-ID": "acme"},
    "query": {"extra": "1"},
    "context": {"time": "2026-01-31T10:00:00+01:00", "client_ip": "10.1.2.3", "country": "DE", "risk": 7}
  })",
                                        r);
  REQUIRE_FALSE(e);
  const Request& q = r.request;
  CHECK(q.request_id == "r-1");
  CHECK(q.tenant == "acme");
  CHECK(q.principal_type == "user");
  CHECK(q.principal_id == "alice");
  CHECK(q.api_key == "k1");
  REQUIRE(q.principal_attributes.size() == 3);
  CHECK(attr_text(q.principal_attributes, "department") == "ml");
  CHECK(q.principal_attributes[1].value.kind == AttributeValue::Kind::Int);
  CHECK(q.principal_attributes[1].value.number == 3);
  CHECK(q.principal_attributes[2].value.boolean);
  CHECK(q.method == "GET");
  CHECK(q.path == "/api/2.0/mlflow/registered-models/get");
  REQUIRE(q.query.size() == 4);
  CHECK(q.query[0].name == "name");
  CHECK(q.query[0].value == "my model");
  CHECK(q.query[1].value == "a b");
  CHECK(q.query[2].name == "flag");
  CHECK(q.query[2].value.empty());
  CHECK(q.query[3].name == "extra");  // after the path's own parameters
  REQUIRE(q.headers.size() == 1);
  CHECK(q.headers[0].name == "X-Tenant-ID");
  CHECK(q.headers[0].value == "acme");
  CHECK(q.time == 1769850000);
  CHECK(q.client_ip == "10.1.2.3");
  REQUIRE(q.context.size() == 2);
  CHECK(attr_text(q.context, "country") == "DE");
  CHECK(q.context[1].value.number == 7);
  CHECK(q.action.empty());
}

TEST_CASE("requests: an action on a resource", "[request]") {
  OwnedRequest r;
  REQUIRE_FALSE(parse_request(
      R"({"principal":{"id":"bob"},"action":"update","resource":{"type":"model","id":"m1","attributes":{"stage":"staging"}},"context":{"time":1700000000}})",
      r));
  CHECK(r.request.principal_type == "user");  // the default
  CHECK(r.request.principal_id == "bob");
  CHECK(r.request.action == "update");
  CHECK(r.request.resource_type == "model");
  CHECK(r.request.resource_id == "m1");
  CHECK(attr_text(r.request.resource_attributes, "stage") == "staging");
  CHECK(r.request.time == 1700000000);
  // `resource` without an id: the type as a whole.
  REQUIRE_FALSE(parse_request(R"({"api_key":"k","action":"create","resource":{"type":"model"}})", r));
  CHECK(r.request.resource_id.empty());
  CHECK(r.request.resource_attributes.empty());  // cleared from the previous use
  CHECK_FALSE(r.request.time.has_value());
}

TEST_CASE("requests: views survive reuse and growth", "[request]") {
  OwnedRequest r;
  std::string big = "{\"method\":\"GET\",\"path\":\"/p\",\"headers\":{";
  for (int i = 0; i < 200; ++i) big += (i ? "," : "") + std::string("\"h") + std::to_string(i) + "\":\"value-number-" + std::to_string(i) + "\"";
  big += "}}";
  for (int round = 0; round < 3; ++round) {
    REQUIRE_FALSE(parse_request(big, r));
    REQUIRE(r.request.headers.size() == 200);
    CHECK(r.request.headers[0].value == "value-number-0");
    CHECK(r.request.headers[199].name == "h199");
    CHECK(r.request.headers[199].value == "value-number-199");
  }
}

TEST_CASE("requests: errors carry F02xx codes and positions", "[request]") {
  auto e = error_of("{\"method\": \"GET\",\n \"path\": \"/x\",\n \"principal\": {\"id\": 5}}");
  CHECK(e.code == "F0203");
  CHECK(e.file == "req.json");
  CHECK(e.line == 3);
  CHECK(e.column == 22);
  CHECK(e.message == "field `id` of principal must be a string, not an integer");

  CHECK(error_of("{\"method\":").code == "F0201");
  CHECK(error_of("[]").message == "a request must be an object, not an array");
  CHECK(error_of(R"({"method":"GET"})").message == "missing field `path` in request");
  CHECK(error_of(R"({"path":"/x"})").message == "missing field `method` in request");
  CHECK(error_of(R"({"action":"read"})").message == "missing field `resource` in request");
  CHECK(error_of(R"({"action":"read","resource":{"id":"m"}})").message == "missing field `type` in resource");
  CHECK(error_of(R"({"principal":{"id":"a"}})").code == "F0202");
  e = error_of(R"({"methd":"GET","path":"/x"})");
  CHECK(e.code == "F0204");
  CHECK(e.message == "unknown field `methd` in request (did you mean `method`?)");
  CHECK(error_of(R"({"method":"GET","path":"/x","principal":{"id":"a","role":"r"}})").message ==
        "unknown field `role` in principal");
  e = error_of(R"({"method":"GET","path":"/x","context":{"time":"yesterday"}})");
  CHECK(e.code == "F0206");
  CHECK(e.column == 47);
  CHECK(error_of(R"({"method":"GET","path":"/x","context":{"client_ip":"10.0.0.300"}})").code == "F0208");
  CHECK(error_of(R"({"method":"GET","path":"x"})").message == "invalid `path` `x`: a path starts with `/`");
  CHECK(error_of(R"({"method":"GET","path":"/x?a=%zz"})").message ==
        "invalid `path` `/x?a=%zz`: malformed percent-encoding in the query string");
  CHECK(error_of(R"({"method":"GET","path":"/x?a=%2"})").code == "F0208");
  CHECK(error_of(R"({"method":"","path":"/x"})").code == "F0208");
  CHECK(error_of(R"({"method":"GET","path":"/x","headers":{"a":1}})").message ==
        "header `a` must be a string, not an integer");
  CHECK(error_of(R"({"method":"GET","path":"/x","context":{"x":null}})").code == "F0203");
  e = error_of(R"({"action":"read","resource":{"type":"m"},"method":"GET","path":"/x"})");
  CHECK(e.code == "F0209");
}

TEST_CASE("requests: an error leaves the request empty", "[request]") {
  OwnedRequest r;
  REQUIRE(parse_request(R"({"method":"GET","path":"/x","headers":{"a":"b"},"zzz":1})", r));
  CHECK(r.request.method.empty());
  CHECK(r.request.headers.empty());
}

TEST_CASE("requests: batch lines are numbered from their position", "[request]") {
  OwnedRequest r;
  auto e = parse_request(R"({"method":"GET"})", r, "batch.jsonl", 42);
  REQUIRE(e);
  CHECK(e->line == 42);
  CHECK(format_error(*e) == "batch.jsonl:42:1: error[F0202]: missing field `path` in request");
}

TEST_CASE("requests: set_target on its own", "[request]") {
  OwnedRequest r;
  const char* reason = nullptr;
  REQUIRE(set_target("/a/b?x=1&&y=%2F", r, reason));
  CHECK(r.request.path == "/a/b");
  REQUIRE(r.request.query.size() == 2);
  CHECK(r.request.query[1].value == "/");
  CHECK_FALSE(set_target("?x=1", r, reason));
}
