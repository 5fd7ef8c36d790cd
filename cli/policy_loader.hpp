// Finding and reading policy sources, and running the front end over them.
//
// A command-line path names either a file (a one-file policy) or a directory,
// in which every directory that directly holds `*.warden` files is one policy.
// The front end reads a policy's files into a SourceSet, parses them and runs
// the semantic checks, collecting every diagnostic.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "compiler/model.hpp"
#include "grammar/ast.hpp"
#include "support/diagnostic.hpp"
#include "support/source.hpp"

namespace warden::cli {

struct PolicyFiles {
  std::string name;                             // directory (or file stem) name
  std::filesystem::path root;                   // the policy directory (a file's parent directory)
  std::vector<std::filesystem::path> files;     // sorted
};

struct Discovery {
  std::vector<PolicyFiles> policies;
  std::vector<std::string> io_errors;  // paths that do not exist or cannot be listed
  std::vector<std::string> empty;      // directories with no `*.warden` file below them
};

// Why `path` cannot be read ("no such file or directory", "too many levels
// of symbolic links").
std::string unreadable_reason(const std::filesystem::path& path);

// Expand command-line paths into policies, in a deterministic order.
Discovery discover_policies(const std::vector<std::string>& paths);

struct FrontEndResult {
  SourceSet sources;
  std::vector<Diagnostic> diagnostics;  // normalized: sorted, de-duplicated
  std::optional<compiler::CheckedPolicy> model;  // set when there are no errors
  bool io_error = false;
};

// Read, parse and check one policy. Syntax errors stop before the semantic
// checks (which would only report their consequences).
FrontEndResult run_front_end(const PolicyFiles& policy, bool warnings_as_errors);

}  // namespace warden::cli
