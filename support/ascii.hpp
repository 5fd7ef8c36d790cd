// ASCII case-insensitive comparison, for header names, schemes and other
// protocol tokens.
//
// Pipeline position: support/, used by the runtime's request readers
// (header lookup, forwarding headers). ASCII only: protocol tokens are
// ASCII, and locale-aware tolower is slow on the decision path.
#pragma once

#include <cstddef>
#include <string_view>

namespace warden {

inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace warden
