// libFuzzer target: mutated real artifacts, with the checksum recomputed,
// through every reader of a loaded table.
//
// The seed corpus is the artifacts of every reference policy and fixture
// policy (scripts/fuzz.sh compiles them). Each input is taken as a whole
// `.wdn` file; when its header still parses, the harness rewrites the
// payload length and the checksum to match the (mutated) bytes, as an
// attacker who can write the file would — so mutations reach the decoder and
// validate() instead of dying at the checksum. An accepted table must then
// survive everything a service or a reviewer does with it
// (docs/reliability.md, "validated means safe"): decisions on requests made
// from its own names, with and without a trace, their explanations, list
// filtering, the access diff against itself and against a variant, the
// endpoint doc, and both dumps.
//
// Every accepted table is decided with; one in kRenderEvery (chosen by the
// input's hash, so a finding reproduces from its input alone) also goes
// through the diff, the doc and the dumps — they cost ten times a decision,
// and libFuzzer's bookkeeping grows with the code an input reaches.
//
// Checks, besides "no crash, no sanitizer report": a refusal carries a code
// and a message and no table; the Engine accepts exactly what the loader
// accepts; every decision has a code; a table diffed with itself shows no
// change.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <span>
#include <string>

#include "diff/access_diff.hpp"
#include "fuzz/artifact_reseal.hpp"
#include "fuzz/fuzz_check.hpp"
#include "fuzz/program_world.hpp"
#include "table/artifact.hpp"
#include "table/validate.hpp"
#include "views/dump.hpp"
#include "views/endpoint_doc.hpp"
#include "warden/engine.hpp"
#include "warden/explain.hpp"

namespace {

using namespace warden;

constexpr std::size_t kMaxInput = 1 << 17;
constexpr int kRequests = 12;
constexpr std::uint64_t kRenderEvery = 4;


// A table that differs from `p` in ways that keep it valid, for a diff with
// something to report.
table::Program variant(const table::Program& p, std::mt19937_64& rng) {
  table::Program v = p;
  v.mode = v.mode == table::Mode::Enforce ? table::Mode::Monitor : table::Mode::Enforce;
  v.tenancy.isolation ^= 1u;
  if (!v.rules.empty()) {
    table::RuleRow& r = v.rules[rng() % v.rules.size()];
    r.monitor ^= 1u;
    r.cross_tenant ^= 1u;
    if (r.effect == table::Effect::Allow) {
      r.effect = table::Effect::Deny;
      if (r.code == table::kNone) r.code = r.name;
    }
  }
  if (!v.endpoints.empty()) v.endpoints[rng() % v.endpoints.size()].is_public ^= 1u;
  return v;
}

diff::PolicyVersion input(std::string path, std::shared_ptr<const table::Program> program) {
  diff::PolicyVersion in;
  in.path = std::move(path);
  in.program = std::move(program);
  return in;
}

void diff_and_render(const diff::PolicyVersion& a, const diff::PolicyVersion& b) {
  const diff::AccessDiff d = diff::diff_policies(a, b);
  WARDEN_FUZZ_CHECK(!diff::diff_text(d).empty());
  WARDEN_FUZZ_CHECK(!diff::diff_json(d).empty());
}

void exercise(const std::shared_ptr<const table::Program>& program, const table::ArtifactHeader& header,
              std::span<const char> file, std::uint64_t seed) {
  const table::Program& p = *program;
  std::mt19937_64 rng(seed);

  Engine engine;
  WARDEN_FUZZ_CHECK(engine.load_policy(file).ok);
  (void)engine.replace_facts(fuzz::world_facts(p));  // duplicate names in a mutated table may refuse facts
  OwnedRequest request;
  for (int i = 0; i < kRequests; ++i) {
    fuzz::world_request(p, rng, request);
    Decision d;
    if (i % 4 == 0) {
      Trace trace;
      engine.decide(request.request, d, trace);
      (void)decision_json(d, &trace);
      (void)trace_text(trace);
    } else {
      engine.decide(request.request, d);
    }
    WARDEN_FUZZ_CHECK(!d.code.empty());
    (void)explain_text(d);
  }
  if (!p.resources.empty()) {
    const table::ResourceTypeRow& t = p.resources[rng() % p.resources.size()];
    if (t.actions.count) {
      fuzz::world_request(p, rng, request);
      (void)engine.authorized_resources(request.request, p.str(p.action_names[t.actions.begin]), p.str(t.name));
    }
  }

  if (seed % kRenderEvery != 0) return;
  (void)views::dump_text(p, &header);
  (void)views::dump_json(p, &header);
  const views::PolicyDoc doc = views::build_endpoint_doc(p);
  (void)views::render_markdown(doc);
  (void)views::render_html(doc);

  const diff::PolicyVersion self = input("a", program);
  WARDEN_FUZZ_CHECK(diff::diff_policies(self, self).empty());
  auto other = std::make_shared<const table::Program>(variant(p, rng));
  if (!table::validate(*other)) {
    const diff::PolicyVersion changed = input("b", other);
    diff_and_render(self, changed);
    diff_and_render(changed, self);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return -1;
  std::string file(reinterpret_cast<const char*>(data), size);
  warden::fuzz::reseal_artifact(file);
  const auto bytes = std::span<const char>(file.data(), file.size());
  const auto loaded = warden::table::load_artifact(bytes);
  WARDEN_FUZZ_CHECK(loaded.ok() != loaded.error.has_value());
  if (!loaded.ok()) {
    WARDEN_FUZZ_CHECK(!loaded.error->message.empty());
    return 0;
  }
  exercise(loaded.program, loaded.header, bytes, std::hash<std::string>{}(file));
  return 0;
}
