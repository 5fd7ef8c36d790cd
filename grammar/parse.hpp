// The parser's interface: policy text in, AST and syntax diagnostics out.
//
// Parsing never throws to the caller and never stops at the first error: after
// a syntax error it skips to the next declaration and goes on, so one run
// reports every independent error in a file.
#pragma once

#include <cstdint>

#include "grammar/ast.hpp"
#include "support/diagnostic.hpp"
#include "support/source.hpp"

namespace warden::grammar {

// Parse file `file` of `sources`, appending its declarations to `out` and its
// syntax diagnostics (E01xx, and E0314 for a tenancy item given twice) to `sink`.
// A file that is not UTF-8 text (E0006, E0007) or holds an overlong name
// (E0107) is reported and not parsed (source_checks.hpp).
void parse_file(const SourceSet& sources, std::uint32_t file, ast::Policy& out, DiagnosticSink& sink);

}  // namespace warden::grammar
