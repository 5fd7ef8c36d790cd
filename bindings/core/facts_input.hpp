// Facts and fact updates handed over by a host language: files, JSON text of
// a fact document, or JSONL records (what a Python list of dicts or a
// JavaScript array becomes once serialized by the host's JSON encoder),
// read under the policy in service.
//
// Pipeline position: bindings/core, shared by the Python and Node front ends.
// Everything is read by the runtime's own readers (warden/facts_json.hpp:
// FactsReader, parse_update) and published by the Engine; this file only
// says which reader gets which input, checks it against the engine's policy
// (F04xx, FactsCheck) and places every error and finding for the host: in
// a file by file, line and column; in a host's list of records, or a
// document's section, by the record's index. Every error carries a stable
// code (F01xx input, F03xx a change the Engine refuses, F04xx a name the
// policy does not declare, refused); on any error nothing is published and
// the running facts stay.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "warden/engine.hpp"
#include "warden/facts_json.hpp"
#include "warden/input_error.hpp"

namespace warden::bindings {

struct FactsSource {
  enum class Kind : std::uint8_t {
    File,      // `text` is a path: JSON document or JSONL, by extension or content
    // `text` is a JSON fact document, laid out by the host one record per
    // line (document_text() below) so that a line names its record.
    Document,
    Lines,     // `text` is JSONL records, one per line
  } kind = Kind::File;
  std::string text;
  std::string name;  // how errors name an in-memory source ("facts", "facts[2]")
};

// A fact document's layout for document_places(): "{", then each member on
// a line of its own — a list member as its key and "[" on one line, each
// record on a line of its own (with its comma), "]" on the last — then "}":
//
//   {
//   "entities":[
//   {"type":"user","id":"alice"},
//   {"type":"org","id":"acme"}
//   ],
//   "grants":[
//   {...}
//   ]
//   }
//
// Hosts write it with their own JSON encoder (keys and records encoded on
// one line each, as compact JSON always is).
struct DocumentPlace {
  std::string section;      // "" for a line that is not a record
  std::int64_t record = -1;  // its index in the section
};
// The place of each line (index: line - 1) of a document in that layout.
std::vector<DocumentPlace> document_places(std::string_view text);

// An error or a finding as a host shows it.
struct HostFinding {
  std::string code;
  std::string message;
  // A file's path, an in-memory source's name ("facts", "facts[1]",
  // "updates"), or "" for what came from no input of the host's (the facts
  // in service, a database's rows: the message names the record).
  std::string file;
  std::uint32_t line = 0, column = 0;  // in a file (or the host's serialized text)
  std::string section;                 // in-memory document: the record's section ("grants")
  std::int64_t record = -1;            // in-memory list or section: the record's 0-based index; -1: none
  bool warning = false;                // loaded anyway (FactsCheck::Warn), not refused
};

struct HostFindings {
  std::vector<HostFinding> items;  // at most kMaxFactFindings
  std::size_t total = 0;           // all of them
};

// What reading and publishing facts came to.
struct FactsOutcome {
  std::optional<HostFinding> error;  // refused: nothing was published
  // F04xx: loaded with warnings (FactsCheck::Warn) or, with an F04xx
  // error, every reason it was refused.
  HostFindings findings;
};

// Read every source into one fact set (a record given twice across sources is
// F0107), checked against the engine's policy, and publish it with
// Engine::replace_facts().
FactsOutcome replace_facts(Engine& engine, const std::vector<FactsSource>& sources, FactsCheck check);

// Parse an update batch (JSONL: one change per line, docs/facts.md), check
// its upserts against the engine's policy, and apply it atomically with
// Engine::apply(). `name` names the input in errors; a change the Engine
// refuses is reported at its line. The text of apply_update() is a host's
// list, one change per line: a change is also placed by its index.
FactsOutcome apply_update(Engine& engine, std::string_view text, std::string_view name, FactsCheck check);
FactsOutcome apply_update_file(Engine& engine, const std::string& path, FactsCheck check);

// Findings with no place of their own (the facts in service, a database's
// rows).
HostFindings host_findings(const std::vector<InputError>& findings, std::size_t total);

// As JSON for the hosts: a finding {"code","message","file","line",
// "column","section","record","warning"} (section and record null when
// none); findings {"findings":[…],"total":N}; an outcome
// {"error":finding|null,"findings":[…],"total":N}.
std::string finding_json(const HostFinding& f);
std::string findings_json(const HostFindings& f);
std::string outcome_json(const FactsOutcome& o);

}  // namespace warden::bindings
