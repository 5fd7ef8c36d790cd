// An engine as a host language holds it: the Engine, how facts handed to it
// are checked against its policy, and what the last check found.
//
// Pipeline position: bindings/core, the object behind the Python and Node
// `Engine`. The Engine is shared (a watcher or a PostgreSQL fact source
// started from it holds it too, so it outlives whichever the host frees
// first). Facts are read under the policy in service (facts_input.hpp) with
// the engine's FactsCheck unless a call gives its own; a policy loaded later
// is checked against the facts already in service (facts_check.hpp:
// check_facts_in_service), and what it does not declare is reported, never
// refused: the facts stay, matching nothing in the new policy.
//
// The default is FactsCheck::Warn, as for `warden serve` and `warden watch`:
// a service embedding the engine must not drop a whole fact update — with
// the revocations it may carry — because one record names a scope a new
// policy removed. A host that prefers a typo to stop the load chooses
// refuse.
//
// Threads: every member may be called from any thread; the findings of the
// last check are replaced whole under a lock (the watchers' and fact
// sources' threads set them too).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "bindings/core/engine_watch.hpp"
#include "bindings/core/facts_input.hpp"
#include "bindings/core/postgres_facts.hpp"
#include "warden/engine.hpp"
#include "warden/facts_json.hpp"

namespace warden::bindings {

// "warn" / "refuse"; nullopt for anything else.
std::optional<FactsCheck> facts_check_named(std::string_view name);
const char* facts_check_name(FactsCheck check);

class HostEngine {
 public:
  HostEngine();

  Engine& engine() const { return *engine_; }
  const std::shared_ptr<Engine>& shared() const { return engine_; }

  FactsCheck facts_check() const { return static_cast<FactsCheck>(check_.load(std::memory_order_relaxed)); }
  void set_facts_check(FactsCheck check) { check_.store(static_cast<std::uint8_t>(check), std::memory_order_relaxed); }

  // Facts and updates (facts_input.hpp), checked with `check` or the
  // engine's own.
  FactsOutcome replace_facts(const std::vector<FactsSource>& sources, std::optional<FactsCheck> check = {});
  FactsOutcome apply_update(std::string_view text, std::string_view name, std::optional<FactsCheck> check = {});
  FactsOutcome apply_update_file(const std::string& path, std::optional<FactsCheck> check = {});

  // Load a policy; when it loads, the facts in service checked against it
  // (into `findings`, warnings). On failure the running policy stays and
  // `findings` is left as it was.
  Status load_policy(std::span<const char> artifact, HostFindings& findings);
  Status load_policy_file(const std::string& path, HostFindings& findings);

  // The facts in service against the policy in service, now.
  HostFindings check_facts() const;
  // What the last check on this engine found: a call above, or a reload or
  // a database load of a watcher or fact source started below (a refused
  // load included: its findings are the reasons).
  HostFindings last_findings() const;

  // Hot reload and PostgreSQL facts (engine_watch.hpp, postgres_facts.hpp),
  // checked with `check` or the engine's FactsCheck; their findings become
  // the last findings.
  std::unique_ptr<EngineWatch> watch(WatchSpec spec, std::optional<FactsCheck> check, Status& status);
  std::unique_ptr<PostgresFacts> follow_postgres(PostgresFactsOptions options, std::optional<FactsCheck> check,
                                                 Status& status);

 private:
  // Shared with the callbacks of watchers and sources, which may outlive
  // this object.
  struct LastFindings {
    mutable std::mutex mutex;
    HostFindings value;
    void set(HostFindings f) {
      const std::lock_guard lock(mutex);
      value = std::move(f);
    }
  };

  FactsCheck mode(std::optional<FactsCheck> check) const { return check ? *check : facts_check(); }
  FactsOutcome remember(FactsOutcome outcome);

  std::shared_ptr<Engine> engine_;
  std::atomic<std::uint8_t> check_{static_cast<std::uint8_t>(FactsCheck::Warn)};
  std::shared_ptr<LastFindings> last_;
};

}  // namespace warden::bindings
