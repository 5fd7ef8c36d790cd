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

constexpr Option kOptions[] = {
    {"--format", "", "text|json", "output format (default: text)"},
    {"--werror", "", "", "treat policy warnings as errors (policy sources only)"},
};

int run(const Command& self, const ParsedArgs& args, std::ostream& out, std::ostream& err) {
  const bool json = args.value("--format") == "json";
  const bool werror = args.has("--werror");
  const std::vector<std::string>& paths = args.operands();
  if (paths.size() != 2) return usage_error(self, "give two policy versions, OLD and NEW", err);
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

}  // namespace

const Command kDiffCommand{
    "diff", "[options] OLD NEW", "show what access changes between two policy versions",
    "Show what access changes between two versions of a policy: policy-wide\n"
    "settings, declarations, endpoints (by method and pattern) with the keys\n"
    "that gain or lose access, rules (by name) with the fields that changed,\n"
    "and, per role, scope and grant level, the (resource type, action) cells\n"
    "that change, with the rules responsible and their locations on both sides.\n"
    "OLD and NEW are artifacts (.wdn) or policy files or directories.\n",
    kOptions,
    "0 no change, 1 changes, 2 usage error or a version that\n"
    "             cannot be read, compiled or loaded",
    run};

}  // namespace warden::cli
