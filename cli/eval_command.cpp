// `warden eval [options] POLICY` — decide one request (or a batch) against a
// policy and facts, and explain the decision.
//
// POLICY is an artifact (.wdn) or policy sources, compiled in memory. The
// request comes from a JSON file, standard input or flags. Exit status:
// 0 allowed (also a monitor-mode would-deny), 3 denied, 1 bad input (policy,
// facts or request, reported with its code and line), 2 usage or I/O failure.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/eval.hpp"
#include "cli/policy_build.hpp"
#include "runtime/explain.hpp"
#include "runtime/facts_json.hpp"
#include "runtime/request_json.hpp"
#include "support/diagnostic_render.hpp"
#include "table/artifact.hpp"

namespace warden::cli {
namespace fs = std::filesystem;
namespace {

constexpr const char* kUsage =
    "usage: warden eval [options] POLICY (--request FILE | --batch FILE | request flags)\n"
    "\n"
    "Decide a request against a policy and facts, and explain the decision.\n"
    "POLICY is an artifact (.wdn) or a policy file or directory (compiled in memory).\n"
    "\n"
    "  --facts FILE          facts: a JSON document or JSONL records (repeatable)\n"
    "  --request FILE        the request as a JSON object (`-`: standard input)\n"
    "  --batch FILE          JSONL requests, one JSON decision per line (`-`: stdin)\n"
    "  --trace               include the full evaluation trace\n"
    "  --format text|json    output format (default: text; --batch is always JSON)\n"
    "  --werror              treat policy warnings as errors (policy sources only)\n"
    "  --verify-key FILE     accept only an artifact signed by this key (repeatable)\n"
    "\n"
    "request flags:\n"
    "  --key K               API key id             --user U          user id\n"
    "  --method M            HTTP method            --path P          path (`?query` allowed)\n"
    "  --header NAME=VALUE   header (repeatable)    --query K=V       query parameter (repeatable)\n"
    "  --action A            action                 --resource T[/ID] resource type and id\n"
    "  --tenant T            tenant                 --request-id R    request id\n"
    "  --time T              RFC 3339 or Unix secs  --ip IP           client IP address\n"
    "\n"
    "exit status: 0 allowed (also would-deny), 3 denied, 1 bad input,\n"
    "             2 usage or I/O failure; with --batch: 0 all lines decided,\n"
    "             1 some lines were not valid requests\n";

int usage_error(std::ostream& err, const std::string& message) {
  err << "error: " << message << "\n" << kUsage;
  return kExitUsage;
}

// Matches `--name VALUE` and `--name=VALUE`; advances `i` past the value.
// Returns false when args[i] is not this option; sets `missing` when the
// value is absent.
bool take(const Args& args, std::size_t& i, std::string_view name, std::string& value, bool& missing) {
  const std::string& a = args[i];
  if (a == name) {
    if (i + 1 >= args.size()) {
      missing = true;
      return true;
    }
    value = args[++i];
    return true;
  }
  if (a.size() > name.size() && a.compare(0, name.size(), name) == 0 && a[name.size()] == '=') {
    value = a.substr(name.size() + 1);
    return true;
  }
  return false;
}

bool split_pair(const std::string& text, std::pair<std::string, std::string>& out) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  out = {text.substr(0, eq), text.substr(eq + 1)};
  return true;
}

// Parses the arguments; returns an exit status when done (help or usage
// error), nothing to go on.
std::optional<int> parse_options(const Args& args, EvalOptions& o, std::ostream& out, std::ostream& err) {
  std::vector<std::string> positional;
  std::optional<std::string> format;
  RequestFlags& f = o.flags;
  const std::pair<std::string_view, std::optional<std::string>*> single[] = {
      {"--key", &f.key},       {"--user", &f.user},           {"--method", &f.method}, {"--path", &f.path},
      {"--tenant", &f.tenant}, {"--action", &f.action},       {"--resource", &f.resource},
      {"--time", &f.time},     {"--ip", &f.ip},               {"--request-id", &f.request_id},
      {"--format", &format}};
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string value;
    bool missing = false, matched = false;
    if (a == "--help" || a == "-h") {
      out << kUsage;
      return kExitOk;
    }
    if (a == "--trace") {
      o.trace = true;
      continue;
    }
    if (a == "--werror") {
      o.werror = true;
      continue;
    }
    for (const auto& [name, slot] : single) {
      if (take(args, i, name, value, missing)) {
        if (missing) return usage_error(err, "`" + std::string(name) + "` needs a value");
        *slot = value;
        matched = true;
        break;
      }
    }
    if (matched) continue;
    if (take(args, i, "--facts", value, missing)) {
      if (missing) return usage_error(err, "`--facts` needs a file name");
      o.facts.push_back(value);
    } else if (take(args, i, "--verify-key", value, missing)) {
      if (missing) return usage_error(err, "`--verify-key` needs a verify key file");
      o.verify_keys.push_back(value);
    } else if (take(args, i, "--request", value, missing)) {
      if (missing) return usage_error(err, "`--request` needs a file name (or `-`)");
      o.request_file = value;
    } else if (take(args, i, "--batch", value, missing)) {
      if (missing) return usage_error(err, "`--batch` needs a file name (or `-`)");
      o.batch_file = value;
    } else if (take(args, i, "--header", value, missing) || take(args, i, "--query", value, missing)) {
      const bool header = a.rfind("--header", 0) == 0;
      std::pair<std::string, std::string> kv;
      if (missing || !split_pair(value, kv)) {
        return usage_error(err, std::string("`") + (header ? "--header" : "--query") + "` needs NAME=VALUE");
      }
      (header ? f.headers : f.query).push_back(std::move(kv));
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      return usage_error(err, "unknown option `" + a + "`");
    } else {
      positional.push_back(a);
    }
  }
  if (positional.size() != 1) return usage_error(err, positional.empty() ? "no policy given" : "give exactly one policy");
  o.policy = positional[0];
  if (format && *format != "text" && *format != "json") {
    return usage_error(err, "unknown format `" + *format + "` (expected `text` or `json`)");
  }
  o.json = format && *format == "json";

