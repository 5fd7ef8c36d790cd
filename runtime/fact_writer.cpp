// Fact changes, one record at a time, into the writer's drafts (see
// fact_writer.hpp); fact_writer_finish.cpp turns the drafts into the store.
#include "runtime/fact_writer.hpp"

#include <algorithm>

#include "support/literals.hpp"

namespace warden::runtime {
namespace {

Status missing(std::string_view what, std::string_view field) {
  return Status::error("F0301", std::string(what) + " has an empty `" + std::string(field) + "`");
}

// Change codes: F03xx (fact updates), distinct from the F01xx/F02xx input
// parsing codes of facts_json/request_json.
Status not_found(std::string_view what, std::string_view id) {
  return Status::error("F0302", "cannot remove " + std::string(what) + " `" + std::string(id) + "`: it does not exist");
}

Status given_twice(std::string_view what, std::string_view id) {
  return Status::error("F0303", std::string(what) + " `" + std::string(id) + "` is given twice");
}

// Levels are stored in 24 bits of a grant entry.
constexpr std::uint32_t kMaxLevels = 1u << 24;

}  // namespace

FactStore::Writer::Writer(FactStore& store, bool unique_ids) : store_(store), unique_ids_(unique_ids) {
  for (auto& recent : recent_names_) recent.fill({std::string_view{}, kNoId});
  if (!store_.arena_) store_.arena_ = std::make_shared<StringArena>();
  if (store_.star_ == kNoId) store_.star_ = value("*");
}

NameId FactStore::Writer::name(int vocabulary, std::string_view text) {
  // Records name few distinct types, levels, roles: the last few names of
  // each vocabulary are remembered (their text stays in the arena).
  auto& recent = recent_names_[vocabulary];
  for (const auto& [seen, id] : recent) {
    if (id != kNoId && same_text(seen, text)) return id;
  }
  const NameId id = intern_name(vocabulary, text);
  recent[next_recent_[vocabulary]++ % recent.size()] = {text_of_name(vocabulary, id), id};
  return id;
}

std::string_view FactStore::Writer::text_of_name(int vocabulary, NameId id) const {
  switch (vocabulary) {
    case kTypes: return store_.types_.text(id);
    case kRoles: return store_.roles_.text(id);
    case kScopes: return store_.scopes_.text(id);
    case kLevels: return store_.levels_.text(id);
    default: return store_.attributes_.text(id);
  }
}

NameId FactStore::Writer::intern_name(int vocabulary, std::string_view text) {
  switch (vocabulary) {
    case kTypes: return store_.types_.intern(text, arena());
    case kRoles: return store_.roles_.intern(text, arena());
    case kScopes: return store_.scopes_.intern(text, arena());
    case kLevels: return store_.levels_.intern(text, arena());
    default: return store_.attributes_.intern(text, arena());
  }
}

EntityId FactStore::Writer::entity(std::string_view type, std::string_view id, bool create) {
  if (!create) {
    const NameId t = store_.types_.find(type).id;
    return t == kNoId ? kNoId : store_.find_entity(t, id);
  }
  const NameId t = name(kTypes, type);
  if (const EntityId e = store_.find_entity(t, id); e != kNoId) return e;
  const Sym s = value(id);
  const auto e = static_cast<EntityId>(store_.entities_.size());
  EntityRecord r;
  r.type = t;
  r.id = s;
  r.id_text = store_.values_.stored(s);
  r.next_same_id = store_.values_.tag(s);
  store_.entities_.push_back(std::move(r));
  store_.links_.push_back({});
  store_.values_.set_tag(s, e);  // the first of the chain of entities with this id
  const std::uint64_t h = entity_hash(t, id);
  store_.entity_index_.insert(h, EntitySlot{EntityIndex::stored_hash(h), e, store_.values_.stored(s), t, SlotHead<11>::of(id)});
  return e;
}

FactStore::Writer::Draft& FactStore::Writer::draft(EntityId e, std::uint8_t what) {
  Draft& d = drafts_[e];
  if (d.touched & what) return d;
  d.touched |= what;
  const EntityRecord& r = store_.entities_[e];
  switch (what) {
    case Draft::kTouchedAttributes:
      d.attributes.assign(r.attributes().begin(), r.attributes().end());
      d.addresses.assign(r.addresses().begin(), r.addresses().end());
      break;
    case Draft::kTouchedCollections: {
      const Block<EntityId>& c = store_.links_[e].collections;
      d.collections.assign(c.begin(), c.end());
      break;
    }
    case Draft::kTouchedRoles: d.roles.assign(r.roles().begin(), r.roles().end()); break;
    case Draft::kTouchedGrants: d.grants.assign(r.grants().begin(), r.grants().end()); break;
  }
  return d;
}

Status FactStore::Writer::change(const FactChange& c) {
  const bool upsert = c.op == FactChange::Op::Upsert;
  switch (c.kind) {
    case FactChange::Kind::Entity: return change(c.entity, upsert);
    case FactChange::Kind::Membership: return change(c.membership, upsert);
    case FactChange::Kind::Role: return change(c.role, upsert);
    case FactChange::Kind::Grant: return change(c.grant, upsert);
    case FactChange::Kind::ApiKey: return change(c.key, upsert);
  }
  return Status::error("F0304", "unknown fact change");
}

void FactStore::Writer::set_attributes(EntityId e, const std::vector<std::pair<std::string, FactValue>>& attributes) {
  Draft& d = draft(e, Draft::kTouchedAttributes);
  const auto ref_key = [](Sym value, NameId attribute) { return (std::uint64_t{value} << 32) | attribute; };
  for (const StoredAttribute& old : d.attributes) {
    if (old.kind == FactValue::Kind::String) refs_.push_back({ref_key(old.text, old.name), e, false});
  }
  d.attributes.clear();
  d.addresses.clear();
  for (const auto& [attr_name, v] : attributes) {
    StoredAttribute s;
    s.name = name(kAttributes, attr_name);
    s.kind = v.kind;
    switch (v.kind) {
      case FactValue::Kind::Int:
        s.number = v.number;
        s.has_time = true;
        break;
      case FactValue::Kind::Bool:
        s.number = v.boolean ? 1 : 0;
        break;
      case FactValue::Kind::String: {
        s.text = value(v.text);
        refs_.push_back({ref_key(s.text, s.name), e, true});
        // Typed readings, made once here. Neither form can start otherwise.
        const char first = v.text.empty() ? '\0' : v.text.front();
        if (first >= '0' && first <= '9') {
          if (const TimeResult t = parse_time(v.text); t.error.empty()) {
            s.has_time = true;
            s.number = t.unix_seconds;
          }
        }
        if ((first >= '0' && first <= '9') || (first >= 'a' && first <= 'f') || (first >= 'A' && first <= 'F') ||
            first == ':') {
          if (const IpResult ip = parse_ip(v.text); ip.error.empty()) {
            s.has_ip = true;
            s.number = static_cast<std::int64_t>(d.addresses.size());
            d.addresses.push_back(ip.address);
          }
        }
        break;
      }
    }
    d.attributes.push_back(s);
  }
}

Status FactStore::Writer::change(const Entity& e, bool upsert) {
  if (e.type.empty()) return missing("entity", "type");
  if (e.id.empty()) return missing("entity", "id");
  if (!upsert) {
    const EntityId id = entity(e.type, e.id, false);
    if (id == kNoId || !store_.entities_[id].declared) return not_found("entity", e.type + "/" + e.id);
    EntityRecord& r = record(id);
    r.declared = false;
    r.tenant = kNoId;
    set_attributes(id, {});
    return Status::success();
  }
  const EntityId id = entity(e.type, e.id, true);
  const Sym tenant = e.tenant.empty() ? kNoId : value(e.tenant);
  EntityRecord& r = record(id);
  r.declared = true;
  r.tenant = tenant;
  set_attributes(id, e.attributes);
  return Status::success();
}

Status FactStore::Writer::change(const Membership& m, bool upsert) {
  if (m.member_id.empty()) return missing("membership", "member_id");
  if (m.collection_type.empty()) return missing("membership", "collection_type");
  if (m.collection_id.empty()) return missing("membership", "collection_id");
  const EntityId member = entity(m.member_type, m.member_id, upsert);
  if (member == kNoId) return not_found("membership of", m.member_id);
  const EntityId collection = entity(m.collection_type, m.collection_id, upsert);
  if (!upsert && collection == kNoId) return not_found("membership of", m.member_id);
  Draft& d = draft(member, Draft::kTouchedCollections);
  auto pos = std::find(d.collections.begin(), d.collections.end(), collection);
  if (!upsert) {
    if (pos == d.collections.end()) return not_found("membership of", m.member_id);
    d.collections.erase(pos);
    members_.push_back({collection, member, false});
  } else {
    if (pos != d.collections.end()) return Status::success();
    d.collections.push_back(collection);
    members_.push_back({collection, member, true});
  }
  reach_changed_.push_back(member);
  return Status::success();
}

Status FactStore::Writer::change(const RoleAssignment& a, bool upsert) {
  if (a.principal_id.empty()) return missing("role assignment", "principal_id");
  if (a.role.empty()) return missing("role assignment", "role");
  const EntityId principal = entity(a.principal_type, a.principal_id, upsert);
  if (principal == kNoId) return not_found("role of", a.principal_id);
  RoleHeld held;
  held.role = upsert ? name(kRoles, a.role) : store_.roles_.find(a.role).id;
  // A role within an entity names it by type and id; without a type it is global.
  if (!a.scope_type.empty()) held.scope = entity(a.scope_type, a.scope_id, upsert);
  const bool known = held.role != kNoId && (a.scope_type.empty() || held.scope != kNoId);
  Draft& d = draft(principal, Draft::kTouchedRoles);
  auto pos = std::find_if(d.roles.begin(), d.roles.end(),
                          [&](const RoleHeld& r) { return r.role == held.role && r.scope == held.scope; });
  if (!upsert) {
    if (!known || pos == d.roles.end()) return not_found("role `" + a.role + "` of", a.principal_id);
    d.roles.erase(pos);
    return Status::success();
  }
  if (pos == d.roles.end()) d.roles.push_back(held);
  return Status::success();
}

void FactStore::Writer::drop_grant(GrantId g) {
  const GrantSlot& slot = store_.grants_[g];
  Draft& d = draft(slot.resource, Draft::kTouchedGrants);
  auto pos = std::find_if(d.grants.begin(), d.grants.end(), [&](const GrantEntry& x) { return x.grant == g; });
  if (pos != d.grants.end()) {
    held_.push_back({pos->subject, g, false});
    if (pos->expires == GrantEntry::kFar) {
      const std::uint64_t h = mix(g);
      store_.far_expiry_.edit(h).erase(FarSlot{g, static_cast<std::uint32_t>(h), 0});
    }
    d.grants.erase(pos);
  }
  if (store_.entities_[slot.resource].id == store_.star_) --store_.type_wide_grants_;
  --store_.grant_count_;
}

Status FactStore::Writer::change(const Grant& g, bool upsert) {
  if (g.id.empty()) return missing("grant", "id");
  const std::uint64_t hash = hash_text(g.id);
  // A whole fact set has no previous versions (an id given twice is found
  // when the index is built, finish_grant_index()).
  const GrantIndexSlot* found =
      unique_ids_ ? nullptr
                  : store_.grant_index_.find(hash, GrantIndexKey{g.id, static_cast<std::uint32_t>(hash), &store_.grants_});
  GrantId id = found ? found->grant : kNoId;
  if (id != kNoId) {
    drop_grant(id);  // the previous version (it may move to another resource)
  } else if (!upsert) {
    return not_found("grant", g.id);
  }
  if (!upsert) {
    GrantSlot& slot = store_.grants_.edit(id);
    slot.id = nullptr;
    slot.resource = kNoId;
    slot.next_free = store_.free_grant_;
    store_.free_grant_ = id;
    store_.grant_index_.edit(hash).erase(GrantIndexSlot{id, static_cast<std::uint32_t>(hash)});
    return Status::success();
  }
  if (g.subject_id.empty()) return missing("grant", "subject_id");
  if (g.resource_type.empty()) return missing("grant", "resource_type");
  if (g.resource_id.empty()) return missing("grant", "resource_id");
  if (g.level.empty()) return missing("grant", "level");
  const NameId level = name(kLevels, g.level);
  if (level >= kMaxLevels) return Status::error("F0305", "more than 16777216 distinct grant levels");
  const EntityId resource = entity(g.resource_type, g.resource_id, true);
  const EntityId subject = entity(g.subject_type, g.subject_id, true);
  if (id == kNoId) {
    if (store_.free_grant_ != kNoId) {
      id = store_.free_grant_;
      store_.free_grant_ = store_.grants_[id].next_free;
    } else {
      id = static_cast<GrantId>(store_.grants_.size());
      store_.grants_.push_back({});
    }
    GrantSlot& slot = store_.grants_.edit(id);
    slot.id = arena().add(g.id);
    slot.next_free = kNoId;
    if (unique_ids_) {
      pending_grants_.emplace_back(hash, id);
    } else {
      store_.grant_index_.edit(hash).insert(GrantIndexSlot{id, static_cast<std::uint32_t>(hash)});
    }
  }
  store_.grants_.edit(id).resource = resource;
  GrantEntry entry;
  entry.subject = subject;
  entry.grant = id;
  entry.level = level;
  entry.flags = g.active ? GrantEntry::kActive : 0;
  if (g.expires_at) {
    const std::int64_t at = *g.expires_at;
    if (at >= 0 && at < GrantEntry::kFar) {
      entry.expires = static_cast<std::uint32_t>(at);
    } else {
      entry.expires = GrantEntry::kFar;
      const std::uint64_t h = mix(id);
      store_.far_expiry_.edit(h).insert(FarSlot{id, static_cast<std::uint32_t>(h), at});
    }
  }
  draft(resource, Draft::kTouchedGrants).grants.push_back(entry);
  held_.push_back({subject, id, true});
  if (store_.entities_[resource].id == store_.star_) ++store_.type_wide_grants_;
  ++store_.grant_count_;
  return Status::success();
}

Status FactStore::Writer::change(const ApiKey& k, bool upsert) {
  if (k.id.empty()) return missing("api key", "id");
  const KeyId existing = store_.key_index_.find(k.id).id;
  const bool present = existing != kNoId && store_.keys_[existing].id != nullptr;
  if (!upsert) {
    if (!present) return not_found("api key", k.id);
    store_.keys_.edit(existing) = KeyRecord{};
    return Status::success();
  }
  if (present && unique_ids_) return given_twice("api key", k.id);
  if (k.principal_id.empty()) return missing("api key", "principal_id");
  const KeyId id = store_.key_index_.intern(k.id, arena());
  if (id == store_.keys_.size()) store_.keys_.push_back({});
  KeyRecord r;
  r.id = store_.key_index_.stored(id);
  r.principal_type = name(kTypes, k.principal_type);
  r.principal_id = value(k.principal_id);
  r.tenant = k.tenant.empty() ? kNoId : value(k.tenant);
  r.revoked = k.revoked;
  r.has_expiry = k.expires_at.has_value();
  r.expires_at = k.expires_at.value_or(0);
  std::vector<NameId> scopes;
  scopes.reserve(k.scopes.size());
  for (const std::string& s : k.scopes) scopes.push_back(name(kScopes, s));
  r.scopes = Block<NameId>::of(scopes);
  store_.keys_.edit(id) = std::move(r);
  return Status::success();
}

}  // namespace warden::runtime
