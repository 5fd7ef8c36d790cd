// `warden diff [--format text|json] OLD NEW` — what access changes between
// two versions of a policy, for review.
//
// OLD and NEW are each an artifact (.wdn) or policy sources (compiled in
// memory by the compiler driver). The diff itself is diff/access_diff.hpp. Exit status: 0 no change,
// 1 changes, 2 usage error, a path that cannot be read, or a version that
// does not compile or load.
#include <iostream>

#include "cli/commands.hpp"
#include "compiler/driver.hpp"
#include "diff/access_diff.hpp"

namespace warden::cli {
namespace {

constexpr const char* kUsage =
    "usage: warden diff [options] OLD NEW\n"
    "\n"
    "Show what access changes between two versions of a policy: policy-wide\n"
    "settings, declarations, endpoints (by method and pattern) with the keys\n"
    "that gain or lose access, rules (by name) with the fields that changed,\n"
    "and, per role, scope and grant level, the (resource type, action) cells\n"
    "that change, with the rules responsible and their locations on both sides.\n"
    "OLD and NEW are artifacts (.wdn) or policy files or directories.\n"
    "\n"
    "  --format text|json  output format (default: text)\n"
    "  --werror            treat policy warnings as errors (policy sources only)\n"
    "\n"
    "exit status: 0 no change, 1 changes, 2 usage error or a version that\n"
    "             cannot be read, compiled or loaded\n";

}  // namespace

int run_diff(const Args& args, std::ostream& out, std::ostream& err) {
  bool json = false, werror = false;
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      out << kUsage;
      return kExitOk;
    } else if (a == "--werror") {
      werror = true;
    } else if (a == "--format" || a.rfind("--format=", 0) == 0) {
      std::string value;
      if (a == "--format") {
        if (i + 1 >= args.size()) {
          err << "error: `--format` needs a value (`text` or `json`)\n" << kUsage;
          return kExitUsage;
        }
        value = args[++i];
      } else {
        value = a.substr(9);
      }
      if (value != "text" && value != "json") {
        err << "error: unknown format `" << value << "` (expected `text` or `json`)\n";
        return kExitUsage;
      }
      json = value == "json";
    } else if (!a.empty() && a[0] == '-') {
      err << "error: unknown option `" << a << "`\n" << kUsage;
      return kExitUsage;
    } else {
      paths.push_back(a);
    }
  }
  if (paths.size() != 2) {
    err << "error: give two policy versions, OLD and NEW\n" << kUsage;
    return kExitUsage;
  }
  compiler::Options options;
  options.warnings_as_errors = werror;
  diff::PolicyVersion versions[2];
  for (int i = 0; i < 2; ++i) {
    compiler::Compilation c = compiler::compile_path(paths[i], options);
    if (!c.ok()) {
      // A version that cannot be compared is a usage problem here, whatever
      // the reason: the exit status 1 means "changes".
      err << c.error_report();
      return kExitUsage;
    }
    versions[i] = {paths[i], std::move(c.program), c.location};
  }
  const diff::AccessDiff diff = diff::diff_policies(versions[0], versions[1]);
  out << (json ? diff::diff_json(diff) : diff::diff_text(diff));
  return diff.empty() ? kExitOk : kExitFindings;
}

}  // namespace warden::cli
