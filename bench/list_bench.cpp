// List filtering benchmarks: Engine::authorized_resources() for a user who
// holds 100 grants among a million.
//
// World (fixed seed): the model_permissions policy, 10k users in 100 teams
// in 20 organizations, 100k models, each user holding exactly 100 direct
// grants on random models (1M grants) and owning about 10 models. Teams and
// organizations hold no grants, so a user's answer for `read` is the ~100
// models they hold grants on plus the ~10 they own (less expired and revoked
// grants). Each call is timed alone (p50/p99 counters, in ns);
// `answer` is the mean number of ids per call.
//
//   BM_ListFilter/limit:0    the whole answer
//   BM_ListFilter/limit:20   the first page of 20
//   BM_ListPages             every page of 20, cursor to cursor (per user)
//
// Run from the repository root (see docs/performance.md).
#include <benchmark/benchmark.h>

#include <random>

#include "bench/timed.hpp"
#include "bench/compiled_policy.hpp"
#include "warden/engine.hpp"

namespace {

using namespace warden;

constexpr int kUsers = 10000, kTeams = 100, kOrgs = 20, kModels = 100000, kGrantsPerUser = 100;

struct ListWorld {
  Engine engine;
  std::vector<std::string> users;
};

const ListWorld& world() {
  static const std::unique_ptr<ListWorld> built = [] {
    auto w = std::make_unique<ListWorld>();
    bench::load_policy(w->engine, "policies/model_permissions");
    std::mt19937 rng(17);
    FactSet facts;
    for (int o = 0; o < kOrgs; ++o) facts.entities.push_back({"org", "o" + std::to_string(o), "", {}});
    for (int t = 0; t < kTeams; ++t) facts.memberships.push_back({"team", "team" + std::to_string(t), "org", "o" + std::to_string(t % kOrgs)});
    for (int u = 0; u < kUsers; ++u) {
      w->users.push_back("u" + std::to_string(u));
      facts.entities.push_back({"user", w->users.back(), "", {}});
      facts.memberships.push_back({"user", w->users.back(), "team", "team" + std::to_string(u % kTeams)});
    }
    const char* stages[] = {"none", "staging", "production", "archived"};
    for (int m = 0; m < kModels; ++m) {
      Entity e{"model", "m" + std::to_string(m), "", {}};
      e.attributes.push_back({"org", FactValue::string("o" + std::to_string(m % kOrgs))});
      e.attributes.push_back({"owner", FactValue::string("u" + std::to_string(rng() % kUsers))});
      e.attributes.push_back({"stage", FactValue::string(stages[rng() % 4])});
      e.attributes.push_back({"sensitive", FactValue::flag(rng() % 5 == 0)});
      facts.entities.push_back(std::move(e));
    }
    const char* levels[] = {"read", "write", "execute", "admin"};
    facts.grants.reserve(static_cast<std::size_t>(kUsers) * kGrantsPerUser);
    for (int u = 0; u < kUsers; ++u) {
      for (int k = 0; k < kGrantsPerUser; ++k) {
        Grant g;
        g.id = "g" + std::to_string(u) + "-" + std::to_string(k);
        g.subject_id = w->users[static_cast<std::size_t>(u)];
        g.resource_type = "model";
        g.resource_id = "m" + std::to_string(rng() % kModels);
        g.level = levels[rng() % 4];
        if (rng() % 10 == 0) g.expires_at = 1700000000;
        g.active = rng() % 20 != 0;
        facts.grants.push_back(std::move(g));
      }
    }
    if (!w->engine.replace_facts(facts).ok) std::abort();
    return w;
  }();
  return *built;
}

Request list_request(const std::string& user) {
  Request r;
  r.principal_id = user;
  r.request_id = "bench";
  r.time = 1790000000;
  return r;
}

void BM_ListFilter(benchmark::State& state) {
  const ListWorld& w = world();
  const auto limit = static_cast<std::size_t>(state.range(0));
  std::vector<std::uint32_t> samples;
  std::size_t i = 0, ids = 0;
  for (auto _ : state) {
    const Request r = list_request(w.users[(i++ * 7919) % w.users.size()]);
    const auto t0 = std::chrono::steady_clock::now();
    const ResourcePage page = w.engine.authorized_resources(r, "read", "model", limit, {});
    const auto t1 = std::chrono::steady_clock::now();
    ids += page.ids.size();
    samples.push_back(bench::ns_between(t0, t1));
  }
  bench::report_percentiles(state, samples);
  state.counters["answer"] = static_cast<double>(ids) / static_cast<double>(i);
  state.counters["grants"] = static_cast<double>(kUsers) * kGrantsPerUser;
}
BENCHMARK(BM_ListFilter)->ArgName("limit")->Arg(0)->Arg(20)->Iterations(20000)->Unit(benchmark::kMicrosecond);

void BM_ListPages(benchmark::State& state) {
  const ListWorld& w = world();
  std::vector<std::uint32_t> samples;
  std::size_t i = 0, pages = 0;
  for (auto _ : state) {
    const Request r = list_request(w.users[(i++ * 7919) % w.users.size()]);
    const auto t0 = std::chrono::steady_clock::now();
    std::string cursor;
    do {
      ResourcePage page = w.engine.authorized_resources(r, "read", "model", 20, cursor);
      cursor = std::move(page.next_cursor);
      ++pages;
    } while (!cursor.empty());
    const auto t1 = std::chrono::steady_clock::now();
    samples.push_back(bench::ns_between(t0, t1));
  }
  bench::report_percentiles(state, samples);
  state.counters["pages"] = static_cast<double>(pages) / static_cast<double>(i);
}
BENCHMARK(BM_ListPages)->Iterations(5000)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
