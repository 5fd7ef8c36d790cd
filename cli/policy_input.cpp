// Loading a policy given as an artifact or as sources (see policy_input.hpp).
#include "cli/policy_input.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/policy_build.hpp"
#include "support/diagnostic_render.hpp"
#include "table/artifact.hpp"

namespace warden::cli {
namespace fs = std::filesystem;
namespace {

std::string display_dir(const fs::path& dir) {
  std::string s = dir.lexically_normal().generic_string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s == "." ? "" : s;
}

std::optional<int> load_artifact_input(const std::string& path, PolicyInput& out, std::ostream& err) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  if (in) ss << in.rdbuf();
  if (!in || in.bad()) {
    err << "error[E0506]: cannot read `" << path << "`\n";
    return kExitUsage;
  }
  out.artifact = std::move(ss).str();
  table::ArtifactLoad loaded = table::load_artifact(out.artifact);
  if (!loaded.ok()) {
    err << "error[" << code_info(loaded.error->code).name << "]: cannot load `" << path << "`: " << loaded.error->message
        << "\n";
    return kExitFindings;
  }
  out.program = std::move(loaded.program);
  return std::nullopt;
}

}  // namespace

bool is_artifact_file(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return false;
  if (fs::path(path).extension() == ".wdn") return true;
  std::ifstream in(path, std::ios::binary);
  char magic[8] = {};
  in.read(magic, sizeof magic);
  return in.gcount() == sizeof magic && std::string_view(magic, sizeof magic) == table::kArtifactMagic;
}

std::optional<int> load_policy_input(const std::string& path, bool warnings_as_errors, PolicyInput& out,
                                     std::ostream& err) {
  out = PolicyInput{};
  out.path = path;
  if (is_artifact_file(path)) return load_artifact_input(path, out, err);

  const Discovery found = discover_policies({path});
  if (!found.io_errors.empty()) {
    err << "error[E0001]: cannot read `" << path << "`: no such file or directory\n";
    return kExitUsage;
  }
  if (!found.empty.empty()) {
    err << "error[E0002]: no `.warden` files under `" << path << "`\n";
    return kExitFindings;
  }
  if (found.policies.size() != 1) {
    err << "error: `" << path << "` holds " << found.policies.size() << " policies; give one policy directory\n";
    return kExitUsage;
  }
  const PolicyFiles& files = found.policies[0];
  const BuiltPolicy built = build_policy(files, warnings_as_errors);
  std::size_t errors = 0;
  for (const auto& d : built.front.diagnostics) {
    if (d.severity != Severity::Error) continue;
    ++errors;
    err << render_text(d, built.front.sources) << "\n";
  }
  if (built.front.io_error) return kExitUsage;
  if (!built.internal_error.empty()) {
    err << "error: internal compiler error in `" << path << "`: " << built.internal_error << "\n";
    return kExitUsage;
  }
  if (errors || built.artifact.empty()) {
    err << errors << (errors == 1 ? " error" : " errors") << " in the policy `" << path << "`\n";
    return kExitFindings;
  }
  out.from_sources = true;
  out.location = display_dir(files.root);
  out.artifact = built.artifact;
  table::ArtifactLoad loaded = table::load_artifact(out.artifact);
  if (!loaded.ok()) {
    err << "error: internal compiler error in `" << path << "`: " << loaded.error->message << "\n";
    return kExitUsage;
  }
  out.program = std::move(loaded.program);
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
