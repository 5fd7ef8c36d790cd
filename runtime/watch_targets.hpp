// The reload targets the runtime can build by itself: a compiled artifact
// file and fact files. (Policy sources need the compiler: see
// cli/policy_watch.hpp.)
//
// Pipeline position: runtime/ (library warden_watch). Each target loads
// through the Engine's checked entry points — load_policy_file() refuses a
// truncated, corrupt or foreign artifact (E05xx), replace_facts() an
// inconsistent fact set — so a bad file never replaces a good snapshot.
#pragma once

#include <filesystem>
#include <vector>

#include "runtime/watcher.hpp"

namespace warden::runtime {

// "policy": the artifact at `path`, reloaded when a new file is renamed over
// it (what `warden compile -o` does) or a writer closes it.
WatchTarget artifact_target(const std::filesystem::path& path);

// "facts": the fact files (JSON documents or JSONL records, facts_json.hpp),
// read together and published as a full replacement when any of them
// changes. A record given in two files is an error, as for `warden eval`.
WatchTarget facts_target(const std::vector<std::filesystem::path>& files);

}  // namespace warden::runtime
