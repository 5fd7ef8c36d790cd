// `warden serve [options] POLICY --facts FILE…` — the decision service.
//
// Pipeline position: cli/, a thin front over server/ (server/serve.hpp):
// this file only reads the options and hands over; docs/server.md is the
// operator's guide.
#include <iostream>

#include "cli/commands.hpp"
#include "server/options.hpp"
#include "server/serve.hpp"

namespace warden::cli {

int run_serve(const Args& args, std::ostream& out, std::ostream& err) {
  const server::OptionsResult parsed = server::parse_serve_options(args);
  if (parsed.options.help) {
    out << server::serve_usage();
    return kExitOk;
  }
  if (parsed.error) {
    err << "error: " << *parsed.error << "\n" << server::serve_usage();
    return kExitUsage;
  }
  // The service logs JSON lines to standard error; decisions (with
  // `--decision-log -`) go to standard output.
  return server::run_serve(parsed.options, err);
}

}  // namespace warden::cli
