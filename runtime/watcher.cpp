// The reload loop: inotify events -> debounced, per-target reloads (see
// watcher.hpp).
#include "runtime/watcher.hpp"

#include <algorithm>
#include <exception>

namespace warden::runtime {

using Clock = std::chrono::steady_clock;

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
    : engine_(engine), on_reload_(std::move(on_reload)), options_(options) {}

Watcher::~Watcher() { stop(); }

Status Watcher::add(WatchTarget target) {
  if (!watch_.ok()) return Status::error("watch", watch_.error());
  const std::size_t index = targets_.size();
  std::vector<std::pair<int, WatchPath>> added;
  for (const WatchPath& path : target.paths) {
    std::string error;
    const int wd = watch_.add(path.directory, error);
    if (wd < 0) return Status::error("watch", error);
    added.emplace_back(wd, path);
  }
  for (auto& [wd, path] : added) by_watch_[wd].push_back({index, std::move(path)});
  std::lock_guard<std::mutex> lock(counters_mutex_);
  counters_.push_back(ReloadCounters{});
  counters_.back().target = target.name;
  targets_.push_back(std::move(target));
  return Status::success();
}

void Watcher::load_all() {
  for (std::size_t i = 0; i < targets_.size(); ++i) reload(i, {});
}

Status Watcher::start() {
  if (!watch_.ok()) return Status::error("watch", watch_.error());
  if (thread_.joinable()) return Status::error("watch", "the watcher is already running");
  thread_ = std::thread([this] { run(); });
  return Status::success();
}

void Watcher::stop() {
  request_stop();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void Watcher::mark(std::size_t target, std::string trigger, Clock::time_point now, std::vector<Pending>& pending) const {
  Pending& p = pending[target];
  if (p.due) return;  // the burst's first event set the deadline; keep it (bounded delay)
  p.due = true;
  p.deadline = now + options_.debounce;
  p.trigger = std::move(trigger);
}

void Watcher::run() {
  std::vector<Pending> pending(targets_.size());
  std::vector<DirectoryEvent> events;
  for (;;) {
    auto timeout = std::chrono::milliseconds(-1);
    const Clock::time_point before = Clock::now();
    for (const Pending& p : pending) {
      if (!p.due) continue;
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(std::max(p.deadline - before, Clock::duration::zero()));
      timeout = timeout.count() < 0 ? left : std::min(timeout, left);
    }
    events.clear();
    if (!watch_.wait(timeout, events)) return;
    const Clock::time_point now = Clock::now();
    for (const DirectoryEvent& e : events) {
      if (e.overflow) {  // events were lost: any target may have changed
        for (std::size_t i = 0; i < targets_.size(); ++i) mark(i, {}, now, pending);
        continue;
      }
      const auto it = by_watch_.find(e.watch);
      if (it == by_watch_.end()) continue;
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

void Watcher::reload(std::size_t index, std::string trigger) {
  const WatchTarget& target = targets_[index];
  ReloadReport report;
  report.target = target.name;
  report.trigger = std::move(trigger);
  const Clock::time_point t0 = Clock::now();
  try {
    target.load(engine_, report);
  } catch (const std::exception& e) {
    // Out of memory or a file system error escaping a loader: the engine
    // published nothing, so the running snapshot stays, as for any failure.
    report.ok = false;
    report.code = "internal";
    report.message = std::string("reload failed: ") + e.what();
  }
  report.duration = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0);
  report.policy_fingerprint = engine_.policy_fingerprint();
  report.facts_version = engine_.facts_version();
  {
    std::lock_guard<std::mutex> lock(counters_mutex_);
    ReloadCounters& c = counters_[index];
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
  if (on_reload_) on_reload_(report);
}

std::vector<ReloadCounters> Watcher::counters() const {
  std::lock_guard<std::mutex> lock(counters_mutex_);
  return counters_;
}

ReloadCounters Watcher::counters(std::string_view target) const {
  std::lock_guard<std::mutex> lock(counters_mutex_);
  for (const ReloadCounters& c : counters_) {
    if (c.target == target) return c;
  }
  return {};
}

}  // namespace warden::runtime
