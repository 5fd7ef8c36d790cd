// Random worlds and requests (see random_world.hpp).
#include "tests/runtime/random_world.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

namespace warden::test {
namespace {

const std::vector<std::string> kAddresses = {
    "10.1.2.3",     "10.255.0.1",  "172.16.5.4", "172.31.255.255", "172.32.0.1", "192.168.1.10",
    "8.8.8.8",      "127.0.0.1",   "::1",        "2001:db8::1",    "::ffff:10.0.0.5", "not-an-ip"};
const std::vector<std::string> kTokens = {"a", "b", "x1", "search", "v2", "latest"};
const std::vector<std::string> kStrings = {"ml", "research", "legal", "eu", "US", "DE", ""};
using PartKey = std::pair<ast::ValuePart::Kind, std::string>;

const std::vector<std::string> kMethods = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
// Hops of a forwarding header: trusted proxies (10/8, the reference
// policies' proxy range), clients, ports, IPv6 and what is not an address.
const std::vector<std::string> kHops = {"10.0.0.7",         "10.9.8.7",       "203.0.113.9", "8.8.8.8:4711",
                                        "172.16.5.4",       "[2001:db8::1]:443", "2001:db8::2", "::ffff:10.1.1.1",
                                        "unknown",          "_hidden",        "10.0.0.300",  ""};
// Pieces spliced into a path now and then: what the normalizer must resolve,
// decode or refuse the same way in the engine and in the reference.
const std::vector<std::string> kPathNoise = {"//",     "/./",    "/../",   "/x/../", "/%2e%2e/", "/%2E/", "%2F",  "%2f..%2f",
                                             "%5C",    ";p=1",   "%3B",    "%41",    "%7e",      "%C3%A9", "%c3%a9", "%00",
                                             "%C0%AF", "%E0%80%AE", "%ED%A0%80", "%",    "%zz",      "%252e",  " ",    "/."};

std::string rfc3339(std::int64_t t) {
  // Civil date from days since the epoch (Howard Hinnant's algorithm).
  std::int64_t days = t / 86400, secs = t % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t doe = days - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2);
  auto two = [](std::int64_t n) { return std::string(n < 10 ? "0" : "") + std::to_string(n); };
  return std::to_string(y) + "-" + two(m) + "-" + two(d) + "T" + two(secs / 3600) + ":" + two(secs / 60 % 60) + ":" +
         two(secs % 60) + "Z";
}

// "X-Tenant-ID" in a random letter case: header names are case-insensitive.
std::string random_case(Rng& rng, std::string s) {
  switch (rng.below(3)) {
    case 0: return s;
    case 1:
      for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return s;
    default:
      for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return s;
  }
}

}  // namespace

WorldGenerator::WorldGenerator(const ast::Policy& policy, std::uint64_t seed, WorldOptions options)
    : policy_(policy), rng_(seed), options_(options) {
  // The policy's own default tenant is a tenant like any other.
  if (!policy_.tenancies.empty() && policy_.tenancies.front().default_tenant) {
    const std::string& d = policy_.tenancies.front().default_tenant->value;
    if (std::find(tenants_.begin(), tenants_.end(), d) == tenants_.end()) tenants_.push_back(d);
  }
  for (const auto& p : policy_.principals) principal_types_.push_back(p.name.text);
  if (std::find(principal_types_.begin(), principal_types_.end(), "user") == principal_types_.end()) {
    principal_types_.push_back("user");
  }
  // The times of day that `hours(…)` conditions turn on.
  for (const auto& rule : policy_.rules) {
    for (const auto& e : rule.exprs) {
      // Time literals, to give attributes exactly those values now and then.
      for (const auto* o : {&e.left, &e.right}) {
        const std::string& t = o->literal.text;
        if (o->kind == ast::Operand::Kind::Literal && o->literal.kind == ast::Literal::Kind::String && t.size() >= 20 &&
            t[10] == 'T') {
          time_literals_.push_back(t);
        }
      }
      if (e.kind != ast::Expr::Kind::In || e.set.kind != ast::SetExpr::Kind::Hours) continue;
      for (const auto* hhmm : {&e.set.first.value, &e.set.second.value}) {
        if (hhmm->size() == 5) boundaries_.push_back(std::stoi(hhmm->substr(0, 2)) * 60 + std::stoi(hhmm->substr(3, 2)));
      }
    }
  }
  for (const auto& e : policy_.endpoints) {
    if (e.action && e.action->id.kind == ast::IdSource::Kind::Composite) {
      composite_ids_.emplace(e.action->resource_type.text, &e.action->id.parts);
    }
  }
  for (const auto& p : policy_.principals) {
    for (const auto& c : p.member_of) {
      if (std::find(collection_types_.begin(), collection_types_.end(), c.text) == collection_types_.end()) {
        collection_types_.push_back(c.text);
      }
    }
  }
}

