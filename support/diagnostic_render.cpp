// Text and JSON rendering of diagnostics.
//
// Everything that comes from the input — the source line, the names a
// message quotes, file names — goes through printable() (printable.hpp) in
// text, and through json_string() in JSON, so no raw control byte reaches a
// terminal and one diagnostic is a few kilobytes at most however long the
// input's lines and names are (docs/reliability.md).
#include "support/diagnostic_render.hpp"

#include <algorithm>
#include <cstdio>

#include "support/printable.hpp"

namespace warden {
namespace {

// Budgets, in columns: a file name, a message or note, an echoed source
// line. Labels and notes beyond kMaxParts are summarized.
constexpr std::size_t kMaxPath = 240;
constexpr std::size_t kMaxMessage = 320;
constexpr std::size_t kMaxSourceLine = 120;
constexpr std::size_t kMaxParts = 8;

std::string location(const Span& s, const SourceSet& sources) {
  if (!s.valid()) return "";
  return printable(sources.file(s.file).path(), kMaxPath) + ":" + std::to_string(s.line) + ":" +
         std::to_string(s.column) + ": ";
}

const char* severity_name(Severity s) { return s == Severity::Error ? "error" : "warning"; }

// The source line of `s` and a caret line under it, with a gutter `width` wide.
void append_snippet(std::string& out, const Span& s, const SourceSet& sources, std::size_t width) {
  if (!s.valid()) return;
  const SourceFile& f = sources.file(s.file);
  const Excerpt shown = excerpt(f.line_text(s.line), s.column, s.length, kMaxSourceLine);
  const std::string number = std::to_string(s.line);
  out += std::string(width - number.size() + 1, ' ') + number + " | " + shown.line + "\n";
  out += std::string(width + 1, ' ') + " | " + shown.carets + "\n";
}

std::string span_json(const Span& s, const SourceSet& sources) {
  if (!s.valid()) return "null";
  return "{\"file\":" + json_string(cut_text(sources.file(s.file).path(), kMaxPath)) + ",\"line\":" + std::to_string(s.line) +
         ",\"column\":" + std::to_string(s.column) + ",\"length\":" + std::to_string(s.length) + "}";
}

}  // namespace

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    switch (c) {
      case '"': out += "\\\""; ++i; continue;
      case '\\': out += "\\\\"; ++i; continue;
      case '\n': out += "\\n"; ++i; continue;
      case '\t': out += "\\t"; ++i; continue;
      case '\r': out += "\\r"; ++i; continue;
      default: break;
    }
    // Valid UTF-8 whatever the input: a byte that is not part of a UTF-8
    // character becomes U+FFFD; control and bidirectional characters are
    // escaped, so a tool that prints a message cannot be tricked either.
    char32_t cp = 0;
    const std::size_t n = utf8_char(s, i, cp);
    if (n == 0) {
      out += "\\ufffd";
      ++i;
    } else if (is_unsafe_code_point(cp)) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
      out += buf;
      i += n;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out + "\"";
}

std::string render_text(const Diagnostic& d, const SourceSet& sources) {
  std::size_t width = d.span.valid() ? std::to_string(d.span.line).size() : 1;
  for (const auto& l : d.labels) {
    if (l.span.valid()) width = std::max(width, std::to_string(l.span.line).size());
  }
  const CodeInfo& info = code_info(d.code);
  std::string out = location(d.span, sources) + severity_name(d.severity) + "[" + std::string(info.name) +
                    "]: " + printable(d.message, kMaxMessage) + "\n";
  append_snippet(out, d.span, sources, width);
  for (std::size_t i = 0; i < d.labels.size() && i < kMaxParts; ++i) {
    out += location(d.labels[i].span, sources) + "note: " + printable(d.labels[i].message, kMaxMessage) + "\n";
    append_snippet(out, d.labels[i].span, sources, width);
  }
  for (std::size_t i = 0; i < d.notes.size() && i < kMaxParts; ++i) {
    out += std::string(width + 1, ' ') + " = " + printable(d.notes[i], kMaxMessage) + "\n";
  }
  const std::size_t more = (d.labels.size() > kMaxParts ? d.labels.size() - kMaxParts : 0) +
                           (d.notes.size() > kMaxParts ? d.notes.size() - kMaxParts : 0);
  if (more) out += std::string(width + 1, ' ') + " = " + std::to_string(more) + " more notes not shown\n";
  return out;
}

std::string render_json(const Diagnostic& d, const SourceSet& sources) {
  std::string out = "{\"code\":" + json_string(code_info(d.code).name) + ",\"severity\":\"" + severity_name(d.severity) +
                    "\",\"message\":" + json_string(cut_text(d.message, kMaxMessage)) + ",\"span\":" +
                    span_json(d.span, sources) + ",\"labels\":[";
  for (std::size_t i = 0; i < d.labels.size() && i < kMaxParts; ++i) {
    if (i) out += ",";
    out += "{\"message\":" + json_string(cut_text(d.labels[i].message, kMaxMessage)) + ",\"span\":" +
           span_json(d.labels[i].span, sources) + "}";
  }
  out += "],\"notes\":[";
  for (std::size_t i = 0; i < d.notes.size() && i < kMaxParts; ++i) {
    if (i) out += ",";
    out += json_string(cut_text(d.notes[i], kMaxMessage));
  }
  return out + "]}";
}

}  // namespace warden
