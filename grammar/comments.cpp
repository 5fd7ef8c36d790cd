// The comment scanner (see comments.hpp): a single pass over the text that
// tracks string literals (`"…"` with `\` escapes, ending at a newline as an
// unterminated literal does) so that a `#` inside a string is not a comment.
#include "grammar/comments.hpp"

namespace warden::grammar {

std::vector<Comment> scan_comments(std::string_view text) {
  std::vector<Comment> out;
  std::uint32_t line = 1;
  bool code_on_line = false;  // a non-blank character precedes, on this line
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      code_on_line = false;
      ++i;
    } else if (c == '#') {
      std::size_t end = i;
      while (end < text.size() && text[end] != '\n') ++end;
      std::size_t trimmed = end;
      while (trimmed > i && (text[trimmed - 1] == ' ' || text[trimmed - 1] == '\t' || text[trimmed - 1] == '\r')) --trimmed;
      out.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(trimmed - i), line, !code_on_line});
      i = end;
    } else if (c == '"') {
      code_on_line = true;
      ++i;
      while (i < text.size() && text[i] != '"' && text[i] != '\n') i += text[i] == '\\' && i + 1 < text.size() && text[i + 1] != '\n' ? 2 : 1;
      if (i < text.size() && text[i] == '"') ++i;
    } else {
      if (c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != '\v') code_on_line = true;
      ++i;
    }
  }
  return out;
}

}  // namespace warden::grammar
