// Start-up, signals and graceful shutdown (see serve.hpp).
#include "server/serve.hpp"

#include <csignal>
#include <fstream>
#include <pthread.h>
#include <sstream>

#include "server/decision_log.hpp"
#include "server/http_server.hpp"
#include "server/metrics.hpp"
#include "server/policy_source.hpp"
#include "server/service.hpp"
#include "server/service_log.hpp"
#include "support/diagnostic_render.hpp"
#include "table/detect.hpp"
#include "table/signing.hpp"
#include "warden/explain.hpp"
#include "warden/watcher.hpp"

namespace warden::server {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitRefused = 1;
constexpr int kExitUsage = 2;

std::optional<std::string> read_token(const std::string& file, std::string& out) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return "cannot read admin token file `" + file + "`";
  std::ostringstream text;
  text << in.rdbuf();
  out = text.str();
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r' || out.back() == ' ')) out.pop_back();
  if (out.size() < 16) return "the admin token in `" + file + "` is shorter than 16 characters";
  return std::nullopt;
}

const char* event_name(postgres::SourceEvent::Kind kind) {
  using Kind = postgres::SourceEvent::Kind;
  switch (kind) {
    case Kind::Loaded: return "facts_loaded";
    case Kind::Applied: return "facts_applied";
    case Kind::RowRefused: return "facts_row_refused";
    case Kind::Disconnected: return "facts_source_disconnected";
    case Kind::Failed: return "facts_source_failed";
    case Kind::Overflow: return "facts_source_overflow";
  }
  return "facts_source_event";
}

}  // namespace

struct Server::State {
  State(ServeOptions o, std::ostream& stream)
      : options(std::move(o)),
        service_log(stream),
        policy_info(std::make_shared<PolicyInfoCell>()),
        metrics(options.threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : options.threads),
        decision_log(options.log),
        service(engine, options, metrics, decision_log, service_log, policy_info) {}

  ServeOptions options;
  ServiceLog service_log;
  Engine engine;
  std::shared_ptr<PolicyInfoCell> policy_info;
  Metrics metrics;
  DecisionLog decision_log;
  Service service;
  // `--audit-db`: declared after the service that feeds it, so it stops
  // (sending what is queued) before the service goes.
  std::unique_ptr<AuditSink> audit;
  // `--facts postgresql://…`: declared after the engine and the service it
  // publishes to and is read by, so it stops first.
  std::unique_ptr<postgres::PostgresFactSource> facts_source;
  std::vector<WatchTarget> targets;
  std::unique_ptr<Watcher> watcher;
  std::unique_ptr<HttpServer> http;
  std::mutex reload_mutex;  // SIGHUP reloads, one at a time
  unsigned short port = 0;
  unsigned short admin_port = 0;
  bool started = false;
  bool stopped = false;
};

Server::Server(ServeOptions options, std::ostream& log_stream)
    : state_(std::make_unique<State>(std::move(options), log_stream)) {}

Server::~Server() { stop(); }

unsigned short Server::port() const { return state_->port; }
unsigned short Server::admin_port() const { return state_->admin_port; }

