// Fact records that were not read from a JSON text checked against a
// policy: rows of a database, and the facts already in service when a new
// policy is loaded.
//
// Part of the public API (include/warden/, library warden_runtime_io). The
// same checks, codes (F04xx) and messages as facts read under a policy
// (facts_json.hpp: FactsReader::check_against), for records that have no
// file, line and column: the caller says where a record came from (a
// database row, the facts in service), and every message names its record
// ("in grant `g1`"). Nothing here throws for bad input.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "warden/engine.hpp"
#include "warden/fact_schema.hpp"
#include "warden/facts.hpp"
#include "warden/facts_json.hpp"
#include "warden/input_error.hpp"

namespace warden {
namespace runtime_io {
class FactChecker;
}

// Checks one record at a time against one policy's names; built once per
// policy (it indexes the names), then used for any number of records, from
// any number of threads.
class FactRecordChecker {
 public:
  explicit FactRecordChecker(std::shared_ptr<const FactSchema> schema);
  ~FactRecordChecker();
  FactRecordChecker(FactRecordChecker&&) noexcept;
  FactRecordChecker& operator=(FactRecordChecker&&) noexcept;

  // Append to `out` one finding for each name in `record` (a record of a
  // fact set, or an upsert; a removal never has one) that the policy does
  // not declare: its F04xx code and its message with the "did you mean",
  // and no place (file, line and column empty). Returns how many.
  std::size_t check(const FactChange& record, std::vector<InputError>& out) const;

 private:
  std::shared_ptr<const FactSchema> schema_;
  std::unique_ptr<runtime_io::FactChecker> checker_;
};

// The facts in service checked against the policy in service, one
// consistent pair of them (Engine::visit_facts): what a policy just loaded
// does not declare of the facts it found there. A policy is never refused
// and facts are never dropped for it: a name the policy does not declare
// matches nothing in it (facts_json.hpp, FactsCheck::Warn), so these facts
// only ever deny.
struct FactsInServiceCheck {
  // Warnings, in record order (entities, memberships, roles, grants, keys),
  // at most kMaxFactFindings; each with no file or line, its message naming
  // the record.
  std::vector<InputError> findings;
  std::size_t findings_total = 0;   // every one, kept or not
  bool has_policy = false;          // without one, nothing is checked
  std::uint64_t policy_fingerprint = 0;
  std::uint64_t facts_version = 0;  // the facts checked
};
FactsInServiceCheck check_facts_in_service(const Engine& engine);

}  // namespace warden
