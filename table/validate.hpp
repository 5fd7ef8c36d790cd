// Structural validation of a decision table, and the invariant it carries:
//
//   VALIDATED MEANS SAFE. A Program that validate() accepts cannot make any
//   reader of the table — the evaluator, the access diff, the endpoint doc,
//   the dumps — read out of bounds, loop or crash, whatever bytes it was
//   decoded from; and each reader's work stays bounded by the table's size.
//
// Readers index the table without checks and rely on this alone, so every
// field a reader uses is checked here: every index and range against the
// table or pool it points into (an id field is kNone or valid whatever the
// row's kind, and present wherever a reader uses it unconditionally), every
// enum and flag, the kinds that must agree (path steps and the entities
// they walk, built-in attribute slots, constant kinds), condition bytecode
// instruction by instruction (operands, forward jumps, stack depth),
// routing tries that are trees with sorted literal edges, slices of a pool
// owned by one row each, and names unique where rows are found by name.
// docs/reliability.md lists the rules and the holes they close. A reader
// that starts to rely on something new must add its check here.
//
// load_artifact() runs this on every artifact it loads (a checksum detects
// accidents, not tampering); the compiler runs it on what it lowers before
// writing.
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
