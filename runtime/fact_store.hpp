// The immutable, indexed fact snapshot the evaluator reads.
//
// Facts are keyed by name, independent of any policy version. Inside the
// store every id and name is interned to a dense integer when facts load or
// change (interner.hpp): entity ids, tenants and string attribute values
// are Syms; type, role, scope, level and attribute names are NameIds of
// their own small vocabularies. Entities are dense EntityIds with a record
// of one cache line each, holding what a decision reads about them: tenant,
// attributes, roles, the grants on the entity as a resource (16-byte entries
// sorted by holder) and — precomputed — every collection it reaches through
// memberships. Reverse indexes serve list filtering and the maintenance of
// reachable collections (EntityLinks, and `referrers`): the direct
// memberships both ways, the grants an entity holds, the entities whose
// attribute names a value.
//
// Every structure is persistent (persistent.hpp, direct_index.hpp,
// sharded_set.hpp): applying an update copies the paths to what it changes
// and shares everything else, so one change among a million grants costs
// microseconds. A FactStore is never modified after it is published.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "runtime/direct_index.hpp"
#include "runtime/interner.hpp"
#include "runtime/persistent.hpp"
#include "runtime/sharded_set.hpp"
#include "warden/engine.hpp"
#include "warden/facts.hpp"

namespace warden::runtime {

using Sym = std::uint32_t;       // an interned id or string value (entity ids, tenants, attribute values)
using NameId = std::uint32_t;    // an interned name in one vocabulary (types, roles, scopes, levels, attributes)
using EntityId = std::uint32_t;  // an entity (principal, collection or resource) known to the facts
using GrantId = std::uint32_t;
using KeyId = std::uint32_t;

// An attribute of an entity, with its typed readings made at load time so
// the evaluator never parses text. 24 bytes: an entity's attributes are
// usually read from one or two cache lines.
struct StoredAttribute {
  NameId name = kNoId;
  FactValue::Kind kind = FactValue::Kind::String;
  bool has_time = false;  // `number` holds the value read as a time (Int: the number itself)
  bool has_ip = false;    // `number` indexes the entity's `addresses` (a String read as an address)
  Sym text = kNoId;       // String
  std::int64_t number = 0;  // Int, Bool (0/1), a String read as RFC 3339, or an address index
};
static_assert(sizeof(StoredAttribute) == 24);

struct RoleHeld {
  NameId role = kNoId;
  EntityId scope = kNoId;  // kNoId: held globally
};

// One grant on a resource, as decisions read it.
struct GrantEntry {
  static constexpr std::uint32_t kNever = 0xffffffffu;  // no expiry
  static constexpr std::uint32_t kFar = 0xfffffffeu;    // expiry outside [0, kFar): FactStore::expiry()
  static constexpr std::uint32_t kActive = 1;           // flag: not revoked

  EntityId subject = kNoId;  // the holder: a principal or a collection
  GrantId grant = kNoId;
  std::uint32_t expires = kNever;  // Unix seconds
  std::uint32_t level : 24;        // NameId in the level vocabulary
  std::uint32_t flags : 8;

  GrantEntry() : level(0), flags(0) {}
  bool active() const { return (flags & kActive) != 0; }
  friend bool operator<(const GrantEntry& a, const GrantEntry& b) { return a.subject < b.subject; }
};
static_assert(sizeof(GrantEntry) == 16, "a grant entry stays 16 bytes");

using Address = std::array<std::uint8_t, 16>;

// What decisions read of an entity: a record of one cache line and one
// block holding its lists back to back — reachable collections, attributes,
// grants on it, roles, addresses — so that a decision about an entity reads
// two places, whatever it asks.
struct alignas(64) EntityRecord {
  NameId type = kNoId;
  Sym id = kNoId;
  Sym tenant = kNoId;             // kNoId: none given
  EntityId next_same_id = kNoId;  // the next entity with the same id Sym (another type)
  bool declared = false;          // an Entity record was given (tenant and attributes are meaningful)
  std::uint32_t reach_count = 0, attribute_count = 0, grant_count = 0, role_count = 0, address_count = 0;
  Block<std::uint64_t> data;       // the lists, in that order (each aligned to 8 bytes)
  const char* id_text = nullptr;   // the id's text in the arena (StringArena::view)

  // Every collection reached through memberships, sorted.
  std::span<const EntityId> reach() const { return {at<EntityId>(0), reach_count}; }
  std::span<const StoredAttribute> attributes() const {
    return {at<StoredAttribute>(attributes_offset()), attribute_count};
  }
  // Grants on this entity as a resource, sorted by holder.
  std::span<const GrantEntry> grants() const { return {at<GrantEntry>(grants_offset()), grant_count}; }
  // In the order first given.
  std::span<const RoleHeld> roles() const { return {at<RoleHeld>(roles_offset()), role_count}; }
  // Attributes read as IP addresses.
  std::span<const Address> addresses() const { return {at<Address>(addresses_offset()), address_count}; }

  const StoredAttribute* attribute(NameId name) const {
    for (const StoredAttribute& a : attributes()) {
      if (a.name == name) return &a;
    }
    return nullptr;
  }

