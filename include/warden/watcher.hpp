// Hot reload: watch the files a policy or its facts come from and publish a
// new snapshot into an Engine when they change.
//
// Part of the public API (include/warden/, library warden_watch), on top of
// the Engine's public API; it never sees the compiler. A WatchTarget says
// which files to watch and how to load them (below: an artifact file, fact
// files; watch/source_target.hpp, in the separate library
// warden_watch_sources: policy sources, recompiled). The Watcher runs
// one loop — on a thread of its own (start()) or the caller's (run()) — that
// waits for inotify events, lets a burst of them settle (`debounce`), and
// reloads each changed target once.
//
// A reload that fails — unreadable file, corrupt artifact, policy with
// errors, bad facts — publishes nothing: the Engine keeps serving the last
// good (policy, facts) pair, the failure is counted and reported with its
// diagnostics, and the next change is tried again. Decisions never wait for a
// reload: loading happens off to the side and publication is the Engine's
// lock-free swap (docs/architecture.md).
//
// Threads: add() and load_all() before start()/run(); counters() from any
// thread at any time; request_stop() from any thread or a signal handler.
// The callback runs on the loop's thread, one report at a time, and must not
// throw.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "warden/engine.hpp"
#include "warden/facts_json.hpp"
#include "warden/status.hpp"

namespace warden {

// One reload attempt.
struct ReloadReport {
  std::string target;   // the target's name: "policy", "facts"
  std::string trigger;  // the changed file that caused it; empty for load_all()
  bool ok = false;
  std::string code;                      // failure: a stable code (E0504, E0201, F0104, …)
  std::string message;                   // failure: one line, lowercase
  std::vector<std::string> diagnostics;  // failure: every diagnostic, rendered (`file:line:col: error[…]: …`)
  // Success: facts the policy does not declare (F04xx), rendered
  // (`file:line:col: warning[…]: …`): for a facts target with
  // FactsCheck::Warn, what was loaded anyway; for a policy target, the facts
  // already in service that the new policy does not declare (`facts in
  // service: warning[…]: …`; they stay in service: facts_check.hpp).
  std::vector<std::string> warnings;
  // The same findings, unrendered (at most kMaxFactFindings), and how many
  // there were in all; on a failure of a facts target refused for them
  // (FactsCheck::Refuse), the reasons.
  std::vector<InputError> findings;
  std::size_t findings_total = 0;
  std::uint64_t policy_fingerprint = 0;  // in service right after the attempt (the old one after a failure)
  std::uint64_t facts_version = 0;
  std::chrono::nanoseconds duration{};   // reading, compiling and publishing
};

// What an operator looks at: how reloads of one target went.
struct ReloadCounters {
  std::string target;
  std::uint64_t successes = 0;
  std::uint64_t failures = 0;
  std::uint64_t consecutive_failures = 0;       // since the last success: > 0 means a stale snapshot is serving
  std::optional<ReloadReport> last_failure;     // with its diagnostics
  std::chrono::system_clock::time_point last_success{};  // epoch when never
  std::chrono::system_clock::time_point last_failure_at{};
};

// The files one target is read from: one file, or every file with an
// extension directly in a directory.
struct WatchPath {
  std::filesystem::path directory;
  std::string name;       // a file name; empty: any file ending in `extension`
  std::string extension;  // ".warden"

  static WatchPath file(const std::filesystem::path& path);
  static WatchPath with_extension(const std::filesystem::path& directory, std::string extension);
  bool matches(std::string_view file_name) const;
};

struct WatchTarget {
  std::string name;
  std::vector<WatchPath> paths;
  // Read the inputs and publish them into the engine; on failure publish
  // nothing and fill code, message and diagnostics. Sets `ok`.
  std::function<void(Engine&, ReloadReport&)> load;
};

struct WatchOptions {
  // How long the first event of a burst waits for the rest (an editor's
  // save, a `git checkout` of several files) before the target is reloaded.
  // Bounded: later events of the burst do not push the reload further out.
  std::chrono::milliseconds debounce{10};
};

using ReloadCallback = std::function<void(const ReloadReport&)>;

class Watcher {
 public:
  explicit Watcher(Engine& engine, ReloadCallback on_reload = {}, WatchOptions options = {});
  ~Watcher();  // stops and joins the loop's thread
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  // Watch a target's directories. Fails (status not ok) when one cannot be
  // watched. Only before start()/run().
  Status add(WatchTarget target);

  // Load every target once now, on this thread (the initial load), counting
  // and reporting as a reload would. Only before start()/run(): reloads are
  // made by one thread at a time, so reports arrive in order.
  void load_all();

  // Run the loop on a thread of its own / on this thread until request_stop().
  Status start();
  void run();

  // End the loop. request_stop() is async-signal-safe; stop() also joins the
  // thread start() made.
  void request_stop() noexcept;
  void stop();

  std::vector<ReloadCounters> counters() const;
  ReloadCounters counters(std::string_view target) const;

 private:
  struct State;  // the inotify watch, the targets, the loop's thread, the counters
  std::unique_ptr<State> state_;
};

// The reload targets the runtime can build by itself. Each loads through the
// Engine's checked entry points — load_policy_file() refuses a truncated,
// corrupt or foreign artifact (E05xx), replace_facts() an inconsistent fact
// set — so a bad file never replaces a good snapshot.

// "policy": the artifact at `path`, reloaded when a new file is renamed over
// it (what `warden compile -o` does) or a writer closes it. After each load
// the facts in service are checked against the new policy and what it does
// not declare is reported in the report's warnings (never refused, never
// dropped: facts_check.hpp).
WatchTarget artifact_target(const std::filesystem::path& path);

// "facts": the fact files (JSON documents or JSONL records, facts_json.hpp),
// read together and published as a full replacement when any of them
// changes. A record given in two files is an error, as for `warden eval`.
// The files are read under the policy in service at each reload: what it
// does not declare (F04xx) is reported in the report's warnings by default
// (a running service keeps taking fact changes when a new policy drops a
// name they use), or refuses the reload with FactsCheck::Refuse.
WatchTarget facts_target(const std::vector<std::filesystem::path>& files, FactsCheck check = FactsCheck::Warn);

}  // namespace warden
