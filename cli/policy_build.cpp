// In-memory compilation of a policy to artifact bytes (see policy_build.hpp).
#include "cli/policy_build.hpp"

#include "cli/commands.hpp"
#include "compiler/lower.hpp"
#include "table/artifact.hpp"
#include "table/validate.hpp"

namespace warden::cli {
namespace {

// As `warden compile` fingerprints: the sources under the paths the table
// records (relative to the policy root), independent of where they live.
std::uint64_t source_fingerprint(const table::Program& program, const SourceSet& sources) {
  std::vector<table::SourceEntry> entries;
  for (std::uint32_t i = 0; i < sources.size(); ++i) {
    const std::string path = i < program.files.size() ? program.files[i] : sources.file(i).path();
    entries.push_back({path, sources.file(i).text()});
  }
  return table::fingerprint_sources(std::move(entries));
}

}  // namespace

BuiltPolicy build_policy(const PolicyFiles& policy, bool warnings_as_errors) {
  BuiltPolicy built;
  built.front = run_front_end(policy, warnings_as_errors);
  if (built.front.io_error || !built.front.model) return built;
  const table::Program program = compiler::lower(*built.front.model, built.front.sources, policy.name, policy.root);
  if (auto problem = table::validate(program)) {
    built.internal_error = "the lowered table is invalid: " + *problem;
    return built;
  }
  built.artifact = table::write_artifact(
      program, {std::string(kVersionText), source_fingerprint(program, built.front.sources)});
  return built;
}

}  // namespace warden::cli
