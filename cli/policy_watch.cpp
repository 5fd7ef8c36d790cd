// Recompiling policy sources on change (see policy_watch.hpp).
#include "cli/policy_watch.hpp"

#include "cli/policy_build.hpp"
#include "cli/policy_loader.hpp"
#include "support/diagnostic_render.hpp"

namespace warden::cli {
namespace {

void fail(runtime::ReloadReport& r, std::string code, std::string message) {
  r.ok = false;
  r.code = std::move(code);
  r.message = std::move(message);
}

void rebuild(const std::string& path, bool werror, Engine& engine, runtime::ReloadReport& r) {
  // Discover again each time: files may have been added or removed.
  const Discovery found = discover_policies({path});
  if (!found.io_errors.empty()) return fail(r, "E0001", "cannot read `" + path + "`");
  if (!found.empty.empty()) return fail(r, "E0002", "no `.warden` files under `" + path + "`");
  if (found.policies.size() != 1) {
    return fail(r, "E0002", "`" + path + "` holds " + std::to_string(found.policies.size()) + " policies; watch one");
  }
  const BuiltPolicy built = build_policy(found.policies[0], werror);
  std::size_t errors = 0;
  for (const Diagnostic& d : built.front.diagnostics) {
    if (d.severity != Severity::Error) continue;
    if (errors++ == 0) r.code = std::string(code_info(d.code).name);
    r.diagnostics.push_back(render_text(d, built.front.sources));
  }
  if (errors > 0) return fail(r, r.code, std::to_string(errors) + (errors == 1 ? " error" : " errors") + " in the policy");
  if (built.front.io_error) return fail(r, "E0001", "cannot read the sources of `" + path + "`");
  if (!built.internal_error.empty()) return fail(r, "internal", "internal compiler error: " + built.internal_error);
  const Status s = engine.load_policy(built.artifact);
  if (!s.ok) return fail(r, s.code, s.message);
  r.ok = true;
}

}  // namespace

runtime::WatchTarget policy_source_target(const std::filesystem::path& path, bool warnings_as_errors) {
  runtime::WatchTarget t;
  t.name = "policy";
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    t.paths.push_back(runtime::WatchPath::with_extension(path, ".warden"));
  } else {
    t.paths.push_back(runtime::WatchPath::file(path));
  }
  t.load = [p = path.string(), warnings_as_errors](Engine& engine, runtime::ReloadReport& r) {
    rebuild(p, warnings_as_errors, engine, r);
  };
  return t;
}

}  // namespace warden::cli
