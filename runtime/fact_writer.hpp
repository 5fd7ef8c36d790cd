// Applying fact changes to a private copy of a fact store.
//
// Internal to runtime/ (fact_store.cpp, binding.cpp). A Writer works on a
// FactStore that no reader can see yet. Changes first go to drafts — plain
// vectors per touched entity, and lists of reverse-index changes — so that a
// batch, or a whole fact set, pays once per touched list rather than once
// per change; finish() turns the drafts into the store's shared blocks and
// recomputes the reachable collections of every entity whose memberships
// (or whose collections' memberships) changed. Validation and the error
// codes (F03xx) are the same for a whole fact set and an update batch.
#pragma once

#include <boost/unordered/unordered_flat_map.hpp>
#include <string_view>
#include <vector>

#include "runtime/fact_store.hpp"

namespace warden::runtime {

class FactStore::Writer {
 public:
  // `unique_ids`: a grant or key id given twice is an error (a whole fact
  // set) rather than a replacement (an update).
  Writer(FactStore& store, bool unique_ids);

  Status change(const FactChange& c);
  void finish();

  // Interning for binding.cpp.
  NameId name(int vocabulary, std::string_view text);
  Sym value(std::string_view text) { return store_.values_.intern(text, arena()); }

 private:
  struct Draft {
    enum : std::uint8_t { kAttributes = 1, kCollections = 2, kRoles = 4, kGrants = 8 };
    std::uint8_t touched = 0;
    std::vector<StoredAttribute> attributes;
    std::vector<Address> addresses;
    std::vector<EntityId> collections;
    std::vector<RoleHeld> roles;
    std::vector<GrantEntry> grants;
  };
  // A change to one of the reverse indexes, kept in order.
  struct SetChange {
    std::uint64_t key;  // holder, collection, or (value, attribute)
    std::uint32_t item;
    bool add;
  };

  StringArena& arena() { return *store_.arena_; }
  Status entity_change(const FactChange& c);
  Status membership_change(const FactChange& c);
  Status role_change(const FactChange& c);
  Status grant_change(const FactChange& c);
  Status key_change(const FactChange& c);

  // The entity (type, id): found, or created (undeclared) when `create`.
  EntityId entity(std::string_view type, std::string_view id, bool create);
  EntityRecord& record(EntityId e) { return store_.entities_.edit(e); }
  EntityLinks& links(EntityId e) { return store_.links_.edit(e); }
  Draft& draft(EntityId e, std::uint8_t what);
  void drop_grant(GrantId g);
  void set_attributes(EntityId e, const std::vector<std::pair<std::string, FactValue>>& attributes);

  // An entity's lists, some new, the others as they were.
  struct Lists {
    std::span<const EntityId> reach;
    std::span<const StoredAttribute> attributes;
    std::span<const GrantEntry> grants;
    std::span<const RoleHeld> roles;
    std::span<const Address> addresses;
  };
  static Lists lists_of(const EntityRecord& r) { return {r.reach(), r.attributes(), r.grants(), r.roles(), r.addresses()}; }
  static void set_lists(EntityRecord& r, const Lists& lists);

  void finish_drafts();
  void finish_sets();
  void finish_reach();

  FactStore& store_;
  bool unique_ids_;
  boost::unordered_flat_map<EntityId, Draft> drafts_;
  std::vector<SetChange> held_;     // (holder, grant)
  std::vector<SetChange> members_;  // (collection, member)
  std::vector<SetChange> refs_;     // ((value, attribute), entity)
  std::vector<EntityId> reach_changed_;
};

}  // namespace warden::runtime
