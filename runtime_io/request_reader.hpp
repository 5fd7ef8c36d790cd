// Reading a request from JSON that is already parsed.
//
// Internal to runtime_io/, and shared with the front ends that parse request
// JSON themselves: the decision service (server/) parses a body once, with
// its own size and depth limits, and reads one request or a batch envelope
// of many from the same tree. The public entry point for text is
// parse_request() (warden/request_json.hpp); both report the same F02xx
// errors.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "support/json.hpp"
#include "warden/input_error.hpp"
#include "warden/owned_request.hpp"

namespace warden::runtime_io {

// One request from a parsed value. `line` is the 1-based line the value's
// text starts on (for batch files); `file_name` is used in errors.
std::optional<InputError> read_request(const json::Value& object, OwnedRequest& out, std::string_view file_name = {},
                                       std::uint32_t line = 1);

}  // namespace warden::runtime_io
