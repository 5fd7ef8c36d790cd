// The public API's verify keys (warden/verify_key.hpp) over the table
// layer's key files (table/signing.hpp).
#include "warden/verify_key.hpp"

#include "table/signing.hpp"

namespace warden {

Status parse_verify_key(std::string_view text, VerifyKey& out) {
  std::string error;
  const auto key = table::parse_verify_key(text, error);
  if (!key) return Status::error("E0512", error);
  out = VerifyKey{key->id, key->public_key};
  return Status::success();
}

Status read_verify_key_file(const std::string& path, VerifyKey& out) {
  std::string error;
  const auto key = table::read_verify_key_file(path, error);
  if (!key) return Status::error("E0512", "`" + path + "`: " + error);
  out = VerifyKey{key->id, key->public_key};
  return Status::success();
}

}  // namespace warden