  // The lists' layout in `data`, in 8-byte words.
  static std::size_t words(std::size_t n, std::size_t size) { return (n * size + 7) / 8; }
  std::size_t attributes_offset() const { return words(reach_count, sizeof(EntityId)); }
  std::size_t grants_offset() const { return attributes_offset() + words(attribute_count, sizeof(StoredAttribute)); }
  std::size_t roles_offset() const { return grants_offset() + words(grant_count, sizeof(GrantEntry)); }
  std::size_t addresses_offset() const { return roles_offset() + words(role_count, sizeof(RoleHeld)); }
  std::size_t data_words() const { return addresses_offset() + words(address_count, sizeof(Address)); }

 private:
  template <typename T>
  const T* at(std::size_t word) const {
    // The block's words hold objects of trivially copyable types, written
    // with memcpy (fact_writer_finish.cpp).
    return data.empty() ? nullptr : reinterpret_cast<const T*>(data.begin() + word);
  }
};
static_assert(sizeof(EntityRecord) == 64, "an entity record is one cache line");

// What updates and listings walk: an entity's memberships both ways and the
// grants it holds.
struct EntityLinks {
  Block<EntityId> collections;   // direct, in the order first given
  ChunkedSet<EntityId> members;  // direct members (the reverse of `collections`)
  ChunkedSet<GrantId> held;      // grants this entity holds
};

struct GrantSlot {
  const char* id = nullptr;  // in the arena; null: a free slot
  EntityId resource = kNoId;
  std::uint32_t next_free = kNoId;
};

struct KeyRecord {
  const char* id = nullptr;  // null: removed
  NameId principal_type = kNoId;
  Sym principal_id = kNoId;
  Sym tenant = kNoId;  // kNoId: the owner's tenant
  bool revoked = false;
  bool has_expiry = false;
  std::int64_t expires_at = 0;
  Block<NameId> scopes;  // in the scope vocabulary, as given
};

// Names a policy uses, interned into a store so that a binding of the two
// stays valid for every store derived from it (binding.hpp).
struct PolicyNames {
  std::vector<std::string_view> types, roles, scopes, levels, attributes, values;
};

class FactStore {
 public:
  FactStore() = default;

  // Build from a whole fact set; fails (leaving nothing) on inconsistent input.
  static Status build(const FactSet& facts, std::shared_ptr<const FactStore>& out);
  // A new store with `update` applied, sharing every untouched part with
  // this one. All or nothing: on error `out` is left unchanged.
  Status apply(const FactsUpdate& update, std::shared_ptr<const FactStore>& out) const;
  // This store with `names` interned too (the same facts and version);
  // `this` itself when it had them all.
  std::shared_ptr<const FactStore> with_names(const PolicyNames& names, std::shared_ptr<const FactStore> self) const;

  // --- lookups (the decision path) ---
  // A string: its Sym (kNoId: not interned) and the first entity with that
  // id (kNoId: none).
  Interner<6>::Found find_value(std::string_view text) const { return values_.find(text); }
  std::string_view value_text(Sym s) const { return values_.text(s); }
  // The entity of `type` among those with the id whose first entity is `head`.
  EntityId entity_in_chain(NameId type, EntityId head) const {
    for (EntityId e = head; e != kNoId;) {
      const EntityRecord& r = entities_[e];
      if (r.type == type) return e;
      e = r.next_same_id;
    }
    return kNoId;
  }
  EntityId find_entity(NameId type, Sym id) const { return id == kNoId ? kNoId : entity_in_chain(type, values_.tag(id)); }
  // The entity (type, id) by a request's id string: one hash of the string,
  // then its slot in the entity index, checked against the text and the type.
  EntityId find_entity(NameId type, std::string_view id) const {
    const std::uint64_t h = entity_hash(type, id);
    const EntitySlot* s = entity_index_.find(h, EntityKey{id, type, EntityIndex::stored_hash(h)});
    return s ? s->entity : kNoId;
  }
  const EntityRecord& entity(EntityId e) const { return entities_[e]; }
  const EntityLinks& links(EntityId e) const { return links_[e]; }
  std::size_t entity_count() const { return entities_.size(); }

  KeyId find_key(std::string_view id) const { return key_index_.find(id).id; }
  const KeyRecord& key(KeyId k) const { return keys_[k]; }

  std::string_view grant_id(GrantId g) const { return StringArena::view(grants_[g].id); }
  const GrantSlot& grant(GrantId g) const { return grants_[g]; }
  std::int64_t expiry(const GrantEntry& e) const;  // of an entry with an expiry

  NameId find_type(std::string_view name) const { return types_.find(name).id; }
  std::string_view type_name(NameId n) const { return types_.text(n); }
  std::string_view role_name(NameId n) const { return roles_.text(n); }
  std::string_view scope_name(NameId n) const { return scopes_.text(n); }
  std::string_view level_name(NameId n) const { return levels_.text(n); }
  NameId find_name(int vocabulary, std::string_view name) const;  // for binding.cpp (see Vocabulary)
  std::size_t vocabulary_size(int vocabulary) const;

