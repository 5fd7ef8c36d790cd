// `warden eval [options] POLICY` — decide one request (or a batch) against a
// policy and facts, and explain the decision.
//
// POLICY is an artifact (.wdn) or policy sources, compiled in memory by the
// compiler driver. The request comes from a JSON file, standard input,
// flags, or JSONL lines (`--batch`). Exit status: 0 allowed (also a
// monitor-mode would-deny), 3 denied, 1 bad input (policy, facts or request,
// reported with its code and line), 2 usage or I/O failure.
#include <charconv>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "compiler/driver.hpp"
#include "runtime_io/input_codes.hpp"
#include "support/json_writer.hpp"
#include "support/literals.hpp"
#include "warden/engine.hpp"
#include "warden/explain.hpp"
#include "warden/facts_json.hpp"
#include "warden/input_error.hpp"
#include "warden/owned_request.hpp"
#include "warden/request_json.hpp"

namespace warden::cli {
namespace {

constexpr const char* kRequestFlags = "request flags";

constexpr Option kOptions[] = {
    {"--facts", "", "FILE", "facts: a JSON document or JSONL records", true},
    {"--facts-check", "", "refuse|warn",
     "facts naming what the policy does not declare: refused (default) or loaded with warnings"},
    {"--request", "", "FILE", "the request as a JSON object (`-`: standard input)"},
    {"--batch", "", "FILE", "JSONL requests, one JSON decision per line (`-`: stdin)"},
    {"--trace", "", "", "include the full evaluation trace"},
    {"--format", "", "text|json", "output format (default: text; --batch is always JSON)"},
    {"--werror", "", "", "treat policy warnings as errors (policy sources only)"},
    {"--verify-key", "", "FILE", "accept only an artifact signed by this key", true},
    {"--key", "", "K", "API key id", false, kRequestFlags},
    {"--user", "", "U", "user id", false, kRequestFlags},
    {"--method", "", "M", "HTTP method", false, kRequestFlags},
    {"--path", "", "P", "path (`?query` allowed)", false, kRequestFlags},
    {"--header", "", "NAME=VALUE", "header", true, kRequestFlags},
    {"--query", "", "K=V", "query parameter", true, kRequestFlags},
    {"--action", "", "A", "action", false, kRequestFlags},
    {"--resource", "", "T[/ID]", "resource type and id", false, kRequestFlags},
    {"--tenant", "", "T", "tenant", false, kRequestFlags},
    {"--request-id", "", "R", "request id", false, kRequestFlags},
    {"--time", "", "T", "RFC 3339 or Unix seconds", false, kRequestFlags},
    {"--ip", "", "IP", "client IP address (as decided by the caller)", false, kRequestFlags},
    {"--peer", "", "ADDR", "the connection's peer address (forwarding headers apply)", false, kRequestFlags},
    {"--body", "", "JSON", "the JSON object body (its top-level fields)", false, kRequestFlags},
};

struct EvalOptions {
  std::string policy;
  std::vector<std::string> facts;
  std::vector<std::string> verify_keys;  // only artifacts signed by one of these keys
  std::string request_file;  // "-": standard input
  std::string batch_file;    // "-": standard input
  bool trace = false;
  bool json = false;
  bool werror = false;
  FactsCheck facts_check = FactsCheck::Refuse;
};

// The request flags given, by option name.
bool any_request_flag(const ParsedArgs& args) {
  for (const Option& o : kOptions) {
    if (o.group == kRequestFlags && args.has(o.name)) return true;
  }
  return false;
}

// Checks the combination of options; returns an exit status when done.
std::optional<int> read_options(const Command& self, const ParsedArgs& args, EvalOptions& o, std::ostream& err) {
  const std::vector<std::string>& operands = args.operands();
  if (operands.size() != 1) return usage_error(self, operands.empty() ? "no policy given" : "give exactly one policy", err);
  o.policy = operands[0];
  o.facts = args.values("--facts");
  o.verify_keys = args.values("--verify-key");
  o.request_file = args.value("--request").value_or("");
  o.batch_file = args.value("--batch").value_or("");
  o.trace = args.has("--trace");
  o.json = args.value("--format") == "json";
  o.werror = args.has("--werror");
  o.facts_check = args.value("--facts-check") == "warn" ? FactsCheck::Warn : FactsCheck::Refuse;
  const bool flags = any_request_flag(args);
  const int modes = !o.request_file.empty() + !o.batch_file.empty() + flags;
  if (modes == 0) return usage_error(self, "no request given (`--request FILE`, `--batch FILE` or request flags)", err);
  if (modes > 1) return usage_error(self, "give the request one way: `--request`, `--batch` or request flags", err);
  if (!o.batch_file.empty() && args.value("--format") == "text") return usage_error(self, "`--batch` writes JSON lines only", err);
  if (flags) {
    const bool method = args.has("--method"), path = args.has("--path");
    const bool action = args.has("--action"), resource = args.has("--resource");
    if (method != path) return usage_error(self, "`--method` and `--path` go together", err);
    if (action != resource) return usage_error(self, "`--action` and `--resource` go together", err);
    if (method && action) return usage_error(self, "give `--method`/`--path` or `--action`/`--resource`, not both", err);
    if (!method && !action) {
      return usage_error(self, "a request needs `--method` and `--path`, or `--action` and `--resource`", err);
    }
  }
  for (const char* pair : {"--header", "--query"}) {
    for (const std::string& v : args.values(pair)) {
      if (v.find('=') == std::string::npos || v[0] == '=') return usage_error(self, "`" + std::string(pair) + "` needs NAME=VALUE", err);
    }
  }
  return std::nullopt;
}

std::string flag_error(Code code, const std::string& message) {
  return "error[" + std::string(code_name(code)) + "]: " + message;
}

// RFC 3339 text or Unix seconds.
std::optional<std::int64_t> parse_flag_time(const std::string& text, std::string& reason) {
  std::int64_t seconds = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (r.ec == std::errc{} && r.ptr == text.data() + text.size()) return seconds;
  const TimeResult t = parse_time(text);
  if (!t.error.empty()) {
    reason = t.error;
    return std::nullopt;
  }
  return t.unix_seconds;
}

// The request given as flags; an error line ("error[F0206]: …") for a value
// that is not valid.
std::optional<std::string> request_from_flags(const ParsedArgs& args, OwnedRequest& out) {
  const auto& codes = runtime_io::kRequestCodes;
  out.clear();
  Request& q = out.request;
  if (const auto v = args.value("--request-id")) q.request_id = out.keep(*v);
  if (const auto v = args.value("--tenant")) q.tenant = out.keep(*v);
  if (const auto v = args.value("--key")) q.api_key = out.keep(*v);
  if (const auto v = args.value("--user")) q.principal_id = out.keep(*v);
  if (const auto v = args.value("--action")) q.action = out.keep(*v);
  if (const auto v = args.value("--resource")) {
    const auto slash = v->find('/');
    q.resource_type = out.keep(std::string_view(*v).substr(0, slash));
    if (slash != std::string::npos) q.resource_id = out.keep(std::string_view(*v).substr(slash + 1));
    if (q.resource_type.empty()) return flag_error(codes.invalid_value, "`--resource` needs a type: `TYPE/ID` or `TYPE`");
  }
  if (const auto v = args.value("--method")) q.method = out.keep(*v);
  if (const auto v = args.value("--path")) {
    const char* reason = nullptr;
    if (!set_target(*v, out, reason)) {
      return flag_error(codes.invalid_value, "invalid `--path` `" + *v + "`: " + reason);
    }
  }
  for (const std::string& h : args.values("--header")) {
    const auto eq = h.find('=');
    out.add_header(std::string_view(h).substr(0, eq), std::string_view(h).substr(eq + 1));
  }
  for (const std::string& kv : args.values("--query")) {
    const auto eq = kv.find('=');
    out.add_query(std::string_view(kv).substr(0, eq), std::string_view(kv).substr(eq + 1));
  }
  if (const auto v = args.value("--time")) {
    std::string reason;
    const auto t = parse_flag_time(*v, reason);
    if (!t) return flag_error(codes.invalid_time, "invalid `--time` `" + *v + "`: " + reason);
    q.time = *t;
  }
  if (const auto v = args.value("--ip")) {
    if (const IpResult ip = parse_ip(*v); !ip.error.empty()) {
      return flag_error(codes.invalid_value, "invalid `--ip` `" + *v + "`: " + ip.error);
    }
    q.client_ip = out.keep(*v);
  }
  if (const auto v = args.value("--peer")) q.peer_address = out.keep(*v);
  if (const auto v = args.value("--body")) {
    std::string reason;
    if (!set_body(*v, out, reason)) return flag_error(codes.invalid_value, "invalid `--body`: " + reason);
  }
  return std::nullopt;
}

// Loads the policy into `engine`; returns an exit status on failure.
std::optional<int> load_policy(Engine& engine, const EvalOptions& o, std::ostream& err) {
  compiler::Options options;
  options.warnings_as_errors = o.werror;
  if (auto failed = read_verify_keys(o.verify_keys, options.verify_keys, err)) return failed;
  const compiler::Compilation c = compiler::compile_path(o.policy, options);
  if (!c.ok()) return report_failure(c, err);
  const Status s = engine.load_policy(c.artifact);
  if (s.ok) return std::nullopt;
  err << "error[" << s.code << "]: " << s.message << "\n";
  return kExitFindings;
}

std::optional<int> load_facts(Engine& engine, const EvalOptions& o, std::ostream& err) {
  if (o.facts.empty()) return std::nullopt;
  FactsReader reader;
  reader.check_against(engine.fact_schema(), o.facts_check);
  for (const auto& file : o.facts) {
    const std::size_t before = reader.findings_total();
    if (auto e = reader.add_file(file)) {
      // Refused for what the policy does not declare: every finding, not
      // only the first.
      if (reader.findings_total() > before) {
        err << format_findings(reader.findings(), reader.findings_total());
        const std::size_t n = reader.findings_total();
        err << "facts refused: " << n << (n == 1 ? " finding" : " findings") << " against the policy"
            << " (`--facts-check warn` loads them with warnings)\n";
      } else {
        err << format_error(*e) << "\n";
      }
      return e->code == code_name(Code::F0100) ? kExitUsage : kExitFindings;
    }
  }
  err << format_findings(reader.findings(), reader.findings_total());
  const Status s = engine.replace_facts(reader.take());
  if (s.ok) return std::nullopt;
  err << "error[" << s.code << "]: " << s.message << "\n";
  return kExitFindings;
}

int decide_one(const Engine& engine, const EvalOptions& o, const ParsedArgs& args, std::ostream& out,
               std::ostream& err) {
  OwnedRequest request;
  if (!o.request_file.empty()) {
    const auto text = read_input(o.request_file);
    if (!text) {
      print_error(err, Code::F0200, "cannot read request file `" + o.request_file + "`");
      return kExitUsage;
    }
    const std::string name = o.request_file == "-" ? "<stdin>" : o.request_file;
    if (auto e = parse_request(*text, request, name)) {
      err << format_error(*e) << "\n";
      return kExitFindings;
    }
  } else if (auto problem = request_from_flags(args, request)) {
    err << *problem << "\n";
    return kExitFindings;
  }

  Decision decision;
  Trace trace;
  if (o.trace) {
    engine.decide(request.request, decision, trace);
  } else {
    engine.decide(request.request, decision);
  }
  if (o.json) {
    out << decision_json(decision, o.trace ? &trace : nullptr) << "\n";
  } else {
    out << explain_text(decision);
    if (o.trace) {
      out << "trace:\n";
      for (const auto& e : trace.events) out << "  [" << trace_kind_name(e.kind) << "] " << e.text << "\n";
    }
  }
  return decision.allowed() ? kExitOk : kExitDenied;
}

// --batch: replay recorded requests, one JSON decision per line. Throughput
// matters here (a million requests a minute and more): one OwnedRequest,
// Decision, Trace and output buffer are reused for every line, and output
// is written in large blocks. A line that is not a valid request yields an
// error object in its place ({"line":N,"error":{"code","message","column"}})
// and the run goes on.
int decide_batch(const Engine& engine, const EvalOptions& o, std::ostream& out, std::ostream& err) {
  constexpr std::size_t kFlushAt = std::size_t{1} << 20;
  std::ifstream file;
  std::istream* in = &std::cin;
  if (o.batch_file != "-") {
    file.open(o.batch_file, std::ios::binary);
    if (!file) {
      print_error(err, Code::F0200, "cannot read requests file `" + o.batch_file + "`");
      return kExitUsage;
    }
    in = &file;
  }
  const std::string name = o.batch_file == "-" ? "<stdin>" : o.batch_file;

  OwnedRequest request;
  Decision decision;
  Trace trace;
  std::string line, buf;
  buf.reserve(kFlushAt + 64 * 1024);
  std::uint32_t number = 0;
  std::size_t bad = 0;
  while (std::getline(*in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    if (auto e = parse_request(line, request, name, number)) {
      ++bad;
      json::Writer w(buf);
      w.begin_object().key("line").unsigned_integer(e->line).key("error").begin_object();
      w.field("code", e->code).field("message", e->message).key("column").unsigned_integer(e->column);
      w.end_object().end_object();
    } else if (o.trace) {
      trace.events.clear();
      engine.decide(request.request, decision, trace);
      append_decision_json(buf, decision, &trace);
    } else {
      engine.decide(request.request, decision);
      append_decision_json(buf, decision);
    }
    buf += '\n';
    if (buf.size() >= kFlushAt) {
      out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
      buf.clear();
    }
  }
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
  out.flush();
  if (in->bad()) {
    print_error(err, Code::F0200, "reading `" + name + "` failed after line " + std::to_string(number));
    return kExitUsage;
  }
  if (bad) {
    err << bad << (bad == 1 ? " line was" : " lines were") << " not a valid request (see the error objects)\n";
    return kExitFindings;
  }
  return kExitOk;
}

int run(const Command& self, const ParsedArgs& args, std::ostream& out, std::ostream& err) {
  EvalOptions options;
  if (auto done = read_options(self, args, options, err)) return *done;
  Engine engine;
  if (auto failed = load_policy(engine, options, err)) return *failed;
  if (auto failed = load_facts(engine, options, err)) return *failed;
  if (!options.batch_file.empty()) return decide_batch(engine, options, out, err);
  return decide_one(engine, options, args, out, err);
}

}  // namespace

const Command kEvalCommand{
    "eval", "[options] POLICY (--request FILE | --batch FILE | request flags)",
    "decide a request and explain the decision",
    "Decide a request against a policy and facts, and explain the decision.\n"
    "POLICY is an artifact (.wdn) or a policy file or directory (compiled in memory).\n",
    kOptions,
    "0 allowed (also would-deny), 3 denied, 1 bad input,\n"
    "             2 usage or I/O failure; with --batch: 0 all lines decided,\n"
    "             1 some lines were not valid requests",
    run};

}  // namespace warden::cli