const ast::PrincipalDecl* WorldGenerator::principal_decl(const std::string& name) const {
  for (const auto& p : policy_.principals) {
    if (p.name.text == name) return &p;
  }
  return nullptr;
}

const ast::ResourceDecl* WorldGenerator::resource_decl(const std::string& name) const {
  for (const auto& r : policy_.resources) {
    if (r.name.text == name) return &r;
  }
  return nullptr;
}

const std::vector<std::string>& WorldGenerator::ids_of(const std::string& type) const {
  auto it = ids_.find(type);
  return it == ids_.end() ? no_ids_ : it->second;
}

std::string WorldGenerator::random_tenant(int percent_none) {
  if (rng_.chance(percent_none)) return "";
  return rng_.pick(tenants_);
}

TestValue WorldGenerator::random_value(const ast::TypeExpr& type) {
  // Now and then a value of the wrong kind: reading it is an evaluation error.
  if (rng_.chance(3)) {
    return type.kind == ast::TypeExpr::Kind::Int ? TestValue::string("12") : TestValue::integer(12);
  }
  switch (type.kind) {
    case ast::TypeExpr::Kind::String: return TestValue::string(rng_.pick(kStrings));
    case ast::TypeExpr::Kind::Int: return TestValue::integer(rng_.between(-10, 100));
    case ast::TypeExpr::Kind::Bool: return TestValue::flag(rng_.chance(50));
    case ast::TypeExpr::Kind::Time:
      if (rng_.chance(5)) return TestValue::string("not-a-time");
      if (!time_literals_.empty() && rng_.chance(10)) return TestValue::string(rng_.pick(time_literals_));
      return rng_.chance(50) ? TestValue::integer(remember(random_time())) : TestValue::string(rfc3339(remember(random_time())));
    case ast::TypeExpr::Kind::Ip: return TestValue::string(rng_.pick(kAddresses));
    case ast::TypeExpr::Kind::Enum:
      if (rng_.chance(4) || type.enum_values.empty()) return TestValue::string("bogus");
      return TestValue::string(rng_.pick(type.enum_values).text);
    case ast::TypeExpr::Kind::Entity: {
      const auto& pool = ids_of(type.entity.text);
      if (pool.empty() || rng_.chance(8)) return TestValue::string("ghost");
      return TestValue::string(rng_.pick(pool));
    }
  }
  return TestValue::string("");
}

std::vector<std::pair<std::string, FactValue>> WorldGenerator::fact_attributes(const std::vector<ast::AttributeDecl>& attrs) {
  std::vector<std::pair<std::string, FactValue>> out;
  for (const auto& a : attrs) {
    if (!rng_.chance(85)) continue;
    const TestValue v = random_value(a.type);
    FactValue f;
    f.kind = static_cast<FactValue::Kind>(v.kind);
    f.text = v.text;
    f.number = v.number;
    f.boolean = v.boolean;
    out.emplace_back(a.name.text, f);
  }
  return out;
}

TestAttributes WorldGenerator::request_attributes(const std::vector<ast::AttributeDecl>& attrs, int percent_each) {
  TestAttributes out;
  for (const auto& a : attrs) {
    if (rng_.chance(percent_each)) out.emplace_back(a.name.text, random_value(a.type));
  }
  return out;
}

std::int64_t WorldGenerator::request_time() {
  // Now and then exactly at (or a second before) an expiry or a time in the
  // facts, or at the edge of an `hours(…)` window, where `<` and `<=` differ.
  if (!instants_.empty() && rng_.chance(8)) return rng_.pick(instants_) - (rng_.chance(50) ? 0 : 1);
  if (!boundaries_.empty() && rng_.chance(8)) {
    const std::int64_t day = (random_time() / 86400) * 86400;
    const std::int64_t minute = rng_.pick(boundaries_) - (rng_.chance(50) ? 0 : 1);
    return day + ((minute + 1440) % 1440) * 60 + rng_.between(0, 59);
  }
  return random_time();
}

