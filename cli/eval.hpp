// The parts of `warden eval` (eval_command.cpp): its options, building the
// request from flags or a file, and batch mode.
//
// Internal to cli/. Library code below (runtime I/O, Engine) never prints;
// these functions write to the streams they are given and return an exit
// status or a flag, and only main() exits.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/owned_request.hpp"
#include "warden/engine.hpp"

namespace warden::cli {

// A request given as flags (`--key K --method POST --path /p …`).
struct RequestFlags {
  std::optional<std::string> key, user, method, path, tenant, action, resource, time, ip, request_id;
  std::vector<std::pair<std::string, std::string>> headers, query;
  bool any() const;
};

struct EvalOptions {
  std::string policy;
  std::vector<std::string> facts;
  std::vector<std::string> verify_keys;  // only artifacts signed by one of these keys
  std::string request_file;  // "-": standard input
  std::string batch_file;    // "-": standard input
  RequestFlags flags;
  bool trace = false;
  bool json = false;
  bool werror = false;
};

// Fill `out` from flags. Returns an error line ("error[F0206]: …") for a value
// that is not valid, or nothing.
std::optional<std::string> request_from_flags(const RequestFlags& flags, runtime::OwnedRequest& out);

// The whole of a file, or of standard input for "-".
std::optional<std::string> read_input(const std::string& path);

// Batch mode: one JSON decision (or error object) per non-blank input line.
// Returns kExitOk when every line was a valid request, kExitFindings when
// some were not, kExitUsage when the input cannot be read.
int run_batch(const Engine& engine, const EvalOptions& options, std::ostream& out, std::ostream& err);

}  // namespace warden::cli
