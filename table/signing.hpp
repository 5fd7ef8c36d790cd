// Ed25519 keys for signing artifacts, and their files.
//
// Pipeline position: table/, beside the artifact format (artifact.hpp):
// `warden keygen` makes a key pair, `warden compile --sign` signs with the
// secret key (write_artifact), and a loader given public keys refuses every
// artifact not signed by one of them (load_artifact). Keys are named by a
// key id, the first 8 bytes of the SHA-512 of the public key, so that an
// artifact's header says which key signed it and a service can accept
// several keys while they rotate. Signatures are libsodium's Ed25519
// (RFC 8032, deterministic: the same bytes and key give the same signature).
//
// Key files are one line of text each:
//   warden-signing-key ed25519 <key id, 16 hex> <seed, 64 hex>
//   warden-verify-key ed25519 <key id, 16 hex> <public key, 64 hex>
// The id is recomputed from the key and must match, which catches a key
// pasted into the wrong file or damaged. Nothing here throws.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace warden::table {

using KeyId = std::uint64_t;

struct VerifyKey {
  KeyId id = 0;
  std::array<std::uint8_t, 32> public_key{};
  friend bool operator==(const VerifyKey&, const VerifyKey&) = default;
};

struct SigningKey {
  KeyId id = 0;
  std::array<std::uint8_t, 32> seed{};        // the secret: the key pair is derived from it
  std::array<std::uint8_t, 64> secret_key{};  // libsodium's expanded form (seed ‖ public key)
  VerifyKey verify_key() const;
};

// A fresh key pair from the operating system's random source. Nothing when
// libsodium cannot be initialized.
std::optional<SigningKey> generate_signing_key();

// The key id of a public key.
KeyId key_id_of(std::span<const std::uint8_t, 32> public_key);

// The one-line file texts (with a trailing newline).
std::string signing_key_text(const SigningKey& key);
std::string verify_key_text(const VerifyKey& key);

// Parsing a key file's text; on failure nothing, and `error` says why in one
// lowercase line ("not a warden verify key", "the key id does not match the key").
std::optional<SigningKey> parse_signing_key(std::string_view text, std::string& error);
std::optional<VerifyKey> parse_verify_key(std::string_view text, std::string& error);

// Reading a key file; an unreadable file is an error like any other.
std::optional<SigningKey> read_signing_key_file(const std::filesystem::path& path, std::string& error);
std::optional<VerifyKey> read_verify_key_file(const std::filesystem::path& path, std::string& error);

inline constexpr std::size_t kSignatureSize = 64;
using Signature = std::array<std::uint8_t, kSignatureSize>;

// Ed25519 over the concatenation of `parts`; nothing when libsodium cannot
// be initialized.
std::optional<Signature> sign_parts(const SigningKey& key, std::span<const std::string_view> parts);
bool verify_parts(const VerifyKey& key, const Signature& signature, std::span<const std::string_view> parts);

}  // namespace warden::table
