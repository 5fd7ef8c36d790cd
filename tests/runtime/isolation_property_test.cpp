// The isolation law (docs/decisions.md "Isolation"): under `isolation on`,
// no decision lets a request through across tenants — the principal (when
// the request names one) or the resource in another tenant than the
// request — unless a `cross_tenant` allow is the determining rule. Public
// endpoints, open to anyone, anonymous callers included, are the one
// exception.
//
// Random worlds and requests of every shape over policies with isolation
// on: the reference policies that have it, the others with a `tenancy`
// block added (sources and default chosen at random), and the synthetic
// feature policy. Shapes: HTTP requests to endpoints with and without an
// action, in-process action requests, list filtering; principals named
// directly or through an API key, keys whose owner has an entity record and
// keys whose owner has none, keys that restate a tenant, principals with and
// without a tenant of their own, anonymous requests.
//
// The tenants are worked out here from the facts, independently of the
// engine. Deterministic (fixed seed); WARDEN_ISOLATION_SEED and
// WARDEN_ISOLATION_SCALE (a multiplier of the worlds) explore further.
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

constexpr int kWorlds = 8;
constexpr int kRequestsPerWorld = 2400;  // × 6 policies × 8 worlds: 115,200 decisions
constexpr int kListsPerWorld = 12;
constexpr std::size_t kMinimumDecisions = 100000;

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 0) : fallback;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

// The tenants of one world, read from the facts.
class Tenants {
 public:
  Tenants(const ast::Policy& policy, const FactSet& facts) : policy_(policy) {
    const ast::TenancyDecl& t = policy.tenancies.front();
    default_ = t.default_tenant ? t.default_tenant->value : "default";
    for (const Entity& e : facts.entities) entities_[e.type + "\n" + e.id] = e.tenant;
    for (const ApiKey& k : facts.keys) keys_[k.id] = &k;
  }

  const std::string& default_tenant() const { return default_; }

  // The entity's own tenant, else the default; nullopt: no such entity.
  std::optional<std::string> entity(const std::string& type, const std::string& id) const {
    const auto it = entities_.find(type + "\n" + id);
    if (it == entities_.end()) return std::nullopt;
    return it->second.empty() ? default_ : it->second;
  }

  // The principal the request acts as ("" when anonymous) and its tenant.
  std::pair<std::string, std::string> principal(const TestRequest& r) const {
    std::string type = r.principal_type.empty() ? "user" : r.principal_type, id = r.principal_id;
    if (!r.api_key.empty()) {
      const auto k = keys_.find(r.api_key);
      if (k == keys_.end()) return {"", ""};
      if (id.empty()) {
        type = k->second->principal_type;
        id = k->second->principal_id;
      }
    }
    if (id.empty()) return {"", ""};
    return {type + " " + id, entity(type, id).value_or(default_)};
  }

  std::string request_tenant(const TestRequest& r, const std::string& principal_tenant) const {
    if (!r.tenant.empty()) return r.tenant;
    for (const ast::TenantSource& s : policy_.tenancies.front().sources) {
      std::string t;
      if (s.kind == ast::TenantSource::Kind::Header) {
        for (const auto& [name, value] : r.headers) {
          if (iequals(name, s.header.value)) {
            t = value;
            break;
          }
        }
      } else {
        t = principal_tenant;
      }
      if (!t.empty()) return t;
    }
    return default_;
  }

  // The resource's tenant for a decision on (type, id) ("" when the decision
  // is on no resource).
  std::string resource(const TestRequest& r, const std::string& type, const std::string& id,
                       const std::string& request_tenant) const {
    if (type.empty()) return "";
    if (!id.empty()) {
      const auto it = entities_.find(type + "\n" + id);
      if (it != entities_.end() && !it->second.empty()) return it->second;  // a tenant of its own
    }
    std::string attribute;
    for (const auto& [name, value] : r.resource_attributes) {
      if (name == "tenant" && value.kind == AttributeValue::Kind::String) attribute = value.text;
    }
    if (!attribute.empty()) return attribute;
    return id.empty() ? request_tenant : default_;
  }

 private:
  const ast::Policy& policy_;
  std::string default_;
  std::map<std::string, std::string> entities_;
  std::map<std::string, const ApiKey*> keys_;
};

struct Tally {
  std::size_t decisions = 0, lists = 0, listed = 0;
  std::size_t across = 0;            // requests whose tenants differ
  std::size_t across_denied = 0;     // … denied TENANT_MISMATCH
  std::size_t across_cross = 0;      // … let through by a cross_tenant allow
  std::size_t across_public = 0;     // … to a public endpoint
  std::size_t at_endpoint = 0, in_process = 0, owner_less_keys = 0, key_tenant_refused = 0;
  std::vector<std::string> failures;
};

