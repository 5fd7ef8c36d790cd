// A warden::Request together with the storage its views point into.
//
// Part of the public API (include/warden/, library warden_runtime_io). A
// Request only borrows (request.hpp); readers that build one from text —
// JSON requests, command-line flags — keep the strings and attribute arrays
// here. An
// OwnedRequest is neither copyable nor movable (the views point into it);
// clear() empties it but keeps its buffers, so one object can be reused for
// every line of a batch without allocating once it has grown.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "warden/request.hpp"

namespace warden {

struct OwnedRequest {
  Request request;

  OwnedRequest() = default;
  OwnedRequest(const OwnedRequest&) = delete;
  OwnedRequest& operator=(const OwnedRequest&) = delete;

  // Reset `request` to a default Request, keeping the buffers.
  void clear();

  // A copy of `s` that lives as long as this object (until clear()).
  std::string_view keep(std::string_view s);

  // Append to the request's attribute and key/value lists; names and string
  // values are kept, and the request's spans are updated.
  void add_principal_attribute(std::string_view name, const AttributeValue& value);
  void add_resource_attribute(std::string_view name, const AttributeValue& value);
  void add_context(std::string_view name, const AttributeValue& value);
  void add_header(std::string_view name, std::string_view value);
  void add_query(std::string_view name, std::string_view value);
  void add_body_field(std::string_view name, const AttributeValue& value);

 private:
  NamedValue kept(std::string_view name, const AttributeValue& value);

  std::deque<std::string> strings_;  // a deque never moves its elements, so views stay valid
  std::size_t used_ = 0;
  std::vector<NamedValue> principal_attributes_;
  std::vector<NamedValue> resource_attributes_;
  std::vector<NamedValue> context_;
  std::vector<KeyValue> headers_;
  std::vector<KeyValue> query_;
  std::vector<NamedValue> body_;
};

}  // namespace warden
