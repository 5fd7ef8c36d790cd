// Verify keys: the public keys that signed artifacts must be signed with.
//
// Part of the public API (include/warden/). `warden keygen NAME` writes a key
// pair; NAME.pub holds the verify key, one line
// `warden-verify-key ed25519 <key id> <key>`. A service reads it here and
// hands it to Engine::set_verify_keys() (engine.hpp) or to the Watcher;
// docs/signing.md says what a signature protects and what it does not.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "warden/status.hpp"

namespace warden {

struct VerifyKey {
  std::uint64_t id = 0;  // the first 8 bytes of the SHA-512 of the key
  std::array<std::uint8_t, 32> public_key{};
  friend bool operator==(const VerifyKey&, const VerifyKey&) = default;
};

// Read a verify key from a key file's text, or from the file. A file that
// cannot be read or is not a verify key is `E0512`.
Status parse_verify_key(std::string_view text, VerifyKey& out);
Status read_verify_key_file(const std::string& path, VerifyKey& out);

}  // namespace warden
