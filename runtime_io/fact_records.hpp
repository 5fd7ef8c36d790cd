// Decoding one fact record (entity, membership, role, grant or API key) from
// a JSON object.
//
// Internal to runtime_io/: shared by the JSON document and JSONL fact
// formats and by the update reader (facts_json.cpp). Field names are those of
// include/warden/facts.hpp; docs/facts.md lists them per kind.
#pragma once

#include <initializer_list>
#include <optional>
#include <string_view>

#include "runtime_io/json_fields.hpp"
#include "warden/facts.hpp"

namespace warden::runtime_io {

// What a record must carry: a whole record, or (for removals) only the
// fields that identify it.
enum class RecordMode : std::uint8_t { Full, Identity };

// "entity", "membership", "role", "grant", "key" ↔ the change kind.
std::optional<FactChange::Kind> record_kind(std::string_view name);
const char* record_kind_name(FactChange::Kind kind);

// Decode `object` as a record of `kind` into the matching member of `out`
// (out.kind is set). Members named in `skip` ("kind", "op") are accepted and
// left to the caller.
bool decode_record(FieldReader& r, const json::Value& object, FactChange::Kind kind, RecordMode mode,
                   std::initializer_list<std::string_view> skip, FactChange& out);

}  // namespace warden::runtime_io
