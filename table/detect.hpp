// Telling an artifact from policy sources: the one rule every front end uses
// for "a policy path" (compiler/driver.hpp).
//
// Pipeline position: table/, beside the artifact format it recognizes. A
// path is an artifact when it is a regular file whose name ends in `.wdn` or
// whose first bytes are the artifact magic (`WARDENPT`); anything else is
// policy sources. A `.wdn` name without the magic is still an artifact, so
// loading it reports E0501 rather than parsing binary bytes as a policy.
#pragma once

#include <filesystem>
#include <string_view>

namespace warden::table {

// True when `bytes` starts with the artifact magic.
bool has_artifact_magic(std::string_view bytes);

// True when `path` names an artifact file (see above).
bool is_artifact_file(const std::filesystem::path& path);

}  // namespace warden::table
