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

#include <array>
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
  // One record, upserted or removed.
  Status change(const Entity& e, bool upsert);
  Status change(const Membership& m, bool upsert);
  Status change(const RoleAssignment& a, bool upsert);
  Status change(const Grant& g, bool upsert);
  Status change(const ApiKey& k, bool upsert);
  // Fails only for what a whole fact set can hold and be refused for at the
  // end (a grant id given twice, found while its index is built).
  Status finish();

  // Interning for binding.cpp.
  NameId name(int vocabulary, std::string_view text);
  Sym value(std::string_view text) { return store_.values_.intern(text, arena()); }

 private:
  struct Draft {
    enum : std::uint8_t { kTouchedAttributes = 1, kTouchedCollections = 2, kTouchedRoles = 4, kTouchedGrants = 8 };
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
  NameId intern_name(int vocabulary, std::string_view text);
  std::string_view text_of_name(int vocabulary, NameId id) const;

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

  Status finish_grant_index();
  void finish_drafts();
  void finish_sets();
  Status finish_reach();
  Status membership_cycle(EntityId e) const;

  FactStore& store_;
  bool unique_ids_;
  boost::unordered_flat_map<EntityId, Draft> drafts_;
  std::vector<SetChange> held_;     // (holder, grant)
  std::vector<SetChange> members_;  // (collection, member)
  std::vector<SetChange> refs_;     // ((value, attribute), entity)
  std::vector<EntityId> reach_changed_;
  // The last names interned per vocabulary (text in the arena, id).
  std::array<std::array<std::pair<std::string_view, NameId>, 4>, 5> recent_names_{};
  std::array<std::uint32_t, 5> next_recent_{};
  // A whole fact set's grants enter the grant index at the end, shard by
  // shard: (hash of the id, grant).
  std::vector<std::pair<std::uint64_t, GrantId>> pending_grants_;
};

}  // namespace warden::runtime
