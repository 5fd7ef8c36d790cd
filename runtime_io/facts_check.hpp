// Fact records against the policy they are loaded under: the types, roles,
// scopes, levels and attributes they name, and the values they give
// attributes (F04xx).
//
// Internal to runtime_io/: facts_json.cpp runs it on every record it reads
// when the reader was given a schema (warden/fact_schema.hpp), and places each
// finding in the file through the record's JSON object. The checker knows
// records, not files: a finding names the field it is about.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/unordered/unordered_flat_set.hpp>

#include "support/diagnostic.hpp"
#include "support/json.hpp"
#include "warden/fact_schema.hpp"
#include "warden/facts.hpp"

namespace warden::runtime_io {

struct FactFinding {
  Code code = Code::F0401;
  std::string message;     // without the suggestion
  std::string suggestion;  // "did you mean" candidate, or empty
  // The field has a default (`member_type`, …): when the record leaves it
  // out, the message says the name is that default.
  bool defaulted = false;
  // Where in the record: the member `field` (empty: the record as a whole,
  // e.g. for a field left to its default); in an array member its item
  // `item`; in `attributes`, the member `attribute`, at its name or (with
  // `at_value`) its value.
  std::string_view field;
  std::size_t item = 0;
  std::string attribute;
  bool at_value = false;
};

class FactChecker {
 public:
  explicit FactChecker(const FactSchema& schema);

  // Appends what the policy does not know in `c` (a whole record, or an
  // upsert; removals are never checked: taking away a record the policy
  // cannot read is always allowed).
  void check(const FactChange& c, std::vector<FactFinding>& out) const;

 private:
  struct Names {
    boost::unordered_flat_set<std::string_view> set;
    std::vector<std::string_view> list;  // for "did you mean"
    void add(std::string_view name);
    bool has(std::string_view name) const { return set.contains(name); }
  };

  void entity(const Entity& e, std::vector<FactFinding>& out) const;
  void attributes(const Entity& e, const FactSchema::Type& type, std::vector<FactFinding>& out) const;
  // A principal type in `field`, which defaults to `user` when not given.
  void principal_type(std::string_view field, const std::string& value, const std::string& record,
                      std::vector<FactFinding>& out) const;
  void name(Code code, std::string_view what, const Names& known, std::string_view field, const std::string& value,
            const std::string& record, std::vector<FactFinding>& out, std::size_t item = 0) const;

  const FactSchema& schema_;
  Names principal_types_, resource_types_, all_types_, roles_, scopes_, levels_;
  bool check_principal_types_ = true;
};

// Where `f` is inside `record` (its JSON object, with the positions it was
// parsed with), and its whole message.
struct PlacedFinding {
  std::uint32_t line = 0, column = 0;
  std::string message;
};
PlacedFinding place(const json::Value& record, const FactFinding& f);

}  // namespace warden::runtime_io
