// `warden watch [options] POLICY --request FILE` — a long-running evaluator:
// decide a set of requests, then watch the policy (and facts) and decide them
// again after every reload, one line per decision with the policy
// fingerprint and facts version it was made with.
//
// Pipeline position: cli/, over the Watcher (warden/watcher.hpp: the reload
// loop, the artifact and facts targets) or the recompiling source target
// (watch/source_target.hpp). It is the operator's view
// of hot reload: what an enforcement service does, with the decisions
// printed. Decision lines go to standard output; reload reports (and the
// diagnostics of a failed reload) to standard error. Runs until SIGINT,
// SIGTERM or SIGHUP, then prints the reload counters and exits 0.
#include <csignal>
#include <deque>
#include <filesystem>
#include <iostream>

#include <pthread.h>

#include "cli/commands.hpp"
#include "table/detect.hpp"
#include "warden/explain.hpp"
#include "warden/owned_request.hpp"
#include "warden/request_json.hpp"
#include "warden/watcher.hpp"
#include "watch/source_target.hpp"

namespace warden::cli {
namespace fs = std::filesystem;
namespace {

constexpr Option kOptions[] = {
    {"--request", "", "FILE", "requests: one JSON object, or JSONL (.jsonl) one per line"},
    {"--facts", "", "FILE", "facts to load and watch, JSON or JSONL", true},
    {"--format", "", "text|json", "decision lines as text (default) or JSON"},
    {"--werror", "", "", "treat policy warnings as errors (policy sources only)"},
    {"--debounce", "", "MS", "let a burst of changes settle for MS ms (default 10)"},
    {"--verify-key", "", "FILE", "load only artifacts signed by this key", true},
    {"--facts-check", "", "refuse|warn",
     "facts naming what the policy does not declare: loaded with warnings (default) or refused"},
};

struct WatchOptionsCli {
  std::string policy;
  std::string request_file;
  std::vector<std::string> facts;
  std::vector<std::string> verify_keys;
  bool json = false;
  bool werror = false;
  int debounce_ms = 10;
};

std::optional<int> read_options(const Command& self, const ParsedArgs& args, WatchOptionsCli& o, std::ostream& err) {
  const std::vector<std::string>& operands = args.operands();
  if (operands.size() != 1) return usage_error(self, operands.empty() ? "no policy given" : "give exactly one policy", err);
  o.policy = operands[0];
  o.request_file = args.value("--request").value_or("");
  if (o.request_file.empty()) return usage_error(self, "no requests given (`--request FILE`)", err);
  o.facts = args.values("--facts");
  o.verify_keys = args.values("--verify-key");
  o.json = args.value("--format") == "json";
  o.werror = args.has("--werror");
  if (const auto v = args.value("--debounce")) {
    if (v->empty() || v->size() > 6 || v->find_first_not_of("0123456789") != std::string::npos) {
      return usage_error(self, "`--debounce` needs a number of milliseconds", err);
    }
    o.debounce_ms = std::stoi(*v);
  }
  return std::nullopt;
}

// The requests of the file: one object, or one per non-blank line (.jsonl,
// .ndjson). A deque: OwnedRequest cannot move (its views point into it).
std::optional<int> read_requests(const std::string& file, std::deque<OwnedRequest>& out, std::ostream& err) {
  const auto text = read_input(file);
  if (!text) {
    print_error(err, Code::F0200, "cannot read request file `" + file + "`");
    return kExitUsage;
  }
  const fs::path path(file);
  if (path.extension() != ".jsonl" && path.extension() != ".ndjson") {
    if (auto e = parse_request(*text, out.emplace_back(), file)) {
      err << format_error(*e) << "\n";
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
    if (auto e = parse_request(line, out.emplace_back(), file, number)) {
      err << format_error(*e) << "\n";
      return kExitFindings;
    }
  }
  if (out.empty()) {
    print_error(err, Code::F0210, "no request in `" + file + "`");
    return kExitFindings;
  }
  return std::nullopt;
}

// One line per decision: `policy=… facts=… request=… allow ALLOW rule=…`, or the
// decision JSON (which carries the same fields).
void print_decisions(const Engine& engine, const std::deque<OwnedRequest>& requests, bool json,
                     std::ostream& out) {
  Decision d;
  std::size_t n = 0;
  for (const auto& r : requests) {
    ++n;
    engine.decide(r.request, d);
    if (json) {
      out << decision_json(d) << "\n";
      continue;
    }
    out << "policy=" << fingerprint_hex(d.policy_fingerprint) << " facts=" << d.facts_version << " request=";
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
void print_report(const ReloadReport& r, const ReloadCounters& c, std::ostream& err) {
  const bool initial = r.trigger.empty();
  const std::string why = initial ? "initial load" : r.trigger + " changed";
  err << "watch: " << r.target << " ";
  if (r.ok) {
    err << (initial ? "loaded" : "reloaded") << ": ";
    if (r.target == "facts") {
      err << "version " << r.facts_version;
    } else {
      err << "fingerprint " << fingerprint_hex(r.policy_fingerprint);
    }
    err << " (" << why << ", " << milliseconds(r.duration) << ")\n";
    for (const auto& w : r.warnings) err << w << "\n";
  } else {
    err << (initial ? "load" : "reload") << " failed (" << why << "): error[" << r.code << "]: " << r.message << "\n";
    for (const auto& d : r.diagnostics) err << d << (d.empty() || d.back() != '\n' ? "\n" : "");
    err << "watch: " << c.failures << (c.failures == 1 ? " failure" : " failures") << " so far; still serving ";
    if (r.target == "facts") {
      err << "facts version " << r.facts_version << "\n";
    } else if (r.policy_fingerprint == 0) {
      err << "no policy (every request is denied with NO_POLICY)\n";
    } else {
      err << "policy " << fingerprint_hex(r.policy_fingerprint) << "\n";
    }
  }
  err.flush();
}

void print_counters(const std::vector<ReloadCounters>& all, std::ostream& err) {
  for (const auto& c : all) {
    err << "watch: " << c.target << ": " << c.successes << " loaded, " << c.failures << " failed";
    if (c.last_failure) err << " (last: error[" << c.last_failure->code << "]: " << c.last_failure->message << ")";
    err << "\n";
  }
}

int run(const Command& self, const ParsedArgs& args, std::ostream& out, std::ostream& err) {
  WatchOptionsCli o;
  if (auto done = read_options(self, args, o, err)) return *done;
  std::deque<OwnedRequest> requests;
  if (auto failed = read_requests(o.request_file, requests, err)) return *failed;
  std::error_code ec;
  if (!fs::exists(o.policy, ec)) {
    print_error(err, Code::E0001, "cannot read `" + o.policy + "`: no such file or directory");
    return kExitUsage;
  }

  Engine engine;
  if (!o.verify_keys.empty()) {
    // Sources recompiled here are never signed: a key asks for an artifact.
    if (!table::is_artifact_file(o.policy)) {
      return usage_error(self, "`--verify-key` needs a signed artifact (.wdn), not policy sources", err);
    }
    std::vector<table::VerifyKey> keys;
    if (auto failed = read_verify_keys(o.verify_keys, keys, err)) return *failed;
    std::vector<VerifyKey> trusted;
    for (const table::VerifyKey& k : keys) trusted.push_back({k.id, k.public_key});
    engine.set_verify_keys(std::move(trusted));
  }
  bool deciding = false;  // set before the loop's thread starts, read only there
  Watcher* watching = nullptr;
  Watcher watcher(
      engine,
      [&](const ReloadReport& r) {
        print_report(r, watching->counters(r.target), err);
        if (deciding) print_decisions(engine, requests, o.json, out);
      },
      WatchOptions{std::chrono::milliseconds(o.debounce_ms)});
  watching = &watcher;

  WatchTarget policy = table::is_artifact_file(o.policy) ? artifact_target(o.policy)
                                                      : watch::policy_source_target(o.policy, {.warnings_as_errors = o.werror});
  if (Status s = watcher.add(std::move(policy)); !s.ok) {
    err << "error[" << s.code << "]: " << s.message << "\n";
    return kExitUsage;
  }
  if (!o.facts.empty()) {
    std::vector<fs::path> files(o.facts.begin(), o.facts.end());
    const FactsCheck check = args.value("--facts-check") == "refuse" ? FactsCheck::Refuse : FactsCheck::Warn;
    if (Status s = watcher.add(facts_target(files, check)); !s.ok) {
      err << "error[" << s.code << "]: " << s.message << "\n";
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
    err << "error[" << s.code << "]: " << s.message << "\n";
    return kExitUsage;
  }
  int signal = 0;
  sigwait(&stop_signals, &signal);
  watcher.stop();
  print_counters(watcher.counters(), err);
  return kExitOk;
}

}  // namespace

const Command kWatchCommand{
    "watch", "[options] POLICY --request FILE", "decide requests again after every policy or facts reload",
    "Decide the requests in FILE, then watch the policy and facts: after every\n"
    "change reload and decide them again, one line per decision. A reload that\n"
    "fails is reported with its diagnostics and the last good version keeps\n"
    "serving. Runs until interrupted (Ctrl-C).\n"
    "POLICY is an artifact (.wdn, reloaded when replaced) or a policy file or\n"
    "directory (recompiled in memory when a `.warden` file changes).\n",
    kOptions, "0 stopped by a signal, 1 bad requests, 2 usage or I/O failure", run};

}  // namespace warden::cli
