// Property tests of the decision semantics, over random facts and requests
// (random_world.hpp) on the reference policies and the synthetic one:
//
//   - deny overrides: with an unconditional `deny … anyone` for (type,
//     action) added, every decision for that pair is a deny;
//   - tenant isolation: no allow crosses tenants except through a
//     `cross_tenant` rule — and none at all once the clause is removed;
//   - inheritance is monotone: giving a role another parent never turns an
//     allow into a deny, except through a deny rule aimed at role holders
//     (a role as its subject or in its `when`);
//   - grants are monotone: adding a grant never turns an allow into a deny,
//     except through the documented override — a resource-specific grant
//     replaces a type-wide one ("resource-specific override, then
//     resource-type override"), so an allow that rested on a type-wide grant
//     may go.
#include <catch2/catch.hpp>

#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "tests/runtime/compile_helper.hpp"
#include "tests/runtime/policy_variants.hpp"
#include "tests/runtime/random_world.hpp"
#include "tests/runtime/reference_evaluator.hpp"

using namespace warden;
using namespace warden::test;

namespace {

// Random worlds per policy (fewer under sanitizers); the coverage checks at
// the end of each case scale with it.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(WARDEN_TEST_SANITIZED)
constexpr int kWorlds = 2;
#else
constexpr int kWorlds = 6;
#endif

const std::vector<std::string> kPolicies = {"policies/gateway",    "policies/model_permissions",
                                            "policies/platform_rbac", "policies/tenancy",
                                            "policies/api_servers", "fixtures/runtime/features"};

std::uint64_t seed_of(const std::string& dir, std::uint64_t salt) {
  std::uint64_t h = 1469598103934665603ull ^ salt;
  for (char c : dir) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

std::unique_ptr<Engine> engine_for(const std::string& dir) {
  auto e = std::make_unique<Engine>();
  test::load_policy(*e, dir);
  return e;
}

const ast::Rule* rule_named(const ast::Policy& p, std::string_view name) {
  for (const auto& r : p.rules) {
    if (r.name.text == name) return &r;
  }
  return nullptr;
}

// The allow rule that decided an allow (the last rule not in monitor mode).
std::string_view allowing_rule(const Decision& d) {
  if (d.rule_count == 0 || d.rules[d.rule_count - 1].monitor) return {};
  return d.rules[d.rule_count - 1].name.view();
}

// Does a predicate of kind `kind` occur in `rule` where holding more makes
// the rule match more: as the subject or under an even number of `not`s in
// `when`, or under an odd number in `unless`? (Used to check the premise of
// the monotonicity properties: denies that use roles or grants only as
// exceptions.)
bool positively(const ast::Rule& rule, ast::Predicate::Kind kind) {
  if (rule.subject.kind == kind) return true;
  struct Walk {
    const ast::Rule& r;
    ast::Predicate::Kind k;
    bool any(ast::ExprId id, bool positive) const {
      const ast::Expr& e = r.exprs.at(id);
      switch (e.kind) {
        case ast::Expr::Kind::And:
        case ast::Expr::Kind::Or: return any(e.lhs, positive) || any(e.rhs, positive);
        case ast::Expr::Kind::Not: return any(e.lhs, !positive);
        case ast::Expr::Kind::Predicate: return positive && e.predicate.kind == k;
        default: return false;
      }
    }
  } walk{rule, kind};
  return (rule.when && walk.any(*rule.when, true)) || (rule.unless && walk.any(*rule.unless, false));
}

bool denies_use_positively(const ast::Policy& p, ast::Predicate::Kind kind) {
  return std::any_of(p.rules.begin(), p.rules.end(),
                     [&](const ast::Rule& r) { return r.effect == ast::Effect::Deny && positively(r, kind); });
}

}  // namespace

TEST_CASE("deny overrides: an unconditional deny for anyone denies every request for its (type, action)",
          "[runtime][property]") {
  std::size_t checked = 0, overridden = 0;
  for (const auto& dir : kPolicies) {
    const ReferenceEvaluator parsed(dir);
    const ast::Policy& policy = parsed.policy();
    if (policy.resources.empty()) continue;
    Rng pick(seed_of(dir, 1));
    const auto original = engine_for(dir);
    for (int pair = 0; pair < 3; ++pair) {
      const ast::ResourceDecl& type = pick.pick(policy.resources);
      const std::string action = pick.pick(type.actions).text;
      const PolicyVariant variant(dir, "deny property_deny: anyone to " + action + " on " + type.name.text + ";\n");
      const auto engine = engine_for(variant.dir());
      WorldGenerator gen(policy, seed_of(dir, 2 + static_cast<std::uint64_t>(pair)));
      for (int w = 0; w < kWorlds; ++w) {
        const FactSet facts = gen.facts();
        REQUIRE(engine->replace_facts(facts).ok);
        REQUIRE(original->replace_facts(facts).ok);
        for (int i = 0; i < 300; ++i) {
          const TestRequest tr = i % 3 == 0 && !policy.endpoints.empty() ? gen.http_request()
                                                                         : gen.action_request(type.name.text, action);
          const Decision d = engine->decide(tr.view());
          if (d.resource_type.view() != type.name.text || d.action.view() != action) continue;
          INFO(dir << ": " << tr.describe() << " -> " << outcome_name(d.outcome) << " " << d.code.view());
          CHECK(d.outcome == Outcome::Deny);
          ++checked;
          if (original->decide(tr.view()).allowed()) {
            // What the original allowed, the new rule denies.
            ++overridden;
            REQUIRE(d.rule_count > 0);
            CHECK(d.rules[d.rule_count - 1].name.view() == "property_deny");
          }
        }
      }
    }
  }
  std::cout << "property deny overrides: " << checked << " decisions denied, " << overridden
            << " of them allowed without the added deny\n";
  CHECK(checked > 1500 * kWorlds);
  CHECK(overridden > 30 * kWorlds);
}

TEST_CASE("tenant isolation: no allow across tenants without a cross_tenant rule", "[runtime][property][tenancy]") {
  std::size_t allows_checked = 0, cross_allows = 0;
  for (const auto& dir : kPolicies) {
    const ReferenceEvaluator parsed(dir);
    const ast::Policy& policy = parsed.policy();
    if (policy.tenancies.empty() || !policy.tenancies.front().isolation.value_or(false)) continue;
    // The policy as it is, and with every `cross_tenant` clause removed.
    const PolicyVariant strict(dir, "");
    replace_in_policy(strict.dir(), "cross_tenant", "");
    const auto engine = engine_for(dir);
    const auto strict_engine = engine_for(strict.dir());
    WorldGenerator gen(policy, seed_of(dir, 7));
    for (int w = 0; w < kWorlds * 2; ++w) {
      const FactSet facts = gen.facts();
      REQUIRE(engine->replace_facts(facts).ok);
      REQUIRE(strict_engine->replace_facts(facts).ok);
      auto tenant_of = [&](std::string_view type, std::string_view id) -> std::optional<std::string> {
        for (const auto& e : facts.entities) {
          if (e.type == type && e.id == id && !e.tenant.empty()) return e.tenant;
        }
        return std::nullopt;
      };
      for (int i = 0; i < 2000; ++i) {
        TestRequest tr = gen.request();
        tr.resource_attributes.clear();  // the resource's tenant comes from the facts alone
        for (const bool strict_policy : {false, true}) {
          const Decision d = (strict_policy ? strict_engine : engine)->decide(tr.view());
          if (!d.allowed() || d.resource_id.empty()) continue;
          // Only resources whose tenant the facts state.
          const auto resource_tenant = tenant_of(d.resource_type.view(), d.resource_id.view());
          if (!resource_tenant) continue;
          std::string principal_type = tr.principal_type, principal_id = tr.principal_id;
          for (const auto& k : facts.keys) {
            if (k.id == tr.api_key && principal_id.empty()) principal_type = k.principal_type, principal_id = k.principal_id;
          }
          const auto principal_tenant = tenant_of(principal_type, principal_id);
          const bool same = *resource_tenant == d.tenant.view() && (!principal_tenant || *principal_tenant == d.tenant.view());
          if (same) {
            ++allows_checked;
            continue;
          }
          const ast::Rule* rule = rule_named(policy, allowing_rule(d));
          INFO(dir << (strict_policy ? " (without cross_tenant)" : "") << ": " << tr.describe() << " -> "
                   << outcome_name(d.outcome) << " by `" << allowing_rule(d) << "` in tenant " << d.tenant.view()
                   << ", resource tenant " << *resource_tenant << ", principal tenant "
                   << principal_tenant.value_or("(unknown)"));
          CHECK_FALSE(strict_policy);
          REQUIRE(rule != nullptr);
          CHECK(rule->cross_tenant_span.has_value());
          ++cross_allows;
        }
      }
    }
  }
  std::cout << "property tenant isolation: " << allows_checked << " allows within one tenant, " << cross_allows
            << " across tenants by cross_tenant rules\n";
  CHECK(allows_checked > 150 * kWorlds);
  CHECK(cross_allows > 2 * kWorlds);
}

TEST_CASE("inheritance is monotone: adding a parent role never turns an allow into a deny", "[runtime][property]") {
  std::size_t variants = 0, kept = 0, gained = 0, by_role_denies = 0;
  for (const auto& dir : kPolicies) {
    const ReferenceEvaluator parsed(dir);
    const ast::Policy& policy = parsed.policy();
    const auto original = engine_for(dir);
    auto holds = [&](const std::string& role, const std::string& wanted) {
      // Does `role` already hold `wanted` (itself or through its parents)?
      std::vector<std::string> todo{role};
      for (std::size_t i = 0; i < todo.size() && i < 64; ++i) {
        if (todo[i] == wanted) return true;
        for (const auto& r : policy.roles) {
          if (r.name.text != todo[i]) continue;
          for (const auto& parent : r.inherits) todo.push_back(parent.text);
        }
      }
      return false;
    };
    // Every new edge that adds something and makes no cycle.
    for (const auto& role_decl : policy.roles) {
      for (const auto& parent_decl : policy.roles) {
        const std::string& role = role_decl.name.text;
        const std::string& parent = parent_decl.name.text;
        if (holds(role, parent) || holds(parent, role)) continue;
        const PolicyVariant variant(dir, "");
        add_role_parent(variant.dir(), role, parent);
        const auto engine = engine_for(variant.dir());
        ++variants;
        WorldGenerator gen(policy, seed_of(dir + role + parent, 12));
        for (int w = 0; w < kWorlds; ++w) {
          const FactSet facts = gen.facts();
          REQUIRE(original->replace_facts(facts).ok);
          REQUIRE(engine->replace_facts(facts).ok);
          for (int i = 0; i < 400; ++i) {
            const TestRequest tr = gen.request();
            const Decision before = original->decide(tr.view());
            const Decision after = engine->decide(tr.view());
            if (!before.allowed()) {
              gained += after.allowed();
              continue;
            }
            if (after.allowed()) {
              ++kept;
              continue;
            }
            // The one way to lose: a deny rule that applies to role holders
            // (a role as its subject or in its `when`) now applies.
            const ast::Rule* rule = after.rule_count ? rule_named(policy, after.rules[after.rule_count - 1].name.view()) : nullptr;
            INFO(dir << ": role " << role << " now inherits " << parent << "; " << tr.describe() << ": was "
                     << before.code.view() << ", now " << outcome_name(after.outcome) << " " << after.code.view());
            REQUIRE(rule != nullptr);
            CHECK(rule->effect == ast::Effect::Deny);
            CHECK(positively(*rule, ast::Predicate::Kind::Role));
            ++by_role_denies;
          }
        }
      }
    }
  }
  std::cout << "property inheritance: " << variants << " policy variants, " << kept << " allows kept, " << gained
            << " denies turned into allows, " << by_role_denies << " allows lost to denies aimed at role holders\n";
  CHECK(variants >= 8);
  CHECK(kept > 150 * kWorlds);
  CHECK(gained > 0);
}

TEST_CASE("adding a grant never turns an allow into a deny, but for the documented type-wide override",
          "[runtime][property]") {
  std::size_t trials = 0, kept = 0, overridden = 0, gained = 0;
  for (const auto& dir : kPolicies) {
    const ReferenceEvaluator parsed(dir);
    const ast::Policy& policy = parsed.policy();
    const bool has_grants = std::any_of(policy.resources.begin(), policy.resources.end(),
                                        [](const ast::ResourceDecl& r) { return !r.grants_to.empty() && !r.level_maps.empty(); });
    if (!has_grants || policy.levels.empty()) continue;
    // The premise: denies use grants only as exceptions.
    if (denies_use_positively(policy, ast::Predicate::Kind::Grant)) continue;
    const auto base = engine_for(dir);
    const auto with_grant = engine_for(dir);
    WorldGenerator gen(policy, seed_of(dir, 21));
    for (int w = 0; w < kWorlds; ++w) {
      const FactSet facts = gen.facts();
      REQUIRE(base->replace_facts(facts).ok);
      REQUIRE(with_grant->replace_facts(facts).ok);
      for (int t = 0; t < 25; ++t) {
        const bool type_wide = gen.rng().chance(35);
        const Grant g = gen.grant(type_wide);
        REQUIRE(with_grant->apply(FactsUpdate{}.upsert(g)).ok);
        ++trials;
        // Requests about the grant's resource type, mostly its resource.
        for (int i = 0; i < 60; ++i) {
          const ast::ResourceDecl* type = nullptr;
          for (const auto& r : policy.resources) {
            if (r.name.text == g.resource_type) type = &r;
          }
          TestRequest tr = gen.action_request(g.resource_type, gen.rng().pick(type->actions).text);
          if (!type_wide && gen.rng().chance(70)) tr.resource_id = g.resource_id;
          const Decision before = base->decide(tr.view());
          const Decision after = with_grant->decide(tr.view());
          if (!before.allowed()) {
            gained += after.allowed();
            continue;
          }
          if (after.allowed()) {
            ++kept;
            continue;
          }
          // The one way to lose: a resource-specific grant now decides where a
          // type-wide grant did.
          INFO(dir << ": added grant " << g.id << " " << g.level << " on " << g.resource_type << "/" << g.resource_id
                   << " to " << g.subject_type << "/" << g.subject_id << (g.active ? "" : " (inactive)") << "; "
                   << tr.describe() << ": was allowed by `" << allowing_rule(before) << "` ("
                   << source_kind_name(before.source) << " " << before.grant_id.view() << "), now "
                   << after.code.view());
          CHECK_FALSE(type_wide);
          CHECK(g.resource_id == tr.resource_id);
          CHECK(before.source == SourceKind::TypeGrant);
          ++overridden;
        }
        REQUIRE(with_grant->apply(FactsUpdate{}.remove(g)).ok);
      }
    }
  }
  std::cout << "property grants: " << trials << " grants added, " << kept << " allows kept, " << gained
            << " denies turned into allows, " << overridden << " allows lost to the type-wide override\n";
  CHECK(trials >= 25 * kWorlds);
  CHECK(kept > 150 * kWorlds);
  CHECK(gained > 8 * kWorlds);
}
