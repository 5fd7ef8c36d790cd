// A world for a decision table the fuzzers know nothing about: facts and
// requests made from the names the table itself declares.
//
// Pipeline position: fuzz/ only. The artifact fuzzer loads a mutated table
// and must reach deep into the evaluator with it — past routing, the scope
// check, subject predicates, attribute paths and conditions — which random
// names would never do. So every principal and resource type gets entities
// whose attributes have values of their declared types, every role is held
// (globally and within an entity), every level is granted, every scope is on
// a key, and requests name real endpoints, types and actions. Choices that
// vary between inputs come from a generator seeded by the input, so a crash
// reproduces from its input alone.
#pragma once

#include <cstdint>
#include <functional>
#include <random>

#include "table/program.hpp"
#include "warden/facts.hpp"
#include "warden/owned_request.hpp"

namespace warden::fuzz {

// Facts naming the table's types, roles, levels, scopes and attributes.
FactSet world_facts(const table::Program& p);

// Fills `out` with one request against the table: an HTTP request to one of
// its endpoints (pattern parameters filled in), or an action on a resource,
// by a user, a key or nobody, with tenant headers and request attributes.
void world_request(const table::Program& p, std::mt19937_64& rng, OwnedRequest& out);

}  // namespace warden::fuzz
