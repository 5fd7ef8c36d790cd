// The `warden` executable: dispatches to one subcommand per file.
#include <iostream>
#include <string_view>

#include "cli/commands.hpp"

namespace {

constexpr const char* kHelp =
    "warden — policy-as-code for authorization\n"
    "\n"
    "usage: warden <command> [options] [args]\n"
    "\n"
    "commands:\n"
    "  check PATH...     check policies and report diagnostics\n"
    "  compile PATH -o F compile one policy to an artifact file (.wdn)\n"
    "  inspect F.wdn     verify an artifact and show its decision table\n"
    "  eval POLICY ...   decide a request and explain the decision\n"
    "  watch POLICY ...  decide requests again after every policy or facts reload\n"
    "  test PATH...      run policy test suites (*.test.json)\n"
    "  diff OLD NEW      show what access changes between two policy versions\n"
    "  fmt PATH...       format policy files (--check: only show the diff)\n"
    "  doc POLICY        document the endpoints: scopes, action, roles (Markdown, HTML)\n"
    "  keygen NAME       make a key pair for signing artifacts (NAME.key, NAME.pub)\n"
    "\n"
    "options:\n"
    "  --help, -h        show this help (or `warden <command> --help`)\n"
    "  --version         show the version\n"
    "\n"
    "exit status: 0 success, 1 findings (errors, failures, differences),\n"
    "             2 usage or I/O failure, 3 denied (eval); see docs/cli.md\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace warden::cli;
  if (argc < 2) {
    std::cerr << kHelp;
    return kExitUsage;
  }
  const std::string_view command = argv[1];
  Args args(argv + 2, argv + argc);
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kHelp;
    return kExitOk;
  }
  if (command == "--version" || command == "version") {
    std::cout << kVersionText << "\n";
    return kExitOk;
  }
  try {
    if (command == "check") return run_check(args, std::cout, std::cerr);
    if (command == "compile") return run_compile(args, std::cout, std::cerr);
    if (command == "inspect") return run_inspect(args, std::cout, std::cerr);
    if (command == "eval") return run_eval(args, std::cout, std::cerr);
    if (command == "watch") return run_watch(args, std::cout, std::cerr);
    if (command == "test") return run_test(args, std::cout, std::cerr);
    if (command == "diff") return run_diff(args, std::cout, std::cerr);
    if (command == "fmt") return run_fmt(args, std::cout, std::cerr);
    if (command == "doc") return run_doc(args, std::cout, std::cerr);
    if (command == "keygen") return run_keygen(args, std::cout, std::cerr);
  } catch (const std::exception& e) {
    // Library code reports through diagnostics; anything escaping is a bug or
    // resource exhaustion, reported without a crash.
    std::cerr << "error: internal failure: " << e.what() << "\n";
    return kExitUsage;
  }
  std::cerr << "error: unknown command `" << command << "`\n\n" << kHelp;
  return kExitUsage;
}
