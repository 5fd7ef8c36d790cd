// The reload target for policy sources: recompile in memory when a source
// file changes, then load the result like any artifact.
//
// Pipeline position: cli/, on top of the compiler driver
// (compiler/driver.hpp) and runtime/watcher.hpp. It lives here and not in runtime/
// because it needs the compiler; the runtime never links it. A policy with
// errors is reported with every diagnostic (rendered as `warden check` does)
// and nothing is published, so the last good policy keeps serving.
#pragma once

#include <filesystem>

#include "runtime/watcher.hpp"

namespace warden::cli {

// "policy": the policy at `path` — a directory whose `*.warden` files form
// one policy, or a one-file policy — rebuilt when a source is written,
// renamed in or removed.
runtime::WatchTarget policy_source_target(const std::filesystem::path& path, bool warnings_as_errors);

}  // namespace warden::cli
