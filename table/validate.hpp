// Structural validation of a decision table: every index and range in every
// row is checked against the table or pool it points into, condition
// bytecode is checked instruction by instruction (operands, jump targets,
// stack depth), and the routing tries are checked to be acyclic with sorted
// literal edges. A Program that passes can be evaluated without bounds
// checks. load_artifact() runs this on every artifact it loads; the compiler
// runs it on what it lowers before writing.
#pragma once

#include <optional>
#include <string>

#include "table/program.hpp"

namespace warden::table {

// Nothing when the table is consistent; otherwise the first problem found,
// naming the table, the row and the field, e.g.
// "rules[3].subject: index 12 out of range for predicates (size 7)".
std::optional<std::string> validate(const Program& program) noexcept;

}  // namespace warden::table
