// Comments of a policy source, with their positions.
//
// The parser treats comments as whitespace and drops them (grammar.hpp's
// `ws`); tools that rewrite source text — the formatter (format/) — need them
// back. scan_comments() finds every `#` comment outside string literals, in
// source order. It is a lexical scan only and never fails: on text that does
// not parse it still returns what looks like a comment.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace warden::grammar {

struct Comment {
  std::uint32_t offset = 0;  // of the `#`
  std::uint32_t length = 0;  // up to the end of the line, trailing whitespace (and `\r`) excluded
  std::uint32_t line = 0;    // 1-based
  // Only whitespace precedes it on its line (a comment on a line of its own),
  // as opposed to a trailing comment after code.
  bool own_line = false;

  std::string_view text(std::string_view source) const { return source.substr(offset, length); }
};

std::vector<Comment> scan_comments(std::string_view text);

}  // namespace warden::grammar
