// The facts of a store as records again (see FactStore::visit in
// fact_store.hpp): what a policy loaded later is checked against.
//
// The store keeps facts interned and indexed for decisions, not as the
// records they came from; this walks it and writes each record back out by
// name, one at a time into one reused FactChange, so visiting a million
// grants allocates no more than the longest record needs. Ids are read
// through pointers into the arena and the grant table, scattered in memory:
// most of a walk's time, which a walk for names only (`ids` false) skips.
#include "runtime/fact_store.hpp"

namespace warden::runtime {

void FactStore::visit(const std::function<void(const FactChange&)>& visit, bool ids) const {
  FactChange c;
  c.op = FactChange::Op::Upsert;
  const auto id_of = [&](EntityId e) { return ids ? StringArena::view(entities_[e].id_text) : std::string_view(); };
  const auto value_of = [&](Sym s) { return ids && s != kNoId ? values_.text(s) : std::string_view(); };
  const auto type_of = [&](EntityId e) { return types_.text(entities_[e].type); };

  c.kind = FactChange::Kind::Entity;
  for (EntityId e = 0; e < entities_.size(); ++e) {
    const EntityRecord& r = entities_[e];
    if (!r.declared) continue;  // only referred to by other records
    Entity& out = c.entity;
    out.type.assign(type_of(e));
    out.id.assign(id_of(e));
    out.tenant.assign(value_of(r.tenant));
    out.attributes.resize(r.attribute_count);
    std::size_t i = 0;
    for (const StoredAttribute& a : r.attributes()) {
      auto& [name, value] = out.attributes[i++];
      name.assign(attributes_.text(a.name));
      value.kind = a.kind;
      value.text.clear();
      value.number = a.kind == FactValue::Kind::Int ? a.number : 0;
      value.boolean = a.kind == FactValue::Kind::Bool && a.number != 0;
      // A value is a name too (an enum's), checked against the policy.
      if (a.kind == FactValue::Kind::String) value.text.assign(values_.text(a.text));
    }
    visit(c);
  }

  c.kind = FactChange::Kind::Membership;
  for (EntityId e = 0; e < entities_.size(); ++e) {
    for (const EntityId collection : links_[e].collections.items()) {
      Membership& m = c.membership;
      m.member_type.assign(type_of(e));
      m.member_id.assign(id_of(e));
      m.collection_type.assign(type_of(collection));
      m.collection_id.assign(id_of(collection));
      visit(c);
    }
  }

  c.kind = FactChange::Kind::Role;
  for (EntityId e = 0; e < entities_.size(); ++e) {
    for (const RoleHeld& held : entities_[e].roles()) {
      RoleAssignment& a = c.role;
      a.principal_type.assign(type_of(e));
      a.principal_id.assign(id_of(e));
      a.role.assign(roles_.text(held.role));
      a.scope_type.assign(held.scope == kNoId ? std::string_view() : type_of(held.scope));
      a.scope_id.assign(held.scope == kNoId ? std::string_view() : id_of(held.scope));
      visit(c);
    }
  }

  // Grants from the resources that hold them (a grant's reason is not kept:
  // no decision reads it).
  c.kind = FactChange::Kind::Grant;
  for (EntityId e = 0; e < entities_.size(); ++e) {
    for (const GrantEntry& entry : entities_[e].grants()) {
      Grant& g = c.grant;
      g.id.assign(ids ? grant_id(entry.grant) : std::string_view());
      g.subject_type.assign(type_of(entry.subject));
      g.subject_id.assign(id_of(entry.subject));
      g.resource_type.assign(type_of(e));
      g.resource_id.assign(id_of(e));
      g.level.assign(levels_.text(entry.level));
      g.expires_at.reset();
      if (entry.expires != GrantEntry::kNever) g.expires_at = expiry(entry);
      g.active = entry.active();
      visit(c);
    }
  }

  c.kind = FactChange::Kind::ApiKey;
  for (KeyId k = 0; k < keys_.size(); ++k) {
    const KeyRecord& r = keys_[k];
    if (r.id == nullptr) continue;  // removed
    ApiKey& key = c.key;
    key.id.assign(ids ? StringArena::view(r.id) : std::string_view());
    key.principal_type.assign(types_.text(r.principal_type));
    key.principal_id.assign(value_of(r.principal_id));
    key.scopes.resize(r.scopes.size());
    for (std::size_t i = 0; i < r.scopes.size(); ++i) key.scopes[i].assign(scopes_.text(r.scopes[i]));
    key.tenant.assign(value_of(r.tenant));
    key.expires_at.reset();
    if (r.has_expiry) key.expires_at = r.expires_at;
    key.revoked = r.revoked;
    visit(c);
  }
}

}  // namespace warden::runtime
