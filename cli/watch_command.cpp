// `warden watch [options] POLICY --request FILE` — a long-running evaluator:
// decide a set of requests, then watch the policy (and facts) and decide them
// again after every reload, one line per decision with the policy
// fingerprint and facts version it was made with.
//
// Pipeline position: cli/, over runtime/watcher.hpp (the reload loop) with
// the artifact and facts targets (runtime/watch_targets.hpp) or the
// recompiling source target (cli/policy_watch.hpp). It is the operator's view
// of hot reload: what an enforcement service does, with the decisions
// printed. Decision lines go to standard output; reload reports (and the
// diagnostics of a failed reload) to standard error. Runs until SIGINT,
// SIGTERM or SIGHUP, then prints the reload counters and exits 0.
#include <csignal>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <pthread.h>

#include "cli/commands.hpp"
#include "cli/eval.hpp"
#include "cli/policy_watch.hpp"
#include "runtime/explain.hpp"
#include "runtime/request_json.hpp"
#include "runtime/watch_targets.hpp"
#include "table/artifact.hpp"

namespace warden::cli {
namespace fs = std::filesystem;
namespace {

constexpr const char* kUsage =
    "usage: warden watch [options] POLICY --request FILE\n"
    "\n"
    "Decide the requests in FILE, then watch the policy and facts: after every\n"
    "change reload and decide them again, one line per decision. A reload that\n"
    "fails is reported with its diagnostics and the last good version keeps\n"
    "serving. Runs until interrupted (Ctrl-C).\n"
    "POLICY is an artifact (.wdn, reloaded when replaced) or a policy file or\n"
    "directory (recompiled in memory when a `.warden` file changes).\n"
    "\n"
    "  --request FILE        requests: one JSON object, or JSONL (.jsonl) one per line\n"
    "  --facts FILE          facts to load and watch, JSON or JSONL (repeatable)\n"
    "  --format text|json    decision lines as text (default) or JSON\n"
    "  --werror              treat policy warnings as errors (policy sources only)\n"
    "  --debounce MS         let a burst of changes settle for MS ms (default 10)\n"
    "  --verify-key FILE     load only artifacts signed by this key (repeatable)\n"
    "\n"
    "exit status: 0 stopped by a signal, 1 bad requests, 2 usage or I/O failure\n";

struct WatchOptionsCli {
  std::string policy;
  std::string request_file;
  std::vector<std::string> facts;
  std::vector<std::string> verify_keys;
  bool json = false;
  bool werror = false;
  int debounce_ms = 10;
};

int usage_error(std::ostream& err, const std::string& message) {
  err << "error: " << message << "\n" << kUsage;
  return kExitUsage;
}

std::optional<int> parse_options(const Args& args, WatchOptionsCli& o, std::ostream& out, std::ostream& err) {
  std::vector<std::string> positional;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string& slot) {
      if (i + 1 >= args.size()) return false;
      slot = args[++i];
      return true;
    };
    std::string v;
    if (a == "--help" || a == "-h") {
      out << kUsage;
      return kExitOk;
    } else if (a == "--werror") {
      o.werror = true;
    } else if (a == "--request") {
      if (!value(o.request_file)) return usage_error(err, "`--request` needs a file name");
    } else if (a == "--facts") {
      if (!value(v)) return usage_error(err, "`--facts` needs a file name");
      o.facts.push_back(v);
    } else if (a == "--verify-key") {
      if (!value(v)) return usage_error(err, "`--verify-key` needs a verify key file");
      o.verify_keys.push_back(v);
    } else if (a == "--format") {
      if (!value(v) || (v != "text" && v != "json")) return usage_error(err, "`--format` is `text` or `json`");
      o.json = v == "json";
    } else if (a == "--debounce") {
      if (!value(v) || v.empty() || v.size() > 6 || v.find_first_not_of("0123456789") != std::string::npos) {
        return usage_error(err, "`--debounce` needs a number of milliseconds");
      }
      o.debounce_ms = std::stoi(v);
    } else if (!a.empty() && a[0] == '-') {
      return usage_error(err, "unknown option `" + a + "`");
    } else {
      positional.push_back(a);
    }
  }
  if (positional.size() != 1) return usage_error(err, positional.empty() ? "no policy given" : "give exactly one policy");
  o.policy = positional[0];
  if (o.request_file.empty()) return usage_error(err, "no requests given (`--request FILE`)");
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

// The requests of the file: one object, or one per non-blank line (.jsonl,
// .ndjson). A deque: OwnedRequest cannot move (its views point into it).
std::optional<int> read_requests(const std::string& file, std::deque<runtime::OwnedRequest>& out, std::ostream& err) {
  const auto text = read_input(file);
  if (!text) {
    err << "error[F0200]: cannot read request file `" << file << "`\n";
    return kExitUsage;
  }
  const fs::path path(file);
  if (path.extension() != ".jsonl" && path.extension() != ".ndjson") {
    if (auto e = runtime::parse_request(*text, out.emplace_back(), file)) {
      err << runtime::format_error(*e) << "\n";
      return kExitFindings;
    }
    return std::nullopt;
  }
  std::size_t start = 0;
  for (std::uint32_t number = 1; start < text->size(); ++number) {
    std::size_t end = text->find('\n', start);
    if (end == std::string::npos) end = text->size();
    const std::string_view line(text->data() + start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    if (auto e = runtime::parse_request(line, out.emplace_back(), file, number)) {
      err << runtime::format_error(*e) << "\n";
      return kExitFindings;
    }
  }
  if (out.empty()) {
    err << "error[F0202]: no request in `" << file << "`\n";
    return kExitFindings;
  }
  return std::nullopt;
}

// One line per decision: `policy=… facts=… request=… allow ALLOW rule=…`, or the
// decision JSON (which carries the same fields).
void print_decisions(const Engine& engine, const std::deque<runtime::OwnedRequest>& requests, bool json,
                     std::ostream& out) {
  Decision d;
  std::size_t n = 0;
  for (const auto& r : requests) {
    ++n;
    engine.decide(r.request, d);
    if (json) {
      out << runtime::decision_json(d) << "\n";
      continue;
    }
    out << "policy=" << runtime::fingerprint_hex(d.policy_fingerprint) << " facts=" << d.facts_version << " request=";
    if (d.request_id.empty()) {
      out << "#" << n;
    } else {
      out << d.request_id.view();
    }
    out << " " << outcome_name(d.outcome) << " " << d.code.view();
    if (d.rule_count > 0) out << " rule=" << d.rules[0].name.view();
    out << "\n";
  }
  out.flush();
}

std::string milliseconds(std::chrono::nanoseconds d) {
  const auto tenths = d.count() / 100000;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " ms";
}

// `watch: policy reloaded: fingerprint … (p/rules.warden changed, 2.1 ms)`, or
// the failure with its diagnostics.
void print_report(const runtime::ReloadReport& r, const runtime::ReloadCounters& c, std::ostream& err) {
  const bool initial = r.trigger.empty();
  const std::string why = initial ? "initial load" : r.trigger + " changed";
  err << "watch: " << r.target << " ";
  if (r.ok) {
    err << (initial ? "loaded" : "reloaded") << ": ";
    if (r.target == "facts") {
      err << "version " << r.facts_version;
    } else {
      err << "fingerprint " << runtime::fingerprint_hex(r.policy_fingerprint);
    }
    err << " (" << why << ", " << milliseconds(r.duration) << ")\n";
  } else {
    err << (initial ? "load" : "reload") << " failed (" << why << "): error[" << r.code << "]: " << r.message << "\n";
    for (const auto& d : r.diagnostics) err << d << (d.empty() || d.back() != '\n' ? "\n" : "");
    err << "watch: " << c.failures << (c.failures == 1 ? " failure" : " failures") << " so far; still serving ";
    if (r.target == "facts") {
      err << "facts version " << r.facts_version << "\n";
    } else if (r.policy_fingerprint == 0) {
      err << "no policy (every request is denied with NO_POLICY)\n";
    } else {
      err << "policy " << runtime::fingerprint_hex(r.policy_fingerprint) << "\n";
    }
  }
  err.flush();
}

void print_counters(const std::vector<runtime::ReloadCounters>& all, std::ostream& err) {
  for (const auto& c : all) {
    err << "watch: " << c.target << ": " << c.successes << " loaded, " << c.failures << " failed";
    if (c.last_failure) err << " (last: error[" << c.last_failure->code << "]: " << c.last_failure->message << ")";
    err << "\n";
  }
}

}  // namespace

int run_watch(const Args& args, std::ostream& out, std::ostream& err) {
  WatchOptionsCli o;
  if (auto done = parse_options(args, o, out, err)) return *done;
  std::deque<runtime::OwnedRequest> requests;
  if (auto failed = read_requests(o.request_file, requests, err)) return *failed;
  std::error_code ec;
  if (!fs::exists(o.policy, ec)) {
    err << "error[E0001]: cannot read `" << o.policy << "`: no such file or directory\n";
    return kExitUsage;
  }

  Engine engine;
  if (!o.verify_keys.empty()) {
    // Sources recompiled here are never signed: a key asks for an artifact.
    if (!is_artifact(o.policy)) return usage_error(err, "`--verify-key` needs a signed artifact (.wdn), not policy sources");
    std::vector<VerifyKey> keys;
    if (auto failed = read_verify_keys(o.verify_keys, keys, err)) return *failed;
    engine.set_verify_keys(std::move(keys));
  }
  bool deciding = false;  // set before the loop's thread starts, read only there
  runtime::Watcher* self = nullptr;
  runtime::Watcher watcher(
      engine,
      [&](const runtime::ReloadReport& r) {
        print_report(r, self->counters(r.target), err);
        if (deciding) print_decisions(engine, requests, o.json, out);
      },
      runtime::WatchOptions{std::chrono::milliseconds(o.debounce_ms)});
  self = &watcher;

  runtime::WatchTarget policy = is_artifact(o.policy) ? runtime::artifact_target(o.policy)
                                                      : policy_source_target(o.policy, o.werror);
  if (Status s = watcher.add(std::move(policy)); !s.ok) {
    err << "error: " << s.message << "\n";
    return kExitUsage;
  }
  if (!o.facts.empty()) {
    std::vector<fs::path> files(o.facts.begin(), o.facts.end());
    if (Status s = watcher.add(runtime::facts_target(files)); !s.ok) {
      err << "error: " << s.message << "\n";
      return kExitUsage;
    }
  }

  // The signals that end the run are blocked here, before the loop's thread
  // starts (it inherits the mask), and taken synchronously by sigwait below:
  // no handler runs on an arbitrary thread.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  watcher.load_all();
  print_decisions(engine, requests, o.json, out);
  deciding = true;
  if (Status s = watcher.start(); !s.ok) {
    err << "error: " << s.message << "\n";
    return kExitUsage;
  }
  int signal = 0;
  sigwait(&stop_signals, &signal);
  watcher.stop();
  print_counters(watcher.counters(), err);
  return kExitOk;
}

}  // namespace warden::cli
