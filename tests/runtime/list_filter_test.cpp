// List filtering (Engine::authorized_resources) against pointwise decide():
// over random worlds of every reference policy and the synthetic one, in
// enforce and monitor mode, a listing — whole, or page by page with its
// cursor — holds exactly the known resources of the type that decide()
// allows for the same principal and context. Worlds are larger than the
// differential test's so that lists are long, and they change between
// listings through Engine::apply() (grants, memberships, roles, entities),
// which exercises the incrementally maintained indexes the listing reads.
#include <catch2/catch.hpp>

#include <algorithm>
#include <iostream>
#include <sstream>

#include "tests/runtime/compile_helper.hpp"
#include "tests/runtime/policy_variants.hpp"
#include "tests/runtime/random_world.hpp"
#include "tests/runtime/reference_evaluator.hpp"

using namespace warden;
using namespace warden::test;

namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(WARDEN_TEST_SANITIZED)
constexpr int kWorlds = 2;
#else
constexpr int kWorlds = 5;
#endif

// The known resources of `type` that decide() allows, in id order.
std::vector<std::string> pointwise(const Engine& engine, const FactSet& facts, const TestRequest& base,
                                   const std::string& action, const std::string& type) {
  std::vector<std::string> out;
  for (const std::string& id : WorldGenerator::known_ids(facts, type)) {
    TestRequest r = base;
    r.action = action;
    r.resource_type = type;
    r.resource_id = id;
    if (engine.decide(r.view()).allowed()) out.push_back(id);
  }
  return out;
}

std::string joined(const std::vector<std::string>& ids) {
  std::string s;
  for (const auto& id : ids) s += " " + id;
  return s;
}

}  // namespace

TEST_CASE("list filtering equals pointwise decisions, whole and page by page, as facts change",
          "[runtime][property][list]") {
  const PolicyVariant features_monitor("fixtures/runtime/features", "mode monitor;\n");
  const std::vector<std::string> dirs = {"policies/gateway",        "policies/model_permissions", "policies/platform_rbac",
                                         "policies/tenancy",        "policies/api_servers",        "fixtures/runtime/features",
                                         features_monitor.dir()};
  std::size_t lists = 0, pages = 0, listed = 0, with_attributes = 0, failures = 0;
  std::ostringstream report;
  for (std::size_t pi = 0; pi < dirs.size(); ++pi) {
    const ReferenceEvaluator parsed(dirs[pi]);
    const ast::Policy& policy = parsed.policy();
    if (policy.resources.empty()) continue;
    Engine engine;
    load_policy(engine, dirs[pi]);
    WorldOptions options;
    options.resources_per_type = 40;
    options.grants_per_resource = 3;
    options.users = 12;
    WorldGenerator gen(policy, 0x115700 + pi, options);
    for (int w = 0; w < kWorlds; ++w) {
      FactSet facts = gen.facts();
      REQUIRE(engine.replace_facts(facts).ok);
      for (int round = 0; round < 6; ++round) {
        if (round > 0) {
          const FactsUpdate u = gen.change(facts);
          const Status s = engine.apply(u);
          INFO(s.code << " " << s.message);
          REQUIRE(s.ok);
        }
        for (int k = 0; k < 8; ++k) {
          const auto& type = gen.rng().pick(policy.resources);
          if (type.actions.empty()) continue;
          const std::string action = gen.rng().pick(type.actions).text;
          TestRequest tr = gen.action_request(type.name.text, action);
          tr.resource_id.clear();
          // Mostly without resource attributes (the index answers); now and
          // then with some (every resource of the type is a candidate).
          if (gen.rng().chance(80)) {
            tr.resource_attributes.clear();
          } else {
            ++with_attributes;
          }
          const Request r = tr.view();
          const auto want = pointwise(engine, facts, tr, action, type.name.text);
          const auto whole = engine.authorized_resources(r, action, type.name.text);
          ++lists;
          listed += whole.size();
          bool ok = whole == want;
          // Page by page: at most `limit` ids each, the cursor ending exactly at the end.
          const std::size_t limit = 1 + gen.rng().below(5);
          std::vector<std::string> paged;
          std::string cursor;
          for (std::size_t guard = 0; guard <= want.size() + 1; ++guard) {
            const ResourcePage page = engine.authorized_resources(r, action, type.name.text, limit, cursor);
            ++pages;
            ok = ok && page.ids.size() <= limit && (page.next_cursor.empty() || page.ids.size() == limit);
            paged.insert(paged.end(), page.ids.begin(), page.ids.end());
            if (page.next_cursor.empty()) break;
            ok = ok && page.next_cursor == page.ids.back();
            cursor = page.next_cursor;
          }
          ok = ok && paged == want;
          if (!ok && ++failures <= 5) {
            report << dirs[pi] << " world " << w << " round " << round << ": authorized_resources(" << action << ", "
                   << type.name.text << ") for " << tr.describe() << "\n  listed:   " << joined(whole)
                   << "\n  paged:    " << joined(paged) << " (limit " << limit << ")\n  decide(): " << joined(want)
                   << "\n";
          }
        }
      }
    }
  }
  INFO(report.str());
  CHECK(failures == 0);
  std::cout << "list filtering: " << lists << " lists (" << with_attributes << " with resource attributes), " << pages
            << " pages, " << listed << " ids listed\n";
  CHECK(lists > 200 * kWorlds);
  CHECK(listed > 1000 * kWorlds);
}
