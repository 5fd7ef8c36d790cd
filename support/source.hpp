// Source text held in memory and the spans that point into it.
//
// Every AST node, diagnostic and (later) table row carries a Span so that any
// stage of the pipeline can point back to `file:line:col`. Sources are owned by
// a SourceSet for the whole compilation; spans refer to them by index, so they
// stay small, trivially copyable and meaningful after serialization.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace warden {

// A range of bytes in one source file. `line` and `column` are 1-based and
// count bytes; `length` is in bytes. A default Span (file == kNoFile) points
// nowhere, e.g. for diagnostics about a whole directory.
struct Span {
  static constexpr std::uint32_t kNoFile = 0xffffffffu;
  std::uint32_t file = kNoFile;
  std::uint32_t offset = 0;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::uint32_t length = 0;

  bool valid() const { return file != kNoFile; }
  friend bool operator==(const Span&, const Span&) = default;
};

// One file's text, its display path and the byte offsets where lines start.
// A leading UTF-8 byte order mark is dropped from the text.
class SourceFile {
 public:
  SourceFile(std::string path, std::string text);

  const std::string& path() const { return path_; }
  std::string_view text() const { return text_; }

  // 1-based line and column of a byte offset (clamped to the text).
  std::pair<std::uint32_t, std::uint32_t> line_column(std::uint32_t offset) const;
  // The text of a 1-based line, without its line terminator.
  std::string_view line_text(std::uint32_t line) const;

 private:
  std::string path_;
  std::string text_;
  std::vector<std::uint32_t> line_starts_;
};

// All files of one compilation. Indices are stable for the set's lifetime.
class SourceSet {
 public:
  std::uint32_t add(std::string path, std::string text);
  const SourceFile& file(std::uint32_t index) const { return files_.at(index); }
  std::size_t size() const { return files_.size(); }

  // A span for [offset, offset + length) in file `index`.
  Span span(std::uint32_t index, std::uint32_t offset, std::uint32_t length) const;

 private:
  std::vector<SourceFile> files_;
};

}  // namespace warden
