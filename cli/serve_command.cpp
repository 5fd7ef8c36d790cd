// `warden serve [options] POLICY --facts FILE…` — the decision service.
//
// Pipeline position: cli/, a thin front over server/ (server/serve.hpp): the
// command line is parsed by the one option parser, the values are handed to
// the service's settings by name (server/options.hpp, which also reads the
// config file and checks every value), and the service runs until a signal.
// docs/server.md is the operator's guide.
#include <iostream>

#include "cli/commands.hpp"
#include "server/options.hpp"
#include "server/serve.hpp"

namespace warden::cli {
namespace {

// One flag per setting of server/options.hpp, named as the setting with
// `--` (tests/server/options_test.cpp holds the two lists together), and
// `--config`.
constexpr Option kOptions[] = {
    {"--facts", "", "FILE", "facts (JSON or JSONL), watched; or a postgresql:// URL", true},
    {"--facts-mapping", "", "FILE", "the mapping file of a postgresql:// source (docs/postgres.md)"},
    {"--facts-max-staleness", "", "MS", "deny with FACTS_STALE past this staleness (default: never)"},
    {"--facts-check", "", "refuse|warn", "facts naming what the policy does not declare: warn (default) or refuse"},
    {"--listen", "", "ADDR:PORT", "the decision API (default 127.0.0.1:8181)"},
    {"--admin-listen", "", "ADDR:PORT", "the admin API (fact updates) on its own address"},
    {"--admin-token-file", "", "FILE", "the admin bearer token (no file: admin API off)"},
    {"--threads", "", "N", "worker threads (default: one per core)"},
    {"--no-watch", "", "", "do not watch files (SIGHUP still reloads)"},
    {"--key-header", "", "NAME", "also take the API key from this header"},
    {"--request-id-header", "", "NAME", "request id header (default X-Request-ID)"},
    {"--tenant-header", "", "NAME", "header whose value is the request's tenant"},
    {"--session-header", "", "NAME", "session id header for the log (default X-Session-ID)"},
    {"--client-ip-header", "", "NAME", "the address the proxy saw the request come from (default X-Real-IP)"},
    {"--decision-log", "", "FILE", "one JSON line per decision (`-`: standard output)"},
    {"--log-max-bytes", "", "N", "rotate the decision log past N bytes"},
    {"--log-keep", "", "N", "rotated files kept (default 5)"},
    {"--log-queue", "", "N", "records waiting to be written (default 65536)"},
    {"--log-sample-allow", "", "F", "fraction of allows logged, 0..1 (default 1)"},
    {"--log-mask", "", "FIELD", "write FIELD of every record as \"***\"", true},
    {"--audit-db", "", "URL", "also write every decision to a PostgreSQL table (postgresql://…)"},
    {"--audit-table", "", "NAME", "the audit table (default model_access_logs)"},
    {"--audit-resource-type", "", "TYPE", "whose resource id fills model_id (default model; `*`: any)"},
    {"--audit-queue", "", "N", "audit rows waiting to be written (default 65536)"},
    {"--audit-batch", "", "N", "audit rows per COPY (default 1000)"},
    {"--max-body", "", "BYTES", "request body limit (default 1048576)"},
    {"--max-header", "", "BYTES", "request header limit (default 16384)"},
    {"--max-connections", "", "N", "open connections (default 4096)"},
    {"--idle-timeout", "", "MS", "idle keep-alive connection (default 60000)"},
    {"--header-timeout", "", "MS", "time to send a request's headers (default 10000)"},
    {"--body-timeout", "", "MS", "time to send a request's body (default 30000)"},
    {"--max-json-depth", "", "N", "request JSON nesting (default 32)"},
    {"--max-batch", "", "N", "requests per batch (default 1000)"},
    {"--drain-timeout", "", "MS", "graceful shutdown limit (default 10000)"},
    {"--verify-key", "", "FILE", "load only artifacts signed by this key", true},
    {"--config", "", "FILE", "options as a JSON object, keys as the flags without `--` (flags win)"},
};

int run(const Command& self, const ParsedArgs& args, std::ostream&, std::ostream& err) {
  const std::vector<std::string>& operands = args.operands();
  if (operands.size() > 1) return usage_error(self, "give exactly one policy", err);
  std::vector<server::Setting> given;
  for (const Option& o : kOptions) {
    if (o.name == "--config") continue;
    for (std::string& value : args.values(o.name)) given.push_back({std::string(o.name.substr(2)), std::move(value)});
  }
  const server::OptionsResult settings =
      server::serve_options(operands.empty() ? std::string() : operands[0], args.value("--config").value_or(""), given);
  if (settings.error) return usage_error(self, *settings.error, err);
  // The service logs JSON lines to standard error; decisions (with
  // `--decision-log -`) go to standard output.
  return server::run_serve(settings.options, err);
}

}  // namespace

const Command kServeCommand{
    "serve",
    "[options] POLICY [--facts FILE]...",
    "serve decisions over HTTP (nginx, Envoy, JSON API)",
    "Serve decisions over HTTP: the JSON decision API, nginx auth_request,\n"
    "Envoy ext_authz, live fact updates, a decision log and metrics.\n"
    "POLICY is a compiled artifact (.wdn) or a policy file or directory\n"
    "(compiled in memory). Policy and facts are reloaded when their files\n"
    "change and on SIGHUP; a reload that fails keeps the last good version\n"
    "serving. `--facts postgresql://… --facts-mapping FILE` follows a\n"
    "database live instead of files (docs/postgres.md). SIGTERM or SIGINT:\n"
    "stop accepting, finish the requests in flight, flush the decision log,\n"
    "exit 0. docs/server.md is the guide.\n",
    kOptions,
    "0 stopped by a signal, 1 policy or facts refused at start,\n"
    "             2 usage or I/O failure (address in use, unreadable file)",
    run,
};

}  // namespace warden::cli
