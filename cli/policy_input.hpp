// A policy named on the command line, ready to evaluate or compare: an
// artifact (.wdn) or policy sources compiled in memory by the compiler driver
// (compiler/driver.hpp), exactly as `warden compile` would.
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "compiler/driver.hpp"
#include "table/program.hpp"

namespace warden::cli {

struct PolicyInput {
  std::string path;        // as given
  bool from_sources = false;
  std::string location;    // the directory source paths are relative to ("" for artifacts)
  std::string artifact;    // the .wdn bytes
  std::shared_ptr<const table::Program> program;  // validated
};

// Print what a failed compilation reports — its errors, rendered as `warden
// check` does, then a count when they are about the policy's sources — and
// return the exit status: 2 for input that cannot be used (and internal
// errors), 1 for a policy with errors or a refused artifact.
int report_failure(const compiler::Compilation& c, std::ostream& err);

// Load `path` into `out`; on failure report it (report_failure) and return
// the exit status.
std::optional<int> load_policy_input(const std::string& path, bool warnings_as_errors, PolicyInput& out,
                                     std::ostream& err);

// `dir/file:line:col` for a row of the policy's table, the file shown under
// the policy's location; "" for rows without a source (built-ins).
std::string source_location(const PolicyInput& policy, const table::Loc& loc);

}  // namespace warden::cli
