// A line-based unified diff, for `warden fmt --check` (what formatting would
// change) and anything else that shows a reviewer two versions of a text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace warden::format {

// `--- old_name` / `+++ new_name` headers, then hunks with `context` lines of
// context (`@@ -l,n +l,n @@`), as `diff -u` prints them; "" when the texts are
// equal. Lines are matched by a longest common subsequence after trimming the
// common prefix and suffix; when the differing middle is too large for that
// (over ~16M line pairs) it is shown as replaced whole.
std::string unified_diff(std::string_view old_text, std::string_view new_text, std::string_view old_name,
                         std::string_view new_name, std::size_t context = 3);

}  // namespace warden::format
