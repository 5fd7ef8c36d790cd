// The triggers that publish row changes: `warden facts install-triggers`
// and `uninstall-triggers`.
//
// Pipeline position: sources/postgres/, beside the plan. One function,
// warden.notify_change(), and on each table the mapping reads (or watches)
// one row trigger and one TRUNCATE trigger calling it. Each changed row
// sends a notification on the mapping's channel, at commit, in commit
// order: {"t":"schema.table","x":"<transaction id>","k":{"<key column>":"<value>",…}}
// (an UPDATE that changes the key sends the old key and the new one; a
// TRUNCATE, a table watched by a query only, and a payload too large for
// NOTIFY send "k":null, meaning "re-read the whole mapping"). The follower
// re-reads the rows named, so a notification carries no row values: a
// repeated or late notification can never bring back an old value.
//
// Both operations are idempotent (CREATE OR REPLACE, DROP … IF EXISTS) and
// run in one transaction: all or nothing.
#pragma once

#include <string>
#include <vector>

#include "postgres/pg.hpp"
#include "postgres/plan.hpp"

namespace warden::postgres {

// The call the row trigger of a table makes (in schema `warden`), as the end
// of pg_get_triggerdef() shows it: `notify_change('warden_facts', 'id')`.
std::string trigger_call(const std::string& channel, const std::vector<std::string>& keys);

std::vector<std::string> install_statements(const Plan& plan);
std::vector<std::string> uninstall_statements(const Plan& plan);

// Run them in one transaction. On failure, the server's message (nothing
// was changed).
struct TriggerResult {
  bool ok = true;
  std::string error;
  std::vector<std::string> tables;  // the tables done
};
TriggerResult install_triggers(Connection& db, const Plan& plan);
TriggerResult uninstall_triggers(Connection& db, const Plan& plan);

}  // namespace warden::postgres
