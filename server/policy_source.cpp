// Loading the policy `warden serve` decides with (see policy_source.hpp).
#include "server/policy_source.hpp"

#include <algorithm>
#include <filesystem>

#include "compiler/driver.hpp"
#include "server/service_log.hpp"
#include "table/artifact.hpp"

namespace warden::server {
namespace fs = std::filesystem;
namespace {

void fail(const compiler::Compilation& c, runtime::ReloadReport& r) {
  // Every failure carries at least one error.
  const auto first = std::find_if(c.diagnostics.begin(), c.diagnostics.end(),
                                  [](const Diagnostic& d) { return d.severity == Severity::Error; });
  r.ok = false;
  r.code = first == c.diagnostics.end() ? "E0001" : std::string(code_info(first->code).name);
  const std::size_t errors = c.error_count();
  r.message = c.failure == compiler::Failure::Policy && c.sources.size() > 0
                  ? std::to_string(errors) + (errors == 1 ? " error" : " errors") + " in the policy"
                  : (first == c.diagnostics.end() ? "cannot load the policy" : first->message);
  r.diagnostics = c.rendered(true);
}

}  // namespace

PolicySource policy_source(const std::string& path, std::shared_ptr<PolicyInfoCell> info) {
  PolicySource s;
  s.target.name = "policy";
  std::error_code ec;
  // Sources are watched as every `*.warden` file of the directory (files may
  // be added or removed); an artifact or a one-file policy as that file.
  if (fs::is_directory(path, ec)) {
    s.target.paths.push_back(runtime::WatchPath::with_extension(path, ".warden"));
  } else {
    s.target.paths.push_back(runtime::WatchPath::file(path));
  }
  s.target.load = [path, info](Engine& engine, runtime::ReloadReport& r) {
    // The driver decides what the path is (artifact, one-file policy or a
    // directory with one policy), reads it again each time, and for sources
    // compiles in memory exactly what `warden compile` would write.
    const compiler::Compilation c = compiler::compile_path(path);
    if (!c.ok()) return fail(c, r);
    const Status status = engine.load_policy(c.artifact);
    if (!status.ok) {
      r.ok = false;
      r.code = status.code;
      r.message = "cannot load `" + path + "`: " + status.message;
      r.diagnostics.push_back(path + ": error[" + status.code + "]: " + status.message);
      return;
    }
    r.ok = true;
    PolicyInfo i;
    i.source = path;
    i.kind = c.kind == compiler::InputKind::Artifact ? "artifact" : "sources";
    i.fingerprint = c.fingerprint;
    // The header says which compiler made an artifact; sources were just
    // compiled by this one.
    const table::ArtifactLoad header = table::load_artifact(c.artifact);
    i.format_version = header.header.format_version;
    i.compiler_version = header.header.compiler_version;
    i.loaded_at_ms = now_unix_millis();
    info->set(std::move(i));
  };
  return s;
}

}  // namespace warden::server
