// libFuzzer target for the strict JSON reader (support/json.hpp).
//
// Built only with clang and -DWARDEN_BUILD_FUZZERS=ON:
//   CXX=clang++ cmake -S . -B build-fuzz -DWARDEN_BUILD_FUZZERS=ON
//   cmake --build build-fuzz --target json_fuzz && build-fuzz/fuzz/json_fuzz -max_len=4096
// Checks that parsing never crashes, that errors point inside the input, and
// that an accepted document survives a write and re-read unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "support/json.hpp"
#include "support/json_writer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // An input larger than 4 KiB probably isn't interesting (as in re2).
  if (size > 4096) return -1;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto r = warden::json::parse(text);
  if (!r.ok()) {
    if (r.error.line == 0 || r.error.column == 0 || r.error.column > size + 1 || r.error.message.empty()) std::abort();
    return 0;
  }
  std::string once;
  warden::json::append_value(once, *r.value);
  const auto again = warden::json::parse(once);
  if (!again.ok()) std::abort();
  std::string twice;
  warden::json::append_value(twice, *again.value);
  if (once != twice) std::abort();
  return 0;
}
