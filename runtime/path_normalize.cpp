// Path normalization (see path_normalize.hpp for the steps).
#include "runtime/path_normalize.hpp"

namespace warden::runtime {
namespace {

using table::HttpRow;

bool is_alpha_digit(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// RFC 3986 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~".
bool is_unreserved(unsigned char c) { return is_alpha_digit(c) || c == '-' || c == '.' || c == '_' || c == '~'; }

// A byte a raw path may hold: pchar (unreserved, sub-delims, ":", "@", and
// "%" for escapes) or the separator "/".
bool is_path_char(unsigned char c) {
  if (is_unreserved(c)) return true;
  switch (c) {
    case '!': case '$': case '&': case '\'': case '(': case ')': case '*': case '+': case ',': case ';': case '=':
    case ':': case '@': case '/': case '%':
      return true;
    default:
      return false;
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Valid UTF-8 in shortest form, no surrogates, at most U+10FFFF, and no
// control characters. Returns PathError::None or what is wrong.
PathError check_decoded(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) return PathError::ControlCharacter;
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xbf;  // the range of the second byte
    if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c == 0xe0) lo = 0xa0;  // overlong
      if (c == 0xed) hi = 0x9f;  // surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c == 0xf0) lo = 0x90;  // overlong
      if (c == 0xf4) hi = 0x8f;  // above U+10FFFF
    } else {
      return PathError::BadUtf8;  // a continuation byte, an overlong lead (C0, C1) or F5..FF
    }
    if (i + n >= s.size()) return PathError::BadUtf8;  // truncated
    const auto second = static_cast<unsigned char>(s[i + 1]);
    if (second < lo || second > hi) return PathError::BadUtf8;
    for (std::size_t k = 2; k <= n; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if (b < 0x80 || b > 0xbf) return PathError::BadUtf8;
    }
    // C1 controls (U+0080..U+009F) are control characters too.
    if (c == 0xc2 && second < 0xa0) return PathError::ControlCharacter;
    i += n + 1;
  }
  return PathError::None;
}

}  // namespace

const char* path_error_text(PathError e) {
  switch (e) {
    case PathError::None: return "no error";
    case PathError::NotAbsolute: return "a path starts with `/`";
    case PathError::TooLong: return "the path is longer than 4096 bytes";
    case PathError::BadCharacter: return "a character that is not allowed in a path (a space, a control or non-ASCII byte, `\\`, `?`, `#`, …)";
    case PathError::BadEscape: return "a malformed percent-escape (`%` not followed by two hex digits)";
    case PathError::EncodedSlash: return "an encoded slash (`%2F` or `%5C`), which this policy refuses";
    case PathError::Semicolon: return "a `;` path parameter, which this policy refuses";
    case PathError::EmptySegment: return "an empty segment (`//`), which this policy refuses";
    case PathError::DotSegment: return "a `.` or `..` segment, which this policy refuses";
    case PathError::AboveRoot: return "a `..` segment above the root";
    case PathError::BadUtf8: return "an escape that does not decode to valid UTF-8 (overlong, surrogate or truncated)";
    case PathError::ControlCharacter: return "an escape that decodes to a control character";
    case PathError::TooManySegments: return "more than 32 segments";
  }
  return "invalid path";
}

std::string NormalizedPath::str() const {
  std::string out;
  write(out);
  return out;
}

PathError NormalizedPath::end_piece(std::size_t normal_begin, std::size_t decoded_begin) noexcept {
  const std::string_view decoded(decoded_ + decoded_begin, decoded_used_ - decoded_begin);
  if (const PathError e = check_decoded(decoded); e != PathError::None) return e;
  if (piece_count_ == kMaxPieces) return PathError::TooManySegments;
  pieces_[piece_count_++] = {static_cast<std::uint32_t>(normal_begin), static_cast<std::uint32_t>(normal_used_ - normal_begin),
                             static_cast<std::uint32_t>(decoded_begin),
                             static_cast<std::uint32_t>(decoded_used_ - decoded_begin)};
  return PathError::None;
}

