// The fact schema of a loaded policy (include/warden/fact_schema.hpp): its
// type, attribute, role, scope and level names, read off the decision table
// once per load (PolicyIndex::build) for Engine::fact_schema().
#pragma once

#include <memory>

#include "table/program.hpp"
#include "warden/fact_schema.hpp"

namespace warden::runtime {

// `program` has passed validate(): every index read here is in range.
std::shared_ptr<const FactSchema> build_fact_schema(const table::Program& program);

}  // namespace warden::runtime
