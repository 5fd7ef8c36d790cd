// Records that have no JSON text checked against a policy (see
// warden/facts_check.hpp): the checker of facts_check.hpp without the
// placing of findings in a file.
#include "warden/facts_check.hpp"

#include <optional>

#include "runtime_io/facts_check.hpp"

namespace warden {

FactRecordChecker::FactRecordChecker(std::shared_ptr<const FactSchema> schema) : schema_(std::move(schema)) {
  if (schema_) checker_ = std::make_unique<runtime_io::FactChecker>(*schema_);
}
FactRecordChecker::~FactRecordChecker() = default;
FactRecordChecker::FactRecordChecker(FactRecordChecker&&) noexcept = default;
FactRecordChecker& FactRecordChecker::operator=(FactRecordChecker&&) noexcept = default;

std::size_t FactRecordChecker::check(const FactChange& record, std::vector<InputError>& out) const {
  if (!checker_) return 0;
  // Most records have no finding: nothing is allocated for them.
  thread_local std::vector<runtime_io::FactFinding> found;
  found.clear();
  checker_->check(record, found);
  for (const runtime_io::FactFinding& f : found) {
    InputError e;
    e.code = std::string(code_name(f.code));
    e.message = f.message;
    if (!f.suggestion.empty()) e.message += " (did you mean `" + f.suggestion + "`?)";
    out.push_back(std::move(e));
  }
  return found.size();
}

FactsInServiceCheck check_facts_in_service(const Engine& engine) {
  FactsInServiceCheck out;
  std::optional<FactRecordChecker> checker;
  std::vector<InputError> found;
  // Most checks find nothing: a first walk reads the names alone, and only
  // when it finds something does a second walk read the records whole, for
  // messages that name them. Both walks see the same pair only if no
  // update comes between them; the second one's is the answer.
  for (const Engine::FactsDetail detail : {Engine::FactsDetail::Names, Engine::FactsDetail::Records}) {
    out.findings.clear();
    out.findings_total = 0;
    const Engine::FactsVisit pair = engine.visit_facts(
        [&](const Engine::FactsVisit& p, const FactChange& record) {
          if (!p.schema) return;  // no policy: nothing to check against
          if (!checker) checker.emplace(p.schema);
          found.clear();
          checker->check(record, found);
          for (InputError& e : found) {
            e.warning = true;
            ++out.findings_total;
            if (out.findings.size() < kMaxFactFindings) out.findings.push_back(std::move(e));
          }
        },
        detail);
    out.has_policy = pair.schema != nullptr;
    out.policy_fingerprint = pair.policy_fingerprint;
    out.facts_version = pair.facts_version;
    if (out.findings_total == 0) break;
    checker.reset();  // the second walk may see another policy
  }
  return out;
}

}  // namespace warden
