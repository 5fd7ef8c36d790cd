// The readable dump of a decision table behind `warden inspect`: the artifact
// header, tenancy, symbol table, closed scope / role / membership / level
// hierarchies, types, endpoints with their requirements and routing
// precedence, the rules with their conditions and source locations, and the
// rule table — the candidate rules of every (resource type, action) in
// evaluation order. As text for people and as JSON for tools.
//
// Pipeline position: views/, over a validated table::Program
// (table/validate.hpp) and its artifact header; `header` may be null for a
// table that has not been written to an artifact.
#pragma once

#include <string>

#include "table/artifact.hpp"
#include "table/program.hpp"

namespace warden::views {

std::string dump_text(const table::Program& program, const table::ArtifactHeader* header);

// One JSON object, followed by a newline.
std::string dump_json(const table::Program& program, const table::ArtifactHeader* header);

}  // namespace warden::views
