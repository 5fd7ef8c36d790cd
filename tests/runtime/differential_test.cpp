// The differential test: the compiled table, evaluated by the Engine, must
// agree with the naive reference evaluator over the AST on every one of many
// random requests against random facts, over all five reference policies.
//
// Compared for each request: the outcome and the code; the endpoint an HTTP
// request was routed to; the rule that decided (allow rule or enforced deny;
// for a would-deny also the monitored rule); for allows the permission source
// and the grant id. List filtering
// (authorized_resources) is compared too, for a few principals per world.
//
// The run is deterministic (fixed seed). WARDEN_DIFF_SEED and
// WARDEN_DIFF_SCALE (a multiplier of the request count) in the environment
// explore further. Under sanitizers the count is smaller to keep CI fast;
// the normal build compares at least 100,000 requests.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>
#include <map>
#include <sstream>

#include "tests/runtime/compile_helper.hpp"
#include "tests/runtime/policy_variants.hpp"
#include "tests/runtime/random_world.hpp"
#include "tests/runtime/reference_evaluator.hpp"

using namespace warden;
using namespace warden::test;

namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(WARDEN_TEST_SANITIZED)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// Worlds per policy × requests per world: over the five reference policies
// 5 × 21 × 1000 = 105,000 requests, and 8 × 12 × 1000 more over the
// synthetic and HTTP test policies.
constexpr int kReferenceWorlds = kSanitized ? 4 : 21;
constexpr int kFeatureWorlds = kSanitized ? 3 : 12;
constexpr int kRequestsPerWorld = 1000;
constexpr std::size_t kMinimumReferenceRequests = kSanitized ? 20000 : 100000;

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 0) : fallback;
}

// Endpoints that decide on their own (public, missing scopes) are cited like
// rules, as "endpoint METHOD PATTERN"; rule names have no spaces.
bool is_endpoint(const RuleRef& r) { return r.name.view().rfind("endpoint ", 0) == 0; }

std::string engine_rule(const Decision& d) {
  if (d.rule_count == 0) return "";
  const RuleRef& last = d.rules[d.rule_count - 1];
  return last.monitor || is_endpoint(last) ? "" : last.name.str();
}

std::string engine_monitor_rule(const Decision& d) {
  for (std::uint8_t i = 0; i < d.rule_count; ++i) {
    if (d.rules[i].monitor) return d.rules[i].name.str();
  }
  return "";
}

bool grant_source(SourceKind k) {
  return k == SourceKind::DirectGrant || k == SourceKind::TeamGrant || k == SourceKind::TypeGrant;
}

// Empty when they agree; otherwise what differs.
std::string difference(const Decision& d, const RefDecision& r) {
  if (d.outcome != r.outcome) return "outcome";
  if (d.code.view() != r.code) return "code";
  if (d.endpoint.view() != r.endpoint) return "endpoint";
  if (engine_rule(d) != r.rule) return "deciding rule";
  if (d.outcome == Outcome::WouldDeny && r.by_allow_rule && engine_monitor_rule(d) != r.monitor_rule) {
    return "monitored rule";
  }
  if (d.outcome == Outcome::Allow || (d.outcome == Outcome::WouldDeny && r.by_allow_rule)) {
    if (d.source != r.source) return "permission source";
    if (grant_source(r.source) && d.grant_id.view() != r.grant_id) return "grant id";
  }
  return "";
}

std::string describe(const Decision& d) {
  std::ostringstream out;
  out << outcome_name(d.outcome) << " " << d.code.view() << " rule=" << engine_rule(d);
  if (!engine_monitor_rule(d).empty()) out << " monitored=" << engine_monitor_rule(d);
  out << " source=" << source_kind_name(d.source) << " grant=" << d.grant_id.view() << " tenant=" << d.tenant.view()
      << " endpoint=" << d.endpoint.view()
      << "\n    message: " << d.message.view();
  return out.str();
}

std::string describe(const RefDecision& r) {
  std::ostringstream out;
  out << outcome_name(r.outcome) << " " << r.code << " rule=" << r.rule;
  if (!r.monitor_rule.empty()) out << " monitored=" << r.monitor_rule;
  out << " source=" << source_kind_name(r.source) << " grant=" << r.grant_id << " endpoint=" << r.endpoint
      << "\n    why: " << r.why;
  return out.str();
}

struct Tally {
  std::size_t compared = 0;
  std::size_t disagreements = 0;
  std::size_t lists = 0;
  std::map<std::string, std::size_t> outcomes;  // engine outcomes and codes seen, for coverage
  std::map<std::string, std::size_t> codes;
};

}  // namespace

