// Reading facts from files: whole fact sets (a JSON document or JSONL, one
// record per line) and incremental updates (JSONL with an `op` per line).
//
// Part of the public API (include/warden/, library warden_runtime_io). Files
// in, warden::FactSet / FactsUpdate (facts.hpp) out, ready for
// Engine::replace_facts() / apply(). The formats are documented in
// docs/facts.md. Every error carries a stable F01xx code, the file and the
// 1-based line and column; a file with any error contributes nothing (never
// a partial result). Read under a policy, facts are also checked against it
// (F04xx, FactsCheck below). Nothing here throws for bad input.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "warden/fact_schema.hpp"
#include "warden/facts.hpp"
#include "warden/input_error.hpp"
#include "warden/status.hpp"

namespace warden {

enum class FactsFormat : std::uint8_t {
  Auto,      // by extension (.json / .jsonl, .ndjson), else by content
  Document,  // {"entities":[…],"memberships":[…],"roles":[…],"grants":[…],"keys":[…]}
  Lines,     // one record per line, each with a "kind"
};

// The format Auto resolves to: the extension decides; otherwise JSONL when
// the first non-blank line is by itself a JSON object with a "kind".
FactsFormat detect_format(std::string_view text, std::string_view file_name);

// Facts read under a policy (check_against, parse_facts, parse_update) are
// checked against its names: a type, role, scope or level it does not
// declare, an attribute its type does not declare, a value an attribute
// cannot hold (F04xx, with the file, line and column of the name and a
// "did you mean"). What a finding does is the loader's choice:
enum class FactsCheck : std::uint8_t {
  // The input is refused as for any other error (the first finding is the
  // error): nothing of it is kept. For tools (`warden eval`, `warden test`).
  Refuse,
  // The findings are warnings and the facts load as given. A name the
  // policy does not know matches nothing in it, so such a fact never allows
  // anything: a grant of an unknown level or on an unknown type never
  // counts, an unknown scope or role is never held, an unknown attribute is
  // never read, and a value that does not fit its attribute makes a rule
  // reading it an evaluation error (which denies). For running services: an
  // update naming a scope that a new policy removed must not be dropped
  // whole, with the revocations it may carry.
  Warn,
};

// At most this many findings are kept (each reader or call); the rest are
// counted.
inline constexpr std::size_t kMaxFactFindings = 100;

// Accumulates the records of one or more fact files into one FactSet,
// refusing records given twice — within a file or across files (F0107).
class FactsReader {
 public:
  FactsReader();
  ~FactsReader();
  FactsReader(const FactsReader& other);
  FactsReader& operator=(const FactsReader& other);
  FactsReader(FactsReader&&) noexcept;
  FactsReader& operator=(FactsReader&&) noexcept;

  // Add one file's text. On error nothing of this text is kept and the
  // reader is as before.
  std::optional<InputError> add(std::string_view text, std::string_view file_name,
                                FactsFormat format = FactsFormat::Auto);
  // Read and add a file; a file that cannot be read is F0100.
  std::optional<InputError> add_file(const std::filesystem::path& path, FactsFormat format = FactsFormat::Auto);

  const FactSet& facts() const { return facts_; }
  FactSet take() { return std::move(facts_); }

  // Check every record added from now on against `schema` (null: stop
  // checking). With FactsCheck::Refuse, add() refuses a text with any
  // finding and returns its first; either way findings() has them all.
  void check_against(std::shared_ptr<const FactSchema> schema, FactsCheck mode = FactsCheck::Refuse);
  // The findings of every text added since, refused ones included, in input
  // order: errors (Refuse) or warnings (Warn). At most kMaxFactFindings;
  // findings_total() counts every one.
  const std::vector<InputError>& findings() const { return findings_; }
  std::size_t findings_total() const { return findings_total_; }

 private:
  struct Origin {
    std::uint32_t file = 0;  // index into files_
    std::uint32_t line = 0;
  };
  // Record identity → where it was first given: a flat hash map, defined
  // in facts_json.cpp so that this header needs nothing beyond the standard
  // library. Null when nothing was added (or after a move).
  struct Identities;
  FactSet facts_;
  std::vector<std::string> files_;  // the names of the texts added
  std::unique_ptr<Identities> seen_;
  std::shared_ptr<const FactSchema> schema_;
  FactsCheck mode_ = FactsCheck::Refuse;
  std::vector<InputError> findings_;
  std::size_t findings_total_ = 0;
};

// One-shot: the facts of a single text (checked against `schema` when given,
// as FactsReader::check_against does).
struct FactsResult {
  FactSet facts;
  std::optional<InputError> error;
  std::vector<InputError> findings;  // as FactsReader::findings()
  std::size_t findings_total = 0;
  bool ok() const { return !error.has_value(); }
};
FactsResult parse_facts(std::string_view text, std::string_view file_name, FactsFormat format = FactsFormat::Auto,
                        const FactSchema* schema = nullptr, FactsCheck mode = FactsCheck::Refuse);

// An update batch read from JSONL: each line {"op":"upsert"|"remove","kind":…,
// fields…}. Removals need only the fields that identify the record.
// Checked against `schema` when given: every upsert (removals are not: taking
// away a record the policy cannot read is always allowed).
struct ParsedUpdate {
  FactsUpdate update;
  std::vector<std::uint32_t> lines;  // the input line of each change
  std::optional<InputError> error;
  std::vector<InputError> findings;  // as FactsReader::findings()
  std::size_t findings_total = 0;
  bool ok() const { return !error.has_value(); }
};
ParsedUpdate parse_update(std::string_view text, std::string_view file_name, const FactSchema* schema = nullptr,
                          FactsCheck mode = FactsCheck::Refuse);

// Engine::apply() reports the failing change by its 1-based index in
// Status::line; this points the error at that change's input line instead.
InputError update_error(const Status& status, const ParsedUpdate& update, std::string_view file_name);

}  // namespace warden
