// Filling words into lines, and rendering Lines with comments and blank
// lines (see layout.hpp for the placement rules).
#include "format/layout.hpp"

#include <algorithm>
#include <optional>

namespace warden::format {
namespace {

constexpr std::uint32_t kContinuationIndent = 4;
constexpr std::size_t kCommentGap = 2;

bool is_blank_char(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// Whether [from, to) of the source contains an empty line: a newline followed
// by only blanks up to another newline.
bool has_blank_line(std::string_view source, std::uint32_t from, std::uint32_t to) {
  to = std::min<std::uint32_t>(to, static_cast<std::uint32_t>(source.size()));
  for (std::uint32_t i = from; i < to; ++i) {
    if (source[i] != '\n') continue;
    std::uint32_t j = i + 1;
    while (j < to && is_blank_char(source[j])) ++j;
    if (j < to && source[j] == '\n') return true;
  }
  return false;
}

// The offset of the last non-blank character before `offset` on its line, or
// `offset` itself when there is none.
std::uint32_t code_before(std::string_view source, std::uint32_t offset) {
  std::uint32_t i = offset;
  while (i > 0 && is_blank_char(source[i - 1])) --i;
  return i > 0 && source[i - 1] != '\n' ? i - 1 : offset;
}

// One output line before alignment: code and a trailing comment, or a lone
// comment (code empty, `lone` set), or a blank line (both empty).
struct Out {
  std::string code;
  std::string comment;
  bool lone = false;
};

std::string spaces(std::size_t n) { return std::string(n, ' '); }

}  // namespace

std::vector<Line> fill(std::uint32_t indent, const std::vector<Word>& words, std::size_t width) {
  std::vector<Line> out;
  for (const Word& w : words) {
    if (!out.empty()) {
      Line& cur = out.back();
      if (cur.indent + cur.text.size() + 1 + w.text.size() <= width) {
        cur.text += ' ';
        cur.text += w.text;
        continue;
      }
    }
    Line line;
    line.kind = out.empty() ? LineKind::Item : LineKind::Continuation;
    line.indent = out.empty() ? indent : indent + kContinuationIndent;
    line.comment_indent = line.indent;
    line.text = w.text;
    line.anchor = w.anchor;
    out.push_back(std::move(line));
  }
  return out;
}

std::string render(const std::vector<Line>& lines, std::string_view source,
                   const std::vector<grammar::Comment>& comments) {
  // Attach every comment to a line (index lines.size(): the end of the file).
  const std::size_t n = lines.size();
  std::vector<std::vector<const grammar::Comment*>> leading(n + 1);
  std::vector<const grammar::Comment*> trailing(n, nullptr);
  auto first_after = [&](std::uint32_t offset) {
    return static_cast<std::size_t>(std::upper_bound(lines.begin(), lines.end(), offset,
                                                     [](std::uint32_t o, const Line& l) { return o < l.anchor; }) -
                                    lines.begin());
  };
  for (const grammar::Comment& c : comments) {
    if (c.own_line || n == 0) {
      leading[first_after(c.offset)].push_back(&c);
      continue;
    }
    // The line rendering the last token before the comment.
    const std::size_t after = first_after(code_before(source, c.offset));
    const std::size_t at = after == 0 ? 0 : after - 1;
    if (!trailing[at]) {
      trailing[at] = &c;
    } else {
      leading[at + 1].push_back(&c);
    }
  }

  std::vector<Out> out;
  std::uint32_t prev_end = 0;  // source offset after the last thing emitted
  auto emit_blank = [&] {
    if (!out.empty() && !(out.back().code.empty() && !out.back().lone)) out.push_back({});
  };
  for (std::size_t i = 0; i <= n; ++i) {
    const bool eof = i == n;
    const Line* line = eof ? nullptr : &lines[i];
    // Nothing has been emitted since `{` (or the start of the file): no blank line.
    bool at_start = eof ? out.empty() : line->first_in_block;
    const bool continues = !eof && line->kind == LineKind::Continuation;
    bool force = !eof && line->force_blank;
    for (const grammar::Comment* c : leading[i]) {
      if (!at_start && !continues && (force || has_blank_line(source, prev_end, c->offset))) emit_blank();
      out.push_back({spaces(eof ? 0 : line->comment_indent) + std::string(c->text(source)), "", true});
      prev_end = std::max(prev_end, c->offset + c->length);
      at_start = force = false;
    }
    if (eof) break;
    if (!at_start && line->kind == LineKind::Item && (force || has_blank_line(source, prev_end, line->anchor))) {
      emit_blank();
    }
    Out o;
    o.code = spaces(line->indent) + line->text;
    if (trailing[i]) o.comment = std::string(trailing[i]->text(source));
    out.push_back(std::move(o));
    prev_end = std::max({prev_end, line->anchor, line->src_end});
    if (trailing[i]) prev_end = std::max(prev_end, trailing[i]->offset + trailing[i]->length);
  }

  // Align the trailing comments of each run of consecutive code lines.
  std::string text;
  for (std::size_t i = 0; i < out.size();) {
    if (out[i].comment.empty()) {
      text += out[i].code;
      text += '\n';
      ++i;
      continue;
    }
    std::size_t j = i, column = 0;
    while (j < out.size() && !out[j].comment.empty()) column = std::max(column, out[j++].code.size());
    for (; i < j; ++i) {
      text += out[i].code + spaces(column - out[i].code.size() + kCommentGap) + out[i].comment + '\n';
    }
  }
  return text;
}

}  // namespace warden::format
