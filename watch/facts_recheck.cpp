// The facts in service against a policy just loaded (see facts_recheck.hpp).
#include "watch/facts_recheck.hpp"

#include "warden/facts_check.hpp"

namespace warden::watch {

void report_facts_in_service(const Engine& engine, ReloadReport& r) {
  FactsInServiceCheck c = check_facts_in_service(engine);
  r.findings_total = c.findings_total;
  r.findings = std::move(c.findings);
  r.warnings.clear();
  for (const InputError& e : r.findings) r.warnings.push_back("facts in service: " + format_error(e));
  if (r.findings_total > r.findings.size()) {
    r.warnings.push_back("... " + std::to_string(r.findings_total - r.findings.size()) + " more not shown");
  }
}

}  // namespace warden::watch
