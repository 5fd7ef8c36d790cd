// `warden check PATH...` — parse and check policies, report diagnostics.
#include <iostream>

#include "cli/commands.hpp"
#include "compiler/driver.hpp"
#include "support/diagnostic_render.hpp"

namespace warden::cli {
namespace {

constexpr const char* kUsage =
    "usage: warden check [--format text|json] [--werror] PATH...\n"
    "\n"
    "Check policies for errors. Each PATH is a policy file or a directory; every\n"
    "directory below it that holds *.warden files is checked as one policy.\n"
    "\n"
    "  --format text|json  output format (default: text)\n"
    "  --werror            treat warnings as errors\n"
    "\n"
    "exit status: 0 no errors, 1 errors found, 2 usage or I/O failure\n";

}  // namespace

int run_check(const Args& args, std::ostream& out, std::ostream& err) {
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
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      err << "error: unknown option `" << a << "`\n" << kUsage;
      return kExitUsage;
    } else {
      paths.push_back(a);
    }
  }
  if (paths.empty()) {
    err << "error: no policy path given\n" << kUsage;
    return kExitUsage;
  }

  const compiler::Discovery found = compiler::discover_policies(paths);
  bool io_failure = !found.io_errors.empty();
  std::size_t errors = 0, warnings = 0;
  bool first_json = true;
  if (json) out << "[";
  // Diagnostics about a policy's sources are blocks separated by a blank
  // line; those about a path given are one line each.
  auto print = [&](const Diagnostic& d, const SourceSet& sources, bool block) {
    (d.severity == Severity::Error ? errors : warnings) += 1;
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
  if (!json && (errors || warnings)) {
    err << errors << (errors == 1 ? " error" : " errors") << ", " << warnings << (warnings == 1 ? " warning" : " warnings")
        << "\n";
  }
  if (io_failure) return kExitUsage;
  return errors ? kExitFindings : kExitOk;
}

}  // namespace warden::cli
