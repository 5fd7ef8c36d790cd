// Finding the policies under a path: which `*.warden` files form a policy.
//
// Pipeline position: compiler/, in front of the driver (driver.hpp). A path
// names either a file (a one-file policy) or a directory, in which every
// directory that directly holds `*.warden` files is one policy. `warden
// check` and `warden fmt` walk whole trees with discover_policies(); the
// driver's compile_path() takes a path that must hold exactly one policy.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "support/diagnostic.hpp"

namespace warden::compiler {

struct PolicyFiles {
  std::string name;                          // directory (or file stem) name
  std::filesystem::path root;                // the policy directory (a file's parent directory)
  std::vector<std::filesystem::path> files;  // sorted
};

struct Discovery {
  std::vector<PolicyFiles> policies;
  std::vector<std::string> io_errors;  // paths that do not exist or cannot be listed
  std::vector<std::string> empty;      // directories with no `*.warden` file below them
};

// Expand paths into policies, in a deterministic order: argument order, and
// within a directory by directory name.
Discovery discover_policies(const std::vector<std::string>& paths);

// Why `path` cannot be read ("no such file or directory", "too many levels
// of symbolic links").
std::string unreadable_reason(const std::filesystem::path& path);

// The path problems of a discovery as diagnostics without a span: E0001
// "cannot read `p`: <reason>" for each io error, then E0002 "no `.warden`
// files under `p`" for each empty directory.
std::vector<Diagnostic> discovery_diagnostics(const Discovery& found);

}  // namespace warden::compiler
