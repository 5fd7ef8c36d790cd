// Subject predicates: roles, scopes, grants and membership.
//
// Grants resolve in tiers: grants on the resource itself (to the principal or
// to any collection it belongs to) first; only when none of those is active
// do resource-type-wide grants (resource id "*") count. Within a tier the
// highest level wins. Expired and revoked grants never count, but are noted
// so a deny can say that an expired grant was the only candidate.
#include "runtime/evaluation.hpp"

namespace warden::runtime {
namespace {

std::string_view type_name(const table::Program& p, table::EntityKind kind, table::Id type) {
  return p.strings[kind == table::EntityKind::Principal ? p.principals[type].name : p.resources[type].name];
}

}  // namespace

void Evaluation::collect_collections() {
  if (collections_ready) return;
  collections_ready = true;
  // Breadth-first over memberships: the principal's collections, theirs, …
  const EntityRecord* start = principal_record;
  if (!start) return;
  std::size_t next = 0;
  auto visit = [&](const EntityRecord& r) {
    for (const EntityKey& c : r.collections) {
      const EntityKeyView v = c;
      bool seen = false;
      for (const auto& existing : collections) seen = seen || EntityKeyEq{}(existing, v);
      if (seen) continue;
      if (collections.size() == collections.capacity()) {
        collections_overflow = true;
        return;
      }
      collections.push_back(v);
    }
  };
  visit(*start);
  while (next < collections.size()) {
    const EntityKeyView c = collections[next++];
    if (const EntityRecord* r = facts.entity(c.type, c.id)) visit(*r);
  }
}

Tri Evaluation::member_of(EntityKeyView collection, SourceNote& note) {
  collect_collections();
  for (const auto& c : collections) {
    if (EntityKeyEq{}(c, collection)) {
      note.kind = SourceKind::Membership;
      note.detail.assign("member of ");
      note.detail.append(collection.type);
      note.detail.append(" `");
      note.detail.append(collection.id);
      note.detail.append("`");
      return Tri::True;
    }
  }
  if (!collections_overflow) return Tri::False;
  saw_eval_error = true;
  eval_error.assign("the principal belongs to too many collections to decide membership");
  return Tri::Error;
}

bool Evaluation::entity_at(table::Id path, EntityKeyView& out) {
  Value v;
  const table::AttributeRow* attr = nullptr;
  if (!load_path(path, v, &attr) || attr == nullptr || attr->type != table::ValueType::Entity) return false;
  out = EntityKeyView{type_name(p, attr->entity_kind, attr->type_arg), v.text};
  return true;
}

Tri Evaluation::role_held(table::Id role, const EntityKeyView* within, SourceNote& note) {
  if (!principal_record) return Tri::False;
  for (const RoleRecord& r : principal_record->roles) {
    const bool global = r.scope_type.empty();
    if (!global && (!within || r.scope_type != within->type || r.scope_id != within->id)) continue;
    const table::Id assigned = ix.find(ix.roles, r.role);
    if (assigned == table::kNone) continue;
    if (!table::test_bit(p, p.roles[assigned].holds, role)) continue;
    note.kind = SourceKind::Role;
    note.detail.assign("role `");
    note.detail.append(r.role);
    note.detail.append("`");
    if (assigned != role) {
      note.detail.append(" (inherits `");
      note.detail.append(p.strings[p.roles[role].name]);
      note.detail.append("`)");
    }
    if (!global) {
      note.detail.append(" in ");
      note.detail.append(r.scope_type);
      note.detail.append(" `");
      note.detail.append(r.scope_id);
      note.detail.append("`");
    }
    return Tri::True;
  }
  return Tri::False;
}

Tri Evaluation::scope_held(table::Id scope, SourceNote& note) {
  if (!key) return Tri::False;
  for (const std::string& s : key->key.scopes) {
    const table::Id held = ix.find(ix.scopes, s);
    if (held == table::kNone || !table::test_bit(p, p.scopes[held].closure, scope)) continue;
    note.kind = SourceKind::Scope;
    note.detail.assign("scope `");
    note.detail.append(s);
    note.detail.append("`");
    if (held != scope) {
      note.detail.append(" (implies `");
      note.detail.append(p.strings[p.scopes[scope].name]);
      note.detail.append("`)");
    }
    return Tri::True;
  }
  return Tri::False;
}

Tri Evaluation::grant_held(const table::PredicateRow& pred, SourceNote& note) {
  EntityKeyView target{};
  table::Id target_type = resource_type;
  bool target_is_resource = true;
  if (pred.path != table::kNone) {
    if (!entity_at(pred.path, target)) {
      saw_eval_error = true;
      eval_error.assign("`");
      eval_error.append(p.strings[p.paths[pred.path].text]);
      eval_error.append("` is missing");
      return Tri::Error;
    }
    target_type = ix.find(ix.resources, target.type);
    target_is_resource = target_type != table::kNone;
  } else {
    if (resource_id.empty()) return Tri::False;
    target = EntityKeyView{p.strings[p.resources[resource_type].name], resource_id};
  }
  collect_collections();
  // The request's own resource is asked about by several rules of one
  // decision (a `grant` allow, a `grant >= write` exception, …): resolve its
  // grants once.
  GrantResolution local;
  GrantResolution& res = pred.path == table::kNone ? resource_grants : local;
  if (!res.resolved) resolve_grants(target, res);
  if (!res.best) return Tri::False;
  bool permits = false;
  if (pred.arg != table::kNone) {
    permits = res.level >= pred.arg;
  } else if (target_is_resource && target_type == resource_type && action != table::kNone) {
    const table::ResourceTypeRow& rt = p.resources[target_type];
    if (res.level < rt.level_actions.count) permits = table::test_bit(p, p.bit_refs[rt.level_actions.begin + res.level], action);
  } else {
    permits = true;
  }
  if (!permits) return Tri::False;
  const GrantRecord* best = res.best;
  const bool direct = best->subject.type == principal_type && best->subject.id == principal_id;
  const bool type_wide = res.tier == 1;
  note.kind = type_wide ? SourceKind::TypeGrant : direct ? SourceKind::DirectGrant : SourceKind::TeamGrant;
  note.detail.assign(type_wide ? "type-wide grant" : direct ? "direct grant" : "grant to ");
  if (!direct) {
    if (type_wide) note.detail.append(" to ");
    note.detail.append(best->subject.type);
    note.detail.append(" `");
    note.detail.append(best->subject.id);
    note.detail.append("`");
  }
  note.detail.append(", level `");
  note.detail.append(best->level);
  note.detail.append("`");
  note.grant_id.assign(best->id);
  return Tri::True;
}

void Evaluation::resolve_grants(EntityKeyView target, GrantResolution& res) {
  res.resolved = true;
  const std::string_view ids[2] = {target.id, "*"};
  const int tiers = facts.has_type_wide_grants() ? 2 : 1;
  for (int tier = 0; tier < tiers; ++tier) {
    const std::vector<GrantRecord>* list = facts.grants(target.type, ids[tier]);
    if (!list) continue;
    const GrantRecord* best = nullptr;
    table::Id best_level = table::kNone;
    for (const GrantRecord& g : *list) {
      // Does the grant reach this principal?
      const EntityKeyView subject = g.subject;
      bool reaches = subject.type == principal_type && subject.id == principal_id;
      for (std::size_t i = 0; !reaches && i < collections.size(); ++i) reaches = EntityKeyEq{}(collections[i], subject);
      if (!reaches) continue;
      const table::Id level = ix.find(ix.levels, g.level);
      if (level == table::kNone) continue;
      if (!g.active) {
        saw_revoked_grant = true;
        expired_grant_id.assign(g.id);
        continue;
      }
      if (g.expires_at && *g.expires_at <= now) {
        saw_expired_grant = true;
        expired_grant_id.assign(g.id);
        continue;
      }
      if (best == nullptr || level > best_level || (level == best_level && g.id < best->id)) {
        best = &g;
        best_level = level;
      }
    }
    if (!best) continue;
    // The most specific tier with an active grant decides.
    res.best = best;
    res.level = best_level;
    res.tier = tier;
    return;
  }
}

Tri Evaluation::eval_predicate(table::Id id, SourceNote& note) {
  const table::PredicateRow& pred = p.predicates[id];
  switch (pred.kind) {
    case table::SubjectKind::Anyone:
      note.kind = SourceKind::Anyone;
      note.detail.assign("anyone");
      return Tri::True;
    case table::SubjectKind::Role: {
      if (pred.path == table::kNone) return role_held(pred.arg, nullptr, note);
      EntityKeyView within;
      if (!entity_at(pred.path, within)) {
        saw_eval_error = true;
        eval_error.assign("`");
        eval_error.append(p.strings[p.paths[pred.path].text]);
        eval_error.append("` is missing");
        return Tri::Error;
      }
      return role_held(pred.arg, &within, note);
    }
    case table::SubjectKind::Scope:
      return scope_held(pred.arg, note);
    case table::SubjectKind::Grant:
      return grant_held(pred, note);
    case table::SubjectKind::Caller: {
      const CallerKind kind = caller_kind(req);
      const std::uint8_t bit = kind == CallerKind::Key       ? table::kCallerKey
                               : kind == CallerKind::Session ? table::kCallerSession
                                                             : table::kCallerAnonymous;
      if ((pred.arg & bit) == 0) return Tri::False;
      note.kind = SourceKind::Caller;
      note.detail.assign(caller_kind_name(kind));
      note.detail.append(" caller");
      return Tri::True;
    }
    case table::SubjectKind::Member: {
      EntityKeyView collection;
      if (!entity_at(pred.path, collection)) {
        saw_eval_error = true;
        eval_error.assign("`");
        eval_error.append(p.strings[p.paths[pred.path].text]);
        eval_error.append("` is missing");
        return Tri::Error;
      }
      return member_of(collection, note);
    }
  }
  return Tri::Error;
}

}  // namespace warden::runtime
