// Reading verify keys given as text or paths (see verify_keys.hpp).
#include "bindings/core/verify_keys.hpp"

namespace warden::bindings {

Status read_verify_keys(std::span<const std::string> keys, std::vector<VerifyKey>& out) {
  out.clear();
  for (std::size_t i = 0; i < keys.size(); ++i) {
    VerifyKey key;
    // A key file's text starts with its tag; anything else is a path.
    const bool text = keys[i].starts_with("warden-verify-key");
    Status s = text ? parse_verify_key(keys[i], key) : read_verify_key_file(keys[i], key);
    if (!s.ok) {
      s.message = "verify key " + std::to_string(i + 1) + " of " + std::to_string(keys.size()) + ": " + s.message;
      out.clear();
      return s;
    }
    out.push_back(key);
  }
  return Status::success();
}

}  // namespace warden::bindings
