// The reference policies in Engines (see reference_engines.hpp).
#include "fuzz/reference_engines.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "compiler/driver.hpp"
#include "table/artifact.hpp"
#include "warden/facts_json.hpp"

namespace warden::fuzz {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void give_up(const std::string& what) {
  std::fprintf(stderr, "fuzz set-up: %s\n", what.c_str());
  std::abort();
}

std::vector<ReferenceEngine> load_all() {
  const fs::path root(WARDEN_SOURCE_DIR);
  const compiler::Discovery found = compiler::discover_policies({(root / "policies").string()});
  if (found.policies.empty()) give_up("no policies under " + (root / "policies").string());
  std::vector<ReferenceEngine> out;
  for (const compiler::PolicyFiles& policy : found.policies) {
    const compiler::Compilation built = compiler::compile(policy);
    if (!built.ok()) give_up("policy " + policy.name + " does not compile");
    const table::ArtifactLoad loaded = table::load_artifact(built.artifact);
    auto engine = std::make_shared<Engine>();
    if (!loaded.ok() || !engine->load_policy(built.artifact).ok) give_up("policy " + policy.name + " does not load");
    FactsReader reader;
    for (const char* name : {"facts.json", "facts.jsonl"}) {
      const fs::path file = root / "fixtures" / "suites" / policy.name / name;
      if (fs::exists(file) && reader.add_file(file)) give_up("facts of " + policy.name + " do not load");
    }
    FactSet facts = reader.take();
    if (!engine->replace_facts(facts).ok) give_up("facts of " + policy.name + " are refused");
    out.push_back({policy.name, built.artifact, loaded.program, std::move(facts), std::move(engine)});
  }
  return out;
}

}  // namespace

const std::vector<ReferenceEngine>& reference_engines() {
  static const std::vector<ReferenceEngine> engines = load_all();
  return engines;
}

}  // namespace warden::fuzz