  const int modes = !o.request_file.empty() + !o.batch_file.empty() + f.any();
  if (modes == 0) return usage_error(err, "no request given (`--request FILE`, `--batch FILE` or request flags)");
  if (modes > 1) return usage_error(err, "give the request one way: `--request`, `--batch` or request flags");
  if (!o.batch_file.empty() && format && *format == "text") return usage_error(err, "`--batch` writes JSON lines only");
  if (f.any()) {
    if (f.method.has_value() != f.path.has_value()) return usage_error(err, "`--method` and `--path` go together");
    if (f.action.has_value() != f.resource.has_value()) return usage_error(err, "`--action` and `--resource` go together");
    if (f.method && f.action) return usage_error(err, "give `--method`/`--path` or `--action`/`--resource`, not both");
    if (!f.method && !f.action) return usage_error(err, "a request needs `--method` and `--path`, or `--action` and `--resource`");
  }
  return std::nullopt;
}

bool is_artifact(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return false;
  if (path.extension() == ".wdn") return true;
  std::ifstream in(path, std::ios::binary);
  char magic[8] = {};
  in.read(magic, sizeof magic);
  return in.gcount() == sizeof magic && std::string_view(magic, sizeof magic) == table::kArtifactMagic;
}

// Loads the policy into `engine`; returns an exit status on failure.
std::optional<int> load_policy(Engine& engine, const EvalOptions& o, std::ostream& err) {
  if (!o.verify_keys.empty()) {
    // Sources compiled here are never signed: a key asks for an artifact.
    if (!is_artifact(o.policy)) return usage_error(err, "`--verify-key` needs a signed artifact (.wdn), not policy sources");
    std::vector<VerifyKey> keys;
    if (auto failed = read_verify_keys(o.verify_keys, keys, err)) return failed;
    engine.set_verify_keys(std::move(keys));
  }
  if (is_artifact(o.policy)) {
    const Status s = engine.load_policy_file(o.policy);
    if (s.ok) return std::nullopt;
    err << "error[" << s.code << "]: " << s.message << "\n";
    return s.code == "E0506" ? kExitUsage : kExitFindings;
  }
  const Discovery found = discover_policies({o.policy});
  if (!found.io_errors.empty()) {
    err << "error[E0001]: cannot read `" << o.policy << "`: no such file or directory\n";
    return kExitUsage;
  }
  if (!found.empty.empty()) {
    err << "error[E0002]: no `.warden` files under `" << o.policy << "`\n";
    return kExitFindings;
  }
  if (found.policies.size() != 1) {
    err << "error: `" << o.policy << "` holds " << found.policies.size() << " policies; give one policy directory\n";
    return kExitUsage;
  }
  const BuiltPolicy built = build_policy(found.policies[0], o.werror);
  std::size_t errors = 0;
  for (const auto& d : built.front.diagnostics) {
    errors += d.severity == Severity::Error;
    if (d.severity == Severity::Error) err << render_text(d, built.front.sources) << "\n";
  }
  if (built.front.io_error) return kExitUsage;
  if (!built.internal_error.empty()) {
    err << "error: internal compiler error: " << built.internal_error << "\n";
    return kExitUsage;
  }
  if (errors || built.artifact.empty()) {
    err << errors << (errors == 1 ? " error" : " errors") << " in the policy\n";
    return kExitFindings;
  }
  const Status s = engine.load_policy(built.artifact);
  if (s.ok) return std::nullopt;
  err << "error[" << s.code << "]: " << s.message << "\n";
  return kExitFindings;
}