TEST_CASE("the engine agrees with the reference evaluator on random requests", "[runtime][differential]") {
  const std::uint64_t seed = env_number("WARDEN_DIFF_SEED", 0x5eed2026);
  const std::uint64_t scale = std::max<std::uint64_t>(1, env_number("WARDEN_DIFF_SCALE", 1));
  // The five reference policies, and a synthetic one (fixtures/runtime/features)
  // that uses what they leave out, enforced and in monitor mode.
  const PolicyVariant features_monitor("fixtures/runtime/features", "mode monitor;\n");
  // The HTTP test policies: composite ids and anonymous callers (repos), and
  // the hostile-path endpoints under the other normalization options.
  const PolicyVariant hostile_lenient("fixtures/http/hostile",
                                      "http {\n  encoded_slash decode;\n  semicolons strip;\n  empty_segments keep;\n"
                                      "  trailing_slash ignore;\n}\n");
  const PolicyVariant hostile_strict("fixtures/http/hostile",
                                     "http {\n  encoded_slash keep;\n  semicolons keep;\n  empty_segments reject;\n"
                                     "  dot_segments reject;\n}\n");
  struct Subject {
    std::string name;
    std::string dir;
    int worlds;
    bool reference;
  };
  const std::vector<Subject> policies = {
      {"gateway", "policies/gateway", kReferenceWorlds, true},
      {"model_permissions", "policies/model_permissions", kReferenceWorlds, true},
      {"platform_rbac", "policies/platform_rbac", kReferenceWorlds, true},
      {"tenancy", "policies/tenancy", kReferenceWorlds, true},
      {"api_servers", "policies/api_servers", kReferenceWorlds, true},
      {"features", "fixtures/runtime/features", kFeatureWorlds, false},
      {"features (monitor mode)", features_monitor.dir(), kFeatureWorlds, false},
      {"repos", "fixtures/http/repos", kFeatureWorlds, false},
      {"split rules", "fixtures/runtime/split_rules", kFeatureWorlds, false},
      {"nested teams", "fixtures/explain/policy", kFeatureWorlds, false},
      {"hostile paths", "fixtures/http/hostile", kFeatureWorlds, false},
      {"hostile paths (lenient)", hostile_lenient.dir(), kFeatureWorlds, false},
      {"hostile paths (strict)", hostile_strict.dir(), kFeatureWorlds, false},
  };
  std::size_t total = 0, reference_total = 0, disagreements = 0;
  std::ostringstream report;

  for (std::size_t pi = 0; pi < policies.size(); ++pi) {
    const std::string& dir = policies[pi].dir;
    Engine engine;
    test::load_policy(engine, dir);
    const ReferenceEvaluator reference(dir);
    WorldGenerator gen(reference.policy(), seed * 1000003 + pi);
    Tally tally;
    for (std::uint64_t w = 0; w < policies[pi].worlds * scale; ++w) {
      const FactSet facts = gen.facts();
      REQUIRE(engine.replace_facts(facts).ok);
      for (int i = 0; i < kRequestsPerWorld; ++i) {
        const TestRequest tr = gen.request();
        const Request r = tr.view();
        const Decision d = engine.decide(r);
        const RefDecision expected = reference.decide(facts, r);
        ++tally.compared;
        ++tally.outcomes[outcome_name(d.outcome)];
        ++tally.codes[d.code.str()];
        const std::string diff = difference(d, expected);
        if (diff.empty()) continue;
        if (++tally.disagreements <= 5) {
          report << "[" << policies[pi].name << " world " << w << "] " << diff << " differs\n  " << tr.describe()
                 << "\n  facts involved:\n"
                 << WorldGenerator::describe_involved(facts, tr) << "  engine:    " << describe(d)
                 << "\n  reference: " << describe(expected) << "\n\n";
        }
      }
      // List filtering: a few principals, each for a random (type, action).
      for (int k = 0; k < 4 && !reference.policy().resources.empty(); ++k) {
        const auto& type = gen.rng().pick(reference.policy().resources);
        if (type.actions.empty()) continue;
        const std::string action = gen.rng().pick(type.actions).text;
        TestRequest tr = gen.action_request(type.name.text, action);
        tr.resource_id.clear();
        tr.resource_attributes.clear();
        const Request r = tr.view();
        const auto got = engine.authorized_resources(r, action, type.name.text);
        const auto want = reference.authorized(facts, r, action, type.name.text, WorldGenerator::known_ids(facts, type.name.text));
        ++tally.lists;
        if (got != want) {
          if (++tally.disagreements <= 5) {
            report << "[" << policies[pi].name << " world " << w << "] authorized_resources(" << action << ", "
                   << type.name.text << ") differs for " << tr.describe() << ": engine [";
            for (const auto& id : got) report << " " << id;
            report << " ] reference [";
            for (const auto& id : want) report << " " << id;
            report << " ]\n\n";
          }
        }
      }
    }
    std::cout << "differential " << policies[pi].name << ": " << tally.compared << " requests, " << tally.lists
              << " lists, " << tally.disagreements << " disagreements;";
    for (const auto& [outcome, n] : tally.outcomes) std::cout << " " << outcome << "=" << n;
    std::cout << "; codes:";
    for (const auto& [code, n] : tally.codes) std::cout << " " << code << "=" << n;
    std::cout << "\n";
    total += tally.compared;
    if (policies[pi].reference) reference_total += tally.compared;
    disagreements += tally.disagreements;
  }
  INFO(report.str());
  CHECK(disagreements == 0);
  std::cout << "differential: " << total << " requests compared (" << reference_total
            << " over the reference policies)\n";
  CHECK(reference_total >= kMinimumReferenceRequests);
}
