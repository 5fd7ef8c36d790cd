// The embeddable decision engine.
//
// Part of the public API (include/warden/). An Engine holds one published
// (policy, facts) pair. Concurrency contract:
//   - decide(), authorized_resources() and the accessors may run on any number
//     of threads at once, concurrently with updates. Readers never take a lock
//     and never wait for a writer; each call sees one consistent pair for its
//     whole duration.
//   - load_policy(), apply() and replace_facts() publish a new immutable pair;
//     they serialize among themselves (writers wait for each other, never for
//     readers: a replaced pair is freed later, once no reader can hold it).
//     A decision already running finishes with the pair it started with.
//   - A failed load or update changes nothing: the running pair stays.
//   - set_verify_keys() may run concurrently with everything; a load that
//     overlaps it is checked against the keys in force when it publishes.
// decide() never throws and never allocates unless a Trace is requested.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "warden/decision.hpp"
#include "warden/fact_schema.hpp"
#include "warden/facts.hpp"
#include "warden/request.hpp"
#include "warden/status.hpp"
#include "warden/trace.hpp"
#include "warden/verify_key.hpp"

namespace warden {

// One page of a listing (Engine::authorized_resources).
struct ResourcePage {
  std::vector<std::string> ids;  // in id order (bytewise)
  std::string next_cursor;       // empty: no more; else what to pass for the next page
};

class Engine {
 public:
  Engine();
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Load a compiled artifact (.wdn bytes or file). On failure the running
  // policy stays in service.
  Status load_policy(std::span<const char> artifact);
  Status load_policy_file(const std::string& path);

  // Signed artifacts only: once keys are set, load_policy() accepts an
  // artifact only if it is signed by one of them, and refuses any other —
  // `E0509` unsigned, `E0510` signed by a key not in the list, `E0511` the
  // signature does not verify — keeping the running policy. Several keys let
  // signing keys rotate (old and new accepted while artifacts move over). An
  // empty list turns the check off. The policy already loaded is not
  // re-checked.
  void set_verify_keys(std::vector<VerifyKey> keys);

  // Replace all facts, or apply a batch of changes atomically.
  Status replace_facts(const FactSet& facts);
  Status apply(const FactsUpdate& update);

  bool has_policy() const;

  // Decide. Without a policy, every request is denied with `NO_POLICY`.
  void decide(const Request& request, Decision& out) const noexcept;
  Decision decide(const Request& request) const noexcept;
  // Decide and record the full trace.
  void decide(const Request& request, Decision& out, Trace& trace) const;

  // The ids of the resources of `resource_type` that the request's principal
  // may perform `action` on (for list endpoints), consistent with decide():
  // every id returned is allowed by decide() for the same principal and
  // context, and every known resource allowed is returned. Computed from
  // the principal's grants, roles and memberships through the facts'
  // indexes, in time proportional to those and to the answer (rules that
  // may allow a whole type, such as a global role, list the whole type).
  //
  // A page holds at most `limit` ids (0: all) after `cursor` (the previous
  // page's next_cursor; empty: from the first). The cursor is the last id
  // of the previous page, so pages stay consistent while facts change.
  ResourcePage authorized_resources(const Request& principal_and_context, std::string_view action,
                                    std::string_view resource_type, std::size_t limit, std::string_view cursor) const;
  // Every id at once, in id order.
  std::vector<std::string> authorized_resources(const Request& principal_and_context, std::string_view action,
                                                std::string_view resource_type) const;

  // The names the loaded policy gives facts, to check facts against before
  // loading them (facts_json.hpp: FactsReader::check_against); null without
  // a policy. The schema of the policy current at the call: a policy loaded
  // afterwards may name other things.
  std::shared_ptr<const FactSchema> fact_schema() const;

  // The facts in service, record by record, with the policy they are
  // published with: for checking them against it when a new policy is
  // loaded (facts_json.hpp: check_facts_in_service). One consistent
  // (policy, facts) pair is visited, whatever is published meanwhile
  // (readers and writers are never held up); `visit` gets the pair with
  // each record. Each record is an upsert, in one FactChange reused between
  // calls: entities given as records, then memberships, roles, grants,
  // keys. The engine keeps what decisions read, so that is what comes back
  // — not a grant's `reason`. Returns the pair visited.
  //
  // Names: the records with their names only — types, roles, scopes,
  // levels, attribute names and values, a key's scopes — and every id and
  // tenant left empty: what a check against a policy's names reads, at a
  // fraction of the cost (ids are the scattered reads of a walk: 1M grants
  // in ~27 ms instead of ~350 ms, docs/performance.md).
  enum class FactsDetail : std::uint8_t { Records, Names };
  struct FactsVisit {
    std::shared_ptr<const FactSchema> schema;  // null without a policy
    std::uint64_t policy_fingerprint = 0;
    std::uint64_t facts_version = 0;
  };
  FactsVisit visit_facts(const std::function<void(const FactsVisit& pair, const FactChange& record)>& visit,
                         FactsDetail detail = FactsDetail::Records) const;

  std::uint64_t policy_fingerprint() const;
  std::uint64_t facts_version() const;

  struct State;  // internal

 private:
  std::unique_ptr<State> state_;
};

}  // namespace warden
