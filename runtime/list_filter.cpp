// List filtering (Engine::authorized_resources) by index.
//
// The answer is computed from what can allow, not by deciding every known
// resource: the allow rules of (type, action) name the candidates — the
// resources the principal's reachable grants are on, the resources whose
// attribute names an entity the principal holds a scoped role in, belongs
// to, or is (`resource.owner == principal.id`) — through the fact store's
// reverse indexes. A rule that may allow every resource of the type (a
// global role, a held scope, a type-wide grant, `anyone` without such a
// condition or a kind of caller the request is, a path of more than one
// step) makes every listable resource of
// the type a candidate. Each candidate is then decided exactly as decide()
// would decide it (Evaluation::decide_listed), so the list is consistent
// with single decisions by construction; the cost is proportional to the
// candidates, which for index-driven rules is the principal's grants and
// the answer.
//
// Pages are in id order; a cursor is the last id of the previous page
// (keyset pagination), so a page after a fact change neither repeats nor
// skips what did not change.
#include <algorithm>

#include "runtime/evaluation.hpp"
#include "runtime/list_filter.hpp"

namespace warden::runtime {
namespace {

struct Candidates {
  bool all = false;  // every listable resource of the type
  std::vector<EntityId> ids;
};

// `resource.A` in one step, A a stored attribute of `type`: its vocabulary id.
NameId one_step_attribute(const table::Program& p, const Binding& b, table::Id path_id, table::Id type) {
  const table::PathRow& path = p.paths[path_id];
  if (path.root != table::EntityKind::Resource || path.rest.count != 0) return kNoId;
  for (std::uint32_t i = 0; i < path.first.count; ++i) {
    const table::PathStep& s = p.path_steps[path.first.begin + i];
    if (s.type != type) continue;
    const table::Id row = p.resources[type].attributes.begin + s.attribute;
    return p.attributes[row].builtin ? kNoId : b.attribute[row];
  }
  return kNoId;
}

bool is_principal_id(const table::Program& p, table::Id path_id) {
  const table::PathRow& path = p.paths[path_id];
  if (path.root != table::EntityKind::Principal || path.rest.count != 0 || path.first.count == 0) return false;
  for (std::uint32_t i = 0; i < path.first.count; ++i) {
    if (p.path_steps[path.first.begin + i].attribute != table::kAttrId) return false;
  }
  return true;
}

// The attribute A when `when` can only hold where `resource.A == principal.id`
// (its first conjunct, in either order); kNoId otherwise.
NameId owner_attribute(const table::Program& p, const Binding& b, const table::RuleRow& rule, table::Id type) {
  const table::Range code = rule.when;
  if (code.count < 3) return kNoId;
  const table::Instr* c = &p.code[code.begin];
  if (c[0].op != table::Op::LoadPath || c[1].op != table::Op::LoadPath || c[2].op != table::Op::Compare ||
      c[2].a != static_cast<std::uint8_t>(table::CompareOp::Eq)) {
    return kNoId;
  }
  // Necessary: nothing follows, or a chain of `and` jumps leads to the end.
  if (code.count > 3) {
    std::uint32_t at = code.begin + 3;
    while (at < code.end() && p.code[at].op == table::Op::JumpIfFalse) at = at + 1 + p.code[at].arg;
    if (at != code.end()) return kNoId;
  }
  if (is_principal_id(p, c[1].arg)) return one_step_attribute(p, b, c[0].arg, type);
  if (is_principal_id(p, c[0].arg)) return one_step_attribute(p, b, c[1].arg, type);
  return kNoId;
}

class CandidateFinder {
 public:
  CandidateFinder(const Evaluation& ev, table::Id type, NameId type_name)
      : ev_(ev), p_(ev.p), facts_(ev.facts), store_(facts_.store()), type_(type), type_name_(type_name) {}

  Candidates find(table::Id action) {
    const table::Range list = p_.rule_lists[p_.resources[type_].rule_lists + action];
    for (std::uint32_t i = 0; i < list.count && !out_.all; ++i) {
      const table::RuleRow& rule = p_.rules[p_.rule_ids[list.begin + i]];
      if (rule.effect == table::Effect::Allow) add_rule(rule);
    }
    return std::move(out_);
  }

 private:
  // The principal and every collection it reaches.
  template <typename F>
  void holders(F&& f) const {
    if (!ev_.principal) return;
    f(ev_.principal.id);
    for (const EntityId c : ev_.principal.record->reach()) f(c);
  }

