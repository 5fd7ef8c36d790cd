// `warden inspect FILE.wdn` — load an artifact exactly as a service would
// (header, checksum, version, every index) and print what it contains.
#include <iostream>

#include "cli/commands.hpp"
#include "support/diagnostic_render.hpp"
#include "table/artifact.hpp"
#include "views/dump.hpp"

namespace warden::cli {
namespace {

constexpr const char* kUsage =
    "usage: warden inspect [--format text|json] FILE.wdn\n"
    "\n"
    "Load a compiled artifact, verifying it as a service does, and print its\n"
    "header (format, compiler, source fingerprint, checksum), the symbol table,\n"
    "the closed scope, role and membership hierarchies, the types, the\n"
    "endpoints with their requirements and routing precedence, and the rule\n"
    "table with source locations. A damaged artifact is reported with its\n"
    "error code (E0501-E0506).\n"
    "\n"
    "  --format text|json  output format (default: text)\n"
    "\n"
    "exit status: 0 shown, 1 the artifact is refused, 2 usage or I/O failure\n";

}  // namespace

int run_inspect(const Args& args, std::ostream& out, std::ostream& err) {
  bool json = false;
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      out << kUsage;
      return kExitOk;
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
  if (paths.size() != 1) {
    err << "error: " << (paths.empty() ? "no artifact given" : "give exactly one artifact") << "\n" << kUsage;
    return kExitUsage;
  }

  const std::string& path = paths[0];
  const table::ArtifactLoad loaded = table::load_artifact_file(path);
  if (!loaded.ok()) {
    const std::string_view code = code_info(loaded.error->code).name;
    const std::string message = "cannot load `" + path + "`: " + loaded.error->message;
    if (json) {
      out << "{\"error\":{\"code\":" << json_string(code) << ",\"message\":" << json_string(message) << "}}\n";
    } else {
      err << "error[" << code << "]: " << message << "\n";
    }
    return loaded.error->code == Code::E0506 ? kExitUsage : kExitFindings;
  }
  out << (json ? views::dump_json(*loaded.program, &loaded.header) : views::dump_text(*loaded.program, &loaded.header));
  return kExitOk;
}

}  // namespace warden::cli
