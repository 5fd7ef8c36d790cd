// Loading a policy given as an artifact or as sources (see policy_input.hpp).
#include "cli/policy_input.hpp"

#include <iostream>

#include "cli/commands.hpp"
#include "support/diagnostic_render.hpp"

namespace warden::cli {

int report_failure(const compiler::Compilation& c, std::ostream& err) {
  for (const auto& d : c.diagnostics) {
    // As in `warden check`: diagnostics about the sources are blocks
    // separated by a blank line, one about the path itself is one line.
    if (d.severity == Severity::Error) err << render_text(d, c.sources) << (c.sources.size() > 0 ? "\n" : "");
  }
  if (c.failure == compiler::Failure::Policy && c.sources.size() > 0) {
    const std::size_t errors = c.error_count();
    err << errors << (errors == 1 ? " error" : " errors") << " in the policy `" << c.path << "`\n";
  }
  return c.failure == compiler::Failure::Policy ? kExitFindings : kExitUsage;
}

std::optional<int> load_policy_input(const std::string& path, bool warnings_as_errors, PolicyInput& out,
                                     std::ostream& err) {
  out = PolicyInput{};
  out.path = path;
  compiler::Options options;
  options.warnings_as_errors = warnings_as_errors;
  compiler::Compilation c = compiler::compile_path(path, options);
  if (!c.ok()) return report_failure(c, err);
  out.from_sources = c.kind == compiler::InputKind::Sources;
  out.location = c.location;
  out.artifact = std::move(c.artifact);
  out.program = std::move(c.program);
  return std::nullopt;
}

std::string source_location(const PolicyInput& policy, const table::Loc& loc) {
  if (loc.file == table::kNone || loc.file >= policy.program->files.size()) return "";
  std::string s = policy.location;
  if (!s.empty()) s += '/';
  s += policy.program->files[loc.file];
  s += ':' + std::to_string(loc.line) + ':' + std::to_string(loc.column);
  return s;
}

}  // namespace warden::cli
