// The `warden` subcommands and the command table: one file per subcommand,
// each declaring its Command (name, operands, options, help) for the table
// in commands.cpp, from which `warden --help` and the dispatch are made.
//
// Pipeline position: cli/, the thin front end over the libraries (the
// compiler driver, the runtime and its I/O, views, diff, policy_test, the
// decision service of server/). A command parses its arguments with the one
// option parser (options.hpp), calls libraries, writes to the streams it is
// given and returns the process exit status; only main() exits.
#pragma once

#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/options.hpp"
#include "compiler/driver.hpp"
#include "table/signing.hpp"

namespace warden::cli {

// Exit statuses shared by every subcommand (documented in docs/cli.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;  // errors found (check), differences (diff), failures (test)
inline constexpr int kExitUsage = 2;     // bad usage or an I/O failure
inline constexpr int kExitDenied = 3;    // eval: the request was denied

struct Command {
  std::string_view name;         // "check"
  std::string_view operands;     // "[options] PATH...": the rest of the usage line
  std::string_view summary;      // one line in `warden --help`
  std::string_view description;  // paragraphs in `warden NAME --help`
  std::span<const Option> options;
  std::string_view exit_status;  // "0 no errors, 1 errors found, 2 usage or I/O failure"
  int (*run)(const Command& self, const ParsedArgs& args, std::ostream& out, std::ostream& err);
};

// One per file (check_command.cpp, …), in the order `warden --help` lists them.
extern const Command kCheckCommand, kCompileCommand, kInspectCommand, kEvalCommand, kWatchCommand, kTestCommand,
    kDiffCommand, kFmtCommand, kDocCommand, kServeCommand, kKeygenCommand, kFactsCheckCommand,
    kFactsInstallTriggersCommand, kFactsUninstallTriggersCommand;

// The command table.
std::span<const Command* const> commands();

// `warden --help`: generated from the table.
std::string help_text();

// Run the whole command line (without the program name): `--help`,
// `--version`, or a command with its arguments. Returns the exit status.
int run_warden(const Args& args, std::ostream& out, std::ostream& err);

// Run one command by name with its arguments (parsed here).
int run_command(std::string_view name, const Args& args, std::ostream& out, std::ostream& err);

// Print what a failed compilation reports (Compilation::error_report) and
// return the exit status: 2 for input that cannot be used and internal
// errors, 1 for a policy with errors or a refused artifact.
int report_failure(const compiler::Compilation& c, std::ostream& err);

// `error[F0200]: message` on its own line: an error with its code from the
// one code table (support/diagnostic_codes.def).
void print_error(std::ostream& err, Code code, std::string_view message);

// The keys of `--verify-key FILE` options (keygen_command.cpp). On failure
// the error (E0512) is written to `err` and the exit status returned.
std::optional<int> read_verify_keys(const std::vector<std::string>& files, std::vector<table::VerifyKey>& keys,
                                    std::ostream& err);

// The whole of a file named on the command line, or of standard input for
// "-"; nothing when it cannot be read.
std::optional<std::string> read_input(const std::string& path);

}  // namespace warden::cli
