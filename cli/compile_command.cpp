// `warden compile POLICY_PATH -o OUT.wdn` — check a policy, lower it to the
// decision table and write the artifact atomically, signed with `--sign KEY`.
#include <iostream>

#include "cli/commands.hpp"
#include "compiler/driver.hpp"
#include "support/diagnostic_render.hpp"
#include "support/file_io.hpp"
#include "table/artifact.hpp"
#include "table/detect.hpp"

namespace warden::cli {
namespace {

constexpr Option kOptions[] = {
    {"--output", "-o", "FILE", "the artifact to write (required)"},
    {"--sign", "", "KEY", "sign it with the signing key KEY (`warden keygen`)"},
    {"--werror", "", "", "treat warnings as errors"},
};

int run(const Command& self, const ParsedArgs& args, std::ostream& out, std::ostream& err) {
  const std::vector<std::string>& paths = args.operands();
  if (paths.size() != 1) return usage_error(self, paths.empty() ? "no policy path given" : "give exactly one policy path", err);
  const std::string output = args.value("--output").value_or("");
  if (output.empty()) return usage_error(self, "no output file given (`-o OUT.wdn`)", err);
  const bool werror = args.has("--werror");

  compiler::Options options;
  options.warnings_as_errors = werror;
  if (const auto sign = args.value("--sign")) {
    // An artifact given as the path is copied as it was read; signing is
    // part of compiling sources.
    if (table::is_artifact_file(paths[0])) {
      return usage_error(self, "`--sign` signs policy sources as they are compiled; `" + paths[0] + "` is an artifact", err);
    }
    std::string problem;
    options.signing_key = table::read_signing_key_file(*sign, problem);
    if (!options.signing_key) {
      print_error(err, Code::E0512, "`" + *sign + "`: " + problem);
      return kExitUsage;
    }
  }
  const compiler::Compilation c = compiler::compile_path(paths[0], options);
  for (const auto& d : c.diagnostics) err << render_text(d, c.sources) << (c.sources.size() > 0 ? "\n" : "");
  const std::size_t errors = c.error_count(), warnings = c.warning_count();
  if (errors || warnings) {
    err << errors << (errors == 1 ? " error" : " errors") << ", " << warnings << (warnings == 1 ? " warning" : " warnings")
        << "\n";
  }
  if (!c.ok()) return c.failure == compiler::Failure::Policy ? kExitFindings : kExitUsage;
  if (const std::string failure = write_file_atomically(output, c.artifact); !failure.empty()) {
    print_error(err, Code::E0507, "cannot write `" + output + "`: " + failure);
    return kExitUsage;
  }
  out << "compiled `" << c.name << "` to " << output << ": " << c.program->endpoints.size() << " endpoints, "
      << c.program->rules.size() << " rules, " << c.artifact.size() << " bytes";
  if (options.signing_key) out << ", signed with key " << table::hex64(options.signing_key->id);
  out << "\n";
  return kExitOk;
}

}  // namespace

const Command kCompileCommand{
    "compile", "[--werror] [--sign KEY] POLICY_PATH -o OUT.wdn", "compile one policy to an artifact file (.wdn)",
    "Check one policy (a file, or the directory holding its *.warden files) and\n"
    "compile it to a decision-table artifact. Diagnostics are reported as by\n"
    "`warden check`; with errors nothing is written. The artifact replaces\n"
    "OUT.wdn atomically (written beside it, then renamed), so a service\n"
    "watching the file never sees half of it.\n",
    kOptions, "0 written, 1 errors in the policy, 2 usage or I/O failure", run};

}  // namespace warden::cli
