// `warden fmt [--check] PATH...` — rewrite policy files in the canonical
// layout (format/format.hpp), or with `--check` show what would change.
#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "compiler/discover.hpp"
#include "format/diff.hpp"
#include "format/format.hpp"
#include "support/diagnostic_render.hpp"
#include "support/file_io.hpp"

namespace warden::cli {
namespace fs = std::filesystem;
namespace {

constexpr Option kOptions[] = {
    {"--check", "", "",
     "change nothing: print a unified diff for every file that is not formatted, and exit 1 if there is any"},
};

struct Totals {
  std::size_t files = 0, changed = 0, broken = 0;
  bool io_failure = false;
};

// Format one text; report, rewrite or diff it. `file` is empty for stdin.
void format_one(const std::string& name, std::string text, const fs::path* file, bool check, std::ostream& out,
                std::ostream& err, Totals& totals) {
  ++totals.files;
  const format::Result r = format::format_source(name, text);
  if (!r.internal_error.empty()) {
    print_error(err, Code::E0901,
                "cannot format `" + name + "`: internal formatter failure (" + r.internal_error +
                    "); the file is left unchanged, please report it");
    totals.io_failure = true;
    return;
  }
  if (!r.ok()) {
    for (const auto& d : r.diagnostics) err << render_text(d, r.sources) << "\n";
    ++totals.broken;
    return;
  }
  if (r.changed) ++totals.changed;
  if (check) {
    if (r.changed) out << format::unified_diff(text, r.text, name, name);
    return;
  }
  if (!file) {
    out << r.text;
    return;
  }
  if (!r.changed) return;
  if (const std::string failure = write_file_atomically(*file, r.text); !failure.empty()) {
    print_error(err, Code::E0004, "cannot write `" + name + "`: " + failure);
    totals.io_failure = true;
    return;
  }
  err << "formatted " << name << "\n";
}

int run(const Command& self, const ParsedArgs& args, std::ostream& out, std::ostream& err) {
  const bool check = args.has("--check");
  const std::vector<std::string>& paths = args.operands();
  if (paths.empty()) return usage_error(self, "no path given", err);

  Totals totals;
  std::vector<std::string> file_paths;
  for (const auto& p : paths) {
    if (p == "-") {
      std::ostringstream in;
      in << std::cin.rdbuf();
      if (std::cin.bad()) {
        print_error(err, Code::E0001, "cannot read standard input");
        return kExitUsage;
      }
      format_one("<stdin>", std::move(in).str(), nullptr, check, out, err, totals);
      continue;
    }
    const compiler::Discovery found = compiler::discover_policies({p});
    for (const auto& d : compiler::discovery_diagnostics(found)) {
      err << render_text(d, SourceSet{});
      totals.io_failure = true;
    }
    for (const auto& policy : found.policies) {
      for (const auto& f : policy.files) {
        FileRead file = read_file(f);
        if (!file.ok()) {
          print_error(err, Code::E0001, "cannot read `" + f.generic_string() + "`: " + file.error);
          totals.io_failure = true;
          continue;
        }
        format_one(f.generic_string(), std::move(file.bytes), &f, check, out, err, totals);
      }
    }
  }

  if (check && totals.changed) {
    err << totals.changed << (totals.changed == 1 ? " file is" : " files are") << " not formatted (run `warden fmt`)\n";
  }
  if (totals.broken) {
    err << totals.broken << (totals.broken == 1 ? " file has" : " files have") << " syntax errors and "
        << (totals.broken == 1 ? "was" : "were") << " not formatted\n";
  }
  if (totals.io_failure) return kExitUsage;
  if (totals.broken || (check && totals.changed)) return kExitFindings;
  return kExitOk;
}

}  // namespace

const Command kFmtCommand{
    "fmt", "[--check] PATH...", "format policy files (--check: only show the diff)",
    "Format policy files in the canonical layout. Each PATH is a policy file or\n"
    "a directory (every *.warden file below it); `-` formats standard input to\n"
    "standard output. Files are rewritten in place, atomically; files with\n"
    "syntax errors are reported and left alone.\n",
    kOptions,
    "0 formatted (with --check: already formatted), 1 syntax\n"
    "             errors (with --check: or files not formatted), 2 usage or I/O failure",
    run};

}  // namespace warden::cli
