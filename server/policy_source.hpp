// Where `warden serve` gets its policy from: the one place that says what a
// POLICY argument may be and how it is loaded and reloaded.
//
// Pipeline position: server/, on top of the runtime's reload targets. Today
// a policy is a compiled artifact (.wdn): it is loaded through the Engine's
// checked entry point, so a truncated, corrupt or foreign file (E05xx) never
// replaces the policy in service. Policy sources (a directory or a
// `.warden` file, compiled in memory) come with the compiler driver; only
// this file changes then. Signature checks (`--verify-key`) will be wired
// here too, once signed artifacts exist.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "runtime/watcher.hpp"

namespace warden::server {

// What GET /v1/policy reports about the policy in service.
struct PolicyInfo {
  std::string source;               // the POLICY path
  std::string kind = "artifact";    // how it is loaded
  std::uint64_t fingerprint = 0;
  std::uint32_t format_version = 0;
  std::string compiler_version;     // "warden 0.1.0"
  std::int64_t loaded_at_ms = 0;    // Unix milliseconds; 0: never loaded
  std::string signature = "unverified";  // no verify key configured
};

// Shared between the reload target (which writes it on every successful
// load) and the handlers (which read it).
class PolicyInfoCell {
 public:
  void set(PolicyInfo info) {
    const std::lock_guard lock(mutex_);
    info_ = std::move(info);
  }
  PolicyInfo get() const {
    const std::lock_guard lock(mutex_);
    return info_;
  }

 private:
  mutable std::mutex mutex_;
  PolicyInfo info_;
};

struct PolicySource {
  std::optional<std::string> error;  // the path cannot be served (usage error)
  runtime::WatchTarget target;       // "policy": load and reload
};

// The reload target for POLICY; `info` is updated after each successful load.
PolicySource policy_source(const std::string& path, std::shared_ptr<PolicyInfoCell> info);

}  // namespace warden::server
