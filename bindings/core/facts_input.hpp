// Facts and fact updates handed over by a host language: files, JSON text of
// a fact document, or JSONL records (what a Python list of dicts or a
// JavaScript array becomes once serialized by the host's JSON encoder).
//
// Pipeline position: bindings/core, shared by the Python and Node front ends.
// Everything is read by the runtime's own readers (warden/facts_json.hpp:
// FactsReader, parse_update) and published by the Engine; this file only
// says which reader gets which input and turns an Engine Status into an
// InputError pointing at the input line. Every error carries a stable code
// (F01xx input, F03xx a change the Engine refuses); on any error nothing is
// published and the running facts stay.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "warden/input_error.hpp"
#include "warden/engine.hpp"

namespace warden::bindings {

struct FactsSource {
  enum class Kind : std::uint8_t {
    File,      // `text` is a path: JSON document or JSONL, by extension or content
    Document,  // `text` is a JSON fact document
    Lines,     // `text` is JSONL records, one per line
  } kind = Kind::File;
  std::string text;
  std::string name;  // how errors name an in-memory source ("facts", "facts[2]")
};

// Read every source into one fact set (a record given twice across sources is
// F0107) and publish it with Engine::replace_facts().
std::optional<InputError> replace_facts(Engine& engine, const std::vector<FactsSource>& sources);

// Parse an update batch (JSONL: one change per line, docs/facts.md) and apply
// it atomically with Engine::apply(). `name` names the input in errors; a
// change the Engine refuses is reported at its line.
std::optional<InputError> apply_update(Engine& engine, std::string_view text, std::string_view name);
std::optional<InputError> apply_update_file(Engine& engine, const std::string& path);

}  // namespace warden::bindings
