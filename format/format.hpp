// `warden fmt`'s library: one canonical layout for Warden policy files.
//
// Pipeline position: beside the compiler, on top of grammar/ only. A file is
// parsed (grammar::parse_file), its comments collected (grammar/comments.hpp),
// and the AST printed back declaration by declaration in source order
// (printer.hpp), with the comments and the author's blank lines put back
// (layout.hpp). The layout:
//
//   - indentation of 2 inside blocks, one declaration or item per statement,
//     single spaces around keywords and operators, `, ` in lists, `a | b` in
//     enums, `{` on the declaration's line and `}` on its own;
//   - a blank line between declarations of different kinds (and between two
//     resources or two endpoints); elsewhere a blank line is kept where the
//     source has one, runs of blank lines collapsed;
//   - rules: `EFFECT NAME: SUBJECT to ACTIONS on TYPES` on the first line,
//     each clause on its own line indented by 2, in source order; a condition
//     that does not fit breaks before each top-level `and` / `or`;
//   - lists that do not fit in 100 columns wrap with an indent of 4;
//   - comments kept: own-line comments before what follows them, trailing
//     comments at the end of their line, aligned in runs.
//
// Formatting is idempotent and never changes what a file means: the result is
// re-parsed and must print the same AST with the same comments, or format()
// reports an internal error instead of returning it.
#pragma once

#include <string>
#include <vector>

#include "support/diagnostic.hpp"
#include "support/source.hpp"

namespace warden::format {

struct Options {
  std::size_t width = 100;  // the column lists and conditions are filled to
};

struct Result {
  // The parsed file, for rendering `diagnostics` (file index 0).
  SourceSet sources;
  // Syntax errors: when there is any error the file is not formatted.
  std::vector<Diagnostic> diagnostics;
  // Set when the formatter failed its own check (a bug): `text` is empty.
  std::string internal_error;
  // The formatted text, when ok().
  std::string text;
  // ok() and `text` differs from the input.
  bool changed = false;

  bool ok() const;
};

// Format the text of one policy file; `path` names it in diagnostics.
Result format_source(std::string path, std::string text, const Options& options = {});

}  // namespace warden::format
