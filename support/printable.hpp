// Text that came from input — policy source lines, names in messages, file
// names — made safe to show on a reviewer's terminal.
//
// Pipeline position: support/, under diagnostic_render.hpp and every CLI
// message that echoes input. A policy line holding terminal escape sequences
// must not clear the screen of whoever runs the pre-commit hook, and a 5 MB
// line must not become 5 MB of output. So: control characters (C0, DEL, C1),
// bidirectional-override characters (which can make text read differently
// from how it parses) and bytes that are not UTF-8 are shown as escapes
// (`\x1b`, `\u{202e}`), and text longer than its budget is cut with `…`.
// Everything else — tabs included, for caret alignment — passes unchanged,
// so ordinary lines look exactly as written.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace warden {

// At most `max_columns` columns of `text`, escaped; `…` marks a cut.
std::string printable(std::string_view text, std::size_t max_columns);

// One source line for a snippet, and the caret line under the span that
// starts at 1-based byte `column` and is `length` bytes long. Lines longer
// than `max_columns` are shown as a window around the span, with `…` where
// they are cut; carets count characters, not bytes.
struct Excerpt {
  std::string line;
  std::string carets;  // padding (tabs kept) and at least one `^`
};
Excerpt excerpt(std::string_view line, std::size_t column, std::size_t length, std::size_t max_columns);

// True for the characters printable() escapes, by code point.
bool is_unsafe_code_point(char32_t c);

// The UTF-8 character at byte `i` of `s`: its length, with its code point in
// `code_point`; 0 when the bytes there are not well-formed UTF-8.
std::size_t utf8_char(std::string_view s, std::size_t i, char32_t& code_point);

// At most `max_chars` characters of `s` (a byte that is not UTF-8 counts as
// one), with `…` appended when cut: a cap for text that is escaped later
// (JSON) rather than by printable().
std::string cut_text(std::string_view s, std::size_t max_chars);

}  // namespace warden
