// The facts as one decision reads them: lookups in the policy's terms over
// one (policy, facts) pair.
//
// Internal to runtime/: the evaluator (evaluator.cpp, predicates.cpp,
// conditions.cpp) asks its questions of the facts here and nowhere else, so
// the decision logic reads as policy semantics and the store's layout can
// change underneath. Everything here is a few array reads and integer
// compares over FactStore and Binding: the only hashing is of a request's
// own strings (one XXH3 hash each, find()).
#pragma once

#include <algorithm>
#include <string_view>

#include "runtime/binding.hpp"
#include "runtime/fact_store.hpp"

namespace warden::runtime {

// A string of the request or of the facts: its text, its Sym when known.
// Two Idents are compared by Sym when both are interned, and known to
// differ when one is interned and the other was looked up and is not (every
// string of the facts and the policy is interned); otherwise by text.
struct Ident {
  std::string_view text;  // valid when has_text
  Sym sym = kNoId;
  bool has_text = true;
  bool absent = false;  // looked up in the facts and not there

  static Ident of_text(std::string_view t) { return {t, kNoId, true, false}; }
  static Ident of_sym(Sym s) { return {{}, s, false, false}; }
  static Ident looked_up(std::string_view t, Sym s) { return {t, s, true, s == kNoId}; }
  static Ident of(std::string_view t, Sym s) { return {t, s, true, false}; }
  bool interned() const { return sym != kNoId; }
  bool none() const { return sym == kNoId && has_text && text.empty(); }
};

// An entity of the facts: its id and record (both unset when unknown).
struct EntityRef {
  EntityId id = kNoId;
  const EntityRecord* record = nullptr;
  explicit operator bool() const { return record != nullptr; }
};

class FactView {
 public:
  FactView(const FactStore& store, const Binding& binding) : store_(store), binding_(binding) {}

  const FactStore& store() const { return store_; }
  const Binding& binding() const { return binding_; }

  // --- strings ---
  Ident lookup(std::string_view text) const {
    const auto found = store_.find_value(text);
    return Ident::looked_up(text, found.id);
  }
  std::string_view text(const Ident& i) const { return i.has_text ? i.text : store_.value_text(i.sym); }
  bool same(const Ident& a, const Ident& b) const {
    if (a.interned() && b.interned()) return a.sym == b.sym;
    if ((a.interned() && b.absent) || (b.interned() && a.absent)) return false;
    return text(a) == text(b);
  }

  // --- entities ---
  EntityRef entity(EntityId e) const { return e == kNoId ? EntityRef{} : EntityRef{e, &store_.entity(e)}; }
  // By type and a request's id string: the one hash of that string. `ident`
  // becomes the id, interned when the entity is known.
  EntityRef find(NameId type, std::string_view id, Ident& ident) const {
    const EntityRef e = type == kNoId ? EntityRef{} : entity(store_.find_entity(type, id));
    ident = e ? Ident::of(id, e.record->id) : Ident::of_text(id);
    return e;
  }
  // Start loading what a decision reads of an entity it found.
  // (The lists' first 256 bytes: a resource's attributes and grants, a
  // principal's reach and roles, in the common sizes.)
  static void prefetch(const EntityRef& e) {
    if (!e || e.record->data.empty()) return;
    const std::uint64_t* words = e.record->data.begin();
    const std::size_t n = std::min<std::size_t>(e.record->data.size(), 32);
    for (std::size_t w = 0; w < n; w += 8) __builtin_prefetch(words + w);
  }
  EntityRef find(NameId type, const Ident& id) const {
    if (id.interned()) return entity(store_.find_entity(type, id.sym));
    if (id.absent || !id.has_text) return {};
    Ident ignored;
    return find(type, id.text, ignored);
  }
  NameId principal_type(table::Id t) const { return binding_.principal_type[t]; }
  NameId resource_type(table::Id t) const { return binding_.resource_type[t]; }
  std::string_view type_name(const EntityRecord& r) const { return store_.type_name(r.type); }
  static std::string_view id_text(const EntityRecord& r) { return StringArena::view(r.id_text); }

  // The tenant an entity record states (none when undeclared or not given).
  static Ident tenant(const EntityRecord* r) {
    return r && r->declared && r->tenant != kNoId ? Ident::of_sym(r->tenant) : Ident{};
  }

  // --- attributes ---
  const StoredAttribute* attribute(const EntityRecord& r, table::Id attribute_row) const {
    return r.attribute(binding_.attribute[attribute_row]);
  }
  // The index of a stored string among an enum's values (Program::ids
  // range `values`), or -1.
  std::int64_t enum_index(Sym value, table::Range values) const {
    for (std::uint32_t i = 0; i < values.count; ++i) {
      if (binding_.enum_value[values.begin + i] == value) return i;
    }
    return -1;
  }

  // --- membership ---
  // Is `collection` reached from the entity with reachable set `reach`?
  static bool reaches(std::span<const EntityId> reach, EntityId collection) {
    if (reach.size() <= 8) {
      for (const EntityId c : reach) {
        if (c == collection) return true;
      }
      return false;
    }
    return std::binary_search(reach.begin(), reach.end(), collection);
  }

  // --- grants ---
  // Calls f(entry) for each grant on `target` held by `principal` or by a
  // collection it reaches. Entries are sorted by holder: a short list is
  // scanned, a long one searched once per holder.
  template <typename F>
  static void grants_reaching(const EntityRecord& target, EntityId principal, std::span<const EntityId> r, F&& f) {
    const std::span<const GrantEntry> list = target.grants();
    if (list.empty() || principal == kNoId) return;
    if (list.size() <= 8 + r.size()) {
      for (const GrantEntry& g : list) {
        if (g.subject == principal || reaches(r, g.subject)) f(g);
      }
      return;
    }
    const auto holder = [&](EntityId s) {
      GrantEntry key;
      key.subject = s;
      const auto [first, last] = std::equal_range(list.begin(), list.end(), key);
      for (auto g = first; g != last; ++g) f(*g);
    };
    holder(principal);
    for (const EntityId c : r) holder(c);
  }
  // The resource-type-wide ("*") grants' entity of a type.
  EntityRef type_wide(NameId type) const {
    return store_.has_type_wide_grants() ? entity(store_.find_entity(type, store_.star())) : EntityRef{};
  }
  table::Id level(const GrantEntry& g) const { return binding_.level(g.level); }
  bool expired(const GrantEntry& g, std::int64_t now) const {
    return g.expires != GrantEntry::kNever && store_.expiry(g) <= now;
  }
  std::string_view grant_id(GrantId g) const { return store_.grant_id(g); }

  // --- keys ---
  const KeyRecord* key(std::string_view id) const {
    const KeyId k = store_.find_key(id);
    if (k == kNoId) return nullptr;
    const KeyRecord& r = store_.key(k);
    return r.id ? &r : nullptr;
  }

 private:
  const FactStore& store_;
  const Binding& binding_;
};

}  // namespace warden::runtime
