// Recomputing an artifact's payload length and checksum after its bytes were
// changed, written from the layout documented in table/artifact.hpp (not
// with the writer's code, so a mistake in one is not copied into the other).
//
// Pipeline position: fuzz/ only. A checksum detects accidents, not
// tampering: whoever can write an artifact can recompute it, so the artifact
// fuzzer does the same to test what validation alone must catch.
#pragma once

#include <xxhash.h>

#include <cstdint>
#include <string>

#include "table/artifact.hpp"

namespace warden::fuzz {

inline std::uint64_t read_le(const std::string& s, std::size_t at, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = n; i-- > 0;) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

inline void write_le(std::string& s, std::size_t at, std::uint64_t v, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) s[at + i] = static_cast<char>((v >> (8 * i)) & 0xffu);
}

// Leaves the bytes alone when the header is too damaged to find the payload.
inline void reseal_artifact(std::string& file) {
  constexpr std::size_t kVersionLength = 12;  // after the magic and the format version
  if (file.size() < kVersionLength + 2 || file.compare(0, 8, table::kArtifactMagic) != 0) return;
  const std::size_t compiler = read_le(file, kVersionLength, 2);
  const std::size_t length_at = kVersionLength + 2 + compiler + 8;
  const std::size_t checksum_at = length_at + 8 + 1 + 8 + table::kSignatureSize;  // after the signature fields
  const std::size_t payload_at = checksum_at + 8;
  if (file.size() < payload_at) return;
  write_le(file, length_at, file.size() - payload_at, 8);
  const XXH64_hash_t seed = XXH3_64bits(file.data(), checksum_at);
  write_le(file, checksum_at, XXH3_64bits_withSeed(file.data() + payload_at, file.size() - payload_at, seed), 8);
}

}  // namespace warden::fuzz