// The first load from the database happens here, before the listeners
// open, like a fact file's: a mapping that cannot be read or does not fit
// the database, or a database that cannot be reached, stops the start.
// Afterwards the source follows on its own thread; its events are logged.
static bool start_facts_source(Server::State& s) {
  const ServeOptions& o = s.options;
  postgres::MappingFileResult mapping = postgres::read_mapping_file(o.facts_mapping);
  if (!mapping.file) {
    std::string diagnostics;
    for (const auto& d : mapping.diagnostics) diagnostics += (diagnostics.empty() ? "" : "\n") + render_text(d, mapping.sources);
    s.service_log.error("start_failed", {{"message", "the mapping file `" + o.facts_mapping + "` is refused"},
                                         {"diagnostics", diagnostics}});
    return false;
  }
  postgres::SourceOptions options;
  options.url = o.facts_db;
  if (o.facts_max_staleness.count() > 0) options.max_staleness = o.facts_max_staleness;
  options.facts_check = o.facts_check;
  auto on_event = [&svc = s.service, &log = s.service_log](const postgres::SourceEvent& e) {
    using Kind = postgres::SourceEvent::Kind;
    if (e.findings_total > 0) {
      // Rows naming what the policy does not declare: loaded with warnings,
      // or (Failed) refused.
      log.warn("facts_source_findings", {{"findings", static_cast<std::uint64_t>(e.findings_total)},
                                         {"result", e.kind == Kind::Failed ? "refused" : "loaded"},
                                         {"diagnostics", format_findings(e.findings, e.findings_total)}});
    }
    if (e.kind == Kind::Loaded || e.kind == Kind::Applied) {
      svc.facts_changed();
      // One line per full load; changes are counted in /metrics, not logged
      // one by one (a burst would flood the log).
      if (e.kind == Kind::Loaded) {
        log.info(event_name(e.kind), {{"facts_version", e.facts_version}, {"position", e.position},
                                      {"facts", static_cast<std::uint64_t>(e.changes)},
                                      {"duration_us", static_cast<std::uint64_t>(e.duration.count())}});
      }
      return;
    }
    log.warn(event_name(e.kind), {{"code", e.code}, {"message", e.message}});
  };
  s.facts_source = std::make_unique<postgres::PostgresFactSource>(s.engine, mapping.file, options, on_event);
  if (const Status st = s.facts_source->start(); !st.ok) {
    s.service_log.error("start_failed", {{"code", st.code}, {"message", st.message}});
    s.facts_source.reset();
    return false;
  }
  s.service.set_facts_source(s.facts_source.get());
  return true;
}

std::optional<int> Server::start() {
  State& s = *state_;
  const ServeOptions& o = s.options;
  ServiceLog& log = s.service_log;
  // Verify keys: only artifacts signed by one of them are loaded, at start
  // and on every reload (docs/signing.md). Sources compiled here are never
  // signed, so they are refused before anything starts.
  std::vector<table::VerifyKey> verify_keys;
  for (const std::string& file : o.verify_keys) {
    std::string problem;
    const auto key = table::read_verify_key_file(file, problem);
    if (!key) {
      log.error("start_failed", {{"code", "E0512"}, {"message", "`" + file + "`: " + problem}});
      return kExitUsage;
    }
    verify_keys.push_back(*key);
  }
  if (!verify_keys.empty()) {
    if (!table::is_artifact_file(o.policy)) {
      log.error("start_failed", {{"code", "E0509"},
                                 {"message", "policy sources are never signed: with `--verify-key`, `" + o.policy +
                                                 "` needs a signed artifact (.wdn)"}});
      return kExitUsage;
    }
    std::vector<VerifyKey> trusted;
    for (const table::VerifyKey& k : verify_keys) trusted.push_back({k.id, k.public_key});
    s.engine.set_verify_keys(std::move(trusted));
  }
  if (!o.admin_token_file.empty()) {
    std::string token;
    if (auto e = read_token(o.admin_token_file, token)) {
      log.error("start_failed", {{"message", *e}});
      return kExitUsage;
    }
    s.service.set_admin_token(std::move(token));
  }
  s.targets.push_back(policy_source(o.policy, s.policy_info, std::move(verify_keys)));
  if (!o.facts.empty()) {
    s.targets.push_back(facts_target(std::vector<std::filesystem::path>(o.facts.begin(), o.facts.end()), o.facts_check));
  }

  // Block the signals run_serve() waits for in every thread started from
  // here on (they inherit the mask), so only its sigwait() sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  if (auto e = s.decision_log.start()) {
    log.error("start_failed", {{"message", *e}});
    return kExitUsage;
  }
  if (!o.audit.url.empty()) {
    s.audit = std::make_unique<AuditSink>(o.audit, [&log](std::string_view event, std::string_view message) {
      if (event == "audit_connected") {
        log.info(event);
      } else {
        log.error(event, {{"message", std::string(message)}});
      }
    });
    if (auto e = s.audit->start()) {
      log.error("start_failed", {{"message", *e}});
      return kExitRefused;
    }
    s.service.set_audit_sink(s.audit.get());
  }

  // The first load: a policy or facts that cannot be loaded stop the start.
  bool loaded = true;
  s.watcher = std::make_unique<Watcher>(s.engine, [&svc = s.service](const ReloadReport& r) {
    svc.on_reload(r);
  });
  if (o.watch) {
    for (const auto& t : s.targets) {
      if (const Status st = s.watcher->add(t); !st.ok) {
        log.error("start_failed", {{"code", st.code}, {"message", st.message}});
        return kExitUsage;
      }
    }
    s.watcher->load_all();
    for (const auto& c : s.watcher->counters()) loaded = loaded && c.failures == 0;
  } else {
    for (const auto& t : s.targets) {
      ReloadReport r;
      r.target = t.name;
      t.load(s.engine, r);
      r.policy_fingerprint = s.engine.policy_fingerprint();
      r.facts_version = s.engine.facts_version();
      s.service.on_reload(r);
      loaded = loaded && r.ok;
    }
  }
  if (!loaded) return kExitRefused;
  if (!o.facts_db.empty() && !start_facts_source(s)) return kExitRefused;

  s.http = std::make_unique<HttpServer>(s.service, o.limits, o.threads);
  auto bound = s.http->listen(o.listen, o.admin_listen.empty());
  if (bound.error) {
    log.error("start_failed", {{"message", *bound.error}});
    return kExitUsage;
  }
  s.port = bound.port;
  log.info("listening", {{"api", "decision"}, {"address", bound.address}, {"port", static_cast<std::uint64_t>(bound.port)}});
  if (!o.admin_listen.empty()) {
    auto admin = s.http->listen(o.admin_listen, true);
    if (admin.error) {
      log.error("start_failed", {{"message", *admin.error}});
      return kExitUsage;
    }
    s.admin_port = admin.port;
    log.info("listening", {{"api", "admin"}, {"address", admin.address}, {"port", static_cast<std::uint64_t>(admin.port)}});
  }
  s.http->start();
  if (o.watch) {
    if (const Status st = s.watcher->start(); !st.ok) {
      log.error("start_failed", {{"code", st.code}, {"message", st.message}});
      return kExitUsage;
    }
  }
  s.started = true;
  log.info("ready", {{"policy_fingerprint", fingerprint_hex(s.engine.policy_fingerprint())},
                     {"facts_version", s.engine.facts_version()},
                     {"workers", static_cast<std::uint64_t>(s.http->worker_count())}});
  return std::nullopt;
}