std::optional<int> load_facts(Engine& engine, const EvalOptions& o, std::ostream& err) {
  if (o.facts.empty()) return std::nullopt;
  runtime::FactsReader reader;
  for (const auto& file : o.facts) {
    if (auto e = reader.add_file(file)) {
      err << runtime::format_error(*e) << "\n";
      return e->code == runtime::kFactCodes.unreadable ? kExitUsage : kExitFindings;
    }
  }
  const Status s = engine.replace_facts(reader.take());
  if (s.ok) return std::nullopt;
  err << "error[" << s.code << "]: " << s.message << "\n";
  return kExitFindings;
}

int decide_one(const Engine& engine, const EvalOptions& o, std::ostream& out, std::ostream& err) {
  runtime::OwnedRequest request;
  if (!o.request_file.empty()) {
    const auto text = read_input(o.request_file);
    if (!text) {
      err << "error[F0200]: cannot read request file `" << o.request_file << "`\n";
      return kExitUsage;
    }
    const std::string name = o.request_file == "-" ? "<stdin>" : o.request_file;
    if (auto e = runtime::parse_request(*text, request, name)) {
      err << runtime::format_error(*e) << "\n";
      return kExitFindings;
    }
  } else if (auto problem = request_from_flags(o.flags, request)) {
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
    out << runtime::decision_json(decision, o.trace ? &trace : nullptr) << "\n";
  } else {
    out << runtime::explain_text(decision);
    if (o.trace) {
      out << "trace:\n";
      for (const auto& e : trace.events) out << "  [" << runtime::trace_kind_name(e.kind) << "] " << e.text << "\n";
    }
  }
  return decision.allowed() ? kExitOk : kExitDenied;
}

}  // namespace

int run_eval(const Args& args, std::ostream& out, std::ostream& err) {
  EvalOptions options;
  if (auto done = parse_options(args, options, out, err)) return *done;
  Engine engine;
  if (auto failed = load_policy(engine, options, err)) return *failed;
  if (auto failed = load_facts(engine, options, err)) return *failed;
  if (!options.batch_file.empty()) return run_batch(engine, options, out, err);
  return decide_one(engine, options, out, err);
}

}  // namespace warden::cli
