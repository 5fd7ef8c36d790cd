// The mapping file: which tables (or queries) of a PostgreSQL database give
// which facts, column by column, with value mappings.
//
// Pipeline position: sources/postgres/, the first step of the PostgreSQL fact
// source. parse_mapping() reads the TOML text (mapping_parse.cpp) into a
// Mapping, a plain value the later steps only read: check_against_policy()
// (mapping_policy.hpp) and check_against_schema() (schema.hpp) validate it,
// the loader turns it into SQL. Every part keeps the Span it was written at,
// so any later error points back to `mapping.toml:line:col`. The format is
// documented in docs/postgres.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "support/diagnostic.hpp"
#include "support/source.hpp"

namespace warden::postgres {

// The fact kinds a mapping can produce (docs/facts.md, include/warden/facts.hpp).
enum class FactKind : std::uint8_t { Entity, Membership, Role, Grant, ApiKey };
const char* fact_kind_name(FactKind k);  // "entity", "membership", "role", "grant", "key"

// What a field becomes in the fact, which decides how its column is read.
enum class FieldType : std::uint8_t {
  Text,       // ids, names, reasons: any column, read as text
  Time,       // expires_at: a timestamp, a date or Unix seconds
  Bool,       // active, revoked: a boolean
  Scopes,     // an API key's scopes: a text array, or text split on `split`
  Attribute,  // an entity attribute: read by the column's type (bool, integer, time, text)
};

// A value written in the mapping file (a constant, or the result of a map).
struct Constant {
  enum class Kind : std::uint8_t { Text, Int, Bool } kind = Kind::Text;
  std::string text;
  std::int64_t number = 0;
  bool boolean = false;
  Span span;
  friend bool operator==(const Constant&, const Constant&) = default;
};

// Where one field of a fact comes from: exactly one of a column, an SQL
// expression over the row, or a constant; then optional value mapping.
struct FieldSpec {
  enum class From : std::uint8_t { Column, Sql, Constant } from = From::Column;
  std::string text;    // the column name or the SQL expression
  Span text_span;      // where the name or expression is written (inside the quotes)
  bool literal_text = true;  // the expression was written without escapes: offsets inside it map 1:1
  Constant constant;   // From::Constant
  // Value mapping, applied to the database value read as text.
  std::vector<std::pair<std::string, Constant>> map;  // in file order
  std::optional<Constant> otherwise;  // `default`: for a value the map does not list
  std::optional<Constant> if_null;    // `null`: for NULL
  std::string split;                  // Scopes read from text: the separator
  Span span;                          // the whole spec
};

// One entry of the file: one table or query giving facts of one kind.
struct FactMapping {
  FactKind kind = FactKind::Entity;
  std::size_t index = 0;  // among the file's entries, in file order
  Span span;              // the `[[grant]]` header

  // Where rows come from: a table (with an optional filter) or a query.
  std::string table;  // "model_permissions" or "schema.table"
  Span table_span;
  std::string query;  // SELECT …
  Span query_span;
  bool query_literal = true;
  std::string filter;  // `where`: an SQL condition on the table's rows
  Span filter_span;
  bool filter_literal = true;
  std::vector<std::pair<std::string, Span>> key;    // row identity columns; empty: the primary key
  std::vector<std::pair<std::string, Span>> watch;  // query: the tables whose changes re-run it

  std::string entity_type;  // entity: the policy type the rows are (a constant)
  Span entity_type_span;

  // The fields, by name (`id`, `subject_type`, …); attributes apart, in file order.
  std::vector<std::pair<std::string, FieldSpec>> fields;
  std::vector<std::pair<std::string, FieldSpec>> attributes;

  bool from_query() const { return !query.empty(); }
  const FieldSpec* field(std::string_view name) const;
};

struct Mapping {
  std::string channel = "warden_facts";  // LISTEN/NOTIFY channel
  Span channel_span;
  std::string schema = "public";         // for unqualified table names
  std::vector<FactMapping> entries;
};

// The fields a kind accepts, its type and whether it is required; `defaults`
// are the constants used when a field is left out (`subject_type = "user"`).
struct FieldRule {
  std::string_view name;
  FieldType type;
  bool required;
  std::string_view default_value;  // "" = none
};
std::vector<FieldRule> field_rules(FactKind kind);

struct MappingResult {
  std::optional<Mapping> mapping;  // set when there is no error
  std::vector<Diagnostic> diagnostics;
};

// Read a mapping file's text, registered in `sources` under `path`.
MappingResult parse_mapping(SourceSet& sources, const std::string& path, std::string text);

}  // namespace warden::postgres
