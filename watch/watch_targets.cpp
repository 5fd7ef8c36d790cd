// Artifact and fact-file reload targets (see warden/watcher.hpp).
#include "warden/facts_json.hpp"
#include "warden/watcher.hpp"
#include "watch/facts_recheck.hpp"

namespace warden {
namespace {

void fail(ReloadReport& r, std::string code, std::string message, std::string diagnostic) {
  r.ok = false;
  r.code = std::move(code);
  r.message = std::move(message);
  r.diagnostics.push_back(std::move(diagnostic));
}

}  // namespace

WatchTarget artifact_target(const std::filesystem::path& path) {
  WatchTarget t;
  t.name = "policy";
  t.paths.push_back(WatchPath::file(path));
  t.load = [file = path.string()](Engine& engine, ReloadReport& r) {
    const Status s = engine.load_policy_file(file);
    r.ok = s.ok;
    if (!s.ok) {
      fail(r, s.code, "cannot load `" + file + "`: " + s.message, file + ": error[" + s.code + "]: " + s.message);
      return;
    }
    watch::report_facts_in_service(engine, r);
  };
  return t;
}

WatchTarget facts_target(const std::vector<std::filesystem::path>& files, FactsCheck check) {
  WatchTarget t;
  t.name = "facts";
  for (const auto& f : files) t.paths.push_back(WatchPath::file(f));
  t.load = [files, check](Engine& engine, ReloadReport& r) {
    FactsReader reader;
    reader.check_against(engine.fact_schema(), check);
    const auto rendered = [&] {
      std::vector<std::string> lines;
      for (const InputError& e : reader.findings()) lines.push_back(format_error(e));
      if (reader.findings_total() > reader.findings().size()) {
        lines.push_back("... " + std::to_string(reader.findings_total() - reader.findings().size()) + " more not shown");
      }
      return lines;
    };
    for (const auto& f : files) {
      const std::size_t before = reader.findings_total();
      if (auto e = reader.add_file(f)) {
        fail(r, e->code, e->message, format_error(*e));
        // Refused for what the policy does not declare: every finding.
        if (reader.findings_total() > before) {
          r.diagnostics = rendered();
          r.findings = reader.findings();
          r.findings_total = reader.findings_total();
        }
        return;
      }
    }
    r.warnings = rendered();
    r.findings = reader.findings();
    r.findings_total = reader.findings_total();
    const Status s = engine.replace_facts(reader.take());
    r.ok = s.ok;
    if (!s.ok) fail(r, s.code, s.message, "error[" + s.code + "]: " + s.message);
  };
  return t;
}

}  // namespace warden
