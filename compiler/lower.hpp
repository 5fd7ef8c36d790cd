// Lowering: the checked model to the flat decision table.
//
// Pipeline position: compiler::check -> CheckedPolicy -> lower() ->
// table::Program -> artifact. Everything that can be decided at compile time
// is decided here: closures become bitsets, the candidate rules of each
// (resource type, action) are listed in evaluation order, endpoints become a
// routing trie per method, and conditions become bytecode. The result is
// deterministic: it depends only on the model and the relative source paths.
#pragma once

#include <filesystem>
#include <string_view>

#include "compiler/model.hpp"
#include "support/source.hpp"
#include "table/program.hpp"

namespace warden::compiler {

// Lower a checked policy (one with no errors) to the decision table.
// `policy_name` names it when the source has no `policy` declaration; file
// paths in the table are made relative to `root` (the policy directory).
table::Program lower(const CheckedPolicy& model, const SourceSet& sources, std::string_view policy_name,
                     const std::filesystem::path& root);

}  // namespace warden::compiler
