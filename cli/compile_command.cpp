// `warden compile POLICY_PATH -o OUT.wdn` — check a policy, lower it to the
// decision table and write the artifact atomically.
#include <iostream>

#include "cli/commands.hpp"
#include "compiler/driver.hpp"
#include "support/diagnostic_render.hpp"
#include "support/file_io.hpp"

namespace warden::cli {
namespace {

constexpr const char* kUsage =
    "usage: warden compile [--werror] POLICY_PATH -o OUT.wdn\n"
    "\n"
    "Check one policy (a file, or the directory holding its *.warden files) and\n"
    "compile it to a decision-table artifact. Diagnostics are reported as by\n"
    "`warden check`; with errors nothing is written. The artifact replaces\n"
    "OUT.wdn atomically (written beside it, then renamed), so a service\n"
    "watching the file never sees half of it.\n"
    "\n"
    "  -o, --output FILE   the artifact to write (required)\n"
    "  --werror            treat warnings as errors\n"
    "\n"
    "exit status: 0 written, 1 errors in the policy, 2 usage or I/O failure\n";

}  // namespace

int run_compile(const Args& args, std::ostream& out, std::ostream& err) {
  bool werror = false;
  std::string output;
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      out << kUsage;
      return kExitOk;
    } else if (a == "--werror") {
      werror = true;
    } else if (a == "-o" || a == "--output") {
      if (i + 1 >= args.size()) {
        err << "error: `" << a << "` needs a file name\n" << kUsage;
        return kExitUsage;
      }
      output = args[++i];
    } else if (a.rfind("--output=", 0) == 0) {
      output = a.substr(9);
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      err << "error: unknown option `" << a << "`\n" << kUsage;
      return kExitUsage;
    } else {
      paths.push_back(a);
    }
  }
  if (paths.size() != 1) {
    err << "error: " << (paths.empty() ? "no policy path given" : "give exactly one policy path") << "\n" << kUsage;
    return kExitUsage;
  }
  if (output.empty()) {
    err << "error: no output file given (`-o OUT.wdn`)\n" << kUsage;
    return kExitUsage;
  }

  compiler::Options options;
  options.warnings_as_errors = werror;
  const compiler::Compilation c = compiler::compile_path(paths[0], options);
  for (const auto& d : c.diagnostics) err << render_text(d, c.sources) << (c.sources.size() > 0 ? "\n" : "");
  const std::size_t errors = c.error_count(), warnings = c.warning_count();
  if (errors || warnings) {
    err << errors << (errors == 1 ? " error" : " errors") << ", " << warnings << (warnings == 1 ? " warning" : " warnings")
        << "\n";
  }
  if (!c.ok()) return c.failure == compiler::Failure::Policy ? kExitFindings : kExitUsage;
  if (const std::string failure = write_file_atomically(output, c.artifact); !failure.empty()) {
    err << "error[E0507]: cannot write `" << output << "`: " << failure << "\n";
    return kExitUsage;
  }
  out << "compiled `" << c.name << "` to " << output << ": " << c.program->endpoints.size() << " endpoints, "
      << c.program->rules.size() << " rules, " << c.artifact.size() << " bytes\n";
  return kExitOk;
}

}  // namespace warden::cli
