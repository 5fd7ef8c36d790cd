// The command table, `warden --help` and the dispatch (see commands.hpp).
#include "cli/commands.hpp"

#include <algorithm>
#include <iostream>
#include <iterator>

#include "support/file_io.hpp"

namespace warden::cli {
namespace {

constexpr const Command* kCommands[] = {&kCheckCommand, &kCompileCommand, &kInspectCommand, &kEvalCommand,
                                        &kWatchCommand, &kTestCommand,    &kDiffCommand,    &kFmtCommand,
                                        &kDocCommand,   &kServeCommand,   &kKeygenCommand, &kFactsCheckCommand,
                                        &kFactsInstallTriggersCommand, &kFactsUninstallTriggersCommand};

}  // namespace

std::span<const Command* const> commands() { return kCommands; }

std::string help_text() {
  std::string s =
      "warden — policy-as-code for authorization\n"
      "\n"
      "usage: warden <command> [options] [args]\n"
      "\n"
      "commands:\n";
  std::size_t width = 0;
  for (const Command* c : kCommands) width = std::max(width, c->name.size());
  for (const Command* c : kCommands) {
    std::string line = "  " + std::string(c->name);
    line.resize(width + 4, ' ');
    s += line + std::string(c->summary) + "\n";
  }
  s +=
      "\n"
      "options:\n"
      "  -h, --help        show this help (or `warden <command> --help`)\n"
      "  --version         show the version\n"
      "\n"
      "exit status: 0 success, 1 findings (errors, failures, differences),\n"
      "             2 usage or I/O failure, 3 denied (eval); see docs/cli.md\n";
  return s;
}

int run_command(std::string_view name, const Args& args, std::ostream& out, std::ostream& err) {
  const auto it = std::find_if(std::begin(kCommands), std::end(kCommands), [&](const Command* c) { return c->name == name; });
  if (it == std::end(kCommands)) {
    err << "error: unknown command `" << name << "`\n\n" << help_text();
    return kExitUsage;
  }
  ParsedArgs parsed;
  if (const auto done = parse(**it, args, parsed, out, err)) return *done;
  return (*it)->run(**it, parsed, out, err);
}

int run_warden(const Args& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    err << help_text();
    return kExitUsage;
  }
  const std::string& first = args[0];
  if (first == "--help" || first == "-h" || first == "help") {
    out << help_text();
    return kExitOk;
  }
  if (first == "--version" || first == "version") {
    out << compiler::compiler_version() << "\n";
    return kExitOk;
  }
  try {
    // Commands in a group are named by two words: `warden facts check`.
    if (args.size() > 1) {
      const std::string two = first + " " + args[1];
      for (const Command* c : kCommands) {
        if (c->name == two) return run_command(two, Args(args.begin() + 2, args.end()), out, err);
      }
    }
    return run_command(first, Args(args.begin() + 1, args.end()), out, err);
  } catch (const std::exception& e) {
    // Library code reports through diagnostics; anything escaping is a bug or
    // resource exhaustion, reported without a crash.
    print_error(err, Code::E0901, std::string("internal failure: ") + e.what());
    return kExitUsage;
  }
}

int report_failure(const compiler::Compilation& c, std::ostream& err) {
  err << c.error_report();
  return c.failure == compiler::Failure::Policy ? kExitFindings : kExitUsage;
}

void print_error(std::ostream& err, Code code, std::string_view message) {
  err << "error[" << code_name(code) << "]: " << message << "\n";
}

std::optional<std::string> read_input(const std::string& path) {
  if (path == "-") {
    std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    if (std::cin.bad()) return std::nullopt;
    return text;
  }
  FileRead file = read_file(path);
  if (!file.ok()) return std::nullopt;
  return std::move(file.bytes);
}

}  // namespace warden::cli
