// The two scenarios the binding benchmarks share with their C++ baseline,
// as files: the facts (JSONL) and 4096 requests (JSONL, the JSON request
// format), generated with fixed seeds in the shape of decide_bench.cpp's
// scenarios —
//   gateway            the reference gateway policy, 1000 users with one API
//                      key each in 10 tenants, HTTP requests by key;
//   model_permissions  the reference model_permissions policy, 10 tenants,
//                      1k users, 100 teams, 20 orgs, 10k models, 50k grants,
//                      actions on random models by random users.
// Python (bench/python), Node (bench/node) and C++ (binding_baseline_bench)
// all read the same files through the same runtime readers, so their
// per-call figures differ by exactly what the binding adds.
#pragma once

#include <string>

namespace warden::bench {

struct ScenarioFiles {
  std::string facts;     // JSONL records
  std::string requests;  // JSONL requests, 4096 lines
};

ScenarioFiles gateway_files();
ScenarioFiles model_permissions_files();

}  // namespace warden::bench
