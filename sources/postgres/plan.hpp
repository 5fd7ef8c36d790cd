// The mapping checked against the live database, and turned into SQL.
//
// Pipeline position: sources/postgres/, after the mapping file, before the
// loader. plan_mapping() looks every table and column up in the catalog
// (unknown ones are located errors with a suggestion), prepares every SQL
// expression, filter and query the mapping gives (the server's errors are
// pointed back into the mapping file), checks that each column's type fits
// its field, finds each table's key, and writes the statements the loader
// runs: one SELECT of the whole mapping (streamed with COPY) and one by keys
// (for live changes). `warden facts check --db` is this function alone.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "postgres/mapping.hpp"
#include "postgres/pg.hpp"
#include "support/diagnostic.hpp"

namespace warden::postgres {

// How a selected column is turned into a fact value.
enum class Decode : std::uint8_t {
  Text,    // the text as it is
  Int,     // a decimal integer (Unix seconds for times)
  Bool,    // `t` / `f`
  Mapped,  // the text through the field's map
  Split,   // scopes: the text split on the separator
};

struct PlannedField {
  std::string name;  // "level", or the attribute's name
  bool attribute = false;
  FieldType type = FieldType::Text;
  const FieldSpec* spec = nullptr;  // null: the field's default constant
  Constant default_value;           // when spec is null
  int column = -1;                  // in the planned SELECT; -1: a constant
  Decode decode = Decode::Text;
  Constant::Kind value_kind = Constant::Kind::Text;  // attributes: what Int/Bool/Text give
};

struct PlannedMapping {
  const FactMapping* mapping = nullptr;
  std::string source;  // "public.model_permissions" (table) or "query #2"
  std::string table_schema, table_name;  // table form
  std::vector<std::string> key_columns;  // table form: the row identity
  std::vector<std::string> key_types;    // their SQL types, for casts
  std::vector<PlannedField> fields;      // required and optional fields, then attributes
  std::string select_all;      // every row: key columns first (as text), then the fields
  std::string select_by_keys;  // the rows whose keys are in $1..$n (text arrays, one per key column)
  std::vector<std::string> watched;  // "schema.table": what changes it (table form: its table)
};

struct Plan {
  std::string channel;
  std::vector<PlannedMapping> mappings;
  // "schema.table" -> the key columns its trigger sends (the union of the
  // keys of the table-form mappings over it; empty for watched-only tables).
  std::map<std::string, std::vector<std::string>> tables;
};

struct PlanResult {
  std::optional<Plan> plan;
  std::vector<Diagnostic> diagnostics;  // errors, and warnings (P0307: triggers missing)
};

// `mapping` must outlive the plan (fields point into it). `sources` holds
// the mapping file (spans point into it).
PlanResult plan_mapping(Connection& db, const Mapping& mapping, const SourceSet& sources);

// The name of the trigger Warden installs on each table, and its function.
inline constexpr const char* kTriggerName = "warden_facts_notify";
inline constexpr const char* kTruncateTriggerName = "warden_facts_notify_truncate";
inline constexpr const char* kTriggerFunction = "warden.notify_change";

}  // namespace warden::postgres
