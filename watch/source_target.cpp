// Recompiling policy sources on change (see source_target.hpp).
#include "watch/source_target.hpp"

#include <algorithm>

#include "compiler/driver.hpp"
#include "watch/facts_recheck.hpp"

namespace warden::watch {
namespace {

void rebuild(const std::string& path, const compiler::Options& options, const CompilationLoaded& on_loaded,
             Engine& engine, ReloadReport& r) {
  // The driver discovers the files again each time: some may have been added
  // or removed.
  const compiler::Compilation c = compiler::compile_path(path, options);
  if (!c.ok()) {
    // Every failure carries at least one error (warnings count with --werror).
    const auto first = std::find_if(c.diagnostics.begin(), c.diagnostics.end(),
                                    [](const Diagnostic& d) { return d.severity == Severity::Error; });
    const std::size_t errors = c.error_count();
    r.ok = false;
    r.code = std::string(code_info(first->code).name);
    r.message = c.failure == compiler::Failure::Policy && c.sources.size() > 0
                    ? std::to_string(errors) + (errors == 1 ? " error" : " errors") + " in the policy"
                    : first->message;
    r.diagnostics = c.rendered(true);
    return;
  }
  const Status s = engine.load_policy(c.artifact);
  r.ok = s.ok;
  if (!s.ok) {
    r.code = s.code;
    r.message = s.message;
    return;
  }
  if (on_loaded) on_loaded(c);
  report_facts_in_service(engine, r);
}

}  // namespace

WatchTarget policy_source_target(const std::filesystem::path& path, compiler::Options options,
                                 CompilationLoaded on_loaded) {
  WatchTarget t;
  t.name = "policy";
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    t.paths.push_back(WatchPath::with_extension(path, ".warden"));
  } else {
    t.paths.push_back(WatchPath::file(path));
  }
  t.load = [p = path.string(), options = std::move(options), on_loaded = std::move(on_loaded)](Engine& engine,
                                                                                              ReloadReport& r) {
    rebuild(p, options, on_loaded, engine, r);
  };
  return t;
}

}  // namespace warden::watch
