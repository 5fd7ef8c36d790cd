// Text and JSON rendering of diagnostics.
#include "support/diagnostic_render.hpp"

#include <algorithm>
#include <cstdio>

namespace warden {
namespace {

std::string location(const Span& s, const SourceSet& sources) {
  if (!s.valid()) return "";
  return sources.file(s.file).path() + ":" + std::to_string(s.line) + ":" + std::to_string(s.column) + ": ";
}

const char* severity_name(Severity s) { return s == Severity::Error ? "error" : "warning"; }

// The source line of `s` and a caret line under it, with a gutter `width` wide.
void append_snippet(std::string& out, const Span& s, const SourceSet& sources, std::size_t width) {
  if (!s.valid()) return;
  const SourceFile& f = sources.file(s.file);
  const std::string_view line = f.line_text(s.line);
  const std::string number = std::to_string(s.line);
  out += std::string(width - number.size() + 1, ' ') + number + " | " + std::string(line) + "\n";
  out += std::string(width + 1, ' ') + " | ";
  // Keep tabs so the caret lines up under tab-indented source.
  const std::size_t col = s.column == 0 ? 0 : s.column - 1;
  for (std::size_t i = 0; i < col && i < line.size(); ++i) out += line[i] == '\t' ? '\t' : ' ';
  const std::size_t rest = col < line.size() ? line.size() - col : 0;
  const std::size_t carets = std::max<std::size_t>(1, std::min<std::size_t>(s.length, rest));
  out += std::string(carets, '^') + "\n";
}

std::string span_json(const Span& s, const SourceSet& sources) {
  if (!s.valid()) return "null";
  return "{\"file\":" + json_string(sources.file(s.file).path()) + ",\"line\":" + std::to_string(s.line) +
         ",\"column\":" + std::to_string(s.column) + ",\"length\":" + std::to_string(s.length) + "}";
}

}  // namespace

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
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
  std::string out = location(d.span, sources) + severity_name(d.severity) + "[" + std::string(info.name) + "]: " + d.message + "\n";
  append_snippet(out, d.span, sources, width);
  for (const auto& l : d.labels) {
    out += location(l.span, sources) + "note: " + l.message + "\n";
    append_snippet(out, l.span, sources, width);
  }
  for (const auto& n : d.notes) out += std::string(width + 1, ' ') + " = " + n + "\n";
  return out;
}

std::string render_json(const Diagnostic& d, const SourceSet& sources) {
  std::string out = "{\"code\":" + json_string(code_info(d.code).name) + ",\"severity\":\"" + severity_name(d.severity) +
                    "\",\"message\":" + json_string(d.message) + ",\"span\":" + span_json(d.span, sources) + ",\"labels\":[";
  for (std::size_t i = 0; i < d.labels.size(); ++i) {
    if (i) out += ",";
    out += "{\"message\":" + json_string(d.labels[i].message) + ",\"span\":" + span_json(d.labels[i].span, sources) + "}";
  }
  out += "],\"notes\":[";
  for (std::size_t i = 0; i < d.notes.size(); ++i) {
    if (i) out += ",";
    out += json_string(d.notes[i]);
  }
  return out + "]}";
}

}  // namespace warden
