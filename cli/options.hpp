// The one option parser of the `warden` commands.
//
// Pipeline position: cli/, under every subcommand. A command declares its
// options once (name, value, one line of help); parsing and the `--help`
// text both come from that declaration, so they cannot drift apart. The
// conventions are the same for every command:
//   - `--help` / `-h` prints the command's usage to standard output (exit 0);
//   - `--name VALUE` and `--name=VALUE` are the same; a short alias (`-o`)
//     takes its value as the next argument;
//   - an option with a fixed set of values (`--format text|json`) refuses
//     any other value;
//   - an unknown option, or an option without its value, is a usage error
//     (exit 2) that prints the usage;
//   - `-` is an operand (standard input where a command reads a file), and
//     `--` ends the options: everything after it is an operand.
#pragma once

#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace warden::cli {

using Args = std::vector<std::string>;

struct Option {
  std::string_view name;   // "--format"
  std::string_view alias;  // "-o", or "" for none
  // What follows the option, as shown: "FILE", "text|json". Empty for a
  // flag. A value with `|` lists the accepted values.
  std::string_view value;
  std::string_view help;  // one line
  bool repeatable = false;
  // A heading when the option belongs to a block of its own in the usage
  // (`warden eval`'s request flags); "" for the command's options.
  std::string_view group = {};
  // Values accepted besides those listed in `value` (aliases: "md").
  std::string_view also_accepted = {};
};

// One subcommand, as the command table lists it (commands.hpp).
struct Command;

// The arguments of one command after parsing.
class ParsedArgs {
 public:
  // Whether the option (by its long name) was given.
  bool has(std::string_view name) const;
  // The last value given for the option, or nothing.
  std::optional<std::string> value(std::string_view name) const;
  // Every value given for a repeatable option, in order.
  std::vector<std::string> values(std::string_view name) const;
  const std::vector<std::string>& operands() const { return operands_; }

 private:
  friend std::optional<int> parse(const Command&, const Args&, ParsedArgs&, std::ostream&, std::ostream&);
  std::vector<std::pair<std::string_view, std::string>> given_;  // (long name, value)
  std::vector<std::string> operands_;
};

// Parse `args` (without the command's name) for `command` into `parsed`.
// Returns the exit status when the command must not run: 0 after `--help`
// (usage on `out`), 2 after a usage error (message and usage on `err`).
std::optional<int> parse(const Command& command, const Args& args, ParsedArgs& parsed, std::ostream& out,
                         std::ostream& err);

// "error: MESSAGE", then the usage, to `err`; returns the usage exit status
// (2). For what a command finds wrong with its operands after parsing.
int usage_error(const Command& command, std::string_view message, std::ostream& err);

// `usage: warden NAME OPERANDS`, the description, the options (and their
// groups) one per line with their help, and the exit statuses.
std::string usage_text(const Command& command);

}  // namespace warden::cli
