// Checks on the bytes of one policy file before it is parsed.
//
// Pipeline position: grammar/, the first thing parse_file() does. Policy
// files are plain text that reviewers read in terminals and editors, so the
// text must be UTF-8 (E0006) without control characters other than tab,
// line feed and carriage return, and without the bidirectional-override
// characters that make text display differently from how it parses (E0007);
// and a name is at most kMaxNameBytes long (E0107), so that no diagnostic
// has to quote megabytes. Each problem is reported once, at its first
// occurrence; a file with any of them is not parsed (the parser would only
// report its consequences). (A UTF-8 byte order mark never gets here:
// SourceFile drops it.)
#pragma once

#include <cstddef>
#include <cstdint>

#include "support/diagnostic.hpp"
#include "support/source.hpp"

namespace warden::grammar {

inline constexpr std::size_t kMaxNameBytes = 256;

// False when the file has a problem (reported to `sink`) and must not be parsed.
bool check_source_text(const SourceSet& sources, std::uint32_t file, DiagnosticSink& sink);

}  // namespace warden::grammar
