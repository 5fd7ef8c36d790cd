// Rendering diagnostics for people (text with source lines and carets) and
// for tools (JSON). Pure functions over values: the caller decides where the
// text goes.
#pragma once

#include <string>
#include <vector>

#include "support/diagnostic.hpp"
#include "support/source.hpp"

namespace warden {

// `file:line:col: error[E0201]: message`, the source line, a caret line under
// the span, then each label the same way and each note as `= note`.
std::string render_text(const Diagnostic& d, const SourceSet& sources);

// One JSON object: {"code","severity","message","span":{…},"labels":[…],"notes":[…]}.
std::string render_json(const Diagnostic& d, const SourceSet& sources);

// Quote and escape a string for JSON.
std::string json_string(std::string_view s);

}  // namespace warden
