// The full trace's account of subject predicates: every scope, role, grant
// and membership a decision considered, and why each did or did not count.
//
// Runs only when a Trace is attached (Engine::decide(…, trace)); the
// predicates themselves (predicates.cpp) call here after deciding, so the
// summary path pays one predicted branch. Allocation is fine here.
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/evaluation.hpp"

namespace warden::runtime {
namespace {

void quoted(std::string& out, std::string_view text) {
  out += '`';
  out += text;
  out += '`';
}

}  // namespace

void Evaluation::entity_text(std::string& out, EntityId e) const {
  const EntityRecord& r = facts.store().entity(e);
  out += facts.type_name(r);
  out += ' ';
  quoted(out, FactView::id_text(r));
}

void Evaluation::trace_scope(table::Id wanted, Tri result, const SourceNote& note) {
  std::string line = "scope ";
  quoted(line, p.strings[p.scopes[wanted].name]);
  if (!key) {
    line += ": not held (no API key)";
  } else if (result == Tri::True) {
    line += ": held";
    if (note.held != wanted) {
      line += " through ";
      quoted(line, p.strings[p.scopes[note.held].name]);
      line += ", which implies it";
    }
  } else {
    line += ": not held; the key holds ";
    std::size_t n = 0;
    for (const NameId s : key->scopes) {
      if (n++) line += ", ";
      quoted(line, facts.store().scope_name(s));
      if (facts.binding().scope(s) == table::kNone) line += " (not declared by the policy)";
    }
    if (n == 0) line += "no scope";
  }
  trace_->events.push_back({TraceEvent::Kind::Scope, std::move(line)});
}

void Evaluation::trace_role(table::Id wanted, const EntityRef* within, Tri result, const SourceNote& note) {
  std::string line = "role ";
  quoted(line, p.strings[p.roles[wanted].name]);
  if (within) {
    line += " in ";
    if (*within) entity_text(line, within->id);
    else line += "an entity the facts do not know";
  }
  if (!principal) {
    line += principal_id.none() ? ": not held (no principal)" : ": not held (the principal is not in the facts)";
    trace_->events.push_back({TraceEvent::Kind::Role, std::move(line)});
    return;
  }
  if (result == Tri::True) {
    line += ": held as ";
    quoted(line, p.strings[p.roles[note.held].name]);
    if (note.entity != kNoId) {
      line += " in ";
      entity_text(line, note.entity);
    } else {
      line += " (everywhere)";
    }
    if (note.held != wanted) line += ", which includes it";
    trace_->events.push_back({TraceEvent::Kind::Role, std::move(line)});
    return;
  }
  line += ": not held; the principal holds ";
  std::size_t n = 0;
  for (const RoleHeld& r : principal.record->roles()) {
    if (n++) line += ", ";
    quoted(line, facts.store().role_name(r.role));
    if (r.scope != kNoId) {
      line += " in ";
      entity_text(line, r.scope);
    }
    const table::Id assigned = facts.binding().role(r.role);
    if (assigned == table::kNone) line += " (not declared by the policy)";
    else if (r.scope != kNoId && (!within || !*within || r.scope != within->id)) line += " (another entity)";
    else if (!table::test_bit(p, p.roles[assigned].holds, wanted)) line += " (does not include it)";
  }
  if (n == 0) line += "no role";
  trace_->events.push_back({TraceEvent::Kind::Role, std::move(line)});
}

void Evaluation::trace_grants(EntityRef target, NameId target_type, const GrantResolution& res) {
  std::string on;
  on += target_type == kNoId ? std::string_view("entity") : facts.store().type_name(target_type);
  if (target) {
    on += ' ';
    quoted(on, FactView::id_text(*target.record));
  }
  if (!principal) {
    trace_->events.push_back({TraceEvent::Kind::Grant, "grants on " + on + ": none counted (" +
                                                            (principal_id.none() ? "no principal" : "the principal is not in the facts") + ")"});
    return;
  }
  std::size_t seen = 0;
  for (int tier = 0; tier < 2; ++tier) {
    const EntityRef holder_of = tier == 0 ? target : facts.type_wide(target_type);
    if (!holder_of) continue;
    FactView::grants_reaching(*holder_of.record, principal.id, principal.record->reach(), [&](const GrantEntry& g) {
      ++seen;
      std::string line = "grant ";
      quoted(line, facts.grant_id(g.grant));
      line += tier == 0 ? " on " + on : " type-wide";
      line += ": level ";
      quoted(line, facts.store().level_name(g.level));
      if (g.subject == principal.id) {
        line += ", direct";
      } else {
        line += ", to ";
        entity_text(line, g.subject);
        line += " (";
        membership_chain(line, g.subject);
        line += ")";
      }
      const table::Id level = facts.level(g);
      if (level == table::kNone) line += ": does not count (a level the policy does not declare)";
      else if (!g.active()) line += ": does not count (revoked)";
      else if (facts.expired(g, now)) line += ": does not count (expired)";
      else if (&g == res.best) line += ": counts (the highest of the most specific tier)";
      else if (tier > res.tier) line += ": does not count (a grant on the resource itself comes first)";
      else line += ": does not count (another grant is higher)";
      trace_->events.push_back({TraceEvent::Kind::Grant, std::move(line)});
    });
  }
  if (seen == 0) trace_->events.push_back({TraceEvent::Kind::Grant, "grants on " + on + ": none reach the principal"});
}

void Evaluation::trace_grant_level(const table::PredicateRow& pred, const GrantResolution& res, bool permits) {
  std::string line = "grant";
  if (pred.arg != table::kNone) {
    line += " >= ";
    quoted(line, p.strings[p.levels[pred.arg].name]);
  }
  if (!res.best) {
    line += ": no grant counts";
  } else {
    line += ": level ";
    quoted(line, p.strings[p.levels[res.level].name]);
    if (pred.arg != table::kNone) line += permits ? " is enough" : " is below it";
    else if (permits) line += " allows it";
    else {
      line += " does not allow ";
      quoted(line, d.action.view());
    }
  }
  trace_->events.push_back({TraceEvent::Kind::Grant, std::move(line)});
}

// "a member through team `ml`": how the principal reaches a collection, the
// shortest way through direct memberships.
void Evaluation::membership_chain(std::string& out, EntityId collection) const {
  std::unordered_map<EntityId, EntityId> came_from{{principal.id, principal.id}};
  std::deque<EntityId> queue{principal.id};
  while (!queue.empty() && !came_from.contains(collection)) {
    const EntityId e = queue.front();
    queue.pop_front();
    for (const EntityId c : facts.store().links(e).collections.items()) {
      if (came_from.emplace(c, e).second) queue.push_back(c);
    }
  }
  if (!came_from.contains(collection)) {
    out += "not a member";
    return;
  }
  std::vector<EntityId> path;
  for (EntityId e = collection; e != principal.id; e = came_from[e]) path.push_back(e);
  out += path.size() == 1 ? "a direct member" : "a member";
  for (std::size_t i = path.size(); i-- > 1;) {
    out += i + 1 == path.size() ? " through " : ", ";
    entity_text(out, path[i]);
  }
}

void Evaluation::trace_member(EntityRef collection, const Ident& id, Tri result) {
  std::string line = "member of ";
  if (collection) {
    entity_text(line, collection.id);
  } else {
    quoted(line, facts.text(id));
  }
  if (!collection) {
    line += ": no (the facts do not know that entity)";
  } else if (!principal) {
    line += principal_id.none() ? ": no (no principal)" : ": no (the principal is not in the facts)";
  } else if (result == Tri::True) {
    line += ": yes, ";
    membership_chain(line, collection.id);
  } else {
    line += ": no; the principal reaches ";
    std::size_t n = 0;
    for (const EntityId c : principal.record->reach()) {
      if (n == 8) {
        line += ", …";
        break;
      }
      if (n++) line += ", ";
      entity_text(line, c);
    }
    if (n == 0) line += "no collection";
  }
  trace_->events.push_back({TraceEvent::Kind::Membership, std::move(line)});
}

}  // namespace warden::runtime