FactSet WorldGenerator::facts() {
  FactSet f;
  ids_.clear();
  instants_.clear();
  key_ids_.clear();
  keys_of_.clear();
  // Identifiers first (attributes refer to them), then the records.
  for (const auto& type : principal_types_) {
    const int n = type == "user" ? options_.users : 3;
    for (int i = 1; i <= n; ++i) ids_[type].push_back(type + std::to_string(i));
  }
  composite_values_.clear();
  for (const auto& r : policy_.resources) {
    const auto composite = composite_ids_.find(r.name.text);
    for (int i = 1; i <= options_.resources_per_type; ++i) {
      if (composite == composite_ids_.end()) {
        ids_[r.name.text].push_back(r.name.text + "-" + std::to_string(i));
        continue;
      }
      // An id an endpoint builds from several parts (`owner + "/" + repo`)
      // is made of values for them, remembered so that requests can name
      // it; the last value ends in `i`, which keeps the ids apart.
      std::vector<std::string> values;
      for (const auto& part : *composite->second) {
        if (part.kind == ast::ValuePart::Kind::Literal) continue;
        // A part named after another type ({org}) takes one of its ids.
        const auto& pool = part.text == r.name.text ? no_ids_ : ids_of(part.text);
        values.push_back(pool.empty() ? rng_.pick(kTokens) : rng_.pick(pool));
      }
      if (values.empty()) values.emplace_back();
      values.back() += std::to_string(i);
      std::string id;
      std::size_t k = 0;
      for (const auto& part : *composite->second) id += part.kind == ast::ValuePart::Kind::Literal ? part.text : values[k++];
      if (k == 0) id += values.back();
      ids_[r.name.text].push_back(id);
      composite_values_[id] = std::move(values);
    }
  }
  for (const auto& type : principal_types_) {
    const ast::PrincipalDecl* decl = principal_decl(type);
    for (const auto& id : ids_[type]) {
      if (!rng_.chance(85)) continue;  // unknown to the facts
      Entity e{type, id, random_tenant(12), {}};
      if (decl) e.attributes = fact_attributes(decl->attributes);
      f.entities.push_back(std::move(e));
    }
  }
  for (const auto& r : policy_.resources) {
    for (const auto& id : ids_[r.name.text]) {
      if (!rng_.chance(85)) continue;
      f.entities.push_back(Entity{r.name.text, id, random_tenant(12), fact_attributes(r.attributes)});
    }
  }
  // Memberships along the declared edges. A type that is a member of itself
  // (teams in teams) gets memberships only towards later ids of the type, so
  // they nest at any depth without forming a cycle (which facts refuse).
  for (const auto& p : policy_.principals) {
    const auto& members = ids_[p.name.text];
    for (std::size_t i = 0; i < members.size(); ++i) {
      const std::string& id = members[i];
      for (const auto& c : p.member_of) {
        const auto& pool = ids_[c.text];
        const bool nested = c.text == p.name.text;
        int count = rng_.chance(nested ? 60 : 45) ? 1 : 0;
        if (rng_.chance(12)) ++count;
        for (int k = 0; k < count; ++k) {
          std::string collection;
          if (rng_.chance(4) || pool.empty()) collection = "ghost";
          else if (!nested) collection = rng_.pick(pool);
          else if (i + 1 < pool.size()) collection = pool[i + 1 + rng_.below(std::min<std::size_t>(2, pool.size() - i - 1))];
          else continue;
          Membership m{p.name.text, id, c.text, collection};
          if (std::find(f.memberships.begin(), f.memberships.end(), m) == f.memberships.end()) f.memberships.push_back(m);
        }
      }
    }
  }
  // Role assignments: mostly users, globally or within a collection.
  if (!policy_.roles.empty()) {
    for (const auto& type : principal_types_) {
      for (const auto& id : ids_[type]) {
        if (!rng_.chance(type == "user" ? 55 : 10)) continue;
        const int count = rng_.chance(30) ? 2 : 1;
        for (int k = 0; k < count; ++k) {
          RoleAssignment a;
          a.principal_type = type;
          a.principal_id = id;
          a.role = rng_.chance(4) ? "ghost_role" : rng_.pick(policy_.roles).name.text;
          if (!collection_types_.empty() && rng_.chance(35)) {
            a.scope_type = rng_.pick(collection_types_);
            const auto& pool = ids_[a.scope_type];
            a.scope_id = pool.empty() || rng_.chance(5) ? "ghost" : rng_.pick(pool);
          }
          f.roles.push_back(a);
        }
      }
    }
  }
  // Grants on the types that accept them.
  if (!policy_.levels.empty()) {
    for (const auto& r : policy_.resources) {
      if (r.grants_to.empty() || r.level_maps.empty()) continue;
      const int n = options_.grants_per_resource * options_.resources_per_type;
      for (int k = 0; k < n; ++k) f.grants.push_back(grant_for(r, options_.type_wide_grants && rng_.chance(20)));
    }
  }
  // API keys.
  if (!policy_.scopes.empty() || rng_.chance(50)) {
    for (const auto& user : ids_["user"]) {
      const int count = static_cast<int>(rng_.below(3));
      for (int k = 0; k < count; ++k) {
        ApiKey key;
        key.id = fresh("key");
        key.principal_type = "user";
        key.principal_id = user;
        for (const auto& s : policy_.scopes) {
          if (rng_.chance(25)) key.scopes.push_back(s.name.text);
        }
        if (rng_.chance(5)) key.scopes.push_back("ghost:scope");
        key.revoked = rng_.chance(8);
        if (rng_.chance(12)) key.expires_at = remember(random_time());
        // Mostly no tenant; else usually its owner's (restated), sometimes
        // another (KEY_TENANT_MISMATCH).
        key.tenant = random_tenant(75);
        if (!key.tenant.empty() && rng_.chance(70)) {
          key.tenant.clear();
          for (const auto& e : f.entities) {
            if (e.type == "user" && e.id == user) key.tenant = e.tenant;
          }
        }
        key_ids_.push_back(key.id);
        keys_of_[user].push_back(key.id);
        f.keys.push_back(std::move(key));
      }
    }
  }
  return f;
}

