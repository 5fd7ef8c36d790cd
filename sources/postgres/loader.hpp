// Reading facts out of PostgreSQL: the whole of a mapping in one consistent
// snapshot, and the rows a batch of changes names.
//
// Pipeline position: sources/postgres/, under the follower (source.hpp),
// over the plan's statements. load_all() runs in one REPEATABLE READ, READ
// ONLY transaction, so every mapping is read from the same snapshot: the
// facts are the database as of one instant, whatever commits meanwhile. Each
// mapping is streamed with COPY (…) TO STDOUT and decoded row by row, so a
// million grants never sit in memory as a query result. refresh() re-reads
// the rows a ChangeBatch names — by key, with one statement per mapping —
// in one snapshot too, and turns them into one FactsUpdate. Given a
// checker (the policy in service), every row's fact is also checked against
// the policy's names: what it does not declare is listed (F04xx, the row
// named), for the source to warn about or refuse.
#pragma once

#include <string>
#include <vector>

#include "postgres/changes.hpp"
#include "postgres/fact_rows.hpp"
#include "postgres/pg.hpp"
#include "postgres/plan.hpp"
#include "warden/facts_check.hpp"

namespace warden::postgres {

struct LoadResult {
  bool ok = false;
  std::string error;  // P0308: what failed
  FactSet facts;
  RowIndex index;
  std::vector<Refusal> refused;
  std::string snapshot;  // pg_current_snapshot() of the load: xmin:xmax:xip_list
  std::size_t rows = 0;
  // Facts the policy does not declare, each message naming its row (`row
  // `11` of public.model_permissions: unknown level …`): at most
  // kMaxFactFindings, all counted.
  std::vector<InputError> findings;
  std::size_t findings_total = 0;
};
LoadResult load_all(Connection& db, const Plan& plan, const FactRecordChecker* checker = nullptr);

struct RefreshResult {
  bool ok = false;
  std::string error;
  FactsUpdate update;
  std::vector<Refusal> refused;
  std::size_t rows = 0;  // rows read
  std::vector<InputError> findings;  // as LoadResult's
  std::size_t findings_total = 0;
};
// Updates `index` as it goes: after a failure (or an update the engine
// refuses) the index no longer matches the engine, and only a full load
// sets both right again.
RefreshResult refresh(Connection& db, const Plan& plan, RowIndex& index, const ChangeBatch& batch,
                      const FactRecordChecker* checker = nullptr);

}  // namespace warden::postgres
