// The reload loop: inotify events -> debounced, per-target reloads (see
// warden/watcher.hpp).
#include "warden/watcher.hpp"

#include <algorithm>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

#include "support/diagnostic.hpp"
#include "watch/inotify.hpp"

namespace warden {

using Clock = std::chrono::steady_clock;

struct Watcher::State {
  struct Pending {
    bool due = false;
    Clock::time_point deadline;
    std::string trigger;
  };
  struct Registered {
    std::size_t target;
    WatchPath path;
  };

  State(Engine& e, ReloadCallback callback, WatchOptions o)
      : engine(e), on_reload(std::move(callback)), options(o) {}

  void reload(std::size_t target, std::string trigger);
  void mark(std::size_t target, std::string trigger, Clock::time_point now, std::vector<Pending>& pending) const;
  void run();

  Engine& engine;
  ReloadCallback on_reload;
  WatchOptions options;
  watch::DirectoryWatch directories;
  std::vector<WatchTarget> targets;
  std::map<int, std::vector<Registered>> by_watch;  // inotify watch id -> what it covers
  std::thread thread;

  // Written by the loop, read by operators: a mutex, not atomics, because
  // readers want the counts and the last failure as one consistent record,
  // and neither side is on the decision path.
  mutable std::mutex counters_mutex;
  std::vector<ReloadCounters> counters;
};

WatchPath WatchPath::file(const std::filesystem::path& path) {
  WatchPath w;
  w.directory = path.parent_path();
  w.name = path.filename().string();
  return w;
}

WatchPath WatchPath::with_extension(const std::filesystem::path& directory, std::string extension) {
  WatchPath w;
  w.directory = directory;
  w.extension = std::move(extension);
  return w;
}

bool WatchPath::matches(std::string_view file_name) const {
  if (!name.empty()) return file_name == name;
  // Editors' scratch files (`.rules.warden.swp`, `rules.warden~`) do not end
  // in the extension; hidden files are skipped as discover_policies does.
  return file_name.size() > extension.size() && file_name.front() != '.' &&
         file_name.substr(file_name.size() - extension.size()) == extension;
}

Watcher::Watcher(Engine& engine, ReloadCallback on_reload, WatchOptions options)
    : state_(std::make_unique<State>(engine, std::move(on_reload), options)) {}

Watcher::~Watcher() { stop(); }

Status Watcher::add(WatchTarget target) {
  State& s = *state_;
  if (!s.directories.ok()) return Status::error(std::string(code_name(Code::E0601)), s.directories.error());
  const std::size_t index = s.targets.size();
  std::vector<std::pair<int, WatchPath>> added;
  for (const WatchPath& path : target.paths) {
    std::string error;
    const int wd = s.directories.add(path.directory, error);
    if (wd < 0) return Status::error(std::string(code_name(Code::E0601)), error);
    added.emplace_back(wd, path);
  }
  for (auto& [wd, path] : added) s.by_watch[wd].push_back({index, std::move(path)});
  std::lock_guard<std::mutex> lock(s.counters_mutex);
  s.counters.push_back(ReloadCounters{});
  s.counters.back().target = target.name;
  s.targets.push_back(std::move(target));
  return Status::success();
}

void Watcher::load_all() {
  for (std::size_t i = 0; i < state_->targets.size(); ++i) state_->reload(i, {});
}

Status Watcher::start() {
  State& s = *state_;
  if (!s.directories.ok()) return Status::error(std::string(code_name(Code::E0601)), s.directories.error());
  if (s.thread.joinable()) return Status::error(std::string(code_name(Code::E0602)), "the watcher is already running");
  s.thread = std::thread([&s] { s.run(); });
  return Status::success();
}

void Watcher::run() { state_->run(); }

void Watcher::request_stop() noexcept { state_->directories.stop(); }

void Watcher::stop() {
  request_stop();
  std::thread& t = state_->thread;
  if (t.joinable() && t.get_id() != std::this_thread::get_id()) t.join();
}

void Watcher::State::mark(std::size_t target, std::string trigger, Clock::time_point now,
                          std::vector<Pending>& pending) const {
  Pending& p = pending[target];
  if (p.due) return;  // the burst's first event set the deadline; keep it (bounded delay)
  p.due = true;
  p.deadline = now + options.debounce;
  p.trigger = std::move(trigger);
}

void Watcher::State::run() {
  std::vector<Pending> pending(targets.size());
  std::vector<watch::DirectoryEvent> events;
  for (;;) {
    auto timeout = std::chrono::milliseconds(-1);
    const Clock::time_point before = Clock::now();
    for (const Pending& p : pending) {
      if (!p.due) continue;
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(std::max(p.deadline - before, Clock::duration::zero()));
      timeout = timeout.count() < 0 ? left : std::min(timeout, left);
    }
    events.clear();
    if (!directories.wait(timeout, events)) return;
    const Clock::time_point now = Clock::now();
    for (const watch::DirectoryEvent& e : events) {
      if (e.overflow) {  // events were lost: any target may have changed
        for (std::size_t i = 0; i < targets.size(); ++i) mark(i, {}, now, pending);
        continue;
      }
      const auto it = by_watch.find(e.watch);
      if (it == by_watch.end()) continue;
      for (const Registered& r : it->second) {
        if (r.path.matches(e.name)) mark(r.target, (r.path.directory / e.name).string(), now, pending);
      }
    }
    for (std::size_t i = 0; i < pending.size(); ++i) {
      if (!pending[i].due || pending[i].deadline > Clock::now()) continue;
      pending[i].due = false;
      reload(i, std::move(pending[i].trigger));
    }
  }
}

void Watcher::State::reload(std::size_t index, std::string trigger) {
  const WatchTarget& target = targets[index];
  ReloadReport report;
  report.target = target.name;
  report.trigger = std::move(trigger);
  const Clock::time_point t0 = Clock::now();
  try {
    target.load(engine, report);
  } catch (const std::exception& e) {
    // Out of memory or a file system error escaping a loader: the engine
    // published nothing, so the running snapshot stays, as for any failure.
    report.ok = false;
    report.code = code_name(Code::E0901);
    report.message = std::string("reload failed: ") + e.what();
  }
  report.duration = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0);
  report.policy_fingerprint = engine.policy_fingerprint();
  report.facts_version = engine.facts_version();
  {
    std::lock_guard<std::mutex> lock(counters_mutex);
    ReloadCounters& c = counters[index];
    if (report.ok) {
      ++c.successes;
      c.consecutive_failures = 0;
      c.last_success = std::chrono::system_clock::now();
    } else {
      ++c.failures;
      ++c.consecutive_failures;
      c.last_failure = report;
      c.last_failure_at = std::chrono::system_clock::now();
    }
  }
  if (on_reload) on_reload(report);
}

std::vector<ReloadCounters> Watcher::counters() const {
  std::lock_guard<std::mutex> lock(state_->counters_mutex);
  return state_->counters;
}

ReloadCounters Watcher::counters(std::string_view target) const {
  std::lock_guard<std::mutex> lock(state_->counters_mutex);
  for (const ReloadCounters& c : state_->counters) {
    if (c.target == target) return c;
  }
  return {};
}

}  // namespace warden