// Steps 1–3: raw segments into pieces, each in normal and decoded form.
PathError NormalizedPath::split(std::string_view raw, const HttpRow& options) noexcept {
  if (raw.empty() || raw.front() != '/') return PathError::NotAbsolute;
  if (raw.size() > kMaxBytes) return PathError::TooLong;
  for (const char c : raw) {
    if (!is_path_char(static_cast<unsigned char>(c))) return PathError::BadCharacter;
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::size_t pos = 1;
  for (;;) {
    std::size_t end = raw.find('/', pos);
    if (end == std::string_view::npos) end = raw.size();
    std::string_view segment = raw.substr(pos, end - pos);
    if (const auto semicolon = segment.find(';'); semicolon != std::string_view::npos) {
      switch (options.semicolons) {
        case HttpRow::Semicolons::Reject: return PathError::Semicolon;
        case HttpRow::Semicolons::Strip: segment = segment.substr(0, semicolon); break;
        case HttpRow::Semicolons::Keep: break;
      }
    }
    std::size_t normal_begin = normal_used_, decoded_begin = decoded_used_;
    for (std::size_t i = 0; i < segment.size(); ++i) {
      const char c = segment[i];
      if (c != '%') {
        normal_[normal_used_++] = c;
        decoded_[decoded_used_++] = c;
        continue;
      }
      if (i + 2 >= segment.size()) return PathError::BadEscape;
      const int hi = hex_value(segment[i + 1]), lo = hex_value(segment[i + 2]);
      if (hi < 0 || lo < 0) return PathError::BadEscape;
      const auto byte = static_cast<unsigned char>(hi * 16 + lo);
      i += 2;
      if (byte == '/' || byte == '\\') {
        if (options.encoded_slash == HttpRow::EncodedSlash::Reject) return PathError::EncodedSlash;
        if (options.encoded_slash == HttpRow::EncodedSlash::Decode) {
          // A separator after all: end this piece, start the next.
          if (const PathError e = end_piece(normal_begin, decoded_begin); e != PathError::None) return e;
          normal_begin = normal_used_;
          decoded_begin = decoded_used_;
          continue;
        }
      }
      if (is_unreserved(byte)) {
        normal_[normal_used_++] = static_cast<char>(byte);
      } else {
        normal_[normal_used_++] = '%';
        normal_[normal_used_++] = kHex[byte >> 4];
        normal_[normal_used_++] = kHex[byte & 15];
      }
      decoded_[decoded_used_++] = static_cast<char>(byte);
    }
    if (const PathError e = end_piece(normal_begin, decoded_begin); e != PathError::None) return e;
    if (end == raw.size()) break;
    pos = end + 1;
  }
  return PathError::None;
}

PathError NormalizedPath::normalize(std::string_view raw, const HttpRow& options) noexcept {
  normal_used_ = decoded_used_ = piece_count_ = count_ = 0;
  // Neither form grows: an escape becomes one byte or stays three, and
  // cutting at `;` or an encoded slash only removes bytes.
  if (const PathError e = split(raw, options); e != PathError::None) {
    count_ = 0;
    return e;
  }
  // Steps 4–5 over the pieces; `kept` holds the indices of the pieces kept.
  std::size_t kept[kMaxPieces];
  std::size_t kept_count = 0;
  bool trailing = false;
  for (std::size_t i = 0; i < piece_count_; ++i) {
    const Piece& piece = pieces_[i];
    const bool last = i + 1 == piece_count_;
    const std::string_view normal(normal_ + piece.normal_begin, piece.normal_length);
    if (normal.empty()) {
      if (last) {
        trailing = true;
        continue;
      }
      if (options.empty_segments == HttpRow::EmptySegments::Reject) return PathError::EmptySegment;
      if (options.empty_segments == HttpRow::EmptySegments::Merge) continue;
      kept[kept_count++] = i;
      continue;
    }
    if (normal == "." || normal == "..") {
      if (options.dot_segments == HttpRow::DotSegments::Reject) return PathError::DotSegment;
      if (normal == "..") {
        if (kept_count == 0) return PathError::AboveRoot;
        --kept_count;
      }
      trailing = last;
      continue;
    }
    kept[kept_count++] = i;
  }
  // Step 6: a strict trailing slash is an empty last segment; an ignored one
  // takes kept empty segments before it along, or the path would print as
  // one with a trailing slash and read back differently.
  if (trailing && options.trailing_slash == HttpRow::TrailingSlash::Ignore) {
    while (kept_count > 0 && pieces_[kept[kept_count - 1]].normal_length == 0) --kept_count;
  }
  const bool empty_last = trailing && kept_count > 0 && options.trailing_slash == HttpRow::TrailingSlash::Strict;
  if (kept_count + (empty_last ? 1 : 0) > kMaxSegments) return PathError::TooManySegments;
  for (std::size_t k = 0; k < kept_count; ++k) {
    const Piece& piece = pieces_[kept[k]];
    segment_[k] = {static_cast<std::uint16_t>(piece.normal_begin), static_cast<std::uint16_t>(piece.normal_length)};
    value_[k] = {static_cast<std::uint16_t>(piece.decoded_begin), static_cast<std::uint16_t>(piece.decoded_length)};
  }
  count_ = kept_count;
  if (empty_last) {
    segment_[count_] = value_[count_] = Slice{0, 0};
    ++count_;
  }
  return PathError::None;
}

}  // namespace warden::runtime
