// Rendering pieces of a decision table back into policy-language text, for
// `warden inspect` (dump.hpp), `warden doc` (endpoint_doc.hpp), the access
// diff, test coverage and anything else that explains a table:
// names of enum values, source locations, bitsets as name lists, constants,
// subject predicates, message templates, endpoint requirements, routing
// precedence, and condition bytecode — decompiled to an expression, or
// disassembled instruction by instruction.
//
// Pipeline position: views/, beside the table it reads (table/program.hpp);
// nothing here evaluates a request. Every function takes a validated
// Program (table/validate.hpp) and indexes it without checks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "table/program.hpp"

namespace warden::views {

const char* method_name(table::Method m);
const char* mode_name(table::Mode m);
const char* effect_name(table::Effect e);
const char* value_type_name(table::ValueType t);
const char* entity_kind_name(table::EntityKind k);
const char* op_name(table::Op op);
const char* compare_op_text(table::CompareOp op);

// `"text"` with `"`, `\` and control characters escaped.
std::string string_literal(std::string_view s);

// "rules.warden:12:6", or "" for a row without source.
std::string loc_text(const table::Program& p, const table::Loc& loc);

// The same under the directory the table was compiled from (`location`, ""
// for none: an artifact, or the current directory):
// "policies/gateway/rules.warden:12:6". What people reviewing a diff or a
// coverage report click on.
std::string source_location(const table::Program& p, std::string_view location, const table::Loc& loc);

// The members of a bitset, ascending.
std::vector<table::Id> bit_members(const table::Program& p, table::Bits bits);

// "GET, HEAD", or "ANY" when written so.
std::string methods_text(const table::EndpointRow& e);

// An attribute's type as written: "string", "active | suspended", "org".
std::string attribute_type_text(const table::Program& p, const table::AttributeRow& a);

// The attribute a path ends at, or nullptr when it has no step.
const table::AttributeRow* path_final_attribute(const table::Program& p, const table::PathRow& path);

// A constant as a literal; `enum_id` names the enum an Enum constant belongs
// to (table::kNone: shown as its value index).
std::string constant_text(const table::Program& p, const table::ConstRow& c, table::Id enum_id = table::kNone);

// "anyone", "role admin in resource.org", "scope model:read", "grant >= write",
// "member of resource.org".
std::string predicate_text(const table::Program& p, const table::PredicateRow& pred);

// The message template as written, placeholders in braces.
std::string message_text(const table::Program& p, table::Range parts);

// "all(model:write, experiment:read); any(a, b)", "public" or "no scopes".
std::string requirements_text(const table::Program& p, const table::EndpointRow& e);

// "path {id}" / "query \"name\"" / "header \"X-Id\"" / "body \"name\"", a
// composite `path {owner} + "/" + path {repo}`, or "" without an id.
std::string id_source_text(const table::Program& p, const table::EndpointRow& e);

// Value parts joined: `path {owner} + "/" + path {repo}`.
std::string value_text(const table::Program& p, table::Range parts);

// An endpoint's bindings: "resource.org = path {org}".
std::vector<std::string> bindings_text(const table::Program& p, const table::EndpointRow& e);

// Caller bits as "anonymous, session, key" ("none" for no bit).
std::string callers_text(std::uint8_t mask);

// The `http` settings on one line: "dot_segments resolve; …; callers session, key".
std::string http_text(const table::Program& p);

// The endpoints reachable through one method's routing trie, in the order
// the matcher prefers them (literal, `{param}`, `*`, then `**`, left to
// right): the documented precedence, most specific first.
std::vector<table::Id> route_order(const table::Program& p, table::Method m);

// A condition program as a policy expression ("resource.stage == archived
// and not role admin"); falls back to the disassembly joined by "; " if the
// code is not in the shape the compiler emits. "" for an empty program.
std::string condition_text(const table::Program& p, table::Range code);

// One line per instruction: "jump_if_false +3", "load_path resource.stage".
std::vector<std::string> disassemble(const table::Program& p, table::Range code);

}  // namespace warden::views