  void add_referrers(Sym value, NameId attribute) {
    if (value == kNoId || attribute == kNoId) return;
    if (const ChunkedSet<EntityId>* set = store_.referrers(value, attribute)) {
      set->for_each([&](EntityId e) { out_.ids.push_back(e); });
    }
  }

  bool holds_role(table::Id role, bool global) const {
    if (!ev_.principal) return false;
    for (const RoleHeld& r : ev_.principal.record->roles()) {
      const table::Id assigned = facts_.binding().role(r.role);
      if (assigned == table::kNone || !table::test_bit(p_, p_.roles[assigned].holds, role)) continue;
      if ((r.scope == kNoId) == global) return true;
    }
    return false;
  }

  void add_rule(const table::RuleRow& rule) {
    const table::PredicateRow& pred = p_.predicates[rule.subject];
    switch (pred.kind) {
      case table::SubjectKind::Anyone: {
        const NameId attribute = rule.when.count ? owner_attribute(p_, facts_.binding(), rule, type_) : kNoId;
        if (attribute == kNoId) {
          out_.all = true;
        } else if (ev_.principal_id.interned()) {
          add_referrers(ev_.principal_id.sym, attribute);
        }
        return;
      }
      case table::SubjectKind::Caller: {
        // Like `anyone` for the kinds of caller it names.
        const CallerKind kind = caller_kind(ev_.req);
        const std::uint8_t bit = kind == CallerKind::Key       ? table::kCallerKey
                                 : kind == CallerKind::Session ? table::kCallerSession
                                                               : table::kCallerAnonymous;
        if (pred.arg & bit) out_.all = true;
        return;
      }
      case table::SubjectKind::Scope: {
        if (!ev_.key) return;
        for (const NameId s : ev_.key->scopes) {
          const table::Id held = facts_.binding().scope(s);
          if (held != table::kNone && table::test_bit(p_, p_.scopes[held].closure, pred.arg)) out_.all = true;
        }
        return;
      }
      case table::SubjectKind::Role: {
        if (holds_role(pred.arg, /*global=*/true)) {
          out_.all = true;  // a global assignment holds within every entity too
          return;
        }
        if (pred.path == table::kNone || !holds_role(pred.arg, false)) return;
        const NameId attribute = one_step_attribute(p_, facts_.binding(), pred.path, type_);
        if (attribute == kNoId) {
          out_.all = true;
          return;
        }
        for (const RoleHeld& r : ev_.principal.record->roles()) {
          const table::Id assigned = facts_.binding().role(r.role);
          if (r.scope == kNoId || assigned == table::kNone || !table::test_bit(p_, p_.roles[assigned].holds, pred.arg)) {
            continue;
          }
          add_referrers(store_.entity(r.scope).id, attribute);
        }
        return;
      }
      case table::SubjectKind::Member: {
        if (!ev_.principal || ev_.principal.record->reach().empty()) return;
        const NameId attribute = one_step_attribute(p_, facts_.binding(), pred.path, type_);
        if (attribute == kNoId) {
          out_.all = true;
          return;
        }
        for (const EntityId c : ev_.principal.record->reach()) add_referrers(store_.entity(c).id, attribute);
        return;
      }
      case table::SubjectKind::Grant: {
        const NameId attribute =
            pred.path == table::kNone ? kNoId : one_step_attribute(p_, facts_.binding(), pred.path, type_);
        if (pred.path != table::kNone && attribute == kNoId) {
          bool any = false;
          holders([&](EntityId h) { any = any || !store_.links(h).held.empty(); });
          if (any) out_.all = true;
          return;
        }
        // The grants first, then their resources, loading a few ahead.
        std::vector<GrantId> grants;
        holders([&](EntityId h) { store_.links(h).held.for_each([&](GrantId g) { grants.push_back(g); }); });
        for (std::size_t i = 0; i < grants.size(); ++i) {
          if (i + 8 < grants.size()) __builtin_prefetch(&store_.grant(grants[i + 8]));
          if (i + 4 < grants.size()) __builtin_prefetch(&store_.entity(store_.grant(grants[i + 4]).resource));
          const EntityId resource = store_.grant(grants[i]).resource;
          const EntityRecord& on = store_.entity(resource);
          if (pred.path == table::kNone) {
            if (on.type != type_name_) continue;
            if (on.id == store_.star()) {
              out_.all = true;
            } else {
              out_.ids.push_back(resource);
            }
          } else if (on.id == store_.star()) {
            out_.all = true;  // every entity of that type: every resource naming one
          } else {
            add_referrers(on.id, attribute);
          }
        }
        return;
      }
    }
  }

