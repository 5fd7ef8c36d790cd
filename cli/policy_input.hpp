// A policy named on the command line, ready to evaluate or compare: an
// artifact (.wdn) or policy sources compiled in memory.
//
// Pipeline position: cli/, for commands that take "a policy" in either form
// (`warden test` suites, `warden diff OLD NEW`). Sources go through
// build_policy() (policy_build.hpp), so they are checked and compiled exactly
// as `warden compile` would; either way the table comes out of
// table::load_artifact(), validated, and the artifact bytes are kept for
// Engine::load_policy().
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "table/program.hpp"

namespace warden::cli {

struct PolicyInput {
  std::string path;        // as given
  bool from_sources = false;
  std::string location;    // the directory source paths are relative to ("" for artifacts)
  std::string artifact;    // the .wdn bytes
  std::shared_ptr<const table::Program> program;  // validated
};

// True when `path` is an artifact file: a `.wdn` name or the artifact magic.
bool is_artifact_file(const std::string& path);

// Load `path` into `out`. On failure the errors (policy diagnostics rendered
// as by `warden check`, or `error[E05xx]: …`) go to `err` and the exit status
// is returned: 2 for a path that cannot be read or names several policies,
// 1 for a policy with errors or a refused artifact.
std::optional<int> load_policy_input(const std::string& path, bool warnings_as_errors, PolicyInput& out,
                                     std::ostream& err);

// `dir/file:line:col` for a row of the policy's table, the file shown under
// the policy's location; "" for rows without a source (built-ins).
std::string source_location(const PolicyInput& policy, const table::Loc& loc);

}  // namespace warden::cli