Grant WorldGenerator::grant_for(const ast::ResourceDecl& r, bool type_wide) {
  Grant g;
  g.id = fresh("grant");
  g.subject_type = rng_.pick(r.grants_to).text;
  const auto& subjects = ids_of(g.subject_type);
  g.subject_id = subjects.empty() || rng_.chance(5) ? "ghost" : rng_.pick(subjects);
  g.resource_type = r.name.text;
  g.resource_id = type_wide ? "*" : rng_.pick(ids_of(r.name.text));
  g.level = rng_.chance(5) ? "superuser" : rng_.pick(policy_.levels.front().levels).text;
  if (rng_.chance(45)) g.expires_at = remember(random_time());
  g.active = rng_.chance(88);
  g.reason = "random";
  return g;
}

FactsUpdate WorldGenerator::change(FactSet& facts) {
  FactsUpdate u;
  const bool grants = std::any_of(policy_.resources.begin(), policy_.resources.end(), [](const ast::ResourceDecl& r) {
    return !r.grants_to.empty() && !r.level_maps.empty();
  });
  const auto erase_at = [](auto& v, std::size_t i) { v.erase(v.begin() + static_cast<std::ptrdiff_t>(i)); };
  switch (rng_.below(5)) {
    case 0:
      if (grants && !policy_.levels.empty()) {
        Grant g = grant(rng_.chance(20));
        facts.grants.push_back(g);
        u.upsert(std::move(g));
        return u;
      }
      break;
    case 1:
      if (!facts.grants.empty()) {
        const std::size_t i = rng_.below(facts.grants.size());
        u.remove(facts.grants[i]);
        erase_at(facts.grants, i);
        return u;
      }
      break;
    case 2:
      if (!facts.memberships.empty()) {
        const std::size_t i = rng_.below(facts.memberships.size());
        Membership m = facts.memberships[i];
        u.remove(m);
        erase_at(facts.memberships, i);
        const auto& pool = ids_of(m.member_type);
        if (!pool.empty()) {
          m.member_id = rng_.pick(pool);
          // Nested collections of one type stay ordered: no cycle.
          const auto at = [&](const std::string& id) { return std::find(pool.begin(), pool.end(), id) - pool.begin(); };
          const bool ordered = m.member_type != m.collection_type || m.collection_id == "ghost" || at(m.member_id) < at(m.collection_id);
          if (ordered && std::find(facts.memberships.begin(), facts.memberships.end(), m) == facts.memberships.end()) {
            facts.memberships.push_back(m);
            u.upsert(m);
          }
        }
        return u;
      }
      break;
    case 3:
      if (!facts.roles.empty()) {
        const std::size_t i = rng_.below(facts.roles.size());
        if (rng_.chance(50)) {
          // Every copy: a fact set may give one assignment twice, the engine keeps one.
          const RoleAssignment gone = facts.roles[i];
          u.remove(gone);
          facts.roles.erase(std::remove(facts.roles.begin(), facts.roles.end(), gone), facts.roles.end());
        } else {
          RoleAssignment a = facts.roles[i];
          const auto& pool = ids_of(a.principal_type);
          if (!pool.empty()) a.principal_id = rng_.pick(pool);
          if (std::find(facts.roles.begin(), facts.roles.end(), a) == facts.roles.end()) {
            facts.roles.push_back(a);
            u.upsert(std::move(a));
          }
        }
        return u;
      }
      break;
    default:
      break;
  }
  if (!facts.entities.empty()) {
    Entity e = facts.entities[rng_.below(facts.entities.size())];
    const Entity& donor = facts.entities[rng_.below(facts.entities.size())];
    if (donor.type == e.type) {
      e.attributes = donor.attributes;
      e.tenant = donor.tenant;
    }
    for (auto& x : facts.entities) {
      if (x.type == e.type && x.id == e.id) x = e;
    }
    u.upsert(std::move(e));
  }
  return u;
}

