// Reading facts out of PostgreSQL (see loader.hpp).
#include "postgres/loader.hpp"

namespace warden::postgres {
namespace {

// One transaction, rolled back unless committed (a failed statement leaves
// the connection usable for the next attempt).
class ReadTransaction {
 public:
  explicit ReadTransaction(Connection& db) : db_(db) {
    Result r = db_.exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    open_ = r.ok();
    if (!open_) error_ = r.error();
  }
  ~ReadTransaction() {
    if (open_) db_.exec("ROLLBACK");
  }
  bool open() const { return open_; }
  const std::string& error() const { return error_; }
  bool commit() {
    open_ = false;
    Result r = db_.exec("COMMIT");
    if (!r.ok()) error_ = r.error();
    return r.ok();
  }

 private:
  Connection& db_;
  bool open_ = false;
  std::string error_;
};

// The rows' facts against the policy in service (null: not checked).
struct RowCheck {
  const FactRecordChecker* checker = nullptr;
  std::vector<InputError>& kept;
  std::size_t& total;
  std::vector<InputError> found;  // one row's, reused

  // Checked where it is: moved into a FactChange for the checker, and back.
  void operator()(const PlannedMapping& m, std::span<const Field> row, Record& record) {
    if (!checker) return;
    FactChange c;
    std::visit(
        [&](auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, Entity>) c.kind = FactChange::Kind::Entity, c.entity = std::move(x);
          if constexpr (std::is_same_v<T, Membership>) c.kind = FactChange::Kind::Membership, c.membership = std::move(x);
          if constexpr (std::is_same_v<T, RoleAssignment>) c.kind = FactChange::Kind::Role, c.role = std::move(x);
          if constexpr (std::is_same_v<T, Grant>) c.kind = FactChange::Kind::Grant, c.grant = std::move(x);
          if constexpr (std::is_same_v<T, ApiKey>) c.kind = FactChange::Kind::ApiKey, c.key = std::move(x);
        },
        record);
    found.clear();
    checker->check(c, found);
    std::visit(
        [&](auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, Entity>) x = std::move(c.entity);
          if constexpr (std::is_same_v<T, Membership>) x = std::move(c.membership);
          if constexpr (std::is_same_v<T, RoleAssignment>) x = std::move(c.role);
          if constexpr (std::is_same_v<T, Grant>) x = std::move(c.grant);
          if constexpr (std::is_same_v<T, ApiKey>) x = std::move(c.key);
        },
        record);
    if (found.empty()) return;
    // The row as the mapping's refusals name it (a query's rows have no key:
    // the message names the fact).
    const std::string where =
        m.mapping->from_query() ? "a row of " + m.source : "row `" + row_key(m, row) + "` of " + m.source;
    for (InputError& e : found) {
      e.message = where + ": " + e.message;
      ++total;
      if (kept.size() < kMaxFactFindings) kept.push_back(std::move(e));
    }
  }
};

// Set one decoded row into the index (query rows are keyed by their fact).
void take_row(const PlannedMapping& m, std::size_t i, std::span<const Field> row, RowIndex& index, FactSink& sink,
              std::vector<Refusal>& refused, std::unordered_set<std::string>* seen, bool fresh, RowCheck& check) {
  Refusal why;
  std::optional<Record> record = decode_row(m, row, why);
  if (record) check(m, row, *record);
  std::string key;
  if (m.mapping->from_query()) {
    if (!record) {
      refused.push_back(std::move(why));
      return;
    }
    key = identity_of(*record);
  } else {
    key = row_key(m, row);
    if (!record) refused.push_back(std::move(why));
  }
  if (seen && !seen->insert(key).second) {
    // The same key twice in one read: for a table, a `key` that does not
    // identify a row; for a query, two rows giving one fact — fine for a
    // membership or a role, a conflict for anything with a value.
    if (!m.mapping->from_query()) {
      refused.push_back({Code::P0403, "row key `" + key + "` of " + m.source +
                                          " is given by more than one row: its `key` does not identify a row"});
    } else if (key[0] != 'm' && key[0] != 'r') {
      refused.push_back({Code::P0403, m.source + " gives `" + key.substr(1, key.size() - 2) + "` more than once"});
    }
    return;
  }
  if (fresh && !record) return;
  index.set(i, key, std::move(record), sink, refused, m.source);
}

}  // namespace

