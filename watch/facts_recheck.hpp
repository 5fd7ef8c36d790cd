// After a policy is loaded: the facts already in service checked against
// it, for the reload report.
//
// Pipeline position: watch/, used by every reload target that loads a
// policy (the artifact target here, the policy-sources target of
// warden_watch_sources). A new policy may drop a scope, a level or an enum
// value that facts loaded earlier still name; those facts are kept (they
// match nothing in the new policy, so they only ever deny) and the reload
// reports them as warnings: never a reason to refuse the policy, which
// would leave the old one — perhaps the one the change was meant to narrow
// — in service.
#pragma once

#include "warden/engine.hpp"
#include "warden/watcher.hpp"

namespace warden::watch {

// Fill `r.findings`, `r.findings_total` and `r.warnings` (rendered, each
// `facts in service: warning[F04xx]: …`) from check_facts_in_service().
void report_facts_in_service(const Engine& engine, ReloadReport& r);

}  // namespace warden::watch