  const Evaluation& ev_;
  const table::Program& p_;
  const FactView& facts_;
  const FactStore& store_;
  table::Id type_;
  NameId type_name_;
  Candidates out_;
};

}  // namespace

ResourcePage list_resources(const Snapshot& snap, const Request& request, std::string_view action,
                            std::string_view type_name, std::size_t limit, std::string_view cursor) {
  ResourcePage page;
  if (!snap.policy) return page;
  Request r = request;
  r.method = {};
  r.path = {};
  r.action = action;
  r.resource_type = type_name;
  r.resource_id = {};
  Decision d;
  Evaluation ev(snap, r, d, nullptr);
  const table::Program& p = ev.p;
  const FactStore& store = ev.facts.store();
  const table::Id type = ev.ix.find(ev.ix.resources, type_name);
  const table::Id act = type == table::kNone ? table::kNone : ev.ix.find(ev.ix.actions[type], action);
  const NameId type_id = type != table::kNone ? ev.facts.resource_type(type) : store.find_type(type_name);
  if (type_id == kNoId) return page;  // no fact names a resource of this type

  // Every decision of a policy in monitor mode is an allow or a "would
  // deny"; an unknown type or action denies every resource alike; so does a
  // principal refused before any resource is looked at.
  Candidates candidates;
  bool decide_each = true;
  const bool monitor = p.mode == table::Mode::Monitor;
  if (monitor) {
    candidates.all = true;
    decide_each = false;
  } else if (act == table::kNone || !ev.begin_listing()) {
    return page;
  } else if (!request.resource_attributes.empty()) {
    candidates.all = true;  // attributes the request supplies could satisfy any rule
  } else {
    candidates = CandidateFinder(ev, type, type_id).find(act);
  }

  // The candidates after the cursor, in id order, decided in batches: a page
  // sorts only what it needs.
  struct Candidate {
    std::string_view id;
    EntityId entity;
  };
  std::vector<Candidate> todo;
  const auto consider = [&](EntityId e) {
    const EntityRecord& rec = store.entity(e);
    if (rec.type != type_id || !store.listable(e)) return;
    const std::string_view id = FactView::id_text(rec);
    if (!cursor.empty() && id <= cursor) return;
    todo.push_back({id, e});
  };
  if (candidates.all) {
    for (EntityId e = 0; e < store.entity_count(); ++e) consider(e);
  } else {
    std::vector<EntityId>& ids = candidates.ids;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      // Records a few ahead, then their ids' text (two dependent loads each).
      if (i + 8 < ids.size()) __builtin_prefetch(&store.entity(ids[i + 8]));
      if (i + 4 < ids.size()) __builtin_prefetch(store.entity(ids[i + 4]).id_text);
      consider(ids[i]);
    }
  }
  const auto by_id = [](const Candidate& a, const Candidate& b) { return a.id < b.id; };
  const std::size_t wanted = limit == 0 ? todo.size() : limit + 1;  // one more tells whether a next page exists
  std::size_t done = 0, found = 0;
  while (done < todo.size() && found < wanted) {
    const std::size_t batch = std::min(todo.size() - done, std::max<std::size_t>(64, 2 * (wanted - found)));
    const auto first = todo.begin() + static_cast<std::ptrdiff_t>(done);
    const auto last = first + static_cast<std::ptrdiff_t>(batch);
    if (last != todo.end()) std::nth_element(first, last - 1, todo.end(), by_id);
    std::sort(first, last, by_id);
    for (auto it = first; it != last && found < wanted; ++it) {
      if (it + 2 < last) FactView::prefetch(ev.facts.entity((it + 2)->entity));
      if (decide_each) {
        ev.decide_listed(type, act, ev.facts.entity(it->entity));
        if (!d.allowed()) continue;
      }
      ++found;
      if (limit != 0 && page.ids.size() == limit) {
        page.next_cursor = page.ids.back();
        break;
      }
      page.ids.emplace_back(it->id);
    }
    done += batch;
  }
  return page;
}

}  // namespace warden::runtime
