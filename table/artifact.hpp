// The `.wdn` artifact file: a compiled decision table with a header that says
// what it is, which format and compiler produced it, from which sources, and
// lets a reader refuse anything damaged before using it.
//
// Layout (every integer little-endian):
//
//   offset  size  field
//   0       8     magic "WARDENPT"
//   8       4     format version (table::kFormatVersion)
//   12      2     n = length of the compiler version string (at most 256)
//   14      n     compiler version, e.g. "warden 0.1.0"
//   14+n    8     source fingerprint: fingerprint_sources() of the policy
//   22+n    8     payload length in bytes
//   30+n    1     signature algorithm: 0 unsigned, 1 Ed25519 (signing.hpp)
//   31+n    8     key id of the signing key (0 when unsigned)
//   39+n    64    signature (zeros when unsigned): Ed25519 over the header
//                 bytes before this field followed by the payload
//   103+n   8     checksum: XXH3-64 of the payload, seeded with the XXH3-64 of
//                 every header byte before this field
//   111+n   ...   payload: serialize_program() (exactly `payload length` bytes)
//
// The checksum covers the header as well as the payload, so any damaged byte
// is detected; it detects accidents, not tampering (anyone who can write the
// file can recompute it). The signature is what detects tampering, for a
// loader given the public keys to trust: it covers every header field that
// says what the artifact is (format, compiler, fingerprint, length, which
// key) and the whole table. Loading checks, in order: magic (E0501), format
// version (E0502), lengths against the file size (E0503), checksum (E0504),
// then — only when verify keys are given — that the artifact is signed
// (E0509), by one of the keys (E0510), and that the signature verifies
// (E0511), all before a byte of the payload is decoded; then payload
// decoding (E0504), and finally validate() (E0505). It never throws and
// never returns a partly loaded table: the caller either gets a complete,
// validated Program or an error, and a service keeps its running snapshot on
// error. Without verify keys a signed artifact loads like an unsigned one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/diagnostic.hpp"
#include "table/program.hpp"
#include "table/signing.hpp"

namespace warden::table {

inline constexpr std::string_view kArtifactMagic = "WARDENPT";
inline constexpr std::size_t kMaxCompilerVersion = 256;

// What the compiler records about itself and the sources.
struct ArtifactInfo {
  std::string compiler_version;
  std::uint64_t source_fingerprint = 0;
};

enum class SignatureAlgorithm : std::uint8_t { None = 0, Ed25519 = 1 };

// The header as read from a file.
struct ArtifactHeader {
  std::uint32_t format_version = 0;
  std::string compiler_version;
  std::uint64_t source_fingerprint = 0;
  std::uint64_t payload_size = 0;
  SignatureAlgorithm signature_algorithm = SignatureAlgorithm::None;
  KeyId key_id = 0;
  Signature signature{};
  std::uint64_t checksum = 0;
  bool is_signed() const { return signature_algorithm != SignatureAlgorithm::None; }
};

struct ArtifactError {
  Code code = Code::E0504;
  std::string message;  // one line, lowercase, no trailing period
};

// The result of loading: `program` is set (and `error` empty) exactly when the
// artifact was accepted.
struct ArtifactLoad {
  std::shared_ptr<const Program> program;
  ArtifactHeader header;
  std::optional<ArtifactError> error;
  bool ok() const { return program != nullptr; }
};

// The complete file contents for `program`, signed with `key` when one is
// given. Deterministic: equal programs, info and key give identical bytes.
// Throws std::length_error if the compiler version is longer than
// kMaxCompilerVersion, std::runtime_error if signing is impossible (libsodium
// cannot be initialized).
std::string write_artifact(const Program& program, const ArtifactInfo& info, const SigningKey* key = nullptr);

// One source file of a policy: its path relative to the policy root, with
// `/` separators, and its bytes.
struct SourceEntry {
  std::string path;
  std::string_view content;
};

// XXH3-64 over the sources sorted by path, each encoded as u64 path length,
// path, u64 content length, content — independent of the order given and of
// where the policy lives.
std::uint64_t fingerprint_sources(std::vector<SourceEntry> sources);

// Parse, check and validate an artifact held in memory. With `verify_keys`,
// only an artifact signed by one of them is accepted.
ArtifactLoad load_artifact(std::span<const char> bytes, std::span<const VerifyKey> verify_keys = {}) noexcept;

// Read a file and load it; a file that cannot be read is E0506.
ArtifactLoad load_artifact_file(const std::filesystem::path& path, std::span<const VerifyKey> verify_keys = {}) noexcept;

// "0123456789abcdef": how fingerprints and checksums are shown.
std::string hex64(std::uint64_t value);

}  // namespace warden::table
