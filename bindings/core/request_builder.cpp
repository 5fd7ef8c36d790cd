// Host values to a Request (see request_builder.hpp). The checks and messages
// follow runtime_io/request_json.cpp, which reads the same fields from JSON.
#include "bindings/core/request_builder.hpp"

#include "warden/request_json.hpp"
#include "support/literals.hpp"

namespace warden::bindings {
namespace {

std::string ticked(std::string_view s) { return "`" + std::string(s) + "`"; }

}  // namespace

RequestField request_field(std::string_view n) {
  switch (n.size()) {
    case 4:
      if (n == "path") return RequestField::Path;
      if (n == "body") return RequestField::Body;
      if (n == "peer") return RequestField::Peer;
      return RequestField::Unknown;
    case 5: return n == "query" ? RequestField::Query : RequestField::Unknown;
    case 6:
      if (n == "tenant") return RequestField::Tenant;
      if (n == "action") return RequestField::Action;
      if (n == "method") return RequestField::Method;
      return RequestField::Unknown;
    case 7:
      if (n == "api_key") return RequestField::ApiKey;
      if (n == "headers") return RequestField::Headers;
      if (n == "context") return RequestField::Context;
      return RequestField::Unknown;
    case 8: return n == "resource" ? RequestField::Resource : RequestField::Unknown;
    case 9: return n == "principal" ? RequestField::Principal : RequestField::Unknown;
    case 10: return n == "request_id" ? RequestField::RequestId : RequestField::Unknown;
    default: return RequestField::Unknown;
  }
}

EntityField entity_field(std::string_view n) {
  if (n == "id") return EntityField::Id;
  if (n == "type") return EntityField::Type;
  if (n == "attributes") return EntityField::Attributes;
  return EntityField::Unknown;
}

void RequestBuilder::reset() {
  owned_.clear();
  error_ = {};
  path_.clear();
  query_used_ = 0;
  path_set_ = method_set_ = action_set_ = resource_set_ = resource_type_ = false;
}

bool RequestBuilder::fail(Code code, std::string message) {
  error_.code = code_name(code);
  error_.message = std::move(message);
  return false;
}

bool RequestBuilder::wrong_type(std::string_view field, std::string_view of, std::string_view expected,
                                std::string_view got) {
  return fail(Code::F0203, "field " + ticked(field) + " of " + std::string(of) + " must be " +
                               std::string(expected) + ", not " + std::string(got));
}

bool RequestBuilder::unknown_field(std::string_view field, std::string_view of) {
  static const std::vector<std::string_view> request{"request_id", "tenant", "principal", "api_key", "action",
                                                     "resource",   "method", "path",      "headers", "query",
                                                     "body",       "peer",   "context"};
  static const std::vector<std::string_view> entity{"type", "id", "attributes"};
  std::string message = "unknown field " + ticked(field) + " in " + std::string(of);
  if (auto near = closest_name(field, of == "request" ? request : entity)) message += " (did you mean `" + *near + "`?)";
  return fail(Code::F0204, std::move(message));
}

bool RequestBuilder::text(RequestField field, std::string_view value) {
  Request& q = owned_.request;
  const auto non_empty = [&](std::string_view name) {
    if (!value.empty()) return true;
    return fail(Code::F0208, "field " + ticked(name) + " of request must not be empty");
  };
  switch (field) {
    case RequestField::RequestId: q.request_id = owned_.keep(value); return true;
    case RequestField::Tenant: q.tenant = owned_.keep(value); return true;
    case RequestField::ApiKey:
      if (!non_empty("api_key")) return false;
      q.api_key = owned_.keep(value);
      return true;
    case RequestField::Action:
      if (!non_empty("action")) return false;
      q.action = owned_.keep(value);
      action_set_ = true;
      return true;
    case RequestField::Method:
      if (!non_empty("method")) return false;
      q.method = owned_.keep(value);
      method_set_ = true;
      return true;
    case RequestField::Path:
      path_.assign(value);
      path_set_ = true;
      return true;
    case RequestField::Peer:
      if (!non_empty("peer")) return false;
      q.peer_address = owned_.keep(value);
      return true;
    default: return fail(Code::F0203, "this field of request is not a string");
  }
}

void RequestBuilder::entity_seen(bool principal) {
  if (!principal) resource_set_ = true;
}

bool RequestBuilder::entity_text(bool principal, EntityField field, std::string_view value) {
  const char* what = principal ? "principal" : "resource";
  const char* name = field == EntityField::Type ? "type" : "id";
  if (value.empty()) return fail(Code::F0208, "field " + ticked(name) + " of " + what + " must not be empty");
  Request& q = owned_.request;
  if (field == EntityField::Type) {
    (principal ? q.principal_type : q.resource_type) = owned_.keep(value);
    if (!principal) resource_type_ = true;
  } else {
    (principal ? q.principal_id : q.resource_id) = owned_.keep(value);
  }
  return true;
}

void RequestBuilder::add(Owner owner, std::string_view name, const AttributeValue& value) {
  switch (owner) {
    case Owner::Principal: owned_.add_principal_attribute(name, value); return;
    case Owner::Resource: owned_.add_resource_attribute(name, value); return;
    case Owner::Context: owned_.add_context(name, value); return;
  }
}

bool RequestBuilder::time(std::string_view text) {
  const TimeResult t = parse_time(text);
  if (!t.error.empty()) return fail(Code::F0206, "invalid time " + ticked(text) + " in `time`: " + t.error);
  owned_.request.time = t.unix_seconds;
  return true;
}

bool RequestBuilder::time(std::int64_t unix_seconds) {
  owned_.request.time = unix_seconds;
  return true;
}

bool RequestBuilder::client_ip(std::string_view text) {
  if (text.empty()) return fail(Code::F0208, "field `client_ip` of context must not be empty");
  if (const IpResult parsed = parse_ip(text); !parsed.error.empty()) {
    return fail(Code::F0208, "invalid `client_ip` " + ticked(text) + ": " + parsed.error);
  }
  owned_.request.client_ip = owned_.keep(text);
  return true;
}

void RequestBuilder::header(std::string_view name, std::string_view value) { owned_.add_header(name, value); }

bool RequestBuilder::body(std::size_t members) {
  if (members <= kMaxBodyFields) return true;
  return fail(Code::F0208, "invalid `body`: a body has at most " + std::to_string(kMaxBodyFields) + " fields");
}

void RequestBuilder::query(std::string_view name, std::string_view value) {
  if (query_used_ == query_.size()) query_.emplace_back();
  auto& slot = query_[query_used_++];
  slot.first.assign(name);
  slot.second.assign(value);
}

const Request* RequestBuilder::finish(bool need_target) {
  if (path_set_) {
    const char* reason = nullptr;
    if (!set_target(path_, owned_, reason)) {
      fail(Code::F0208, "invalid `path` " + ticked(path_) + ": " + reason);
      return nullptr;
    }
  }
  for (std::size_t i = 0; i < query_used_; ++i) owned_.add_query(query_[i].first, query_[i].second);
  if (!need_target) return &owned_.request;
  // Either an action on a resource or an HTTP request.
  const auto missing = [&](const char* name) {
    fail(Code::F0202, "missing field `" + std::string(name) + "` in request");
    return nullptr;
  };
  if (action_set_ && method_set_) {
    fail(Code::F0209, "a request has either `action` (with `resource`) or `method` and `path`, not both");
    return nullptr;
  }
  if (resource_set_ && !resource_type_) {
    fail(Code::F0202, "missing field `type` in resource");
    return nullptr;
  }
  if (method_set_) return path_set_ ? &owned_.request : missing("path");
  if (path_set_) return missing("method");
  if (action_set_) return resource_set_ ? &owned_.request : missing("resource");
  if (resource_set_) return missing("action");
  fail(Code::F0202,
       "missing field `action` or `method` in request (a request needs `action` and `resource`, or `method` and "
       "`path`)");
  return nullptr;
}

}  // namespace warden::bindings
