// Byte-level checks of a policy file (see source_checks.hpp).
#include "grammar/source_checks.hpp"

#include <cctype>
#include <cstdio>
#include <string>

#include "support/printable.hpp"

namespace warden::grammar {
namespace {

bool is_name_byte(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':' || c == '.' || c == '-' || c == '*';
}

std::string code_point_text(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

}  // namespace

bool check_source_text(const SourceSet& sources, std::uint32_t file, DiagnosticSink& sink) {
  const std::string_view text = sources.file(file).text();
  auto at = [&](std::size_t offset, std::size_t length) {
    return sources.span(file, static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(length));
  };
  // Encoding and characters first: a file that fails these is not text.
  for (std::size_t i = 0; i < text.size();) {
    char32_t c = 0;
    const std::size_t n = utf8_char(text, i, c);
    if (n == 0) {
      char byte[8];
      std::snprintf(byte, sizeof byte, "0x%02x", static_cast<unsigned>(static_cast<unsigned char>(text[i])));
      sink.report(Code::E0006, at(i, 1), std::string("the file is not UTF-8 text (byte ") + byte + " here)")
          .notes.push_back("help: save the policy as UTF-8");
      return false;
    }
    if (c != '\t' && c != '\n' && c != '\r' && is_unsafe_code_point(c)) {
      sink.report(Code::E0007, at(i, n),
                  "control character " + code_point_text(c) + " in the source: policy files hold printable text only")
          .notes.push_back("help: remove it; in a string, write what it stands for in words");
      return false;
    }
    i += n;
  }
  // Names, outside comments and strings.
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '"') {
      for (++i; i < text.size() && text[i] != '"' && text[i] != '\n'; ++i) {
        if (text[i] == '\\') ++i;
      }
      ++i;
    } else if (is_name_byte(c)) {
      const std::size_t start = i;
      while (i < text.size() && is_name_byte(text[i])) ++i;
      if (i - start > kMaxNameBytes) {
        sink.report(Code::E0107, at(start, i - start),
                    "this name is " + std::to_string(i - start) + " bytes long; names are at most " +
                        std::to_string(kMaxNameBytes) + " bytes");
        return false;
      }
    } else {
      ++i;
    }
  }
  return true;
}

}  // namespace warden::grammar
