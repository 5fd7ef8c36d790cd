// The Engine: publication of (policy, facts) pairs and the public entry points.
//
// Both halves of the pair live in one SnapshotCell, so a reader always sees a
// policy and the facts that were current with it; a writer builds the next
// pair off to the side (never touching the published one) and publishes it,
// or on any error publishes nothing.
#include "warden/engine.hpp"

#include <mutex>

#include "runtime/binding.hpp"
#include "runtime/fact_store.hpp"
#include "runtime/evaluation.hpp"
#include "runtime/list_filter.hpp"
#include "runtime/snapshot_cell.hpp"
#include "support/file_io.hpp"
#include "table/artifact.hpp"

namespace warden {

using VerifyKeys = std::vector<table::VerifyKey>;

struct Engine::State {
  runtime::SnapshotCell<runtime::Snapshot> cell;
  std::mutex writers;  // one update at a time builds on the current pair
  // The keys artifacts must be signed with (empty: no check). Replaced whole
  // under `writers`; a load compares the pointer it verified with against
  // the one in force when it publishes.
  std::shared_ptr<const VerifyKeys> verify_keys = std::make_shared<const VerifyKeys>();

  runtime::Snapshot current() const {
    auto owner = cell.owner();
    return owner ? *owner : runtime::Snapshot{};
  }
  void publish(runtime::Snapshot next) { cell.publish(std::make_shared<const runtime::Snapshot>(std::move(next))); }

