// libFuzzer target: facts and fact updates as JSON / JSONL (`warden eval
// --facts`, `warden watch`, services), read, indexed by an Engine and
// decided with.
//
// Seeds: the fact files of fixtures/ and, as updates, their records with an
// `op` (scripts/fuzz.sh). Each input is read three ways — a JSON document,
// JSONL records, a JSONL update batch. Facts that load replace the fixture
// facts of one reference policy (chosen by the input) in a fresh Engine; an
// update that parses is applied to the fixture facts; either way requests
// made from the policy's names are then decided. Checks, besides "no crash,
// no sanitizer report": a refusal has an F01xx code, a message and a line
// inside the input, and leaves the Engine's facts as they were (same
// version); every decision has a code. What reads is read again under the
// policy (F04xx): with warnings the same records, each finding coded and
// placed inside the input; refused exactly when something is found.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.hpp"
#include "fuzz/program_world.hpp"
#include "fuzz/reference_engines.hpp"
#include "warden/facts_json.hpp"

namespace {

using namespace warden;

constexpr std::size_t kMaxInput = 1 << 15;
constexpr int kRequests = 8;


void check_error(const InputError& e, std::string_view text) {
  WARDEN_FUZZ_CHECK(e.code.rfind("F01", 0) == 0 && !e.message.empty());
  WARDEN_FUZZ_CHECK(e.line <= 1 + static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
  (void)format_error(e);
}

// A finding of the check against the policy (F04xx): coded, placed inside
// the input, rendered.
void check_finding(const InputError& e, std::string_view text) {
  WARDEN_FUZZ_CHECK(e.code.rfind("F04", 0) == 0 && !e.message.empty());
  WARDEN_FUZZ_CHECK(e.line >= 1 && e.line <= 1 + static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')));
  (void)format_error(e);
}

// Facts that read on their own, read again under the policy: with Warn the
// same records, whatever is found; with Refuse refused exactly when
// something is found.
void check_under_policy(std::string_view text, FactsFormat format, const FactSchema& schema, const FactSet& plain) {
  const FactsResult warned = parse_facts(text, "fuzz", format, &schema, FactsCheck::Warn);
  WARDEN_FUZZ_CHECK(warned.ok());
  WARDEN_FUZZ_CHECK(warned.facts.entities == plain.entities && warned.facts.grants == plain.grants &&
                    warned.facts.keys == plain.keys && warned.facts.roles == plain.roles &&
                    warned.facts.memberships == plain.memberships);
  WARDEN_FUZZ_CHECK(warned.findings.size() == std::min(warned.findings_total, kMaxFactFindings));
  for (const InputError& f : warned.findings) check_finding(f, text);
  const FactsResult refused = parse_facts(text, "fuzz", format, &schema, FactsCheck::Refuse);
  WARDEN_FUZZ_CHECK(refused.ok() == (warned.findings_total == 0));
}

void decide_some(const fuzz::ReferenceEngine& reference, const Engine& engine, std::mt19937_64& rng) {
  OwnedRequest request;
  for (int i = 0; i < kRequests; ++i) {
    fuzz::world_request(*reference.program, rng, request);
    WARDEN_FUZZ_CHECK(!engine.decide(request.request).code.empty());
  }
  if (!reference.program->resources.empty()) {
    const auto& t = reference.program->resources[rng() % reference.program->resources.size()];
    if (t.actions.count) {
      (void)engine.authorized_resources(request.request, reference.program->str(reference.program->action_names[t.actions.begin]),
                                        reference.program->str(t.name));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return -1;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto& engines = fuzz::reference_engines();
  const std::uint64_t seed = std::hash<std::string_view>{}(text);
  const fuzz::ReferenceEngine& reference = engines[seed % engines.size()];
  std::mt19937_64 rng(seed);

  for (const auto format : {FactsFormat::Document, FactsFormat::Lines}) {
    FactsResult facts = parse_facts(text, "fuzz", format);
    if (!facts.ok()) {
      check_error(*facts.error, text);
      continue;
    }
    Engine engine;
    WARDEN_FUZZ_CHECK(engine.load_policy(reference.artifact).ok);
    check_under_policy(text, format, *engine.fact_schema(), facts.facts);
    if (engine.replace_facts(facts.facts).ok) decide_some(reference, engine, rng);
  }

  const ParsedUpdate update = parse_update(text, "fuzz.jsonl");
  if (!update.ok()) {
    check_error(*update.error, text);
    return 0;
  }
  {
    // Under the policy: the same changes, findings or not (Warn).
    Engine policy;
    WARDEN_FUZZ_CHECK(policy.load_policy(reference.artifact).ok);
    const ParsedUpdate warned = parse_update(text, "fuzz.jsonl", policy.fact_schema().get(), FactsCheck::Warn);
    WARDEN_FUZZ_CHECK(warned.ok() && warned.update.changes.size() == update.update.changes.size());
    for (const InputError& f : warned.findings) check_finding(f, text);
  }
  Engine engine;
  WARDEN_FUZZ_CHECK(engine.load_policy(reference.artifact).ok && engine.replace_facts(reference.facts).ok);
  const std::uint64_t before = engine.facts_version();
  const Status applied = engine.apply(update.update);
  if (!applied.ok) {
    WARDEN_FUZZ_CHECK(engine.facts_version() == before && !applied.code.empty());
    (void)update_error(applied, update, "fuzz.jsonl");
  }
  decide_some(reference, engine, rng);
  return 0;
}
