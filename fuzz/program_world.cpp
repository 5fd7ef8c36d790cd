// Facts and requests from a table's own names (see program_world.hpp).
#include "fuzz/program_world.hpp"

#include <string>
#include <vector>

namespace warden::fuzz {
namespace {

using table::Id;
using table::Program;

// Enough records to reach every kind of fact without making a large table
// slow to fuzz.
constexpr std::size_t kMaxPerKind = 256;

std::string entity_id(const std::string& type, int n) { return type + std::to_string(n); }

// A value of the attribute's declared type, as facts carry it.
FactValue value_of(const Program& p, const table::AttributeRow& a) {
  switch (a.type) {
    case table::ValueType::String: return FactValue::string("s");
    case table::ValueType::Int: return FactValue::integer(3);
    case table::ValueType::Bool: return FactValue::flag(true);
    case table::ValueType::Time: return FactValue::string("2024-01-01T10:00:00Z");
    case table::ValueType::Ip: return FactValue::string("10.0.0.1");
    case table::ValueType::Enum: {
      const table::Range values = p.enums[a.type_arg].values;
      return FactValue::string(values.count ? p.str(p.ids[values.begin]) : "none");
    }
    case table::ValueType::Entity: {
      const Id type = a.type_arg;
      const std::string& name = a.entity_kind == table::EntityKind::Principal ? p.str(p.principals[type].name)
                                                                              : p.str(p.resources[type].name);
      return FactValue::string(entity_id(name, 0));
    }
  }
  return FactValue::string("?");
}

void add_entities(const Program& p, const std::string& type, table::Range attrs, FactSet& out) {
  for (int n = 0; n < 2 && out.entities.size() < kMaxPerKind; ++n) {
    Entity e{type, entity_id(type, n), n == 0 ? "" : "t1", {}};
    for (std::uint32_t i = 0; i < attrs.count; ++i) {
      const table::AttributeRow& a = p.attributes[attrs.begin + i];
      if (!a.builtin) e.attributes.emplace_back(p.str(a.name), value_of(p, a));
    }
    out.entities.push_back(std::move(e));
  }
}

}  // namespace

FactSet world_facts(const Program& p) {
  FactSet out;
  for (const auto& t : p.principals) add_entities(p, p.str(t.name), t.attributes, out);
  for (const auto& t : p.resources) add_entities(p, p.str(t.name), t.attributes, out);
  const std::string first_principal = p.principals.empty() ? "user" : p.str(p.principals[0].name);

  for (const auto& t : p.principals) {
    for (std::uint32_t i = 0; i < t.member_of.count && out.memberships.size() < kMaxPerKind; ++i) {
      const std::string collection = p.str(p.principals[p.ids[t.member_of.begin + i]].name);
      for (int n = 0; n < 2; ++n) out.memberships.push_back({p.str(t.name), entity_id(p.str(t.name), n), collection, entity_id(collection, n)});
    }
  }
  for (const auto& r : p.roles) {
    if (out.roles.size() >= kMaxPerKind) break;
    out.roles.push_back({first_principal, entity_id(first_principal, 0), p.str(r.name), "", ""});
    for (const auto& t : p.principals) out.roles.push_back({first_principal, entity_id(first_principal, 1), p.str(r.name), p.str(t.name), entity_id(p.str(t.name), 0)});
  }
  for (const auto& t : p.resources) {
    for (const auto& l : p.levels) {
      if (out.grants.size() >= kMaxPerKind) break;
      const std::string type = p.str(t.name), level = p.str(l.name);
      out.grants.push_back({"g-" + type + "-" + level, first_principal, entity_id(first_principal, 0), type, entity_id(type, 0), level, {}, true, ""});
      out.grants.push_back({"w-" + type + "-" + level, first_principal, entity_id(first_principal, 1), type, "*", level, {}, true, ""});
      out.grants.push_back({"x-" + type + "-" + level, first_principal, entity_id(first_principal, 1), type, entity_id(type, 1), level, 1000, true, ""});
      out.grants.push_back({"r-" + type + "-" + level, first_principal, entity_id(first_principal, 1), type, entity_id(type, 0), level, {}, false, ""});
      if (p.principals.size() > 1) {
        const std::string collection = p.str(p.principals.back().name);
        out.grants.push_back({"c-" + type + "-" + level, collection, entity_id(collection, 0), type, entity_id(type, 1), level, {}, true, ""});
      }
    }
  }
  ApiKey all{"k-all", first_principal, entity_id(first_principal, 0), {}, "", {}, false};
  for (const auto& s : p.scopes) {
    if (out.keys.size() >= kMaxPerKind) break;
    out.keys.push_back({"k-" + p.str(s.name), first_principal, entity_id(first_principal, 1), {p.str(s.name)}, "t1", {}, false});
    all.scopes.push_back(p.str(s.name));
  }
  out.keys.push_back(all);
  out.keys.push_back({"k-expired", first_principal, entity_id(first_principal, 0), all.scopes, "", 1000, false});
  out.keys.push_back({"k-revoked", first_principal, entity_id(first_principal, 0), all.scopes, "", {}, true});
  return out;
}

namespace {

template <class T>
const T* pick(const std::vector<T>& v, std::mt19937_64& rng) {
  return v.empty() ? nullptr : &v[rng() % v.size()];
}

std::string entity_or_noise(const std::string& type, std::mt19937_64& rng) {
  switch (rng() % 4) {
    case 0: return entity_id(type, 0);
    case 1: return entity_id(type, 1);
    case 2: return "";
    default: return "missing";
  }
}

void add_endpoint(const Program& p, std::mt19937_64& rng, OwnedRequest& out) {
  const table::EndpointRow& e = p.endpoints[rng() % p.endpoints.size()];
  static constexpr const char* kMethods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  std::size_t method = rng() % table::kMethodCount;
  for (std::size_t m = 0; m < table::kMethodCount; ++m) {
    if ((e.methods >> m) & 1u) method = m;
  }
  const std::string type = e.has_action ? p.str(p.resources[e.resource_type].name) : "x";
  std::string path;
  for (std::uint32_t i = 0; i < e.segments.count; ++i) {
    const table::SegmentRow& s = p.segments[e.segments.begin + i];
    switch (s.kind) {
      case table::SegmentRow::Kind::Literal: path += "/" + p.str(s.text); break;
      case table::SegmentRow::Kind::Param: path += "/" + entity_or_noise(type, rng); break;
      case table::SegmentRow::Kind::Star: path += "/any"; break;
      case table::SegmentRow::Kind::DoubleStar: path += rng() % 2 ? "/a/b" : ""; break;
    }
  }
  if (path.empty()) path = "/";
  out.request.method = kMethods[method];
  out.request.path = out.keep(path);
  if (e.id_kind == table::EndpointRow::IdKind::Query) out.add_query(p.str(e.id_name), entity_or_noise(type, rng));
  if (e.id_kind == table::EndpointRow::IdKind::Header) out.add_header(p.str(e.id_name), entity_or_noise(type, rng));
}

void add_action(const Program& p, std::mt19937_64& rng, OwnedRequest& out) {
  if (p.resources.empty() || rng() % 16 == 0) {
    out.request.resource_type = "nosuchtype";
    out.request.action = "read";
    return;
  }
  const table::ResourceTypeRow& t = p.resources[rng() % p.resources.size()];
  out.request.resource_type = out.keep(p.str(t.name));
  out.request.action = t.actions.count ? out.keep(p.str(p.action_names[t.actions.begin + rng() % t.actions.count])) : "none";
  out.request.resource_id = out.keep(entity_or_noise(p.str(t.name), rng));
  if (rng() % 2) {
    for (std::uint32_t i = 0; i < t.attributes.count; ++i) {
      const table::AttributeRow& a = p.attributes[t.attributes.begin + i];
      if (a.type == table::ValueType::Int) out.add_resource_attribute(p.str(a.name), AttributeValue::integer(7));
      if (a.type == table::ValueType::String) out.add_resource_attribute(p.str(a.name), AttributeValue::string("s"));
    }
  }
}

}  // namespace

void world_request(const Program& p, std::mt19937_64& rng, OwnedRequest& out) {
  out.clear();
  out.request.request_id = "fuzz";
  out.request.time = rng() % 8 ? std::int64_t{1'700'000'000} : std::int64_t{500};
  if (rng() % 2) out.request.client_ip = "10.0.0.1";
  if (!p.endpoints.empty() && rng() % 2) {
    add_endpoint(p, rng, out);
  } else {
    add_action(p, rng, out);
  }
  const std::string first_principal = p.principals.empty() ? "user" : p.str(p.principals[0].name);
  switch (rng() % 4) {
    case 0: {
      const table::ScopeRow* s = pick(p.scopes, rng);
      out.request.api_key = out.keep(s && rng() % 2 ? "k-" + p.str(s->name) : rng() % 2 ? "k-all" : "k-revoked");
      break;
    }
    case 1:
    case 2:
      out.request.principal_type = out.keep(first_principal);
      out.request.principal_id = out.keep(entity_or_noise(first_principal, rng));
      break;
    default: break;  // anonymous
  }
  for (std::uint32_t i = 0; i < p.tenancy.sources.count; ++i) {
    const table::TenantSourceRow& s = p.tenant_sources[p.tenancy.sources.begin + i];
    if (s.kind == table::TenantSourceRow::Kind::Header && rng() % 2) out.add_header(p.str(s.header), rng() % 2 ? "t1" : "default");
  }
  if (rng() % 4 == 0) out.request.tenant = "t1";
  if (rng() % 2) out.add_context("request_id", AttributeValue::string("fuzz"));
}

}  // namespace warden::fuzz
