// Building fact snapshots and applying incremental updates to them.
#include "runtime/fact_store.hpp"

#include <algorithm>
#include <set>

#include "support/literals.hpp"

namespace warden::runtime {
namespace {

StoredValue store_value(const FactValue& v) {
  StoredValue s;
  s.value = v;
  if (v.kind == FactValue::Kind::Int) s.as_time = v.number;
  if (v.kind == FactValue::Kind::String && !v.text.empty()) {
    if (const TimeResult t = parse_time(v.text); t.error.empty()) s.as_time = t.unix_seconds;
    if (const IpResult ip = parse_ip(v.text); ip.error.empty()) {
      s.has_ip = true;
      s.ip = ip.address;
    }
  }
  return s;
}

Status missing(std::string_view what, std::string_view field) {
  return Status::error("F0301", std::string(what) + " has an empty `" + std::string(field) + "`");
}

// Change codes: F03xx (fact updates), distinct from the F01xx/F02xx input
// parsing codes of facts_json/request_json.
Status not_found(std::string_view what, std::string_view id) {
  return Status::error("F0302", "cannot remove " + std::string(what) + " `" + std::string(id) + "`: it does not exist");
}

}  // namespace

Status FactStore::build(const FactSet& facts, std::shared_ptr<const FactStore>& out) {
  FactsUpdate all;
  for (const auto& e : facts.entities) all.upsert(e);
  for (const auto& m : facts.memberships) all.upsert(m);
  for (const auto& r : facts.roles) all.upsert(r);
  std::set<std::string_view> grant_ids;
  for (const auto& g : facts.grants) {
    if (!grant_ids.insert(g.id).second) return Status::error("F0303", "grant `" + g.id + "` is given twice");
    all.upsert(g);
  }
  std::set<std::string_view> key_ids;
  for (const auto& k : facts.keys) {
    if (!key_ids.insert(k.id).second) return Status::error("F0303", "api key `" + k.id + "` is given twice");
    all.upsert(k);
  }
  FactStore empty;
  std::shared_ptr<const FactStore> built;
  Status s = empty.apply(all, built);
  if (!s.ok) return s;
  out = std::move(built);
  return s;
}

Status FactStore::apply(const FactsUpdate& update, std::shared_ptr<const FactStore>& out) const {
  auto next = std::make_shared<FactStore>(*this);  // copies shard pointers only
  std::vector<bool> te, tg, ti, tk;
  for (std::size_t i = 0; i < update.changes.size(); ++i) {
    Status s = next->change(update.changes[i], te, tg, ti, tk);
    if (!s.ok) {
      s.line = static_cast<std::uint32_t>(i + 1);
      return s;
    }
  }
  next->version_ = version_ + 1;
  out = std::move(next);
  return Status::success();
}

Status FactStore::change(const FactChange& c, std::vector<bool>& te, std::vector<bool>& tg, std::vector<bool>& ti,
                         std::vector<bool>& tk) {
  const bool upsert = c.op == FactChange::Op::Upsert;
  switch (c.kind) {
    case FactChange::Kind::Entity: {
      const Entity& e = c.entity;
      if (e.type.empty()) return missing("entity", "type");
      if (e.id.empty()) return missing("entity", "id");
      const EntityKeyView key{e.type, e.id};
      auto& shard = entities_.mutable_shard(key, te);
      auto it = shard.find(key);
      if (!upsert) {
        if (it == shard.end() || !it->second.declared) return not_found("entity", e.type + "/" + e.id);
        it->second.declared = false;
        it->second.tenant.clear();
        it->second.attributes.clear();
        return Status::success();
      }
      if (it == shard.end()) it = shard.emplace(EntityKey{e.type, e.id}, EntityRecord{}).first;
      it->second.declared = true;
      it->second.tenant = e.tenant;
      it->second.attributes.clear();
      for (const auto& [name, value] : e.attributes) it->second.attributes.emplace_back(name, store_value(value));
      return Status::success();
    }
    case FactChange::Kind::Membership: {
      const Membership& m = c.membership;
      if (m.member_id.empty()) return missing("membership", "member_id");
      if (m.collection_type.empty()) return missing("membership", "collection_type");
      if (m.collection_id.empty()) return missing("membership", "collection_id");
      const EntityKeyView key{m.member_type, m.member_id};
      auto& shard = entities_.mutable_shard(key, te);
      auto it = shard.find(key);
      const EntityKey collection{m.collection_type, m.collection_id};
      if (!upsert) {
        if (it == shard.end()) return not_found("membership of", m.member_id);
        auto& cs = it->second.collections;
        auto pos = std::find(cs.begin(), cs.end(), collection);
        if (pos == cs.end()) return not_found("membership of", m.member_id);
        cs.erase(pos);
        return Status::success();
      }
      if (it == shard.end()) it = shard.emplace(EntityKey{m.member_type, m.member_id}, EntityRecord{}).first;
      auto& cs = it->second.collections;
      if (std::find(cs.begin(), cs.end(), collection) == cs.end()) cs.push_back(collection);
      return Status::success();
    }
    case FactChange::Kind::Role: {
      const RoleAssignment& r = c.role;
      if (r.principal_id.empty()) return missing("role assignment", "principal_id");
      if (r.role.empty()) return missing("role assignment", "role");
      const EntityKeyView key{r.principal_type, r.principal_id};
      auto& shard = entities_.mutable_shard(key, te);
      auto it = shard.find(key);
      auto same = [&](const RoleRecord& x) { return x.role == r.role && x.scope_type == r.scope_type && x.scope_id == r.scope_id; };
      if (!upsert) {
        if (it == shard.end()) return not_found("role of", r.principal_id);
        auto& rs = it->second.roles;
        auto pos = std::find_if(rs.begin(), rs.end(), same);
        if (pos == rs.end()) return not_found("role `" + r.role + "` of", r.principal_id);
        rs.erase(pos);
        return Status::success();
      }
      if (it == shard.end()) it = shard.emplace(EntityKey{r.principal_type, r.principal_id}, EntityRecord{}).first;
      auto& rs = it->second.roles;
      if (std::find_if(rs.begin(), rs.end(), same) == rs.end()) rs.push_back({r.role, r.scope_type, r.scope_id});
      return Status::success();
    }
    case FactChange::Kind::Grant: {
      const Grant& g = c.grant;
      if (g.id.empty()) return missing("grant", "id");
      // Find and drop any previous version of this grant (it may have moved resource).
      if (const EntityKey* where = grant_ids_.find(std::string_view(g.id))) {
        const EntityKey old = *where;
        auto& shard = grants_.mutable_shard(EntityKeyView(old), tg);
        auto it = shard.find(EntityKeyView(old));
        if (old.id == "*") --type_wide_grants_;
        if (it != shard.end()) {
          auto& list = it->second;
          list.erase(std::remove_if(list.begin(), list.end(), [&](const GrantRecord& r) { return r.id == g.id; }), list.end());
          if (list.empty()) shard.erase(it);
        }
        grant_ids_.mutable_shard(std::string_view(g.id), ti).erase(g.id);
      } else if (!upsert) {
        return not_found("grant", g.id);
      }
      if (!upsert) return Status::success();
      if (g.subject_id.empty()) return missing("grant", "subject_id");
      if (g.resource_type.empty()) return missing("grant", "resource_type");
      if (g.resource_id.empty()) return missing("grant", "resource_id");
      if (g.level.empty()) return missing("grant", "level");
      const EntityKey resource{g.resource_type, g.resource_id};
      auto& shard = grants_.mutable_shard(EntityKeyView(resource), tg);
      shard[resource].push_back({g.id, EntityKey{g.subject_type, g.subject_id}, g.level, g.expires_at, g.active, g.reason});
      if (g.resource_id == "*") ++type_wide_grants_;
      grant_ids_.mutable_shard(std::string_view(g.id), ti)[g.id] = resource;
      return Status::success();
    }
    case FactChange::Kind::ApiKey: {
      const ApiKey& k = c.key;
      if (k.id.empty()) return missing("api key", "id");
      auto& shard = keys_.mutable_shard(std::string_view(k.id), tk);
      if (!upsert) {
        if (shard.erase(k.id) == 0) return not_found("api key", k.id);
        return Status::success();
      }
      if (k.principal_id.empty()) return missing("api key", "principal_id");
      shard[k.id] = KeyRecord{k};
      return Status::success();
    }
  }
  return Status::error("F0304", "unknown fact change");
}

std::vector<std::string> FactStore::ids_of_type(std::string_view type) const {
  std::set<std::string> ids;
  entities_.for_each([&](const EntityKey& k, const EntityRecord& r) {
    if (k.type == type && r.declared) ids.insert(k.id);
  });
  grants_.for_each([&](const EntityKey& k, const std::vector<GrantRecord>&) {
    if (k.type == type && k.id != "*") ids.insert(k.id);
  });
  return {ids.begin(), ids.end()};
}

}  // namespace warden::runtime