LoadResult load_all(Connection& db, const Plan& plan, const FactRecordChecker* checker) {
  LoadResult out;
  RowCheck check{checker, out.findings, out.findings_total, {}};
  out.index = RowIndex(plan.mappings.size());
  ReadTransaction tx(db);
  if (!tx.open()) {
    out.error = "cannot start the load: " + tx.error();
    return out;
  }
  Result snap = db.exec("SELECT pg_current_snapshot()::text");
  if (!snap.ok()) {
    out.error = "cannot read the snapshot: " + snap.error();
    return out;
  }
  out.snapshot = snap.text(0, 0);
  SetSink sink(out.facts);
  for (std::size_t i = 0; i < plan.mappings.size(); ++i) {
    const PlannedMapping& m = plan.mappings[i];
    std::unordered_set<std::string> seen;
    Result r = db.copy_out(m.select_all, [&](std::span<const Field> row) {
      ++out.rows;
      take_row(m, i, row, out.index, sink, out.refused, &seen, true, check);
    });
    if (!r.ok()) {
      out.error = "cannot read " + m.source + ": " + r.error();
      return out;
    }
  }
  if (!tx.commit()) {
    out.error = "cannot finish the load: " + tx.error();
    return out;
  }
  out.ok = true;
  return out;
}

RefreshResult refresh(Connection& db, const Plan& plan, RowIndex& index, const ChangeBatch& batch,
                      const FactRecordChecker* checker) {
  RefreshResult out;
  RowCheck check{checker, out.findings, out.findings_total, {}};
  ReadTransaction tx(db);
  if (!tx.open()) {
    out.error = "cannot start reading changes: " + tx.error();
    return out;
  }
  UpdateSink sink(out.update);
  std::vector<Field> fields;
  for (std::size_t i = 0; i < plan.mappings.size(); ++i) {
    const PlannedMapping& m = plan.mappings[i];
    const ChangeBatch::Keys& keys = batch.mappings()[i];
    if (keys.whole) {
      std::unordered_set<std::string> seen;
      Result r = db.copy_out(m.select_all, [&](std::span<const Field> row) {
        ++out.rows;
        take_row(m, i, row, index, sink, out.refused, &seen, false, check);
      });
      if (!r.ok()) {
        out.error = "cannot read " + m.source + ": " + r.error();
        return out;
      }
      index.keep_only(i, seen, sink);
      continue;
    }
    if (keys.row_keys.empty()) continue;
    std::vector<std::optional<std::string>> params;
    for (const auto& column : keys.columns) params.emplace_back(text_array_literal(column));
    Result r = db.exec(m.select_by_keys, params);
    if (!r.ok()) {
      out.error = "cannot read changed rows of " + m.source + ": " + r.error();
      return out;
    }
    std::unordered_set<std::string> found;
    for (int row = 0; row < r.rows(); ++row) {
      fields.clear();
      for (int c = 0; c < r.columns(); ++c) fields.push_back(r.value(row, c));
      ++out.rows;
      found.insert(row_key(m, fields));
      take_row(m, i, fields, index, sink, out.refused, nullptr, false, check);
    }
    // A key named but not read back: the row was deleted, or no longer
    // passes `where`. Its fact goes.
    for (const std::string& key : keys.row_keys) {
      if (!found.count(key)) index.set(i, key, std::nullopt, sink, out.refused, m.source);
    }
  }
  if (!tx.commit()) {
    out.error = "cannot finish reading changes: " + tx.error();
    return out;
  }
  out.ok = true;
  return out;
}

}  // namespace warden::postgres
