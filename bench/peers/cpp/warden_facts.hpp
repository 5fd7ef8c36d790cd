// The scenario's records as Warden facts, through the public API only
// (include/warden/facts.hpp): the same facts ../js/generate.mjs writes as
// warden-facts.jsonl for `warden eval`, which the benchmark's cross-check
// compares with this path.
#pragma once

#include "scenario_data.hpp"
#include "warden/facts.hpp"

namespace warden::peers {

FactSet to_fact_set(const Scenario& scenario);

}  // namespace warden::peers
