// The formatter's intermediate form: the lines of a formatted file, each with
// the source position it stands for, and the renderer that puts comments and
// blank lines back among them.
//
// Pipeline position: format/print_*.cpp turn the AST of one file into Lines
// (code only, canonical, independent of the input's layout); render() then
// places the file's comments (grammar/comments.hpp) by position:
//
//   - a comment on a line of its own goes before the first Line whose anchor
//     (the source offset of a token it renders) is after the comment, indented
//     like that Line's comments (for `}`: like the block's items);
//   - a trailing comment stays at the end of the Line that renders the last
//     token before it; a second trailing comment for the same Line goes on a
//     line of its own after it;
//   - trailing comments of consecutive lines are aligned two spaces after the
//     longest code;
//   - a blank line is kept (runs of them collapse to one) where the source has
//     one before an item or its leading comments, never right after `{` or
//     before `}`, and added where the printer asks for one (force_blank).
//
// Because Lines depend only on the AST and comments are placed only by their
// position relative to tokens, formatting is idempotent.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "grammar/comments.hpp"

namespace warden::format {

enum class LineKind : std::uint8_t {
  Item,          // starts a declaration, a block item or a rule clause
  Continuation,  // continues the line before (a wrapped list, a broken condition)
  Close,         // the `}` of a block
};

struct Line {
  LineKind kind = LineKind::Item;
  std::uint32_t indent = 0;          // spaces
  std::string text;                  // the code, without indentation
  std::uint32_t anchor = 0;          // source offset of a token this line renders
  std::uint32_t src_end = 0;         // source offset after the construct this line ends (0: anchor)
  std::uint32_t comment_indent = 0;  // indentation of comments placed before this line
  bool first_in_block = false;       // no blank line before it (first of the file or after `{`)
  bool force_blank = false;          // always a blank line before it (a new declaration group)
};

// A unit of a line that may be wrapped: its text and the source offset it renders.
struct Word {
  std::string text;
  std::uint32_t anchor = 0;
};

// Lay out `words` separated by single spaces: greedily filled into lines of at
// most `width` columns, the first at `indent` (kind Item), the rest at
// indent + 4 (kind Continuation). A word longer than the width gets a line of
// its own. Never returns an empty vector for non-empty `words`.
std::vector<Line> fill(std::uint32_t indent, const std::vector<Word>& words, std::size_t width);

// The formatted file: `lines` with `comments` of `source` placed among them.
// Ends with a newline unless empty.
std::string render(const std::vector<Line>& lines, std::string_view source,
                   const std::vector<grammar::Comment>& comments);

}  // namespace warden::format
