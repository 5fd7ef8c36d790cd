// An engine as a host holds it (see host_engine.hpp).
#include "bindings/core/host_engine.hpp"

#include "warden/facts_check.hpp"

namespace warden::bindings {

std::optional<FactsCheck> facts_check_named(std::string_view name) {
  if (name == "warn") return FactsCheck::Warn;
  if (name == "refuse") return FactsCheck::Refuse;
  return std::nullopt;
}

const char* facts_check_name(FactsCheck check) { return check == FactsCheck::Refuse ? "refuse" : "warn"; }

HostEngine::HostEngine() : engine_(std::make_shared<Engine>()), last_(std::make_shared<LastFindings>()) {}

FactsOutcome HostEngine::remember(FactsOutcome outcome) {
  // A refusal for an error of its own (F01xx, F03xx) checked nothing.
  if (!outcome.error || outcome.findings.total > 0) last_->set(outcome.findings);
  return outcome;
}

FactsOutcome HostEngine::replace_facts(const std::vector<FactsSource>& sources, std::optional<FactsCheck> check) {
  return remember(bindings::replace_facts(*engine_, sources, mode(check)));
}

FactsOutcome HostEngine::apply_update(std::string_view text, std::string_view name, std::optional<FactsCheck> check) {
  return remember(bindings::apply_update(*engine_, text, name, mode(check)));
}

FactsOutcome HostEngine::apply_update_file(const std::string& path, std::optional<FactsCheck> check) {
  return remember(bindings::apply_update_file(*engine_, path, mode(check)));
}

Status HostEngine::load_policy(std::span<const char> artifact, HostFindings& findings) {
  const Status s = engine_->load_policy(artifact);
  if (!s.ok) return s;
  findings = check_facts();
  last_->set(findings);
  return s;
}

Status HostEngine::load_policy_file(const std::string& path, HostFindings& findings) {
  const Status s = engine_->load_policy_file(path);
  if (!s.ok) return s;
  findings = check_facts();
  last_->set(findings);
  return s;
}

HostFindings HostEngine::check_facts() const {
  const FactsInServiceCheck c = check_facts_in_service(*engine_);
  return host_findings(c.findings, c.findings_total);
}

HostFindings HostEngine::last_findings() const {
  const std::lock_guard lock(last_->mutex);
  return last_->value;
}

std::unique_ptr<EngineWatch> HostEngine::watch(WatchSpec spec, std::optional<FactsCheck> check, Status& status) {
  spec.facts_check = mode(check);
  // Every successful load's findings (a facts reload's, or a policy
  // reload's check of the facts in service); a refused facts reload's
  // reasons.
  auto on_reload = [last = last_](const ReloadReport& r) {
    if (r.ok || r.findings_total > 0) last->set(host_findings(r.findings, r.findings_total));
  };
  return EngineWatch::start(engine_, spec, status, std::move(on_reload));
}

std::unique_ptr<PostgresFacts> HostEngine::follow_postgres(PostgresFactsOptions options, std::optional<FactsCheck> check,
                                                           Status& status) {
  options.facts_check = mode(check);
  auto on_event = [last = last_](const postgres::SourceEvent& e) {
    using Kind = postgres::SourceEvent::Kind;
    if (e.kind == Kind::Loaded || e.kind == Kind::Applied || e.findings_total > 0) {
      last->set(host_findings(e.findings, e.findings_total));
    }
  };
  return PostgresFacts::start(engine_, options, status, std::move(on_event));
}

}  // namespace warden::bindings