void Server::reload() {
  State& s = *state_;
  const std::lock_guard lock(s.reload_mutex);
  s.decision_log.reopen();
  for (const auto& t : s.targets) {
    ReloadReport r;
    r.target = t.name;
    r.trigger = "SIGHUP";
    const auto begin = std::chrono::steady_clock::now();
    t.load(s.engine, r);
    r.duration = std::chrono::steady_clock::now() - begin;
    r.policy_fingerprint = s.engine.policy_fingerprint();
    r.facts_version = s.engine.facts_version();
    s.service.on_reload(r);
  }
}

void Server::stop() {
  State& s = *state_;
  if (s.stopped) return;
  s.stopped = true;
  if (s.http) s.http->shutdown(s.options.drain_timeout);
  if (s.watcher) s.watcher->stop();
  if (s.facts_source) s.facts_source->stop();
  s.decision_log.stop();
  if (s.audit) s.audit->stop();
  if (s.started) {
    const auto c = s.decision_log.counters();
    const AuditCounters a = s.audit ? s.audit->counters() : AuditCounters{};
    s.service_log.info("stopped", {{"decision_log_written", c.written}, {"decision_log_dropped", c.dropped},
                                   {"audit_written", a.written}, {"audit_dropped", a.dropped}});
  }
}

int run_serve(const ServeOptions& options, std::ostream& log_stream) {
  Server server(options, log_stream);
  if (auto status = server.start()) return *status;
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  for (;;) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0) continue;
    if (sig == SIGHUP) {
      server.reload();
      continue;
    }
    break;
  }
  server.stop();
  return kExitOk;
}

}  // namespace warden::server
