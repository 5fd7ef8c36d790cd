// Subject predicates: roles, scopes, grants and membership.
//
// Grants resolve in tiers: grants on the resource itself (to the principal or
// to any collection it belongs to) first; only when none of those is active
// do resource-type-wide grants (resource id "*") count. Within a tier the
// highest level wins (on a tie, the smallest grant id). Expired and revoked
// grants never count, but are noted so a deny can say that an expired grant
// was the only candidate. The collections a principal belongs to, however
// deep, are precomputed by the fact store (EntityRecord::reach).
#include "runtime/evaluation.hpp"

namespace warden::runtime {

Tri Evaluation::path_missing(table::Id path) {
  saw_eval_error = true;
  eval_error.assign("`");
  eval_error.append(p.strings[p.paths[path].text]);
  eval_error.append("` is missing");
  return Tri::Error;
}

Tri Evaluation::member_of(EntityRef collection, const Ident& id, SourceNote& note) {
  const bool member = collection && principal && FactView::reaches(principal.record->reach(), collection.id);
  if (trace_) trace_member(collection, id, member ? Tri::True : Tri::False);
  if (!member) return Tri::False;
  note.kind = SourceKind::Membership;
  note.collection = collection;
  note.collection_id = id;
  return Tri::True;
}

bool Evaluation::entity_at(table::Id path, EntityRef& out, Ident& id, NameId& type) {
  Value v;
  const table::AttributeRow* attr = nullptr;
  if (!load_path(path, v, &attr) || attr == nullptr || attr->type != table::ValueType::Entity) return false;
  type = attr->entity_kind == table::EntityKind::Principal ? facts.principal_type(attr->type_arg)
                                                            : facts.resource_type(attr->type_arg);
  id = v.str;
  out = facts.find(type, id);
  return true;
}

Tri Evaluation::role_held(table::Id role, const EntityRef* within, SourceNote& note) {
  Tri result = Tri::False;
  for (const RoleHeld& r : principal ? principal.record->roles() : std::span<const RoleHeld>{}) {
    const bool global = r.scope == kNoId;
    if (!global && (!within || !*within || r.scope != within->id)) continue;
    const table::Id assigned = facts.binding().role(r.role);
    if (assigned == table::kNone) continue;
    if (!table::test_bit(p, p.roles[assigned].holds, role)) continue;
    note.kind = SourceKind::Role;
    note.held = assigned;
    note.wanted = role;
    note.entity = r.scope;
    result = Tri::True;
    break;
  }
  if (trace_) trace_role(role, within, result, note);
  return result;
}

Tri Evaluation::scope_held(table::Id scope, SourceNote& note) {
  Tri result = Tri::False;
  for (const NameId s : key ? key->scopes.items() : std::span<const NameId>{}) {
    const table::Id held = facts.binding().scope(s);
    if (held == table::kNone || !table::test_bit(p, p.scopes[held].closure, scope)) continue;
    note.kind = SourceKind::Scope;
    note.held = held;
    note.wanted = scope;
    result = Tri::True;
    break;
  }
  if (trace_) trace_scope(scope, result, note);
  return result;
}

Tri Evaluation::grant_held(const table::PredicateRow& pred, SourceNote& note) {
  EntityRef target;
  NameId target_type = kNoId;
  table::Id target_resource_type = resource_type;  // kNone: the target is not a resource
  if (pred.path != table::kNone) {
    Ident id;
    if (!entity_at(pred.path, target, id, target_type)) return path_missing(pred.path);
    target_resource_type = facts.binding().resource_type_of(target_type);
  } else {
    if (resource_id.none()) return Tri::False;
    target = resource;
    target_type = facts.resource_type(resource_type);
  }
  // The request's own resource is asked about by several rules of one
  // decision (a `grant` allow, a `grant >= write` exception, …): resolve its
  // grants once.
  GrantResolution local;
  GrantResolution& res = pred.path == table::kNone ? resource_grants : local;
  if (!res.resolved) {
    resolve_grants(target, target_type, res);
    if (trace_) trace_grants(target, target_type, res);
  }
  if (!res.best) {
    if (trace_) trace_grant_level(pred, res, false);
    return Tri::False;
  }
  bool permits = false;
  if (pred.arg != table::kNone) {
    permits = res.level >= pred.arg;
  } else if (target_resource_type != table::kNone && target_resource_type == resource_type && action != table::kNone) {
    const table::ResourceTypeRow& rt = p.resources[target_resource_type];
    if (res.level < rt.level_actions.count) permits = table::test_bit(p, p.bit_refs[rt.level_actions.begin + res.level], action);
  } else {
    permits = true;
  }
  if (trace_) trace_grant_level(pred, res, permits);
  if (!permits) return Tri::False;
  const GrantEntry& best = *res.best;
  const bool direct = best.subject == principal.id;
  note.type_wide = res.tier == 1;
  note.kind = note.type_wide ? SourceKind::TypeGrant : direct ? SourceKind::DirectGrant : SourceKind::TeamGrant;
  note.grant = &best;
  note.entity = best.subject;
  note.level = res.level;
  return Tri::True;
}

void Evaluation::resolve_grants(EntityRef target, NameId target_type, GrantResolution& res) {
  res.resolved = true;
  const std::span<const EntityId> reach = principal ? principal.record->reach() : std::span<const EntityId>{};
  for (int tier = 0; tier < 2; ++tier) {
    const EntityRef on = tier == 0 ? target : facts.type_wide(target_type);
    if (!on) continue;
    const GrantEntry* best = nullptr;
    table::Id best_level = table::kNone;
    FactView::grants_reaching(*on.record, principal.id, reach, [&](const GrantEntry& g) {
      const table::Id level = facts.level(g);
      if (level == table::kNone) return;
      if (!g.active()) {
        saw_revoked_grant = true;
        noted_revoked = g.grant;
        return;
      }
      if (facts.expired(g, now)) {
        saw_expired_grant = true;
        noted_expired = g.grant;
        return;
      }
      // Ties between grants of one level (rare: two holders reaching the
      // principal) go to the smallest grant id, whatever the store's order.
      if (best == nullptr || level > best_level ||
          (level == best_level && facts.grant_id(g.grant) < facts.grant_id(best->grant))) {
        best = &g;
        best_level = level;
      }
    });
    if (!best) continue;
    // The most specific tier with an active grant decides.
    res.best = best;
    res.level = best_level;
    res.tier = tier;
    return;
  }
}

Tri Evaluation::eval_predicate(table::Id predicate, SourceNote& note) {
  const table::PredicateRow& pred = p.predicates[predicate];
  switch (pred.kind) {
    case table::SubjectKind::Anyone:
      note.kind = SourceKind::Anyone;
      return Tri::True;
    case table::SubjectKind::Role: {
      if (pred.path == table::kNone) return role_held(pred.arg, nullptr, note);
      EntityRef within;
      Ident id;
      NameId type = kNoId;
      if (!entity_at(pred.path, within, id, type)) return path_missing(pred.path);
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
      note.kind = SourceKind::Caller;  // write_source() names the caller kind
      return Tri::True;
    }
    case table::SubjectKind::Member: {
      EntityRef collection;
      Ident id;
      NameId type = kNoId;
      if (!entity_at(pred.path, collection, id, type)) return path_missing(pred.path);
      return member_of(collection, id, note);
    }
  }
  return Tri::Error;
}

}  // namespace warden::runtime
