// From selected rows to facts, and the record of which row gives which fact.
//
// Pipeline position: sources/postgres/, between the loader (rows out of
// PostgreSQL) and the Engine (a FactSet, or a FactsUpdate). decode_row()
// turns one row of a planned mapping into a fact record, or refuses it
// (P0401 a value its map does not list, P0402 a required field that is NULL
// or empty): a refused row gives no fact, so it can only take access away.
//
// RowIndex remembers, for every row (mapping, row key), the identity of the
// fact it gives and a hash of its value. Setting a row's current state
// produces the FactChanges that make the engine's facts agree: an upsert
// when the value changed, a removal when the row is gone or gives another
// fact. Rows are always set to their state as read from the database, never
// to a change event's content, so applying a state twice or a stale one
// after a newer one cannot bring a revoked grant back: the next read sets
// it right, and the last read is the newest. Two rows giving the same
// membership or role are counted (the fact goes with the last of them); two
// rows giving the same grant, key or entity are a conflict: the later row
// is refused (P0403).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

#include "postgres/pg.hpp"
#include "postgres/plan.hpp"
#include "support/diagnostic.hpp"
#include "warden/facts.hpp"

namespace warden::postgres {

using Record = std::variant<Entity, Membership, RoleAssignment, Grant, ApiKey>;

struct Refusal {
  Code code = Code::P0401;
  std::string message;  // names the mapping's source, the row key and the field
};

// The row key of a selected row (its key columns, joined), or of a query
// row (empty: the fact's identity is used).
std::string row_key(const PlannedMapping& m, std::span<const Field> row);

// Decode the fields of a selected row (key columns first, as selected).
std::optional<Record> decode_row(const PlannedMapping& m, std::span<const Field> row, Refusal& why);

// A fact's identity (kind and identity fields) and a hash of its whole value.
std::string identity_of(const Record& r);
std::uint64_t hash_of(const Record& r);

// Where the changes RowIndex decides go: an update for the engine, or (for a
// full load, which starts from an empty index) a whole fact set.
class FactSink {
 public:
  virtual ~FactSink() = default;
  virtual void upsert(Record&& r) = 0;
  virtual void remove(const std::string& identity) = 0;
};

class UpdateSink final : public FactSink {
 public:
  explicit UpdateSink(FactsUpdate& u) : u_(u) {}
  void upsert(Record&& r) override;
  void remove(const std::string& identity) override;

 private:
  FactsUpdate& u_;
};

class SetSink final : public FactSink {
 public:
  explicit SetSink(FactSet& s) : s_(s) {}
  void upsert(Record&& r) override;
  void remove(const std::string& identity) override;  // linear: a full load removes nothing

 private:
  FactSet& s_;
};

class RowIndex {
 public:
  explicit RowIndex(std::size_t mappings = 0) : rows_(mappings) {}

  // The row `key` of mapping `m` now gives `record` (nullopt: no fact). The
  // changes are appended to `out`; a conflicting row is refused into `refused`.
  void set(std::size_t m, const std::string& key, std::optional<Record> record, FactSink& out,
           std::vector<Refusal>& refused, const std::string& source);
  // After re-reading all of mapping `m`: every row not in `seen` is gone.
  void keep_only(std::size_t m, const std::unordered_set<std::string>& seen, FactSink& out);
  bool has_row(std::size_t m, const std::string& key) const { return rows_[m].count(key) != 0; }

  std::size_t rows(std::size_t m) const { return rows_[m].size(); }
  std::size_t mappings() const { return rows_.size(); }

 private:
  struct Row {
    std::string identity;
    std::uint64_t hash = 0;
  };
  void release(const std::string& identity, FactSink& out);

  std::vector<std::unordered_map<std::string, Row>> rows_;
  std::unordered_map<std::string, std::uint32_t> owners_;  // identity -> rows giving it
};

// The removal of the fact with this identity (as identity_of() writes it).
FactChange removal_of(const std::string& identity);


}  // namespace warden::postgres