Grant WorldGenerator::grant(bool type_wide) {
  std::vector<const ast::ResourceDecl*> types;
  for (const auto& r : policy_.resources) {
    if (!r.grants_to.empty() && !r.level_maps.empty()) types.push_back(&r);
  }
  return grant_for(*rng_.pick(types), type_wide);
}

void WorldGenerator::choose_principal(TestRequest& r) {
  const std::size_t roll = rng_.below(100);
  const auto& users = ids_["user"];
  if (roll < 55) {
    r.principal_id = rng_.chance(6) ? "nobody" : rng_.pick(users);
    if (rng_.chance(35)) {
      const auto& own = keys_of_[r.principal_id];
      if (!own.empty() && rng_.chance(70)) r.api_key = rng_.pick(own);
      else if (!key_ids_.empty() && rng_.chance(65)) r.api_key = rng_.pick(key_ids_);
      else r.api_key = "key-missing";
    }
  } else if (roll < 77) {
    if (key_ids_.empty() && !rng_.chance(10)) r.principal_id = rng_.pick(users);
    else r.api_key = key_ids_.empty() || rng_.chance(5) ? "key-missing" : rng_.pick(key_ids_);
  } else if (roll < 87) {
    r.principal_type = rng_.pick(principal_types_);
    const auto& pool = ids_[r.principal_type];
    r.principal_id = pool.empty() ? "ghost" : rng_.pick(pool);
  } else if (roll < 91) {
    r.principal_type = "service";
    r.principal_id = "svc1";
  }  // else anonymous
  if (const ast::PrincipalDecl* decl = principal_decl(r.principal_type); decl && rng_.chance(25)) {
    r.principal_attributes = request_attributes(decl->attributes, 60);
  }
}

void WorldGenerator::add_context(TestRequest& r) {
  r.request_id = fresh("req");
  if (rng_.chance(8)) r.tenant = rng_.pick(tenants_);
  if (rng_.chance(55)) r.headers.emplace_back(random_case(rng_, "X-Tenant-ID"), random_tenant(10));
  // Mostly with a time; without one the engine decides at its clock, far
  // from the random times.
  if (rng_.chance(97)) r.time = request_time();
  // The client address: given by the caller, or the connection's peer and
  // what forwarding headers say (read only behind a trusted proxy).
  const std::size_t address = rng_.below(100);
  if (address < 70) {
    r.client_ip = rng_.pick(kAddresses);
  } else if (address < 92) {
    r.peer_address = rng_.chance(50) ? "10.0.0.5" : rng_.pick(kHops);
    add_forwarding(r);
  }
  for (const auto& ctx : policy_.contexts) {
    for (const auto& a : ctx.attributes) {
      if (rng_.chance(85)) r.context.emplace_back(a.name.text, random_value(a.type));
    }
  }
}

