// Watching an embedded engine's files (see engine_watch.hpp).
#include "bindings/core/engine_watch.hpp"

#include "support/diagnostic.hpp"
#include "support/json_writer.hpp"
#include "warden/watcher.hpp"

namespace warden::bindings {

std::unique_ptr<EngineWatch> EngineWatch::start(std::shared_ptr<Engine> engine, const WatchSpec& spec,
                                                Status& status, ReloadCallback on_reload) {
  std::unique_ptr<EngineWatch> w(new EngineWatch);
  w->engine_ = std::move(engine);
  WatchOptions options;
  options.debounce = std::chrono::milliseconds(spec.debounce_ms);
  w->watcher_ = std::make_unique<Watcher>(*w->engine_, std::move(on_reload), options);
  std::vector<WatchTarget> targets;
  if (!spec.artifact.empty()) targets.push_back(artifact_target(spec.artifact));
  if (!spec.facts.empty()) {
    std::vector<std::filesystem::path> files(spec.facts.begin(), spec.facts.end());
    targets.push_back(facts_target(files, spec.facts_check));
  }
  if (targets.empty()) {  // the bindings refuse this as a usage error before calling: a bug if reached
    status = Status::error(std::string(code_name(Code::E0901)),
                           "nothing to watch: give an artifact file, fact files or both");
    return nullptr;
  }
  for (auto& t : targets) {
    status = w->watcher_->add(std::move(t));
    if (!status.ok) return nullptr;
  }
  w->watcher_->load_all();
  for (const auto& c : w->watcher_->counters()) {
    if (c.failures) {
      const auto& f = *c.last_failure;
      status = Status::error(f.code, c.target + ": " + f.message);
      return nullptr;
    }
  }
  status = w->watcher_->start();
  if (!status.ok) return nullptr;
  return w;
}

EngineWatch::~EngineWatch() { stop(); }

void EngineWatch::stop() {
  if (watcher_) watcher_->stop();
}

std::string EngineWatch::counters_json() const {
  std::string out;
  json::Writer w(out);
  w.begin_array();
  for (const auto& c : watcher_->counters()) {
    w.begin_object().field("target", c.target);
    w.key("successes").unsigned_integer(c.successes).key("failures").unsigned_integer(c.failures);
    w.key("consecutive_failures").unsigned_integer(c.consecutive_failures);
    w.key("last_failure");
    if (c.last_failure) {
      const auto& f = *c.last_failure;
      w.begin_object().field("trigger", f.trigger).field("code", f.code).field("message", f.message);
      w.key("diagnostics").begin_array();
      for (const auto& d : f.diagnostics) w.string(d);
      w.end_array().end_object();
    } else {
      w.null();
    }
    w.end_object();
  }
  w.end_array();
  return out;
}

}  // namespace warden::bindings
