// `compile(policy_path)` for the host languages: the compiler driver's
// result, flattened into values a binding can hand over as they are.
//
// Pipeline position: bindings/core, on top of compiler/driver.hpp
// (compile_path): an artifact file, a one-file policy or a policy directory,
// exactly as `warden compile` reads it. Diagnostics are rendered by the
// support renderers (text as `warden check` prints it, JSON as `warden check
// --format json` does), so every front end shows the same thing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace warden::bindings {

struct CompiledDiagnostic {
  std::string code;      // "E0201"
  std::string severity;  // "error" | "warning"
  std::string message;
  std::string file;      // "" when the diagnostic is about no file
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string text;  // rendered with the source line and caret
  std::string json;  // one JSON object
};

struct CompiledPolicy {
  bool ok = false;
  std::string failure;  // "" | "input" | "policy" | "internal"
  std::string name;     // the policy's name
  std::string artifact;  // the `.wdn` bytes, when ok
  std::uint64_t fingerprint = 0;
  std::vector<CompiledDiagnostic> diagnostics;  // sorted by position; warnings too when ok
};

// Compile (or read and verify) the policy at `path`. `warnings_as_errors`
// fails on warnings too, as `warden compile --werror` does.
CompiledPolicy compile_policy(const std::string& path, bool warnings_as_errors = false);

}  // namespace warden::bindings
