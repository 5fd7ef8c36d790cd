// Building HTTP responses: JSON bodies and the one error shape.
//
// Pipeline position: server/, shared by every endpoint file. Every refusal —
// a malformed request, a limit, a 401/403 decision — has the same JSON body:
//
//   {"code":"SCOPE_MISSING","message":"…","hint":"…","required":"…",
//    "request_id":"…"}
//
// plus "line" and "column" when the error is at a place in the request body.
// `code` is stable: a decision's denial code, a reader's F01xx/F02xx code or
// a service S01xx code (support/diagnostic_codes.def).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "server/http_server.hpp"

namespace warden::server {

struct ErrorBody {
  std::string_view code;
  std::string message;
  std::string hint;
  std::string required;
  std::string request_id;
  std::uint32_t line = 0;  // 1-based, in the request body; 0: not about a place
  std::uint32_t column = 0;
};

std::string error_json(const ErrorBody& e);

void set_json(HttpResponse& res, unsigned status, std::string body);
void set_error(HttpResponse& res, unsigned status, const ErrorBody& e);

// A header value made safe to send: control characters become spaces.
std::string header_safe(std::string_view value);

// A fresh request id for requests that bring none: 16 hex digits.
std::string new_request_id();

}  // namespace warden::server
