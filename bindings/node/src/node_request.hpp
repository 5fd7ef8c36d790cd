// JavaScript request values to a warden::Request.
//
// Part of the Node addon (bindings/node). index.js flattens a request object
// (the JSON request's fields, docs/cli.md) into positional arguments — one
// N-API call per decision instead of one per property — and this file reads
// them into the shared RequestBuilder (bindings/core/request_builder.hpp),
// which checks them with the JSON reader's rules and codes and copies what it
// keeps. The slots, in order (index.js `flatten` writes the same):
//
//   request_id tenant principal_type principal_id api_key action
//   resource_type resource_id method path
//   headers query              a string "name\0value\0…", or an array [name, value, …]
//   principal_attributes resource_attributes context   arrays [name, value, …]
//   time client_ip             string | number, string
//   mask                       bits 0-16 and 18-20: the slots that hold a value;
//                              bits 22 and 23: a principal / a resource object was given
//   unknown                    "field\0of" when the object had a member no slot takes
//   peer                       string
//   body                       an array [name, value, …] of the body's members
//
// Only the slots the mask names are read (one N-API call saved per empty
// slot); undefined and null mean "not given".
#pragma once

#include <node_api.h>

#include <string>

#include "bindings/core/request_builder.hpp"

namespace warden::node {

inline constexpr std::size_t kRequestSlots = 21;

// Read `slots` (kRequestSlots values), using `text` as scratch space. False
// with a RequestError pending.
bool read_request(napi_env env, const napi_value* slots, bindings::RequestBuilder& builder, std::string& text,
                  bool need_target);

}  // namespace warden::node
