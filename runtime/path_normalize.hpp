// Path normalization: a request's raw path to the segments routing sees.
//
// Internal to runtime/, used before routing (http_endpoint.cpp) and by the
// tests that pin hostile paths. An enforcement point in front of an upstream
// must route each path exactly as the upstream reads it, or a caller reaches
// one endpoint through a path Warden routed to another; the policy's `http`
// block (table::HttpRow) says how its upstream reads them. The steps, in
// order (docs/language.md, "Path normalization"):
//
//   1. The raw path starts with `/`, is at most kMaxBytes long and holds only
//      RFC 3986 path characters (unreserved, sub-delims, `:`, `@`, `/`, `%`):
//      a space, a control character, a raw non-ASCII byte, `\`, `?` or `#`
//      is refused.
//   2. Per raw segment: a `;` (a path parameter) is refused, kept, or cut off
//      with the rest of the segment (`semicolons`).
//   3. Every `%` starts an escape of two hex digits (else refused). An escape
//      of an unreserved character (ALPHA DIGIT - . _ ~) is decoded; any other
//      is kept, its hex digits in upper case. An encoded `/` or `\` (`%2F`,
//      `%5C`) is refused, decoded into a segment separator, or kept inside
//      its segment (`encoded_slash`). Fully decoded, a segment must be valid
//      UTF-8 (shortest form, no surrogates) without control characters (NUL
//      included).
//   4. Empty segments (`//`) other than a trailing one are merged away,
//      kept, or refused (`empty_segments`).
//   5. `.` segments are dropped and `..` removes the segment before it (a
//      `..` above the root is refused), or any of them is refused
//      (`dot_segments`). A path ending in `.` or `..` ends with a slash.
//   6. A trailing slash stays an empty last segment (`strict`: `/a/` is not
//      `/a`) or is dropped (`ignore`), with the empty segments kept right
//      before it (`/a//` is `/a` under `empty_segments keep`).
//
// Routing compares pattern literals with the normalized segments; path
// parameters take the fully decoded segment. Nothing allocates: the object
// holds fixed buffers (it lives in the Evaluation on the stack) that are
// left uninitialized until a path is normalized, so a decision without a
// path pays nothing for them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "table/program.hpp"

namespace warden::runtime {

enum class PathError : std::uint8_t {
  None = 0,
  NotAbsolute,       // empty, or not starting with `/`
  TooLong,           // more than kMaxBytes
  BadCharacter,      // a byte that is not a path character
  BadEscape,         // `%` not followed by two hex digits
  EncodedSlash,      // `%2F` / `%5C` with `encoded_slash reject`
  Semicolon,         // `;` with `semicolons reject`
  EmptySegment,      // `//` with `empty_segments reject`
  DotSegment,        // `.` / `..` with `dot_segments reject`
  AboveRoot,         // `..` with nothing left to remove
  BadUtf8,           // a decoded segment that is not valid UTF-8
  ControlCharacter,  // a decoded control character (NUL included)
  TooManySegments,   // more than kMaxSegments
};

// Lowercase, for messages: "`..` above the root".
const char* path_error_text(PathError e);

class NormalizedPath {
 public:
  static constexpr std::size_t kMaxBytes = 4096;
  static constexpr std::size_t kMaxSegments = 32;

  // Normalizes `raw` with `options`; on an error the object holds no path.
  PathError normalize(std::string_view raw, const table::HttpRow& options) noexcept;

  // The segments routing matches (a strict trailing slash is a last empty
  // segment), and each one fully decoded (what a `{param}` takes).
  std::size_t count() const { return count_; }
  std::string_view segment(std::size_t i) const { return {normal_ + segment_[i].begin, segment_[i].length}; }
  std::string_view value(std::size_t i) const { return {decoded_ + value_[i].begin, value_[i].length}; }

  // The normalized path as text ("/a/b", "/a/" with a strict trailing
  // slash, "/" for the root), written without allocating.
  template <typename Sink>
  void write(Sink& out) const {
    if (count_ == 0) out.append("/");
    for (std::size_t i = 0; i < count_; ++i) {
      out.append("/");
      out.append(segment(i));
    }
  }
  std::string str() const;  // for tests and tools

 private:
  struct Piece {
    std::uint32_t normal_begin, normal_length, decoded_begin, decoded_length;
  };
  struct Slice {
    std::uint16_t begin, length;
  };
  static constexpr std::size_t kMaxPieces = 256;

  PathError split(std::string_view raw, const table::HttpRow& options) noexcept;
  PathError end_piece(std::size_t normal_begin, std::size_t decoded_begin) noexcept;

  char normal_[kMaxBytes];
  char decoded_[kMaxBytes];
  std::size_t normal_used_ = 0;
  std::size_t decoded_used_ = 0;
  Piece pieces_[kMaxPieces];
  std::size_t piece_count_ = 0;
  Slice segment_[kMaxSegments];
  Slice value_[kMaxSegments];
  std::size_t count_ = 0;
};

}  // namespace warden::runtime
