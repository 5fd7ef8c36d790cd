// Storage for requests built from text (see warden/owned_request.hpp).
#include "warden/owned_request.hpp"

namespace warden {

void OwnedRequest::clear() {
  request = Request{};
  used_ = 0;
  principal_attributes_.clear();
  resource_attributes_.clear();
  context_.clear();
  headers_.clear();
  query_.clear();
  body_.clear();
}

std::string_view OwnedRequest::keep(std::string_view s) {
  if (s.empty()) return {};
  if (used_ == strings_.size()) strings_.emplace_back();
  std::string& slot = strings_[used_++];
  slot.assign(s);  // reuses the slot's capacity
  return slot;
}

NamedValue OwnedRequest::kept(std::string_view name, const AttributeValue& value) {
  NamedValue v{keep(name), value};
  if (value.kind == AttributeValue::Kind::String) v.value.text = keep(value.text);
  return v;
}

void OwnedRequest::add_principal_attribute(std::string_view name, const AttributeValue& value) {
  principal_attributes_.push_back(kept(name, value));
  request.principal_attributes = principal_attributes_;
}

void OwnedRequest::add_resource_attribute(std::string_view name, const AttributeValue& value) {
  resource_attributes_.push_back(kept(name, value));
  request.resource_attributes = resource_attributes_;
}

void OwnedRequest::add_context(std::string_view name, const AttributeValue& value) {
  context_.push_back(kept(name, value));
  request.context = context_;
}

void OwnedRequest::add_header(std::string_view name, std::string_view value) {
  headers_.push_back({keep(name), keep(value)});
  request.headers = headers_;
}

void OwnedRequest::add_body_field(std::string_view name, const AttributeValue& value) {
  body_.push_back(kept(name, value));
  request.body = body_;
}

void OwnedRequest::add_query(std::string_view name, std::string_view value) {
  query_.push_back({keep(name), keep(value)});
  request.query = query_;
}

}  // namespace warden