  enum Vocabulary : int { kTypes = 0, kRoles, kScopes, kLevels, kAttributes };

  // --- reverse indexes (list filtering) ---
  // The entities whose attribute `attribute` holds the string `value`.
  const ChunkedSet<EntityId>* referrers(Sym value, NameId attribute) const;
  // A resource a listing may name: declared, or with grants (never "*").
  bool listable(EntityId e) const {
    const EntityRecord& r = entities_[e];
    return (r.declared || r.grant_count != 0) && r.id != star_;
  }
  Sym star() const { return star_; }

  // Every record the store holds, by name, one at a time (each an upsert,
  // in one FactChange reused between calls): entities given as records,
  // then memberships, roles, grants and keys (fact_visit.cpp). What no
  // decision reads is not kept, so not given back: a grant's `reason`.
  // Without `ids`, every id and tenant is left empty (names only).
  void visit(const std::function<void(const FactChange&)>& visit, bool ids = true) const;

  std::uint64_t version() const { return version_; }
  void set_version(std::uint64_t v) { version_ = v; }
  std::size_t grant_count() const { return grant_count_; }
  bool has_type_wide_grants() const { return type_wide_grants_ != 0; }

 private:
  class Writer;  // fact_writer.hpp: one batch of changes applied to a private copy
  friend class Writer;

  // Entities by (type, id text), for requests: 32-byte slots with the type
  // and the id's text (inline when short), so a lookup checks them in the
  // slot itself. The type seeds the hash of the text.
  struct EntitySlot {
    std::uint32_t hash = 0;  // 0: empty
    EntityId entity = 0;
    const char* stored = nullptr;
    NameId type = 0;
    SlotHead<11> id;
  };
  static_assert(sizeof(EntitySlot) == 32);
  struct EntityKey {
    std::string_view id;
    NameId type;
    std::uint32_t hash;
  };
  struct EntityEq {
    bool operator()(const EntityKey& k, const EntitySlot& s) const noexcept {
      return k.hash == s.hash && k.type == s.type && s.id.equals(k.id, s.stored);
    }
  };
  using EntityIndex = DirectIndex<EntitySlot, EntityEq, 6>;
  static std::uint64_t entity_hash(NameId type, std::string_view id) { return XXH3_64bits_withSeed(id.data(), id.size(), type); }

  // The 64-bit hash of an integer key (grant ids, (value, attribute) pairs):
  // its top bits choose a shard.
  static std::uint64_t mix(std::uint64_t key) { return (key + 1) * 0x9e3779b97f4a7c15ull; }

  struct RefSlot {
    Sym value;
    NameId attribute;
    std::uint32_t hash;
    mutable ChunkedSet<EntityId> entities;
  };
  struct RefKey {
    Sym value;
    NameId attribute;
    std::uint32_t hash;
  };
  struct RefEq {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const noexcept {
      return a.value == b.value && a.attribute == b.attribute;
    }
  };
  // The grant index holds 8-byte slots; a lookup compares the text through
  // the grant's slot in grants_.
  struct GrantIndexSlot {
    GrantId grant;
    std::uint32_t hash;
  };
  struct GrantIndexKey {
    std::string_view id;
    std::uint32_t hash;
    const PVec<GrantSlot, 8>* grants;
  };
  struct GrantIndexEq {
    using is_transparent = void;
    bool operator()(const GrantIndexSlot& a, const GrantIndexSlot& b) const noexcept { return a.grant == b.grant; }
    bool operator()(const GrantIndexKey& k, const GrantIndexSlot& s) const noexcept {
      return k.hash == s.hash && StringArena::view((*k.grants)[s.grant].id) == k.id;
    }
    bool operator()(const GrantIndexSlot& s, const GrantIndexKey& k) const noexcept { return (*this)(k, s); }
  };
  struct FarSlot {
    GrantId grant;
    std::uint32_t hash;
    std::int64_t expires_at;
  };
  struct FarEq {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const noexcept {
      return a.grant == b.grant;
    }
  };

  std::shared_ptr<StringArena> arena_;
  Interner<6> values_;  // tag: the first entity with this id
  Interner<0> types_, roles_, scopes_, levels_, attributes_;
  Interner<4> key_index_;  // id: KeyId (a removed key keeps its id for when it returns)
  ShardedSet<GrantIndexSlot, GrantIndexEq, 6> grant_index_;  // grant id text -> GrantId
  PVec<EntityRecord, 5> entities_;
  PVec<EntityLinks, 5> links_;  // parallel to entities_
  EntityIndex entity_index_;
  PVec<GrantSlot, 8> grants_;
  PVec<KeyRecord, 5> keys_;
  ShardedSet<RefSlot, RefEq, 6> refs_;
  ShardedSet<FarSlot, FarEq, 2> far_expiry_;
  GrantId free_grant_ = kNoId;
  Sym star_ = kNoId;
  std::uint64_t version_ = 0;
  std::size_t grant_count_ = 0;
  std::size_t type_wide_grants_ = 0;
};

}  // namespace warden::runtime
