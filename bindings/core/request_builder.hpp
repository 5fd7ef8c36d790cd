// Building a warden::Request from a host language's values (a Python dict or
// keyword arguments, a JavaScript object), field by field.
//
// Pipeline position: bindings/core, shared by the Python and Node front ends.
// The fields and their meaning are those of the JSON request reader
// (warden/request_json.hpp, docs/cli.md): the same names, the same checks,
// the same F02xx codes (support/diagnostic_codes.def), so `decide(obj)` and
// `decide_json(text)` agree. What is parsed — a path with its query string,
// an RFC 3339 time, a client address — is parsed by the runtime's and
// support's own functions (set_target, parse_time, parse_ip). A host front
// end walks its object and calls one setter per member; the builder keeps
// copies of every string (OwnedRequest), so the host's objects may change or
// go away while the decision runs without the interpreter lock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/diagnostic.hpp"
#include "warden/input_error.hpp"
#include "warden/owned_request.hpp"

namespace warden::bindings {

// The top-level members of a request.
enum class RequestField : std::uint8_t {
  RequestId, Tenant, Principal, ApiKey, Action, Resource, Method, Path, Headers, Query, Body, Peer, Context, Unknown,
};
RequestField request_field(std::string_view name);

// Where an entity's members go.
enum class EntityField : std::uint8_t { Type, Id, Attributes, Unknown };
EntityField entity_field(std::string_view name);

class RequestBuilder {
 public:
  // Start a new request (keeps the buffers of the previous one).
  void reset();

  // A string member of the request itself: request_id, tenant, api_key,
  // action, method, path, peer. `path` may carry a query string.
  bool text(RequestField field, std::string_view value);
  // A member of `principal` or `resource` (type, id).
  bool entity_text(bool principal, EntityField field, std::string_view value);
  void entity_seen(bool principal);  // the object was given (a resource then needs its type)
  bool has_resource_type() const { return resource_type_; }
  // An attribute of the principal, the resource or the context.
  enum class Owner : std::uint8_t { Principal, Resource, Context };
  void attribute(Owner owner, std::string_view name, std::string_view value) {
    add(owner, name, AttributeValue::string(value));
  }
  void attribute(Owner owner, std::string_view name, std::int64_t value) {
    add(owner, name, AttributeValue::integer(value));
  }
  void attribute_flag(Owner owner, std::string_view name, bool value) { add(owner, name, AttributeValue::flag(value)); }
  // `context.time`: RFC 3339 text or Unix seconds; `context.client_ip`.
  bool time(std::string_view text);
  bool time(std::int64_t unix_seconds);
  bool client_ip(std::string_view text);
  void header(std::string_view name, std::string_view value);
  void query(std::string_view name, std::string_view value);
  // `body`: the top-level fields of a JSON object body. body() takes the
  // number of members first (at most kMaxBodyFields, as the JSON reader
  // allows); the host then adds the strings, integers and booleans and
  // leaves out members of any other kind, as the JSON reader leaves out
  // null, fractions, arrays and objects.
  bool body(std::size_t members);
  void body_field(std::string_view name, const AttributeValue& value) { owned_.add_body_field(name, value); }

  // Errors found by the host while walking its object.
  bool wrong_type(std::string_view field, std::string_view of, std::string_view expected, std::string_view got);
  bool unknown_field(std::string_view field, std::string_view of);
  bool fail(Code code, std::string message);  // a request code of the table (F02xx)

  // After every member: applies the path (its query parameters come before
  // the `query` member's), checks that the request is either an action on a
  // resource or a method and a path (unless `need_target` is false: the
  // principal and context of a list query). Returns the request, or nullptr
  // with error() set.
  const Request* finish(bool need_target = true);

  const InputError& error() const { return error_; }
  OwnedRequest& owned() { return owned_; }

 private:
  void add(Owner owner, std::string_view name, const AttributeValue& value);

  OwnedRequest owned_;
  InputError error_;
  std::string path_;  // applied in finish(): its query parameters come before the `query` member's
  std::vector<std::pair<std::string, std::string>> query_;  // the `query` member, applied after the path
  std::size_t query_used_ = 0;                               // entries of query_ in use (the rest are kept buffers)
  bool path_set_ = false, method_set_ = false, action_set_ = false, resource_set_ = false;
  bool resource_type_ = false;
};

}  // namespace warden::bindings
