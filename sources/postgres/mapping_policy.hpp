// The mapping against a policy: every type, level, role, scope, attribute
// and enum value the mapping can produce is one the policy declares.
//
// Pipeline position: sources/postgres/, beside the mapping (`warden facts
// check --policy`). It reads the compiled decision table (table::Program),
// never the AST: the same check runs against a policy's sources or its
// artifact. Only what the mapping file itself writes can be checked here
// (constants, value maps, defaults); names that come straight from a column
// are data, checked row by row as the engine reads them.
#pragma once

#include <vector>

#include "postgres/mapping.hpp"
#include "support/diagnostic.hpp"
#include "table/program.hpp"

namespace warden::postgres {

std::vector<Diagnostic> check_against_policy(const Mapping& mapping, const table::Program& policy);

}  // namespace warden::postgres
