// The reference policies, compiled once per fuzzing process, each in an
// Engine with its fixture facts: the targets that fuzz runtime input (facts,
// fact updates, requests) decide with them, so that the input meets real
// endpoints, rules and fact indexes.
//
// Pipeline position: fuzz/ only. Built from the source tree the fuzzers were
// configured in (WARDEN_SOURCE_DIR), through the compiler driver and the
// loader, as `warden compile` and a service.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "table/program.hpp"
#include "warden/engine.hpp"
#include "warden/facts.hpp"

namespace warden::fuzz {

struct ReferenceEngine {
  std::string name;      // "gateway", …
  std::string artifact;  // the .wdn bytes
  std::shared_ptr<const table::Program> program;
  FactSet facts;                   // the fixture facts
  std::shared_ptr<Engine> engine;  // the artifact with the fixture facts; never changed after set-up
};

// Every policy under policies/, loaded with fixtures/suites/<name>/facts.*;
// aborts if one does not compile or load (the fuzzer would test nothing).
const std::vector<ReferenceEngine>& reference_engines();

}  // namespace warden::fuzz
