// Reading a decision request from JSON.
//
// Part of the public API (include/warden/, library warden_runtime_io):
// `warden eval --request`, `--batch` lines and services turn request JSON
// into a warden::Request held by an OwnedRequest. The fields (docs/cli.md):
//
//   {"request_id": "r-1", "tenant": "acme",
//    "principal": {"type": "user", "id": "alice", "attributes": {…}},
//    "api_key": "k1",
//    "action": "read", "resource": {"type": "model", "id": "m1", "attributes": {…}},
//    "method": "GET", "path": "/api/models/m1?x=1",
//    "headers": {"X-Tenant-ID": "acme"}, "query": {"name": "m1"},
//    "body": {"name": "m1"}, "peer": "10.0.0.5",
//    "context": {"time": "2026-01-31T10:00:00Z", "client_ip": "10.0.0.1", …}}
//
// Either `action` + `resource` or `method` + `path`. Errors carry a stable
// F02xx code (input_error.hpp) and the line and column; on error `out` holds
// no usable request.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "warden/input_error.hpp"
#include "warden/owned_request.hpp"

namespace warden {

// Parse one request object. `line` is the 1-based line the text starts on
// (for batch files); `file_name` is used in errors.
std::optional<InputError> parse_request(std::string_view text, OwnedRequest& out, std::string_view file_name = {},
                                        std::uint32_t line = 1);

// Set out.request.path from `target` ("/p?a=1&b=x%20y"): the part before `?`
// becomes the path and the query string is split into query parameters
// (percent-decoded, `+` as space); a `#fragment` is dropped. Returns false
// (with a lowercase reason) for a path that does not start with `/` or a
// malformed percent-encoding.
bool set_target(std::string_view target, OwnedRequest& out, const char*& reason);

// What a request carries of a JSON body: the top-level fields of one object,
// strings, integers and booleans (null, fractional numbers, arrays and
// objects are left out: an endpoint binding one finds it missing). A body is
// at most kMaxBodyBytes of JSON text and kMaxBodyFields fields; a name given
// twice is refused, like any duplicate key (an upstream might read the other
// one).
inline constexpr std::size_t kMaxBodyBytes = 64 * 1024;
inline constexpr std::size_t kMaxBodyFields = 256;

// Set out.request.body from the body text an HTTP client sent. Returns false
// with a lowercase reason for text that is too large, not JSON, not an
// object, or has too many fields.
bool set_body(std::string_view json_text, OwnedRequest& out, std::string& reason);

}  // namespace warden
