// Compiling a policy source to artifact bytes in memory, for commands that
// evaluate a policy straight from its sources (`warden eval POLICY_DIR`).
//
// Pipeline position: cli/, on top of the front end (policy_loader.hpp),
// compiler::lower and table::write_artifact. The bytes are exactly what
// `warden compile` would write, so the Engine loads them through the same
// checked path as an artifact file.
#pragma once

#include <string>

#include "cli/policy_loader.hpp"

namespace warden::cli {

struct BuiltPolicy {
  FrontEndResult front;        // sources and diagnostics of the front end
  std::string artifact;        // the .wdn bytes; empty when the policy has errors
  std::string internal_error;  // set when the lowered table failed validation
};

BuiltPolicy build_policy(const PolicyFiles& policy, bool warnings_as_errors);

}  // namespace warden::cli
