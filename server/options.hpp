// The settings of `warden serve`: one table of options read from command-line
// flags and from a JSON config file alike.
//
// Pipeline position: server/, below the `serve` command (cli/serve_command.cpp),
// which parses the command line with the one option parser of cli/ and hands
// the values over by name. Each option has one name: `--name VALUE` on the
// command line, `"name": VALUE` in the config file (`--config FILE`); flags
// given on the command line win over the file. Values are checked here, once
// for both sources. docs/server.md lists every option.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "warden/facts_json.hpp"

namespace warden::server {

// What bounds one HTTP exchange (docs/server.md, "Limits").
struct HttpLimits {
  std::size_t max_body = 1u << 20;       // bytes of request body (413, S0101)
  std::size_t max_header = 16u * 1024;   // bytes of request line and headers (431, S0102)
  std::size_t max_connections = 4096;    // open at once, every listener together (503, S0109)
  std::chrono::milliseconds idle_timeout{60'000};    // a keep-alive connection with no request
  std::chrono::milliseconds header_timeout{10'000};  // from a request's first byte to its last header (slowloris)
  std::chrono::milliseconds body_timeout{30'000};    // to read the body once the headers are in
  std::size_t max_json_depth = 32;       // nesting of request JSON (400, F0201)
  std::size_t max_batch = 1000;          // requests in one /v1/decide/batch (413, S0110)
};

struct DecisionLogOptions {
  std::string path;                     // file; "-": standard output; empty: no decision log
  std::size_t queue_capacity = 65536;   // records waiting to be written; more are dropped and counted
  std::uint64_t max_bytes = 0;          // rotate when the file grows past this; 0: only on SIGHUP
  unsigned keep = 5;                    // rotated files kept: PATH.1 … PATH.keep
  double sample_allow = 1.0;            // fraction of allows logged (denies always are)
  std::vector<std::string> mask;        // record fields whose value is replaced by "***"
};

// The audit sink: every decision also written as a row of a PostgreSQL
// table shaped like the model access log (docs/server.md, "Audit to
// PostgreSQL"), in batches by a thread of its own.
struct AuditOptions {
  std::string url;                          // postgresql://…; empty: no audit sink
  std::string table = "model_access_logs";  // "table" or "schema.table"
  std::string resource_type = "model";      // whose resource id fills `model_id`; "*": any type's
  std::size_t queue_capacity = 65536;       // rows waiting to be written; more are dropped and counted
  std::size_t batch = 1000;                 // rows in one COPY at most
};

struct ServeOptions {
  std::string policy;                   // artifact (.wdn) or policy sources; see policy_source.hpp
  std::vector<std::string> facts;       // fact files, watched
  // Facts that follow a PostgreSQL database instead of files: a `--facts`
  // value starting with postgresql:// (or postgres://) lands here, read
  // through the mapping file (docs/postgres.md).
  std::string facts_db;
  std::string facts_mapping;
  std::chrono::milliseconds facts_max_staleness{0};  // 0: never fail closed (FACTS_STALE)
  // Facts naming what the policy does not declare (F04xx): loaded with
  // warnings (logged, and returned by the admin API) or refused.
  FactsCheck facts_check = FactsCheck::Warn;
  std::string listen = "127.0.0.1:8181";
  std::string admin_listen;             // empty: the admin API is on `listen`
  std::string admin_token_file;         // empty: the admin API is disabled
  std::vector<std::string> verify_keys;  // verify key files: load only artifacts they signed (docs/signing.md)
  unsigned threads = 0;                 // 0: one per core
  bool watch = true;                    // reload policy and facts when their files change
  std::string key_header;               // header carrying the API key besides `Authorization: Bearer`
  std::string request_id_header = "X-Request-ID";
  std::string tenant_header;            // copied into the request's `tenant` when set
  std::string session_header = "X-Session-ID";
  std::string client_ip_header = "X-Real-IP";  // /v1/authz and ext_authz: the original request's peer
  std::chrono::milliseconds drain_timeout{10'000};  // graceful shutdown: in-flight requests get this long
  HttpLimits limits;
  DecisionLogOptions log;
  AuditOptions audit;
};

// One setting as a flag or a config-file key names it ("max-body"), with its
// value as given ("" for a flag such as "no-watch").
struct Setting {
  std::string name;
  std::string value;
};

// The names of the settings, in the order docs/server.md lists them: the
// `serve` command declares one flag for each (a test holds the two lists
// together). Not among them: "policy", which is the command's operand (and a
// key of the config file), and "config", which names the file.
std::vector<std::string_view> setting_names();

// Build the options: the config file first (when `config_file` is not
// empty), then `given` in order, so that flags win; a list setting given as
// flags replaces the file's list. `policy` (the command's operand) wins over
// the file's `policy`. On error, a message for the operator (lowercase, one
// line) and nothing else.
struct OptionsResult {
  ServeOptions options;
  std::optional<std::string> error;
};
OptionsResult serve_options(const std::string& policy, const std::string& config_file,
                            const std::vector<Setting>& given);

// A `--facts` value naming a PostgreSQL database (postgresql://…,
// postgres://…) rather than a file.
bool is_database_url(std::string_view facts);

// The field names of a decision-log record that `log-mask` accepts.
const std::vector<std::string>& maskable_fields();

}  // namespace warden::server
