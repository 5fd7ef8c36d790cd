// `warden check PATH...` — parse and check policies, report diagnostics.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/policy_loader.hpp"
#include "support/diagnostic_render.hpp"
#include "support/printable.hpp"

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
    "At most 200 diagnostics are shown per run (the count of the others is);\n"
    "file names, names and source lines are shown with control characters\n"
    "escaped and long lines cut.\n"
    "\n"
    "exit status: 0 no errors, 1 errors found, 2 usage or I/O failure\n";

// One run's output stays bounded whatever the input (a file with 20,000
// errors, a policy tree with thousands of broken files): each diagnostic is
// capped by the renderer, and their number here.
constexpr std::size_t kMaxShown = 200;

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

  const Discovery found = discover_policies(paths);
  bool io_failure = !found.io_errors.empty();
  std::size_t errors = 0, warnings = 0;
  bool first_json = true;
  if (json) out << "[";
  std::size_t shown = 0;
  // A diagnostic about a path (no source span): E0001, E0002.
  auto path_error = [&](const char* code, const std::string& message) {
    ++errors;
    if (shown++ >= kMaxShown) return;
    if (json) {
      out << (first_json ? "" : ",") << "{\"code\":\"" << code << "\",\"severity\":\"error\",\"message\":"
          << json_string(cut_text(message, 2 * kMaxShown)) << ",\"span\":null,\"labels\":[],\"notes\":[]}";
      first_json = false;
    } else {
      err << "error[" << code << "]: " << printable(message, 2 * kMaxShown) << "\n";
    }
  };
  for (const auto& p : found.io_errors) path_error("E0001", "cannot read `" + p + "`: " + unreadable_reason(p));
  for (const auto& p : found.empty) path_error("E0002", "no `.warden` files under `" + p + "`");
  for (const auto& policy : found.policies) {
    const FrontEndResult r = run_front_end(policy, werror);
    io_failure = io_failure || r.io_error;
    for (const auto& d : r.diagnostics) {
      (d.severity == Severity::Error ? errors : warnings) += 1;
      if (shown++ >= kMaxShown) continue;
      if (json) {
        out << (first_json ? "" : ",") << render_json(d, r.sources);
        first_json = false;
      } else {
        err << render_text(d, r.sources) << "\n";
      }
    }
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

}  // namespace warden::cli
