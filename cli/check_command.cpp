// `warden check PATH...` — parse and check policies, report diagnostics.
#include <iostream>

#include "cli/commands.hpp"
#include "compiler/driver.hpp"
#include "support/diagnostic_render.hpp"

namespace warden::cli {
namespace {

constexpr Option kOptions[] = {
    {"--format", "", "text|json", "output format (default: text)"},
    {"--werror", "", "", "treat warnings as errors"},
};

// One run's output stays bounded whatever the input (a file with 20,000
// errors, a policy tree with thousands of broken files): each diagnostic is
// capped by the renderer (support/diagnostic_render.hpp), and their number
// here.
constexpr std::size_t kMaxShown = 200;

int run(const Command& self, const ParsedArgs& args, std::ostream& out, std::ostream& err) {
  const bool json = args.value("--format") == "json";
  const bool werror = args.has("--werror");
  const std::vector<std::string>& paths = args.operands();
  if (paths.empty()) return usage_error(self, "no policy path given", err);

  const compiler::Discovery found = compiler::discover_policies(paths);
  bool io_failure = !found.io_errors.empty();
  std::size_t errors = 0, warnings = 0;
  bool first_json = true;
  std::size_t shown = 0;
  if (json) out << "[";
  // Diagnostics about a policy's sources are blocks separated by a blank
  // line; those about a path given are one line each.
  auto print = [&](const Diagnostic& d, const SourceSet& sources, bool block) {
    (d.severity == Severity::Error ? errors : warnings) += 1;
    if (shown++ >= kMaxShown) return;
    if (json) {
      out << (first_json ? "" : ",") << render_json(d, sources);
      first_json = false;
    } else {
      err << render_text(d, sources) << (block ? "\n" : "");
    }
  };
  for (const auto& d : compiler::discovery_diagnostics(found)) print(d, SourceSet{}, false);
  compiler::Options options;
  options.warnings_as_errors = werror;
  options.check_only = true;
  for (const auto& policy : found.policies) {
    const compiler::Compilation c = compiler::compile(policy, options);
    io_failure = io_failure || c.failure == compiler::Failure::Input;
    for (const auto& d : c.diagnostics) print(d, c.sources, true);
  }
  if (json) out << "]\n";
  if (shown > kMaxShown) {
    err << (shown - kMaxShown) << " more diagnostics not shown (at most " << kMaxShown << " per run)\n";
  }
  if (!json && (errors || warnings)) {
    err << errors << (errors == 1 ? " error" : " errors") << ", " << warnings << (warnings == 1 ? " warning" : " warnings")
        << "\n";
  }
  if (io_failure) return kExitUsage;
  return errors ? kExitFindings : kExitOk;
}

}  // namespace

const Command kCheckCommand{
    "check", "[--format text|json] [--werror] PATH...", "check policies and report diagnostics",
    "Check policies for errors. Each PATH is a policy file or a directory; every\n"
    "directory below it that holds *.warden files is checked as one policy.\n"
    "\n"
    "At most 200 diagnostics are shown per run (the count of the others is);\n"
    "file names, names and source lines are shown with control characters\n"
    "escaped and long lines cut.\n",
    kOptions, "0 no errors, 1 errors found, 2 usage or I/O failure", run};

}  // namespace warden::cli