const ast::Rule* rule_named(const ast::Policy& policy, std::string_view name) {
  for (const auto& r : policy.rules) {
    if (r.name.text == name) return &r;
  }
  return nullptr;
}

// The determining rule of a decision that let the request through: the last
// rule cited that is neither monitored nor an endpoint.
const ast::Rule* determining_rule(const ast::Policy& policy, const Decision& d) {
  for (std::uint8_t i = d.rule_count; i-- > 0;) {
    const RuleRef& r = d.rules[i];
    if (r.monitor || r.name.view().rfind("endpoint ", 0) == 0) continue;
    return rule_named(policy, r.name.view());
  }
  return nullptr;
}

// Checks the law for one decision; `what` names the request in a failure.
void check(const ast::Policy& policy, const Tenants& tenants, const TestRequest& r, const Decision& d,
           const std::string& what, Tally& tally) {
  ++tally.decisions;
  if (d.code.view() == "KEY_TENANT_MISMATCH") ++tally.key_tenant_refused;
  const auto [principal, principal_tenant] = tenants.principal(r);
  const std::string tenant = tenants.request_tenant(r, principal_tenant);
  const bool decided = d.code.view() != "KEY_UNKNOWN" && d.code.view() != "KEY_REVOKED" &&
                       d.code.view() != "KEY_EXPIRED" && d.code.view() != "KEY_PRINCIPAL_MISMATCH" &&
                       d.code.view() != "KEY_TENANT_MISMATCH" && d.code.view() != "NO_MATCHING_ENDPOINT";
  if (!decided) return;
  if (d.tenant.view() != tenant) {
    tally.failures.push_back(what + ": request tenant " + d.tenant.str() + ", expected " + tenant);
    return;
  }
  const std::string resource =
      tenants.resource(r, d.resource_type.str(), d.resource_id.str(), tenant);
  const bool across = (!principal.empty() && principal_tenant != tenant) || (!resource.empty() && resource != tenant);
  if (!across) return;
  ++tally.across;
  if (d.outcome == Outcome::Deny) {
    if (d.code.view() == "TENANT_MISMATCH") ++tally.across_denied;
    return;
  }
  if (d.source == SourceKind::Public) {
    ++tally.across_public;
    return;
  }
  const ast::Rule* rule = determining_rule(policy, d);
  if (rule && rule->effect == ast::Effect::Allow && rule->cross_tenant_span) {
    ++tally.across_cross;
    return;
  }
  std::ostringstream out;
  out << what << ": " << outcome_name(d.outcome) << " " << d.code.view() << " across tenants (request `" << tenant
      << "`, principal " << (principal.empty() ? "(anonymous)" : principal) << " in `" << principal_tenant
      << "`, resource " << d.resource_type.view() << " `" << d.resource_id.view() << "` in `" << resource
      << "`) by " << (rule ? rule->name.text : std::string("no rule")) << "\n  " << r.describe();
  tally.failures.push_back(out.str());
}

// Keys whose owner has no entity record: the owner is in the default tenant.
void add_owner_less_keys(const ast::Policy& policy, FactSet& facts, WorldGenerator& gen) {
  for (int k = 0; k < 4; ++k) {
    ApiKey key;
    key.id = "ownerless-" + std::to_string(k);
    key.principal_id = "nobody-" + std::to_string(k);
    for (const auto& s : policy.scopes) {
      if (gen.rng().chance(70)) key.scopes.push_back(s.name.text);
    }
    if (gen.rng().chance(40)) key.tenant = gen.rng().pick(gen.tenants());
    facts.keys.push_back(std::move(key));
  }
}

// A request of a random shape.
TestRequest random_request(const ast::Policy& policy, WorldGenerator& gen, Tally& tally) {
  const std::size_t roll = gen.rng().below(100);
  TestRequest r;
  if (roll < 40 && !policy.endpoints.empty()) {
    r = gen.http_request();
  } else if (roll < 75 && !policy.resources.empty()) {
    const auto& type = gen.rng().pick(policy.resources);
    r = type.actions.empty() ? gen.request() : gen.action_request(type.name.text, gen.rng().pick(type.actions).text);
  } else {
    r = gen.request();
  }
  if (gen.rng().chance(15)) {
    r.principal_id.clear();
    r.principal_type = "user";
    r.api_key = "ownerless-" + std::to_string(gen.rng().below(4));
    ++tally.owner_less_keys;
  }
  if (r.method.empty()) ++tally.in_process;
  return r;
}

}  // namespace

