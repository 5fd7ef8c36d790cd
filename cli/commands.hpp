// The subcommands of the `warden` executable, one file each.
//
// Each takes its arguments (without the subcommand name) and the streams to
// write to, and returns the process exit status; only main() exits.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace warden {
struct VerifyKey;
}

namespace warden::cli {

// Exit statuses shared by every subcommand (documented in docs/cli.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;  // errors found (check), differences (diff), failures (test)
inline constexpr int kExitUsage = 2;     // bad usage or an I/O failure
inline constexpr int kExitDenied = 3;    // eval: the request was denied

using Args = std::vector<std::string>;

// "warden 0.1.0": printed by `--version` and recorded in every artifact.
// WARDEN_VERSION comes from the project version in CMakeLists.txt.
inline constexpr std::string_view kVersionText = "warden " WARDEN_VERSION;

int run_check(const Args& args, std::ostream& out, std::ostream& err);
int run_compile(const Args& args, std::ostream& out, std::ostream& err);
int run_inspect(const Args& args, std::ostream& out, std::ostream& err);
int run_eval(const Args& args, std::ostream& out, std::ostream& err);
int run_watch(const Args& args, std::ostream& out, std::ostream& err);
int run_test(const Args& args, std::ostream& out, std::ostream& err);
int run_diff(const Args& args, std::ostream& out, std::ostream& err);
int run_fmt(const Args& args, std::ostream& out, std::ostream& err);
int run_doc(const Args& args, std::ostream& out, std::ostream& err);
int run_keygen(const Args& args, std::ostream& out, std::ostream& err);

// The keys of `--verify-key FILE` options (keygen_command.cpp). On failure
// the error (E0511) is written to `err` and the exit status returned.
std::optional<int> read_verify_keys(const std::vector<std::string>& files, std::vector<VerifyKey>& keys,
                                    std::ostream& err);

}  // namespace warden::cli
