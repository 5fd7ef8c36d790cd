// Verify keys for the host languages: each given as the text of a `.pub`
// file (`warden-verify-key ed25519 …`, as `warden keygen` writes it) or as
// the path of one.
//
// Pipeline position: bindings/core, on top of the public API's
// parse_verify_key / read_verify_key_file (include/warden/verify_key.hpp);
// the Python and Node engines hand the result to Engine::set_verify_keys(),
// after which they load only artifacts signed by one of the keys
// (docs/signing.md).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "warden/status.hpp"
#include "warden/verify_key.hpp"

namespace warden::bindings {

// Read every key; the first that cannot be read or is not a verify key is
// `E0512`, naming which one (its position and, for a path, the file).
Status read_verify_keys(std::span<const std::string> keys, std::vector<VerifyKey>& out);

}  // namespace warden::bindings