  // The policy's names resolved against the facts of `next` (whose store
  // first takes in every name the policy uses; binding.hpp says why).
  static void bind(runtime::Snapshot& next) {
    if (!next.policy) {
      next.binding = nullptr;
      return;
    }
    const table::Program& p = *next.policy->program;
    next.facts = next.facts->with_names(runtime::Binding::names(p), next.facts);
    next.binding = runtime::Binding::build(p, *next.facts);
  }
};

namespace {

std::shared_ptr<const runtime::FactStore> empty_facts() {
  static const auto empty = std::make_shared<const runtime::FactStore>();
  return empty;
}

}  // namespace

Engine::Engine() : state_(std::make_unique<State>()) { state_->publish({nullptr, empty_facts(), nullptr}); }
Engine::~Engine() = default;

Status Engine::load_policy(std::span<const char> artifact) {
  // Loading (decoding, validating, indexing) runs outside the writers' lock
  // so fact updates are not held up by it; if the verify keys changed in the
  // meantime, the load is done again against the new ones. On failure
  // nothing is published.
  for (;;) {
    std::shared_ptr<const VerifyKeys> keys;
    {
      std::lock_guard<std::mutex> lock(state_->writers);
      keys = state_->verify_keys;
    }
    table::ArtifactLoad loaded = table::load_artifact(artifact, *keys);
    std::shared_ptr<const runtime::PolicyIndex> index;
    if (loaded.ok()) index = runtime::PolicyIndex::build(std::move(loaded.program), loaded.header.source_fingerprint);
    std::lock_guard<std::mutex> lock(state_->writers);
    if (state_->verify_keys != keys) continue;
    if (!index) {
      const auto& e = *loaded.error;
      return Status::error(std::string(code_info(e.code).name), e.message);
    }
    runtime::Snapshot next = state_->current();
    next.policy = std::move(index);
    Engine::State::bind(next);
    state_->publish(std::move(next));
    return Status::success();
  }
}

Status Engine::load_policy_file(const std::string& path) {
  const FileRead file = read_file(path);
  if (!file.ok()) return Status::error("E0506", "cannot read artifact `" + path + "`: " + file.error);
  return load_policy(file.bytes);
}

void Engine::set_verify_keys(std::vector<VerifyKey> keys) {
  VerifyKeys converted;
  for (const VerifyKey& k : keys) converted.push_back({k.id, k.public_key});
  auto next = std::make_shared<const VerifyKeys>(std::move(converted));
  std::lock_guard<std::mutex> lock(state_->writers);
  state_->verify_keys = std::move(next);
}

Status Engine::replace_facts(const FactSet& facts) {
  std::shared_ptr<const runtime::FactStore> built;
  Status s = runtime::FactStore::build(facts, built);
  if (!s.ok) return s;
  std::lock_guard<std::mutex> lock(state_->writers);
  runtime::Snapshot next = state_->current();
  // Versions keep increasing across replacements.
  auto versioned = std::make_shared<runtime::FactStore>(*built);
  versioned->set_version(next.facts ? next.facts->version() + 1 : 1);
  next.facts = std::move(versioned);
  State::bind(next);
  state_->publish(std::move(next));
  return s;
}

Status Engine::apply(const FactsUpdate& update) {
  std::lock_guard<std::mutex> lock(state_->writers);
  runtime::Snapshot next = state_->current();
  std::shared_ptr<const runtime::FactStore> updated;
  Status s = next.facts->apply(update, updated);
  if (!s.ok) return s;
  // The binding stays: the update cannot have changed an id the policy's
  // names resolved to.
  next.facts = std::move(updated);
  state_->publish(std::move(next));
  return s;
}

bool Engine::has_policy() const {
  auto guard = state_->cell.read();
  return guard && guard->policy != nullptr;
}

void Engine::decide(const Request& request, Decision& out) const noexcept {
  out.reset();
  auto guard = state_->cell.read();
  if (!guard || !guard->policy) {
    out.outcome = Outcome::Deny;
    out.code.assign("NO_POLICY");
    out.message.assign("no policy is loaded");
    out.request_id.assign(request.request_id);
    return;
  }
  runtime::Evaluation(*guard.get(), request, out, nullptr).run();
}

Decision Engine::decide(const Request& request) const noexcept {
  Decision d;
  decide(request, d);
  return d;
}

void Engine::decide(const Request& request, Decision& out, Trace& trace) const {
  out.reset();
  auto guard = state_->cell.read();
  if (!guard || !guard->policy) {
    out.code.assign("NO_POLICY");
    out.message.assign("no policy is loaded");
    return;
  }
  runtime::Evaluation(*guard.get(), request, out, &trace).run();
}

ResourcePage Engine::authorized_resources(const Request& request, std::string_view action, std::string_view resource_type,
                                          std::size_t limit, std::string_view cursor) const {
  auto guard = state_->cell.read();
  if (!guard) return {};
  return runtime::list_resources(*guard.get(), request, action, resource_type, limit, cursor);
}

std::vector<std::string> Engine::authorized_resources(const Request& request, std::string_view action,
                                                      std::string_view resource_type) const {
  return authorized_resources(request, action, resource_type, 0, {}).ids;
}

std::shared_ptr<const FactSchema> Engine::fact_schema() const {
  auto guard = state_->cell.read();
  return guard && guard->policy ? guard->policy->fact_schema : nullptr;
}

Engine::FactsVisit Engine::visit_facts(
    const std::function<void(const FactsVisit& pair, const FactChange& record)>& visit, FactsDetail detail) const {
  // An owning copy, not a read guard: a walk of a million records must not
  // hold back the reclamation of pairs replaced meanwhile.
  const runtime::Snapshot pair = state_->current();
  FactsVisit out;
  if (pair.policy) {
    out.schema = pair.policy->fact_schema;
    out.policy_fingerprint = pair.policy->fingerprint;
  }
  if (pair.facts) {
    out.facts_version = pair.facts->version();
    pair.facts->visit([&](const FactChange& record) { visit(out, record); }, detail == FactsDetail::Records);
  }
  return out;
}

std::uint64_t Engine::policy_fingerprint() const {
  auto guard = state_->cell.read();
  return guard && guard->policy ? guard->policy->fingerprint : 0;
}

std::uint64_t Engine::facts_version() const {
  auto guard = state_->cell.read();
  return guard ? guard->facts->version() : 0;
}

const char* outcome_name(Outcome o) {
  switch (o) {
    case Outcome::Allow: return "allow";
    case Outcome::Deny: return "deny";
    case Outcome::WouldDeny: return "would-deny";
  }
  return "deny";
}

const char* source_kind_name(SourceKind k) {
  switch (k) {
    case SourceKind::None: return "none";
    case SourceKind::Public: return "public";
    case SourceKind::Anyone: return "anyone";
    case SourceKind::Scope: return "scope";
    case SourceKind::Role: return "role";
    case SourceKind::DirectGrant: return "direct-grant";
    case SourceKind::TeamGrant: return "collection-grant";
    case SourceKind::TypeGrant: return "type-grant";
    case SourceKind::Membership: return "membership";
    case SourceKind::Condition: return "condition";
    case SourceKind::Caller: return "caller";
  }
  return "none";
}

const char* caller_kind_name(CallerKind k) {
  switch (k) {
    case CallerKind::Anonymous: return "anonymous";
    case CallerKind::Session: return "session";
    case CallerKind::Key: return "key";
  }
  return "anonymous";
}

}  // namespace warden
