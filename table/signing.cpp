// Ed25519 keys, key files and signatures (see signing.hpp), on libsodium.
#include "table/signing.hpp"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <vector>

#include "support/file_io.hpp"

namespace warden::table {
namespace {

constexpr std::string_view kSigningTag = "warden-signing-key";
constexpr std::string_view kVerifyTag = "warden-verify-key";
constexpr std::string_view kAlgorithm = "ed25519";

static_assert(crypto_sign_PUBLICKEYBYTES == 32 && crypto_sign_SEEDBYTES == 32 && crypto_sign_SECRETKEYBYTES == 64 &&
              crypto_sign_BYTES == kSignatureSize);

// sodium_init() is idempotent and thread-safe; it only fails when the
// library cannot set itself up (no random source).
bool ready() { return sodium_init() >= 0; }

std::string hex(const std::uint8_t* data, std::size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, size);
  out.pop_back();
  return out;
}

std::string id_hex(KeyId id) {
  std::uint8_t bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<std::uint8_t>(id >> (56 - 8 * i));
  return hex(bytes, 8);
}

// Exactly `out.size()` bytes of lowercase or uppercase hex, nothing else.
bool unhex(std::string_view text, std::span<std::uint8_t> out) {
  if (text.size() != out.size() * 2) return false;
  for (const char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  std::size_t written = 0;
  return sodium_hex2bin(out.data(), out.size(), text.data(), text.size(), nullptr, &written, nullptr) == 0 &&
         written == out.size();
}

// "<tag> ed25519 <id> <key>" with single spaces and an optional final newline.
bool split_key_line(std::string_view text, std::string_view tag, std::string_view& id, std::string_view& key,
                    std::string& error) {
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  std::vector<std::string_view> fields;
  for (std::size_t pos = 0; pos <= text.size();) {
    const std::size_t end = std::min(text.find(' ', pos), text.size());
    fields.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  if (fields.size() != 4 || fields[0] != tag) {
    const bool other = !fields.empty() && (fields[0] == kSigningTag || fields[0] == kVerifyTag);
    error = other ? "this is a " + std::string(fields[0] == kSigningTag ? "signing (secret)" : "verify (public)") +
                        " key, not a " + (tag == kSigningTag ? "signing" : "verify") + " key"
                  : "not a warden " + std::string(tag == kSigningTag ? "signing" : "verify") + " key (expected one line `" +
                        std::string(tag) + " ed25519 <key id> <key>`)";
    return false;
  }
  if (fields[1] != kAlgorithm) {
    error = "unsupported key algorithm (only `ed25519`)";
    return false;
  }
  id = fields[2];
  key = fields[3];
  return true;
}

bool parse_id(std::string_view text, KeyId& id) {
  std::uint8_t bytes[8];
  if (!unhex(text, bytes)) return false;
  id = 0;
  for (const std::uint8_t b : bytes) id = (id << 8) | b;
  return true;
}

std::optional<std::string> read_text(const std::filesystem::path& path, std::string& error) {
  FileRead file = read_file(path);
  if (!file.ok()) {
    error = "cannot read the key file: " + file.error;
    return std::nullopt;
  }
  // A key file is one short line; anything long is not one.
  if (file.bytes.size() > 1024) {
    sodium_memzero(file.bytes.data(), file.bytes.size());
    error = "not a warden key file (too long)";
    return std::nullopt;
  }
  return std::move(file.bytes);
}

}  // namespace

KeyId key_id_of(std::span<const std::uint8_t, 32> public_key) {
  std::uint8_t digest[crypto_hash_sha512_BYTES];
  crypto_hash_sha512(digest, public_key.data(), public_key.size());
  KeyId id = 0;
  for (int i = 0; i < 8; ++i) id = (id << 8) | digest[i];
  return id;
}

VerifyKey SigningKey::verify_key() const {
  VerifyKey v;
  v.id = id;
  std::memcpy(v.public_key.data(), secret_key.data() + 32, 32);
  return v;
}

namespace {

std::optional<SigningKey> from_seed(const std::array<std::uint8_t, 32>& seed) {
  if (!ready()) return std::nullopt;
  SigningKey key;
  key.seed = seed;
  std::array<std::uint8_t, 32> public_key{};
  crypto_sign_seed_keypair(public_key.data(), key.secret_key.data(), seed.data());
  key.id = key_id_of(public_key);
  return key;
}

}  // namespace

std::optional<SigningKey> generate_signing_key() {
  if (!ready()) return std::nullopt;
  std::array<std::uint8_t, 32> seed{};
  randombytes_buf(seed.data(), seed.size());
  auto key = from_seed(seed);
  sodium_memzero(seed.data(), seed.size());
  return key;
}

std::string signing_key_text(const SigningKey& key) {
  return std::string(kSigningTag) + " " + std::string(kAlgorithm) + " " + id_hex(key.id) + " " +
         hex(key.seed.data(), key.seed.size()) + "\n";
}

std::string verify_key_text(const VerifyKey& key) {
  return std::string(kVerifyTag) + " " + std::string(kAlgorithm) + " " + id_hex(key.id) + " " +
         hex(key.public_key.data(), key.public_key.size()) + "\n";
}

std::optional<SigningKey> parse_signing_key(std::string_view text, std::string& error) {
  std::string_view id_text, key_text;
  if (!split_key_line(text, kSigningTag, id_text, key_text, error)) return std::nullopt;
  KeyId id = 0;
  std::array<std::uint8_t, 32> seed{};
  if (!parse_id(id_text, id) || !unhex(key_text, seed)) {
    error = "the key id or the key is not hex of the right length";
    return std::nullopt;
  }
  auto key = from_seed(seed);
  sodium_memzero(seed.data(), seed.size());
  if (!key) {
    error = "the cryptography library cannot be initialized";
    return std::nullopt;
  }
  if (key->id != id) {
    error = "the key id does not match the key";
    return std::nullopt;
  }
  return key;
}

std::optional<VerifyKey> parse_verify_key(std::string_view text, std::string& error) {
  std::string_view id_text, key_text;
  if (!split_key_line(text, kVerifyTag, id_text, key_text, error)) return std::nullopt;
  VerifyKey key;
  if (!parse_id(id_text, key.id) || !unhex(key_text, key.public_key)) {
    error = "the key id or the key is not hex of the right length";
    return std::nullopt;
  }
  if (!ready()) {
    error = "the cryptography library cannot be initialized";
    return std::nullopt;
  }
  if (key_id_of(key.public_key) != key.id) {
    error = "the key id does not match the key";
    return std::nullopt;
  }
  return key;
}

std::optional<SigningKey> read_signing_key_file(const std::filesystem::path& path, std::string& error) {
  auto text = read_text(path, error);
  if (!text) return std::nullopt;
  auto key = parse_signing_key(*text, error);
  sodium_memzero(text->data(), text->size());
  return key;
}

std::optional<VerifyKey> read_verify_key_file(const std::filesystem::path& path, std::string& error) {
  auto text = read_text(path, error);
  if (!text) return std::nullopt;
  return parse_verify_key(*text, error);
}

namespace {

std::string joined(std::span<const std::string_view> parts) {
  std::size_t size = 0;
  for (const auto part : parts) size += part.size();
  std::string message;
  message.reserve(size);
  for (const auto part : parts) message.append(part);
  return message;
}

}  // namespace

std::optional<Signature> sign_parts(const SigningKey& key, std::span<const std::string_view> parts) {
  if (!ready()) return std::nullopt;
  Signature signature{};
  const std::string message = joined(parts);
  crypto_sign_detached(signature.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       key.secret_key.data());
  return signature;
}

bool verify_parts(const VerifyKey& key, const Signature& signature, std::span<const std::string_view> parts) {
  if (!ready()) return false;
  const std::string message = joined(parts);
  return crypto_sign_verify_detached(signature.data(), reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), key.public_key.data()) == 0;
}

}  // namespace warden::table