void WorldGenerator::add_forwarding(TestRequest& r) {
  const std::size_t lines = rng_.chance(30) ? 0 : rng_.chance(85) ? 1 : 2;
  for (std::size_t line = 0; line < lines; ++line) {
    const std::size_t hops = 1 + rng_.below(3);
    std::string xff, forwarded;
    for (std::size_t k = 0; k < hops; ++k) {
      const std::string hop = rng_.pick(kHops);
      xff += (k ? ", " : "") + hop;
      const bool quote = hop.find(':') != std::string::npos || hop.find('[') != std::string::npos;
      forwarded += (k ? ", " : "") + std::string(rng_.chance(30) ? "proto=https;" : "") + (rng_.chance(50) ? "for=" : "For=") +
                   (quote ? "\"" + hop + "\"" : hop);
    }
    if (rng_.chance(5)) forwarded += rng_.chance(50) ? ";for=8.8.4.4" : ", \"broken";
    if (rng_.chance(60)) r.headers.emplace_back(random_case(rng_, "X-Forwarded-For"), xff);
    else r.headers.emplace_back(random_case(rng_, "Forwarded"), forwarded);
  }
}

// Splices a piece of kPathNoise into the path at a random place.
void WorldGenerator::add_path_noise(TestRequest& r) {
  if (r.path.empty()) return;
  const std::string noise = rng_.pick(kPathNoise);
  const std::size_t at = rng_.below(r.path.size() + 1);
  r.path.insert(at == 0 ? 1 : at, noise);
}

TestRequest WorldGenerator::action_request(const std::string& type, const std::string& action) {
  TestRequest r;
  choose_principal(r);
  add_context(r);
  r.resource_type = type;
  r.action = action;
  const std::size_t roll = rng_.below(100);
  const auto& pool = ids_of(type);
  if (roll < 72 && !pool.empty()) r.resource_id = rng_.pick(pool);
  else if (roll < 82) r.resource_id = type + "-unknown";
  if (const ast::ResourceDecl* decl = resource_decl(type); decl && rng_.chance(25)) {
    r.resource_attributes = request_attributes(decl->attributes, 70);
  }
  if (rng_.chance(12)) r.resource_attributes.emplace_back("tenant", TestValue::string(rng_.pick(tenants_)));
  return r;
}

