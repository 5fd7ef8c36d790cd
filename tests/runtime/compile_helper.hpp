// Test helper: compile a policy directory to artifact bytes in memory and
// load it into an Engine, the way `warden compile` + a service would.
#pragma once

#include <stdexcept>
#include <string>

#include "cli/policy_loader.hpp"
#include "compiler/lower.hpp"
#include "support/diagnostic_render.hpp"
#include "table/artifact.hpp"
#include "warden/engine.hpp"

namespace warden::test {

inline std::string compile_artifact(const std::string& dir) {
  const auto found = cli::discover_policies({dir});
  if (found.policies.size() != 1) throw std::runtime_error("expected one policy under " + dir);
  const auto& policy = found.policies[0];
  auto r = cli::run_front_end(policy, false);
  if (!r.model) {
    std::string text;
    for (const auto& d : r.diagnostics) text += render_text(d, r.sources);
    throw std::runtime_error("policy does not compile:\n" + text);
  }
  const table::Program program = compiler::lower(*r.model, r.sources, policy.name, policy.root);
  std::vector<table::SourceEntry> entries;
  for (std::uint32_t i = 0; i < r.sources.size(); ++i) entries.push_back({program.files[i], r.sources.file(i).text()});
  return table::write_artifact(program, {"warden test", table::fingerprint_sources(entries)});
}

inline void load_policy(Engine& engine, const std::string& dir) {
  const std::string bytes = compile_artifact(dir);
  const Status s = engine.load_policy(bytes);
  if (!s.ok) throw std::runtime_error("load failed: " + s.code + " " + s.message);
}

}  // namespace warden::test
