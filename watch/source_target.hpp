// The reload target for policy sources: recompile in memory when a source
// file changes, then load the result like any artifact.
//
// Pipeline position: watch/, in a library of its own (warden_watch_sources)
// on top of the compiler driver (compiler/driver.hpp) and the Watcher
// (warden/watcher.hpp): it is the one reload target that needs the compiler,
// so a service that loads artifacts only links warden_watch without it. A
// policy with errors is reported with every diagnostic (rendered as `warden
// check` does) and nothing is published, so the last good policy keeps
// serving.
#pragma once

#include <filesystem>
#include <functional>

#include "compiler/driver.hpp"
#include "warden/watcher.hpp"

namespace warden::watch {

// Called on the loading thread after a compilation was published, with it:
// for a front end that reports what it serves (the decision service's
// `GET /v1/policy`).
using CompilationLoaded = std::function<void(const compiler::Compilation&)>;

// "policy": the policy at `path` — a directory whose `*.warden` files form
// one policy, or a one-file policy — rebuilt when a source is written,
// renamed in or removed. Whatever the driver accepts with `options` is
// accepted: a `.wdn` artifact at `path` is read and verified again on every
// change (against `options.verify_keys` when there are any, which refuse
// sources: docs/signing.md). After each load the facts in service are
// checked against the new policy, into the report's warnings (as for
// artifact_target()).
WatchTarget policy_source_target(const std::filesystem::path& path, compiler::Options options,
                                 CompilationLoaded on_loaded = {});

}  // namespace warden::watch
