// A decision request, as an enforcement point builds it.
//
// Part of the public API (include/warden/). A Request only borrows: every
// string_view and span must stay valid for the duration of the decide() call,
// and nothing is copied or allocated to read it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace warden {

// A value carried by the request (principal, resource or context attribute).
// Strings are interpreted by the attribute's declared type: a `time`
// attribute takes RFC 3339 text, an `ip` attribute an address, an enum
// attribute one of its names, an entity reference the entity's id.
struct AttributeValue {
  enum class Kind : std::uint8_t { String, Int, Bool } kind = Kind::String;
  std::string_view text;
  std::int64_t number = 0;
  bool boolean = false;

  static AttributeValue string(std::string_view s) { return {Kind::String, s, 0, false}; }
  static AttributeValue integer(std::int64_t n) { return {Kind::Int, {}, n, false}; }
  static AttributeValue flag(bool b) { return {Kind::Bool, {}, 0, b}; }
};

struct NamedValue {
  std::string_view name;
  AttributeValue value;
};

// An HTTP header or query parameter.
struct KeyValue {
  std::string_view name;
  std::string_view value;
};

struct Request {
  // Correlation and tenancy.
  std::string_view request_id;
  std::string_view tenant;  // explicit tenant; empty: derived by the policy's `tenancy` sources

  // The principal: a user (or another principal type) and/or an API key.
  std::string_view principal_type = "user";
  std::string_view principal_id;  // empty when only an API key is presented
  std::string_view api_key;       // API key id; its user becomes the principal when principal_id is empty
  std::span<const NamedValue> principal_attributes;

  // Either an action on a resource …
  std::string_view action;
  std::string_view resource_type;
  std::string_view resource_id;  // empty: the type as a whole (create, list)
  std::span<const NamedValue> resource_attributes;

  // … or an HTTP request resolved through the policy's endpoints (used when
  // `method` is set; the endpoint supplies the action and resource).
  std::string_view method;  // "GET", "POST", …
  std::string_view path;    // "/api/models/m1" (no query string)
  std::span<const KeyValue> headers;
  std::span<const KeyValue> query;
  // The top-level fields of a JSON object body, which endpoints read with
  // `body "name"`: strings, integers and booleans only (a front end leaves
  // out null, fractional numbers, arrays and objects; binding one is then
  // a missing value). Readers cap the body (runtime_io: 64 KiB of JSON text,
  // 256 fields) and refuse duplicate names; a name given twice here is
  // ambiguous and never bound.
  std::span<const NamedValue> body;

  // Context.
  std::optional<std::int64_t> time;  // Unix seconds, UTC; absent: the engine's wall-clock time
  // The client address, already decided by the caller (an in-process check,
  // an enforcement point that resolved it). When empty, `context.client_ip`
  // is taken from `peer_address` and the forwarding headers as the policy's
  // `http` block says (docs/decisions.md); with neither it is missing.
  std::string_view client_ip;
  std::string_view peer_address;     // the connection's peer: the last hop, e.g. a proxy
  std::span<const NamedValue> context;
};

// Who is calling, by the credentials a request presents: an API key, else a
// principal (a signed-in session), else nothing (anonymous). There is no
// separate field for it, so it can never contradict the credentials.
enum class CallerKind : std::uint8_t { Anonymous, Session, Key };

inline CallerKind caller_kind(const Request& r) {
  if (!r.api_key.empty()) return CallerKind::Key;
  return r.principal_id.empty() ? CallerKind::Anonymous : CallerKind::Session;
}

// "anonymous", "session", "key".
const char* caller_kind_name(CallerKind k);

}  // namespace warden
