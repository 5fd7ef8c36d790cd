// Rendering pieces of a decision table back into policy-language text, for
// `warden inspect` (dump.hpp) and for anything else that explains a table:
// names of enum values, source locations, bitsets as name lists, constants,
// subject predicates, message templates, endpoint requirements, routing
// precedence, and condition bytecode — decompiled to an expression, or
// disassembled instruction by instruction.
//
// Every function takes a validated Program (validate.hpp) and indexes it
// without checks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "table/program.hpp"

namespace warden::table {

const char* method_name(Method m);
const char* mode_name(Mode m);
const char* effect_name(Effect e);
const char* value_type_name(ValueType t);
const char* entity_kind_name(EntityKind k);
const char* op_name(Op op);
const char* compare_op_text(CompareOp op);

// `"text"` with `"`, `\` and control characters escaped.
std::string string_literal(std::string_view s);

// "rules.warden:12:6", or "" for a row without source.
std::string loc_text(const Program& p, const Loc& loc);

// The members of a bitset, ascending.
std::vector<Id> bit_members(const Program& p, Bits bits);

// "GET, HEAD", or "ANY" when written so.
std::string methods_text(const EndpointRow& e);

// An attribute's type as written: "string", "active | suspended", "org".
std::string attribute_type_text(const Program& p, const AttributeRow& a);

// The attribute a path ends at, or nullptr when it has no step.
const AttributeRow* path_final_attribute(const Program& p, const PathRow& path);

// A constant as a literal; `enum_id` names the enum an Enum constant belongs
// to (kNone: shown as its value index).
std::string constant_text(const Program& p, const ConstRow& c, Id enum_id = kNone);

// "anyone", "role admin in resource.org", "scope model:read", "grant >= write",
// "member of resource.org".
std::string predicate_text(const Program& p, const PredicateRow& pred);

// The message template as written, placeholders in braces.
std::string message_text(const Program& p, Range parts);

// "all(model:write, experiment:read); any(a, b)", "public" or "no scopes".
std::string requirements_text(const Program& p, const EndpointRow& e);

// "id from path {id}" / "query \"name\"" / "header \"X-Id\"", or "" without one.
std::string id_source_text(const Program& p, const EndpointRow& e);

// The endpoints reachable through one method's routing trie, in the order
// the matcher prefers them (literal, `{param}`, `*`, then `**`, left to
// right): the documented precedence, most specific first.
std::vector<Id> route_order(const Program& p, Method m);

// A condition program as a policy expression ("resource.stage == archived
// and not role admin"); falls back to the disassembly joined by "; " if the
// code is not in the shape the compiler emits. "" for an empty program.
std::string condition_text(const Program& p, Range code);

// One line per instruction: "jump_if_false +3", "load_path resource.stage".
std::vector<std::string> disassemble(const Program& p, Range code);

}  // namespace warden::table
