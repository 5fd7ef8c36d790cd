// `warden inspect FILE.wdn` — load an artifact exactly as a service would
// (header, checksum, version, every index) and print what it contains.
#include <iostream>

#include "cli/commands.hpp"
#include "support/diagnostic_render.hpp"
#include "table/artifact.hpp"
#include "views/dump.hpp"

namespace warden::cli {
namespace {

constexpr Option kOptions[] = {
    {"--format", "", "text|json", "output format (default: text)"},
};

int run(const Command& self, const ParsedArgs& args, std::ostream& out, std::ostream& err) {
  const bool json = args.value("--format") == "json";
  const std::vector<std::string>& paths = args.operands();
  if (paths.size() != 1) return usage_error(self, paths.empty() ? "no artifact given" : "give exactly one artifact", err);

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

}  // namespace

const Command kInspectCommand{
    "inspect", "[--format text|json] FILE.wdn", "verify an artifact and show its decision table",
    "Load a compiled artifact, verifying it as a service does, and print its\n"
    "header (format, compiler, source fingerprint, checksum), the symbol table,\n"
    "the closed scope, role and membership hierarchies, the types, the\n"
    "endpoints with their requirements and routing precedence, and the rule\n"
    "table with source locations. A damaged artifact is reported with its\n"
    "error code (E0501-E0506).\n",
    kOptions, "0 shown, 1 the artifact is refused, 2 usage or I/O failure", run};

}  // namespace warden::cli