TEST_CASE("isolation: no decision allows across tenants but by a cross_tenant allow", "[runtime][property][isolation]") {
  const std::uint64_t seed = env_number("WARDEN_ISOLATION_SEED", 0x150a7e);
  const std::uint64_t scale = std::max<std::uint64_t>(1, env_number("WARDEN_ISOLATION_SCALE", 1));
  Rng choices(seed);
  // A `tenancy` block for the policies without one: sources and default at random.
  auto tenancy_block = [&]() {
    const char* sources[] = {"header \"X-Tenant-ID\", principal", "principal, header \"X-Tenant-ID\"", "principal",
                             "header \"X-Tenant-ID\""};
    const char* defaults[] = {"default", "acme", "home"};
    return std::string("tenancy {\n  isolation on;\n  tenant from ") + sources[choices.below(4)] + ";\n  default \"" +
           defaults[choices.below(3)] + "\";\n}\n";
  };
  const PolicyVariant model_permissions("policies/model_permissions", tenancy_block());
  const PolicyVariant platform_rbac("policies/platform_rbac", tenancy_block());
  const PolicyVariant api_servers("policies/api_servers", tenancy_block());
  const std::vector<std::pair<std::string, std::string>> policies = {
      {"gateway", "policies/gateway"},
      {"tenancy", "policies/tenancy"},
      {"features", "fixtures/runtime/features"},
      {"model_permissions + isolation", model_permissions.dir()},
      {"platform_rbac + isolation", platform_rbac.dir()},
      {"api_servers + isolation", api_servers.dir()},
  };
  std::size_t decisions = 0;
  std::vector<std::string> failures;
  for (std::size_t pi = 0; pi < policies.size(); ++pi) {
    const auto& [name, dir] = policies[pi];
    Engine engine;
    test::load_policy(engine, dir);
    const ReferenceEvaluator reference(dir);
    const ast::Policy& policy = reference.policy();
    REQUIRE(policy.tenancies.size() == 1);
    REQUIRE(policy.tenancies.front().isolation.value_or(false));
    WorldGenerator gen(policy, seed * 7919 + pi);
    Tally tally;
    for (std::uint64_t w = 0; w < kWorlds * scale; ++w) {
      FactSet facts = gen.facts();
      add_owner_less_keys(policy, facts, gen);
      REQUIRE(engine.replace_facts(facts).ok);
      const Tenants tenants(policy, facts);
      for (int i = 0; i < kRequestsPerWorld; ++i) {
        const TestRequest r = random_request(policy, gen, tally);
        const Decision d = engine.decide(r.view());
        if (!r.method.empty() && d.action.empty() && d.code.view() != "NO_MATCHING_ENDPOINT") ++tally.at_endpoint;
        check(policy, tenants, r, d, name + " world " + std::to_string(w), tally);
      }
      // List filtering: every listed resource is one a single decision lets
      // through, and across tenants only by a cross_tenant allow.
      for (int k = 0; k < kListsPerWorld && !policy.resources.empty(); ++k) {
        const auto& type = gen.rng().pick(policy.resources);
        if (type.actions.empty()) continue;
        const std::string action = gen.rng().pick(type.actions).text;
        TestRequest r = gen.action_request(type.name.text, action);
        if (gen.rng().chance(15)) {
          r.principal_id.clear();
          r.api_key = "ownerless-" + std::to_string(gen.rng().below(4));
        }
        r.resource_id.clear();
        r.resource_attributes.clear();
        ++tally.lists;
        for (const std::string& id : engine.authorized_resources(r.view(), action, type.name.text)) {
          ++tally.listed;
          TestRequest single = r;
          single.resource_id = id;
          const Decision d = engine.decide(single.view());
          if (d.outcome == Outcome::Deny) {
            failures.push_back(name + ": listed " + type.name.text + " `" + id + "` is denied " + d.code.str() +
                               " when decided alone\n  " + single.describe());
          }
          check(policy, tenants, single, d, name + " world " + std::to_string(w) + " (listed)", tally);
        }
      }
    }
    std::cout << "isolation " << name << ": " << tally.decisions << " decisions (" << tally.in_process
              << " in-process, " << tally.at_endpoint << " decided at the endpoint, " << tally.owner_less_keys
              << " with owner-less keys), " << tally.lists << " lists (" << tally.listed << " listed); across tenants "
              << tally.across << ": " << tally.across_denied << " TENANT_MISMATCH, " << tally.across_cross
              << " by cross_tenant, " << tally.across_public << " public; " << tally.key_tenant_refused
              << " KEY_TENANT_MISMATCH\n";
    CHECK(tally.across_denied > 0);
    decisions += tally.decisions;
    for (auto& f : tally.failures) failures.push_back(std::move(f));
  }
  std::ostringstream report;
  for (std::size_t i = 0; i < failures.size() && i < 8; ++i) report << failures[i] << "\n";
  INFO(report.str());
  CHECK(failures.empty());
  std::cout << "isolation: " << decisions << " decisions checked\n";
  CHECK(decisions >= kMinimumDecisions);
}
