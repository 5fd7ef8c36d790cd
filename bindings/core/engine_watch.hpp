// Hot reload for an engine embedded in a host language: watch a compiled
// artifact file and/or fact files and publish each good new version.
//
// Pipeline position: bindings/core, on top of the Watcher and its artifact
// and facts targets (warden/watcher.hpp, the watch/ layer).
// The loop runs on a thread of its own; decisions never wait for it. A
// version that fails to load (corrupt artifact, invalid facts) is refused and
// counted, and the engine keeps serving the last good one. Reload counters
// are handed to the host as one JSON document, rendered here once for both
// bindings.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "warden/engine.hpp"
#include "warden/watcher.hpp"

namespace warden {
class Watcher;
}

namespace warden::bindings {

struct WatchSpec {
  std::string artifact;             // a `.wdn` file; empty: the policy is not watched
  std::vector<std::string> facts;   // fact files read together; empty: facts are not watched
  unsigned debounce_ms = 10;
  // Fact files naming what the policy does not declare: loaded with
  // warnings, or the reload refused (warden/facts_json.hpp).
  FactsCheck facts_check = FactsCheck::Warn;
};

class EngineWatch {
 public:
  // Load every target once, now (an error in the initial load is returned
  // and nothing keeps running), then watch on a thread of its own. `spec`
  // names an artifact, fact files or both. `on_reload` gets every report
  // (the initial loads', then each reload's) on the loading thread.
  static std::unique_ptr<EngineWatch> start(std::shared_ptr<Engine> engine, const WatchSpec& spec, Status& status,
                                            ReloadCallback on_reload = {});
  ~EngineWatch();  // stops and joins
  EngineWatch(const EngineWatch&) = delete;
  EngineWatch& operator=(const EngineWatch&) = delete;

  void stop();
  // [{"target","successes","failures","consecutive_failures",
  //   "last_failure":{"trigger","code","message","diagnostics":[…]}|null}, …]
  std::string counters_json() const;

 private:
  EngineWatch() = default;
  std::shared_ptr<Engine> engine_;  // outlives the watcher
  std::unique_ptr<Watcher> watcher_;
};

}  // namespace warden::bindings
