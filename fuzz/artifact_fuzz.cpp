// libFuzzer target for the artifact reader (table/artifact.hpp).
//
// Built only with clang and -DWARDEN_BUILD_FUZZERS=ON:
//   CXX=clang++ cmake -S . -B build-fuzz -DWARDEN_BUILD_FUZZERS=ON
//   cmake --build build-fuzz --target artifact_fuzz && build-fuzz/fuzz/artifact_fuzz -max_len=16384
// The first input byte picks what the rest is: a whole file (exercising the
// header checks), or a payload that the harness wraps in a header with a
// valid checksum (exercising the decoder and validate(), which a random file
// would never reach past the checksum). Checks that loading never crashes,
// that a refusal always has a code and no table, and that an accepted table
// re-encodes to the same payload.
#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "table/artifact.hpp"
#include "table/serialize.hpp"

namespace {

void put_le(std::string& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::string wrap(std::string_view payload) {
  std::string out(warden::table::kArtifactMagic);
  put_le(out, warden::table::kFormatVersion, 4);
  put_le(out, 4, 2);
  out += "fuzz";
  put_le(out, 0, 8);
  put_le(out, payload.size(), 8);
  put_le(out, XXH3_64bits_withSeed(payload.data(), payload.size(), XXH3_64bits(out.data(), out.size())), 8);
  return out.append(payload);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > 16384) return -1;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string file = data[0] & 1 ? wrap(rest) : std::string(rest);
  const auto r = warden::table::load_artifact(std::span<const char>(file.data(), file.size()));
  if (r.ok() == r.error.has_value()) std::abort();
  if (!r.ok()) {
    if (r.program || r.error->message.empty()) std::abort();
    return 0;
  }
  if (warden::table::serialize_program(*r.program) != file.substr(file.size() - r.header.payload_size)) std::abort();
  return 0;
}
