// Random facts and requests for one policy, shaped by its declarations.
//
// Used by the differential test (engine vs the reference evaluator) and the
// property tests. Everything is driven by one seeded generator (splitmix64,
// no std:: distributions), so a run is reproducible on every platform from
// its seed. A "world" is one random fact set: entities of every declared
// principal and resource type with random tenants and attributes (sometimes
// missing, sometimes of the wrong kind or not a value of their enum),
// memberships along the declared `member of` edges, role assignments (global
// and within a collection), grants with random levels, expiry and revocation
// (including type-wide "*" grants) and API keys with random scopes. Requests
// then draw principals, keys, tenants, times, client addresses (given, or a
// peer with forwarding headers) and context from that world, either as HTTP
// requests built from the policy's endpoint patterns — with the values their
// ids and bindings read from the path, query, headers and JSON body, and
// now and then a path a normalizer must resolve or refuse — or as direct
// action-on-resource requests.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "grammar/ast.hpp"
#include "tests/runtime/test_request.hpp"
#include "warden/facts.hpp"

namespace warden::test {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
  bool chance(int percent) { return static_cast<int>(below(100)) < percent; }
  std::int64_t between(std::int64_t lo, std::int64_t hi) {  // inclusive
    return lo + static_cast<std::int64_t>(below(static_cast<std::size_t>(hi - lo + 1)));
  }
  template <typename T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }

 private:
  std::uint64_t state_;
};

struct WorldOptions {
  bool type_wide_grants = true;  // generate grants on resource id "*"
  int grants_per_resource = 2;
  int resources_per_type = 5;
  int users = 8;
};

class WorldGenerator {
 public:
  // The instant the random times cluster around: 2026-03-02T00:00:00Z.
  static constexpr std::int64_t kEpoch = 1772409600;
  static constexpr std::int64_t kSpread = 25 * 86400;

  WorldGenerator(const ast::Policy& policy, std::uint64_t seed, WorldOptions options = {});

  // A new random world; requests and grants drawn afterwards refer to it.
  FactSet facts();

  // A random request (HTTP when the policy has endpoints, some of the time).
  TestRequest request();
  // A random direct request for `action` on `type` (a random resource id of
  // the type, or none).
  TestRequest action_request(const std::string& type, const std::string& action);
  // A random HTTP request built from one of the policy's endpoints.
  TestRequest http_request();

  // A fresh random grant on a resource type that accepts grants (the policy
  // must have one). `type_wide`: on "*"; otherwise on one resource.
  Grant grant(bool type_wide);

  // A random change to `facts` (the current world), made to `facts` too and
  // returned as the update that makes it: a grant added or removed, a
  // membership moved to another member (collections included, so whole
  // subtrees change what they reach), a role added or removed, an entity's
  // tenant and attributes replaced by another's.
  FactsUpdate change(FactSet& facts);

  // The facts that bear on a request, for failure reports.
  static std::string describe_involved(const FactSet& facts, const TestRequest& request);

  // Known resource ids of a type as the engine lists them: entities of the
  // type and resources that grants name ("*" excluded). Sorted.
  static std::vector<std::string> known_ids(const FactSet& facts, const std::string& type);

  // Identifiers of the current world.
  const std::vector<std::string>& ids_of(const std::string& type) const;
  const std::vector<std::string>& tenants() const { return tenants_; }
  Rng& rng() { return rng_; }

 private:
  std::string fresh(const std::string& prefix) { return prefix + std::to_string(++counter_); }
  TestValue random_value(const ast::TypeExpr& type);
  std::vector<std::pair<std::string, FactValue>> fact_attributes(const std::vector<ast::AttributeDecl>& attrs);
  TestAttributes request_attributes(const std::vector<ast::AttributeDecl>& attrs, int percent_each);
  std::int64_t random_time() { return kEpoch + rng_.between(-kSpread, kSpread); }
  std::int64_t remember(std::int64_t t) {
    instants_.push_back(t);
    return t;
  }
  std::int64_t request_time();
  std::string random_tenant(int percent_none);
  Grant grant_for(const ast::ResourceDecl& type, bool type_wide);
  void choose_principal(TestRequest& r);
  void add_context(TestRequest& r);
  void add_forwarding(TestRequest& r);
  void add_path_noise(TestRequest& r);
  const ast::PrincipalDecl* principal_decl(const std::string& name) const;
  const ast::ResourceDecl* resource_decl(const std::string& name) const;

  const ast::Policy& policy_;
  Rng rng_;
  WorldOptions options_;
  std::uint64_t counter_ = 0;

  std::vector<std::string> tenants_{"acme", "globex", "default"};  // and the policy's default
  std::vector<std::string> principal_types_;  // declared, plus "user"
  std::vector<std::string> collection_types_;  // principal types others are members of
  std::map<std::string, std::vector<std::string>> ids_;  // type -> ids (principals and resources)
  std::vector<std::string> key_ids_;
  std::map<std::string, std::vector<std::string>> keys_of_;  // user -> key ids
  std::vector<std::string> no_ids_;
  std::vector<std::int64_t> instants_;  // expiry and attribute times of the current world
  std::vector<std::int64_t> boundaries_;  // minutes of the day named by `hours(…)`
  std::vector<std::string> time_literals_;  // RFC 3339 literals of the policy
  // Resource types whose endpoints build the id from several parts, the
  // parts; and for each such id of the current world, the values it is
  // made of (in the order of the parts that are not literal).
  std::map<std::string, const std::vector<ast::ValuePart>*> composite_ids_;
  std::map<std::string, std::vector<std::string>> composite_values_;
};

}  // namespace warden::test
