// A decision handed to JavaScript as one string: the addon's half of the
// protocol whose other half is `Decision` in index.js.
//
// Part of the Node addon (bindings/node). Creating one JS string is one
// N-API call, where an object with twenty properties would be twenty-odd;
// reading it back costs JavaScript nothing until a field is asked for. Two
// forms, told apart by the first character:
//
//   compact   `a` | `d` | `w` (allow, deny, would-deny), then the fields of
//             the explanation JSON without their names, each followed by a
//             NUL: code, message, hint, required, present, source,
//             source_detail, grant_id, endpoint, raw_path, path, action,
//             resource_type, resource_id, principal, caller, client_ip,
//             tenant, request_id,
//             policy_fingerprint (16 hex digits), facts_version, the number
//             of rules, then per rule name, effect+monitor (`a`/`d` then
//             `m`/`-`), file, line, column. Used when every field is ASCII
//             without NUL, so the text needs no escaping and JavaScript
//             indexes match bytes.
//   JSON      `{…}`: the runtime's explanation JSON (warden/explain.hpp), for
//             decisions with any other text and for traces.
//
// index.js rebuilds the explanation object from the compact form in the
// JSON's key order; the binding tests check both forms against the runtime's
// JSON for every fixture case.
#pragma once

#include <string>

#include "warden/decision.hpp"

namespace warden::node {

// The compact form of `d` into `out`; false (out unspecified) when some text
// is not plain ASCII, and the JSON form must be used.
bool encode_compact(const Decision& d, std::string& out);

}  // namespace warden::node
