// Writing and loading `.wdn` artifacts (layout in artifact.hpp).
#include "table/artifact.hpp"

// XXH_INLINE_ALL: xxHash is compiled in, so consumers of the installed
// library need no libxxhash at link time.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <new>
#include <stdexcept>

#include "support/file_io.hpp"
#include "table/serialize.hpp"
#include "table/validate.hpp"

namespace warden::table {
namespace {

constexpr std::size_t kMagicSize = 8;
static_assert(kArtifactMagic.size() == kMagicSize);

void put_le(std::string& out, std::uint64_t value, std::size_t bytes) {
  for (std::size_t i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xffu));
}

std::uint64_t get_le(std::span<const char> bytes, std::size_t at, std::size_t size) {
  std::uint64_t v = 0;
  for (std::size_t i = size; i-- > 0;) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

std::uint64_t checksum(std::span<const char> header_before_checksum, std::span<const char> payload) {
  const XXH64_hash_t seed = XXH3_64bits(header_before_checksum.data(), header_before_checksum.size());
  return XXH3_64bits_withSeed(payload.data(), payload.size(), seed);
}

ArtifactLoad failure(ArtifactLoad&& load, Code code, std::string message) {
  load.program.reset();
  load.error = ArtifactError{code, std::move(message)};
  return std::move(load);
}

std::string plural(std::uint64_t n, const char* unit) {
  return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
}

// A cursor over the header that reports truncation with the field's name.
class HeaderReader {
 public:
  explicit HeaderReader(std::span<const char> bytes) : bytes_(bytes) {}

  // False when fewer than `size` bytes remain; `missing` then names the field.
  bool read(std::size_t size, std::uint64_t& value, const char* field) {
    if (bytes_.size() - pos_ < size) {
      missing_ = field;
      return false;
    }
    value = get_le(bytes_, pos_, size);
    pos_ += size;
    return true;
  }
  bool skip(std::size_t size, const char* field) {
    if (bytes_.size() - pos_ < size) {
      missing_ = field;
      return false;
    }
    pos_ += size;
    return true;
  }
  std::size_t pos() const { return pos_; }
  std::string truncated() const {
    return "file ends inside the header (" + std::string(missing_) + ") after " + plural(bytes_.size(), "byte");
  }

 private:
  std::span<const char> bytes_;
  std::size_t pos_ = 0;
  const char* missing_ = "";
};

std::optional<ArtifactError> check_signature(const ArtifactHeader& header, std::span<const char> signed_header,
                                             std::span<const char> payload, std::span<const VerifyKey> keys) {
  if (!header.is_signed()) {
    return ArtifactError{Code::E0509, "the artifact is not signed, and this loader accepts only signed artifacts"};
  }
  const VerifyKey* key = nullptr;
  for (const VerifyKey& k : keys) {
    if (k.id == header.key_id) key = &k;
  }
  if (!key) {
    std::string known;
    for (const VerifyKey& k : keys) known += (known.empty() ? "" : ", ") + hex64(k.id);
    return ArtifactError{Code::E0510, "the artifact is signed by key " + hex64(header.key_id) +
                                          ", which is not one of the verify keys (" + known + ")"};
  }
  const std::string_view parts[] = {std::string_view(signed_header.data(), signed_header.size()),
                                    std::string_view(payload.data(), payload.size())};
  if (!verify_parts(*key, header.signature, parts)) {
    return ArtifactError{Code::E0511, "the signature by key " + hex64(header.key_id) +
                                          " does not verify: the artifact was changed after it was signed"};
  }
  return std::nullopt;
}

ArtifactLoad load(std::span<const char> bytes, std::span<const VerifyKey> verify_keys) {
  ArtifactLoad out;
  // Magic: anything else is a foreign file, unless it is a cut-off artifact.
  const std::string_view head(bytes.data(), std::min(bytes.size(), kMagicSize));
  if (head != kArtifactMagic.substr(0, head.size())) {
    return failure(std::move(out), Code::E0501, "the file does not start with the warden artifact magic `WARDENPT`");
  }
  if (bytes.size() < kMagicSize) {
    return failure(std::move(out), Code::E0503,
                   bytes.empty() ? "the file is empty" : "file ends inside the header (magic) after " + plural(bytes.size(), "byte"));
  }

  HeaderReader in(bytes);
  std::uint64_t value = 0;
  in.skip(kMagicSize, "magic");
  if (!in.read(4, value, "format version")) return failure(std::move(out), Code::E0503, in.truncated());
  out.header.format_version = static_cast<std::uint32_t>(value);
  if (out.header.format_version != kFormatVersion) {
    const bool newer = out.header.format_version > kFormatVersion;
    return failure(std::move(out), Code::E0502,
                   "format version " + std::to_string(out.header.format_version) + " is " +
                       (newer ? "newer than" : "older than") + " the version this warden reads (" +
                       std::to_string(kFormatVersion) + "); " +
                       (newer ? "upgrade warden or compile the policy with this one" : "recompile the policy"));
  }

  if (!in.read(2, value, "compiler version length")) return failure(std::move(out), Code::E0503, in.truncated());
  if (value > kMaxCompilerVersion) {
    return failure(std::move(out), Code::E0504,
                   "header claims a " + std::to_string(value) + "-byte compiler version (at most " +
                       std::to_string(kMaxCompilerVersion) + ")");
  }
  const std::size_t version_at = in.pos();
  if (!in.skip(value, "compiler version")) return failure(std::move(out), Code::E0503, in.truncated());
  out.header.compiler_version.assign(bytes.data() + version_at, value);
  if (!in.read(8, out.header.source_fingerprint, "source fingerprint") ||
      !in.read(8, out.header.payload_size, "payload length")) {
    return failure(std::move(out), Code::E0503, in.truncated());
  }
  if (!in.read(1, value, "signature algorithm")) return failure(std::move(out), Code::E0503, in.truncated());
  if (value > static_cast<std::uint64_t>(SignatureAlgorithm::Ed25519)) {
    return failure(std::move(out), Code::E0504, "unknown signature algorithm " + std::to_string(value));
  }
  out.header.signature_algorithm = static_cast<SignatureAlgorithm>(value);
  if (!in.read(8, out.header.key_id, "key id")) return failure(std::move(out), Code::E0503, in.truncated());
  const std::size_t signature_at = in.pos();
  if (!in.skip(kSignatureSize, "signature")) return failure(std::move(out), Code::E0503, in.truncated());
  std::memcpy(out.header.signature.data(), bytes.data() + signature_at, kSignatureSize);
  const std::size_t checksum_at = in.pos();
  if (!in.read(8, out.header.checksum, "checksum")) return failure(std::move(out), Code::E0503, in.truncated());

  const std::size_t payload_at = in.pos();
  const std::uint64_t available = bytes.size() - payload_at;
  if (out.header.payload_size > available) {
    return failure(std::move(out), Code::E0503,
                   "the header announces " + plural(out.header.payload_size, "payload byte") + " but the file holds " +
                       std::to_string(available));
  }
  if (out.header.payload_size < available) {
    return failure(std::move(out), Code::E0504,
                   plural(available - out.header.payload_size, "unexpected byte") + " after the payload");
  }
  const auto payload = bytes.subspan(payload_at);
  const std::uint64_t actual = checksum(bytes.first(checksum_at), payload);
  if (actual != out.header.checksum) {
    return failure(std::move(out), Code::E0504,
                   "checksum mismatch (header " + hex64(out.header.checksum) + ", contents " + hex64(actual) +
                       "): the file was damaged after it was written");
  }

  // An unsigned artifact has nothing in the signature fields: one encoding.
  if (!out.header.is_signed() && (out.header.key_id != 0 || out.header.signature != Signature{})) {
    return failure(std::move(out), Code::E0504, "an unsigned artifact with a key id or signature");
  }
  // Authenticity before a byte of the payload is decoded.
  if (!verify_keys.empty()) {
    if (auto refusal = check_signature(out.header, bytes.first(signature_at), payload, verify_keys)) {
      return failure(std::move(out), refusal->code, std::move(refusal->message));
    }
  }

  std::string reason;
  std::optional<Program> program = deserialize_program(payload, reason);
  if (!program) return failure(std::move(out), Code::E0504, "the table does not decode: " + reason);
  if (auto problem = validate(*program)) return failure(std::move(out), Code::E0505, std::move(*problem));
  out.program = std::make_shared<const Program>(std::move(*program));
  return out;
}

}  // namespace

std::string hex64(std::uint64_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s(16, '0');
  for (int i = 15; i >= 0; --i, value >>= 4) s[static_cast<std::size_t>(i)] = kDigits[value & 0xfu];
  return s;
}

std::string write_artifact(const Program& program, const ArtifactInfo& info, const SigningKey* key) {
  if (info.compiler_version.size() > kMaxCompilerVersion) throw std::length_error("compiler version string too long");
  const std::string payload = serialize_program(program);
  std::string out;
  out.reserve(111 + info.compiler_version.size() + payload.size());
  out.append(kArtifactMagic);
  put_le(out, kFormatVersion, 4);
  put_le(out, info.compiler_version.size(), 2);
  out.append(info.compiler_version);
  put_le(out, info.source_fingerprint, 8);
  put_le(out, payload.size(), 8);
  put_le(out, static_cast<std::uint64_t>(key ? SignatureAlgorithm::Ed25519 : SignatureAlgorithm::None), 1);
  put_le(out, key ? key->id : 0, 8);
  Signature signature{};
  if (key) {
    const std::string_view parts[] = {out, payload};
    const auto made = sign_parts(*key, parts);
    if (!made) throw std::runtime_error("cannot sign: the cryptography library cannot be initialized");
    signature = *made;
  }
  out.append(reinterpret_cast<const char*>(signature.data()), signature.size());
  put_le(out, checksum(std::span<const char>(out.data(), out.size()), payload), 8);
  out.append(payload);
  return out;
}

std::uint64_t fingerprint_sources(std::vector<SourceEntry> sources) {
  std::sort(sources.begin(), sources.end(), [](const SourceEntry& a, const SourceEntry& b) {
    return a.path != b.path ? a.path < b.path : a.content < b.content;
  });
  std::string encoded;
  for (const auto& s : sources) {
    put_le(encoded, s.path.size(), 8);
    encoded.append(s.path);
    put_le(encoded, s.content.size(), 8);
    encoded.append(s.content);
  }
  return XXH3_64bits(encoded.data(), encoded.size());
}

ArtifactLoad load_artifact(std::span<const char> bytes, std::span<const VerifyKey> verify_keys) noexcept {
  try {
    return load(bytes, verify_keys);
  } catch (const std::bad_alloc&) {
    return failure(ArtifactLoad{}, Code::E0504, "out of memory while loading the artifact");
  } catch (...) {
    return failure(ArtifactLoad{}, Code::E0504, "unexpected failure while loading the artifact");
  }
}

ArtifactLoad load_artifact_file(const std::filesystem::path& path, std::span<const VerifyKey> verify_keys) noexcept {
  try {
    const FileRead file = read_file(path);
    if (!file.ok()) return failure(ArtifactLoad{}, Code::E0506, file.error);
    return load_artifact(file.bytes, verify_keys);
  } catch (...) {
    return failure(ArtifactLoad{}, Code::E0506, "read error");
  }
}

}  // namespace warden::table
