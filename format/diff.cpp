// The unified diff (diff.hpp): split into lines, an edit script from the LCS
// table of the differing middle, then hunks with context.
#include "format/diff.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace warden::format {
namespace {

constexpr std::size_t kMaxTableCells = std::size_t{1} << 24;

struct TextLine {
  std::string_view text;  // without the newline
  bool newline = true;    // false for a last line without one
};

std::vector<TextLine> split_lines(std::string_view s) {
  std::vector<TextLine> out;
  std::size_t start = 0;
  while (start < s.size()) {
    const std::size_t nl = s.find('\n', start);
    if (nl == std::string_view::npos) {
      out.push_back({s.substr(start), false});
      break;
    }
    out.push_back({s.substr(start, nl - start), true});
    start = nl + 1;
  }
  return out;
}

bool same(const TextLine& a, const TextLine& b) { return a.text == b.text && a.newline == b.newline; }

enum class Op : std::uint8_t { Keep, Remove, Add };
struct Edit {
  Op op;
  std::size_t old_index, new_index;  // the line in each text (the one that applies to `op`)
};

std::vector<Edit> edit_script(const std::vector<TextLine>& a, const std::vector<TextLine>& b) {
  std::size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && same(a[prefix], b[prefix])) ++prefix;
  std::size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix && same(a[a.size() - 1 - suffix], b[b.size() - 1 - suffix])) ++suffix;
  const std::size_t n = a.size() - prefix - suffix, m = b.size() - prefix - suffix;

  std::vector<Edit> edits;
  for (std::size_t i = 0; i < prefix; ++i) edits.push_back({Op::Keep, i, i});
  if ((n + 1) * (m + 1) > kMaxTableCells) {
    for (std::size_t i = 0; i < n; ++i) edits.push_back({Op::Remove, prefix + i, prefix});
    for (std::size_t j = 0; j < m; ++j) edits.push_back({Op::Add, prefix + n, prefix + j});
  } else {
    // lcs[i][j]: length of the LCS of a-middle[i..] and b-middle[j..].
    std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return lcs[i * (m + 1) + j]; };
    for (std::size_t i = n; i-- > 0;) {
      for (std::size_t j = m; j-- > 0;) {
        at(i, j) = same(a[prefix + i], b[prefix + j]) ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
      }
    }
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && same(a[prefix + i], b[prefix + j])) {
        edits.push_back({Op::Keep, prefix + i++, prefix + j++});
      } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
        edits.push_back({Op::Remove, prefix + i++, prefix + j});  // removals first, as diff -u
      } else {
        edits.push_back({Op::Add, prefix + i, prefix + j++});
      }
    }
  }
  for (std::size_t k = 0; k < suffix; ++k) edits.push_back({Op::Keep, prefix + n + k, prefix + m + k});
  return edits;
}

void add_line(std::string& out, char mark, const TextLine& line) {
  out += mark;
  out += line.text;
  out += '\n';
  if (!line.newline) out += "\\ No newline at end of file\n";
}

// "l,n" of a hunk's range; an empty range names the line before it.
std::string range_text(std::size_t first, std::size_t count) {
  return std::to_string(count == 0 ? first : first + 1) + "," + std::to_string(count);
}

}  // namespace

std::string unified_diff(std::string_view old_text, std::string_view new_text, std::string_view old_name,
                         std::string_view new_name, std::size_t context) {
  if (old_text == new_text) return "";
  const auto a = split_lines(old_text), b = split_lines(new_text);
  const std::vector<Edit> edits = edit_script(a, b);

  std::string out = "--- " + std::string(old_name) + "\n+++ " + std::string(new_name) + "\n";
  std::size_t k = 0;
  while (k < edits.size()) {
    // Find the next change, and extend the hunk while changes are within
    // 2 * context lines of each other.
    while (k < edits.size() && edits[k].op == Op::Keep) ++k;
    if (k == edits.size()) break;
    const std::size_t begin = k >= context ? k - context : 0;
    std::size_t end = k;
    while (end < edits.size()) {
      if (edits[end].op != Op::Keep) {
        ++end;
        continue;
      }
      std::size_t run = end;
      while (run < edits.size() && edits[run].op == Op::Keep) ++run;
      if (run == edits.size() || run - end > 2 * context) {
        end = std::min(run, end + context);
        break;
      }
      end = run;
    }
    std::size_t old_count = 0, new_count = 0;
    for (std::size_t e = begin; e < end; ++e) {
      old_count += edits[e].op != Op::Add;
      new_count += edits[e].op != Op::Remove;
    }
    const std::size_t old_first = edits[begin].old_index, new_first = edits[begin].new_index;
    out += "@@ -" + range_text(old_first, old_count) + " +" + range_text(new_first, new_count) + " @@\n";
    for (std::size_t e = begin; e < end; ++e) {
      switch (edits[e].op) {
        case Op::Keep: add_line(out, ' ', a[edits[e].old_index]); break;
        case Op::Remove: add_line(out, '-', a[edits[e].old_index]); break;
        case Op::Add: add_line(out, '+', b[edits[e].new_index]); break;
      }
    }
    k = end;
  }
  return out;
}

}  // namespace warden::format
