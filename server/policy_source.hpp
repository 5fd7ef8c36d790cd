// Where `warden serve` gets its policy from, and what it reports about it.
//
// Pipeline position: server/, on top of the reload target for policies
// (watch/source_target.hpp), which goes through the compiler driver
// (compiler/driver.hpp: what a policy path is and how it becomes a checked,
// fingerprinted artifact). POLICY is a compiled artifact (.wdn), a policy
// directory or a one-file policy; sources are compiled in memory on every
// change. Whatever fails — unreadable, corrupt or foreign artifact (E05xx), a
// policy with errors — publishes nothing, so the policy in service stays.
// With verify keys (`--verify-key`), only an artifact signed by one of them
// is loaded (E0509–E0511 otherwise, checked by the driver before the bytes
// reach the Engine, which checks them again: docs/signing.md).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "table/signing.hpp"
#include "warden/watcher.hpp"

namespace warden::server {

// What GET /v1/policy reports about the policy in service.
struct PolicyInfo {
  std::string source;               // the POLICY path
  std::string kind = "artifact";    // "artifact", or "sources" (compiled in memory)
  std::uint64_t fingerprint = 0;
  std::uint32_t format_version = 0;
  std::string compiler_version;     // "warden 0.1.0"
  std::int64_t loaded_at_ms = 0;    // Unix milliseconds; 0: never loaded
  // "verified": verify keys are configured and the artifact is signed by
  // one of them; "unverified": no verify key is configured.
  std::string signature = "unverified";
  std::string signed_by;            // the id of the key that signed the artifact (16 hex), "" when unsigned
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

// The reload target ("policy") for POLICY, accepting only what one of
// `verify_keys` signed when there are any; `info` is updated after each
// successful load.
WatchTarget policy_source(const std::string& path, std::shared_ptr<PolicyInfoCell> info,
                          std::vector<table::VerifyKey> verify_keys = {});

}  // namespace warden::server
