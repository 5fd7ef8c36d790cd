// The HTTP status a middleware answers a refused request with.
//
// Pipeline position: bindings/core, shared by the FastAPI and Express
// integrations so both answer the same decision with the same status.
//   401  the caller is not authenticated: no credential at all, or an API key
//        that is unknown, revoked or expired (KEY_UNKNOWN, KEY_REVOKED,
//        KEY_EXPIRED);
//   503  the engine has no policy (NO_POLICY): not the caller's fault;
//   403  every other deny, whatever its code (SCOPE_MISSING, ORG_SUSPENDED, a
//        policy's own codes, EVAL_ERROR: fail closed);
//   200  allowed (monitor-mode would-deny included).
#pragma once

#include "warden/decision.hpp"

namespace warden::bindings {

// `authenticated`: the request presented a credential (a key or a principal).
int http_status(const Decision& d, bool authenticated);

}  // namespace warden::bindings