TestRequest WorldGenerator::http_request() {
  const ast::EndpointDecl& e = rng_.pick(policy_.endpoints);
  TestRequest r;
  choose_principal(r);
  add_context(r);
  if (rng_.chance(92)) {
    const ast::Method m = rng_.pick(e.methods);
    r.method = m == ast::Method::Any ? rng_.pick(kMethods) : ast::method_name(m);
  } else {
    r.method = rng_.chance(80) ? rng_.pick(kMethods) : "get";
  }
  const std::string id_type = e.action ? e.action->resource_type.text : std::string();
  // A value for each part the endpoint reads from the request: first the
  // resource id (mostly a known resource's; a composite id through the
  // values it was made of), then the bound attributes (values of their
  // declared types).
  std::map<PartKey, TestValue> chosen;
  auto choose = [&](const ast::ValuePart& part, TestValue v) {
    if (part.kind != ast::ValuePart::Kind::Literal) chosen.emplace(PartKey{part.kind, part.text}, std::move(v));
  };
  if (e.action && e.action->id.kind != ast::IdSource::Kind::None && rng_.chance(85)) {
    const auto& pool = ids_of(id_type);
    const std::string id = pool.empty() || rng_.chance(10) ? id_type + "-unknown" : rng_.pick(pool);
    const auto& parts = e.action->id.parts;
    if (parts.size() == 1) {
      choose(parts.front(), rng_.chance(4) ? TestValue::integer(rng_.between(-3, 3)) : TestValue::string(id));
    } else {
      const auto made = composite_values_.find(id);
      std::size_t k = 0;
      for (const auto& part : parts) {
        if (part.kind == ast::ValuePart::Kind::Literal) continue;
        const bool known = made != composite_values_.end() && k < made->second.size();
        choose(part, TestValue::string(known ? made->second[k] : rng_.pick(kTokens)));
        ++k;
      }
    }
  }
  if (const ast::ResourceDecl* decl = e.action ? resource_decl(id_type) : nullptr) {
    for (const auto& b : e.bindings) {
      const auto attr = std::find_if(decl->attributes.begin(), decl->attributes.end(),
                                     [&](const ast::AttributeDecl& a) { return a.name.text == b.target.attrs.front().text; });
      if (b.value.size() == 1 && attr != decl->attributes.end()) {
        choose(b.value.front(), random_value(attr->type));
        continue;
      }
      for (const auto& part : b.value) choose(part, TestValue::string(rng_.pick(kTokens)));
    }
  }
  auto as_text = [](const TestValue& v) {
    switch (v.kind) {
      case AttributeValue::Kind::String: return v.text;
      case AttributeValue::Kind::Int: return std::to_string(v.number);
      case AttributeValue::Kind::Bool: return std::string(v.boolean ? "true" : "false");
    }
    return std::string();
  };
  for (const auto& seg : e.segments) {
    std::string text;
    switch (seg.kind) {
      case ast::PathSegment::Kind::Literal: text = seg.text; break;
      case ast::PathSegment::Kind::Param:
        if (const auto it = chosen.find({ast::ValuePart::Kind::PathParam, seg.text}); it != chosen.end() && rng_.chance(90)) {
          text = as_text(it->second);
        } else if (!ids_of(seg.text).empty() && rng_.chance(70)) {
          text = rng_.pick(ids_of(seg.text));  // e.g. {org}: an organization
        } else {
          text = rng_.pick(kTokens);
        }
        break;
      case ast::PathSegment::Kind::Star: text = rng_.pick(kTokens); break;
      case ast::PathSegment::Kind::DoubleStar: {
        const std::size_t n = rng_.below(3);
        for (std::size_t i = 0; i < n; ++i) r.path += "/" + rng_.pick(kTokens);
        continue;
      }
    }
    r.path += "/" + text;
  }
  if (r.path.empty()) r.path = "/";
  if (rng_.chance(8)) {
    switch (rng_.below(5)) {
      case 0: r.path += "/"; break;
      case 1: r.path += "/extra"; break;
      case 2: r.path = r.path.substr(0, r.path.rfind('/')); break;
      case 3: r.path = "nope"; break;
      default: r.path += "//"; break;
    }
  }
  if (rng_.chance(12)) add_path_noise(r);
  // The other parts: mostly there, now and then given twice (ambiguous).
  for (const auto& [key, value] : chosen) {
    if (key.first == ast::ValuePart::Kind::PathParam || !rng_.chance(88)) continue;
    const int copies = rng_.chance(4) ? 2 : 1;
    for (int c = 0; c < copies; ++c) {
      switch (key.first) {
        case ast::ValuePart::Kind::Query: r.query.emplace_back(key.second, as_text(value)); break;
        case ast::ValuePart::Kind::Header: r.headers.emplace_back(random_case(rng_, key.second), as_text(value)); break;
        case ast::ValuePart::Kind::Body: r.body.emplace_back(key.second, value); break;
        case ast::ValuePart::Kind::PathParam:
        case ast::ValuePart::Kind::Literal: break;
      }
    }
  }
  if (rng_.chance(10)) r.query.emplace_back("page", "2");
  if (rng_.chance(10)) r.body.emplace_back("description", TestValue::string("random"));
  if (e.action && rng_.chance(20)) {
    if (const ast::ResourceDecl* decl = resource_decl(id_type)) r.resource_attributes = request_attributes(decl->attributes, 70);
  }
  return r;
}

TestRequest WorldGenerator::request() {
  if (!policy_.endpoints.empty() && rng_.chance(60)) return http_request();
  if (policy_.resources.empty() || rng_.chance(3)) {
    return action_request(rng_.chance(50) ? "ghost_type" : "", "read");
  }
  const ast::ResourceDecl& r = rng_.pick(policy_.resources);
  const std::string action = r.actions.empty() || rng_.chance(4) ? "ghost_action" : rng_.pick(r.actions).text;
  return action_request(r.name.text, action);
}

