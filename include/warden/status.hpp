// The result of an operation that can be refused: loading a policy artifact,
// replacing or updating facts, watching a file.
//
// Part of the public API (include/warden/). A refused operation changes
// nothing: the Engine keeps serving what it had. `code` is stable and listed
// with every other code the project emits in docs/diagnostics.md (E05xx for
// artifacts, F01xx–F03xx for facts and requests, E06xx for watching).
#pragma once

#include <cstdint>
#include <string>
#include <utility>

namespace warden {

struct Status {
  bool ok = true;
  std::string code;        // "E0503", "F0102", …; empty when ok
  std::string message;     // one line, lowercase, no trailing period
  std::uint32_t line = 0;  // 1-based line of fact input; 0 when not applicable

  static Status success() { return {}; }
  static Status error(std::string c, std::string m, std::uint32_t l = 0) { return {false, std::move(c), std::move(m), l}; }
};

}  // namespace warden
