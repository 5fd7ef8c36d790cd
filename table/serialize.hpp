// The artifact payload: a table::Program written with cereal, every row field
// by field in declaration order, little-endian, with no padding and nothing
// ordered by address or hash — so equal Programs give byte-identical
// payloads. artifact.hpp wraps the payload in the `.wdn` header.
//
// Decoding checks only the encoding (lengths against the bytes that remain,
// booleans, no trailing bytes); the indices inside the rows are checked by
// validate() before a decoded Program is used.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "table/program.hpp"

namespace warden::table {

// The encoded Program.
std::string serialize_program(const Program& program);

// Decode a payload produced by serialize_program. On failure returns nothing
// and sets `error` to a one-line reason; never throws.
std::optional<Program> deserialize_program(std::span<const char> payload, std::string& error) noexcept;

}  // namespace warden::table