std::vector<std::string> WorldGenerator::known_ids(const FactSet& facts, const std::string& type) {
  std::set<std::string> ids;
  for (const auto& e : facts.entities) {
    if (e.type == type) ids.insert(e.id);
  }
  for (const auto& g : facts.grants) {
    if (g.resource_type == type && g.resource_id != "*") ids.insert(g.resource_id);
  }
  return {ids.begin(), ids.end()};
}

std::string WorldGenerator::describe_involved(const FactSet& facts, const TestRequest& request) {
  std::ostringstream out;
  // The principal: from the request, or the key's owner.
  std::string ptype = request.principal_type, pid = request.principal_id;
  for (const auto& k : facts.keys) {
    if (k.id != request.api_key) continue;
    out << "  key " << k.id << " of " << k.principal_type << "/" << k.principal_id << " scopes [";
    for (const auto& s : k.scopes) out << " " << s;
    out << " ] tenant=" << (k.tenant.empty() ? "(none)" : k.tenant) << (k.revoked ? " revoked" : "");
    if (k.expires_at) out << " expires_at=" << *k.expires_at;
    out << "\n";
    if (pid.empty()) {
      ptype = k.principal_type;
      pid = k.principal_id;
    }
  }
  // The entities the request names: the principal and its collections, the
  // resource (or, for HTTP, anything named in the path or query).
  std::set<std::pair<std::string, std::string>> principals{{ptype, pid}};
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& m : facts.memberships) {
      if (principals.count({m.member_type, m.member_id}) && principals.insert({m.collection_type, m.collection_id}).second) {
        grew = true;
      }
    }
  }
  std::set<std::string> names{request.resource_id};
  for (std::size_t pos = 0; pos < request.path.size();) {
    const std::size_t end = std::min(request.path.find('/', pos + 1), request.path.size());
    names.insert(request.path.substr(pos + 1, end - pos - 1));
    pos = end;
  }
  for (const auto& [n, v] : request.query) names.insert(v);
  for (const auto& [n, v] : request.headers) names.insert(v);
  for (const auto& [n, v] : request.body) names.insert(v.text);
  std::set<std::string> referenced;
  for (const auto& e : facts.entities) {
    if (!principals.count({e.type, e.id}) && !names.count(e.id)) continue;
    for (const auto& [n, v] : e.attributes) {
      if (v.kind == FactValue::Kind::String) referenced.insert(v.text);
    }
  }
  for (const auto& e : facts.entities) {
    if (!principals.count({e.type, e.id}) && !names.count(e.id) && !referenced.count(e.id)) continue;
    out << "  entity " << e.type << "/" << e.id << " tenant=" << (e.tenant.empty() ? "(none)" : e.tenant);
    for (const auto& [n, v] : e.attributes) {
      out << " " << n << "=";
      switch (v.kind) {
        case FactValue::Kind::String: out << "\"" << v.text << "\""; break;
        case FactValue::Kind::Int: out << v.number; break;
        case FactValue::Kind::Bool: out << (v.boolean ? "true" : "false"); break;
      }
    }
    out << "\n";
  }
  for (const auto& m : facts.memberships) {
    if (principals.count({m.member_type, m.member_id})) {
      out << "  membership " << m.member_type << "/" << m.member_id << " in " << m.collection_type << "/"
          << m.collection_id << "\n";
    }
  }
  for (const auto& r : facts.roles) {
    if (principals.count({r.principal_type, r.principal_id})) {
      out << "  role " << r.role << " of " << r.principal_type << "/" << r.principal_id;
      if (!r.scope_type.empty()) out << " within " << r.scope_type << "/" << r.scope_id;
      out << "\n";
    }
  }
  for (const auto& g : facts.grants) {
    if (g.resource_id != "*" && !names.count(g.resource_id)) continue;
    if (!principals.count({g.subject_type, g.subject_id})) continue;
    out << "  grant " << g.id << " " << g.level << " on " << g.resource_type << "/" << g.resource_id << " to "
        << g.subject_type << "/" << g.subject_id << (g.active ? "" : " inactive");
    if (g.expires_at) out << " expires_at=" << *g.expires_at;
    out << "\n";
  }
  return out.str();
}

}  // namespace warden::test
