// Escaping and capping input text for display (see printable.hpp).
#include "support/printable.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace warden {
namespace {

constexpr std::string_view kEllipsis = "…";

// One character of the input: a well-formed UTF-8 sequence (no overlong
// forms, surrogates or values past U+10FFFF), or a single byte that is not
// part of one.
struct Cell {
  std::size_t size = 1;
  char32_t code_point = 0;
  bool valid = false;
};

Cell decode(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return {1, b0, true};
  std::size_t n = 0;
  char32_t cp = 0, min = 0;
  if ((b0 & 0xE0) == 0xC0) n = 2, cp = b0 & 0x1Fu, min = 0x80;
  else if ((b0 & 0xF0) == 0xE0) n = 3, cp = b0 & 0x0Fu, min = 0x800;
  else if ((b0 & 0xF8) == 0xF0) n = 4, cp = b0 & 0x07u, min = 0x10000;
  else return {};
  if (i + n > s.size()) return {};
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return {};
    cp = (cp << 6) | (byte(i + k) & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {};
  return {n, cp, true};
}

std::string hex_escape(unsigned value, bool code_point) {
  char buf[16];
  std::snprintf(buf, sizeof buf, code_point ? "\\u{%x}" : "\\x%02x", value);
  return buf;
}

// How a cell is shown; `keep_tab` for source lines, where a tab must stay a
// tab for the caret line to align.
std::string shown(std::string_view s, std::size_t i, const Cell& c, bool keep_tab) {
  if (!c.valid) return hex_escape(static_cast<unsigned char>(s[i]), false);
  if (c.code_point == '\t' && keep_tab) return "\t";
  if (c.code_point < 0x20 || c.code_point == 0x7F) return hex_escape(c.code_point, false);
  if (is_unsafe_code_point(c.code_point)) return hex_escape(c.code_point, true);
  return std::string(s.substr(i, c.size));
}

// Columns a shown piece takes: one per character (an escape is ASCII).
std::size_t width(std::string_view piece) {
  std::size_t w = 0;
  for (const char ch : piece) w += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
  return w;
}

// The start of the character at or after `i` (skipping at most three
// continuation bytes, as decode() would treat them as single bytes anyway).
std::size_t resync(std::string_view s, std::size_t i) {
  for (int k = 0; k < 3 && i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80; ++k) ++i;
  return i;
}

}  // namespace

std::size_t utf8_char(std::string_view s, std::size_t i, char32_t& code_point) {
  const Cell c = decode(s, i);
  code_point = c.code_point;
  return c.valid ? c.size : 0;
}

std::string cut_text(std::string_view s, std::size_t max_chars) {
  std::size_t i = 0;
  for (std::size_t n = 0; i < s.size(); ++n) {
    if (n == max_chars) return std::string(s.substr(0, i)).append(kEllipsis);
    i += decode(s, i).size;
  }
  return std::string(s);
}

bool is_unsafe_code_point(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

std::string printable(std::string_view text, std::size_t max_columns) {
  std::string out;
  std::size_t columns = 0, keep = 0;  // `keep`: bytes of `out` that leave room for the ellipsis
  for (std::size_t i = 0; i < text.size();) {
    const Cell c = decode(text, i);
    const std::string piece = shown(text, i, c, false);
    const std::size_t w = width(piece);
    if (columns + w > max_columns) {
      out.resize(keep);
      return out.append(kEllipsis);
    }
    out += piece;
    columns += w;
    if (columns + 1 <= max_columns) keep = out.size();
    i += c.size;
  }
  return out;
}

namespace {

// True when the whole line takes at most `max_columns` columns (decoding at
// most that many characters).
bool fits(std::string_view line, std::size_t max_columns) {
  std::size_t columns = 0;
  for (std::size_t i = 0; i < line.size();) {
    const Cell c = decode(line, i);
    columns += width(shown(line, i, c, true));
    if (columns > max_columns) return false;
    i += c.size;
  }
  return true;
}

// Where the window of a long line starts: about `context` columns before
// byte `at`, decoding only near it (a 5 MB line costs the window, not the
// line).
std::size_t window_start(std::string_view line, std::size_t at, std::size_t context) {
  const std::size_t from = at > 4 * context + 16 ? resync(line, at - 4 * context - 16) : 0;
  std::vector<std::pair<std::size_t, std::size_t>> before;  // (offset, width) of the characters before `at`
  for (std::size_t i = from; i < at;) {
    const Cell c = decode(line, i);
    before.emplace_back(i, width(shown(line, i, c, true)));
    i += c.size;
  }
  std::size_t start = at, columns = 0;
  for (auto it = before.rbegin(); it != before.rend() && columns + it->second <= context; ++it) {
    columns += it->second;
    start = it->first;
  }
  return start;
}

}  // namespace

Excerpt excerpt(std::string_view line, std::size_t column, std::size_t length, std::size_t max_columns) {
  const std::size_t at = std::min(column == 0 ? 0 : column - 1, line.size());
  const std::size_t end = at + std::max<std::size_t>(length, 1);
  max_columns = std::max<std::size_t>(max_columns, 8);
  const std::size_t start = fits(line, max_columns) ? 0 : window_start(line, at, max_columns / 3);

  Excerpt out;
  std::size_t columns = 0;
  if (start > 0) {
    out.line += kEllipsis;
    out.carets += ' ';
    columns = 1;
  }
  bool caret = false, caret_done = false;
  for (std::size_t i = start; i < line.size();) {
    const Cell c = decode(line, i);
    const std::string piece = shown(line, i, c, true);
    const std::size_t w = width(piece);
    if (columns + w + 1 > max_columns && i + c.size < line.size()) {
      out.line += kEllipsis;
      break;
    }
    out.line += piece;
    columns += w;
    if (!caret_done) {
      if (i + c.size <= at) {
        out.carets += piece == "\t" ? std::string("\t") : std::string(w, ' ');
      } else if (i < end) {
        out.carets.append(w, '^');
        caret = true;
      } else {
        caret_done = true;
      }
    }
    i += c.size;
  }
  if (!caret) out.carets += '^';
  return out;
}

}  // namespace warden
