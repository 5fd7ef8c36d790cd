// Reading the common shape of JSONL fact records without a JSON document.
//
// Internal to runtime_io/ (facts_json.cpp). Large fact files are mostly
// grant and membership lines: flat objects of plain ASCII strings, integers
// and booleans. This reader takes such a line straight to a FactChange —
// no document, no allocation beyond the record's own strings — and accepts
// exactly what the general reader (json::parse + decode_record) accepts for
// it, producing the same record. Anything else — another kind, an escape, a
// byte outside printable ASCII, a number that is not a plain integer, a
// nested value, and every error — it declines, and the general reader reads
// the line and reports what is wrong with it.
#pragma once

#include <string_view>

#include "warden/facts.hpp"

namespace warden::runtime_io {

// True when `line` is a whole grant or membership record in the simple form
// (`out` then holds it); false: read it the general way.
bool read_simple_record(std::string_view line, FactChange& out);

}  // namespace warden::runtime_io
