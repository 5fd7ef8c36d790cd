// The immutable, indexed fact snapshot the evaluator reads.
//
// Facts are keyed by name (type names, ids), independent of any policy
// version. Each index is split into 4096 shards under a two-level tree of
// shared_ptrs (ShardedMap): applying an update copies the store's top-level
// tables (pointers only) and clones just the nodes and shards it touches, so
// changing one grant among a million copies a few hundred records, not a
// million (structural sharing; measured in bench/reload_bench.cpp). A
// FactStore is never modified after it is published.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "warden/engine.hpp"
#include "warden/facts.hpp"

namespace warden::runtime {

// (type, id) of an entity, owned or viewed; hashing and equality work across
// both so lookups never allocate.
struct EntityKeyView {
  std::string_view type;
  std::string_view id;
};

struct EntityKey {
  std::string type;
  std::string id;
  operator EntityKeyView() const { return {type, id}; }
  friend bool operator==(const EntityKey&, const EntityKey&) = default;
};

struct EntityKeyHash {
  using is_transparent = void;
  std::size_t operator()(EntityKeyView k) const noexcept {
    const std::size_t a = std::hash<std::string_view>{}(k.type);
    const std::size_t b = std::hash<std::string_view>{}(k.id);
    return a ^ (b + 0x9e3779b97f4a7c15ull + (a << 6) + (a >> 2));
  }
  std::size_t operator()(const EntityKey& k) const noexcept { return (*this)(EntityKeyView(k)); }
};

struct EntityKeyEq {
  using is_transparent = void;
  bool operator()(EntityKeyView a, EntityKeyView b) const noexcept { return a.type == b.type && a.id == b.id; }
  bool operator()(const EntityKey& a, EntityKeyView b) const noexcept { return (*this)(EntityKeyView(a), b); }
  bool operator()(EntityKeyView a, const EntityKey& b) const noexcept { return (*this)(a, EntityKeyView(b)); }
  bool operator()(const EntityKey& a, const EntityKey& b) const noexcept { return a == b; }
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

// A fact attribute value with its typed readings pre-parsed at load time, so
// the evaluator never parses text on the decision path.
struct StoredValue {
  FactValue value;
  std::optional<std::int64_t> as_time;  // text that parses as RFC 3339, or the integer
  bool has_ip = false;
  std::array<std::uint8_t, 16> ip{};
};

struct RoleRecord {
  std::string role;
  std::string scope_type;  // empty: global
  std::string scope_id;
};

// Everything known about one entity: its attributes (from Entity records),
// the collections it belongs to (from Memberships) and its roles.
struct EntityRecord {
  bool declared = false;  // an Entity record was given (tenant/attributes are meaningful)
  std::string tenant;
  std::vector<std::pair<std::string, StoredValue>> attributes;
  std::vector<EntityKey> collections;
  std::vector<RoleRecord> roles;

  const StoredValue* attribute(std::string_view name) const {
    for (const auto& [n, v] : attributes) {
      if (n == name) return &v;
    }
    return nullptr;
  }
};

struct GrantRecord {
  std::string id;
  EntityKey subject;
  std::string level;
  std::optional<std::int64_t> expires_at;
  bool active = true;
  std::string reason;
};

struct KeyRecord {
  ApiKey key;
};

// A hash map split into kShards shards held by shared_ptr, under a two-level
// tree (kFanout nodes of kFanout shards each) so that copying the map copies
// kFanout pointers, and changing one key clones one node (kFanout pointers)
// and one shard (about size / kShards entries). Everything untouched is
// shared with the map it was copied from.
template <typename Key, typename Value, typename Hash, typename Eq>
class ShardedMap {
 public:
  static constexpr std::size_t kFanout = 64;
  static constexpr std::size_t kShards = kFanout * kFanout;
  using Shard = std::unordered_map<Key, Value, Hash, Eq>;

  ShardedMap() { nodes_.fill(empty_node()); }

  template <typename K>
  const Value* find(const K& key) const {
    const std::size_t index = Hash{}(key) % kShards;
    const Shard& shard = *nodes_[index / kFanout]->shards[index % kFanout];
    auto it = shard.find(key);
    return it == shard.end() ? nullptr : &it->second;
  }

  // A mutable shard for `key`, cloned (with its node) on first touch within
  // one update. `cloned` tracks what this update already owns: nodes first,
  // then shards.
  template <typename K>
  Shard& mutable_shard(const K& key, std::vector<bool>& cloned) {
    const std::size_t index = Hash{}(key) % kShards;
    if (cloned.size() != kFanout + kShards) cloned.assign(kFanout + kShards, false);
    const std::size_t n = index / kFanout;
    if (!cloned[n]) {
      nodes_[n] = std::make_shared<Node>(*nodes_[n]);
      cloned[n] = true;
    }
    // Safe: a cloned node or shard is owned by this (unpublished) map only.
    Node& node = const_cast<Node&>(*nodes_[n]);
    auto& shard = node.shards[index % kFanout];
    if (!cloned[kFanout + index]) {
      shard = std::make_shared<Shard>(*shard);
      cloned[kFanout + index] = true;
    }
    return const_cast<Shard&>(*shard);
  }

  std::size_t size() const {
    std::size_t n = 0;
    for_each_shard([&](const Shard& s) { n += s.size(); });
    return n;
  }

  template <typename F>
  void for_each(F&& f) const {
    for_each_shard([&](const Shard& s) {
      for (const auto& [k, v] : s) f(k, v);
    });
  }

 private:
  struct Node {
    std::array<std::shared_ptr<const Shard>, kFanout> shards;
  };

  template <typename F>
  void for_each_shard(F&& f) const {
    for (const auto& node : nodes_) {
      for (const auto& s : node->shards) f(*s);
    }
  }

  static std::shared_ptr<const Node> empty_node() {
    static const auto empty = [] {
      auto node = std::make_shared<Node>();
      node->shards.fill(std::make_shared<const Shard>());
      return std::shared_ptr<const Node>(std::move(node));
    }();
    return empty;
  }
  std::array<std::shared_ptr<const Node>, kFanout> nodes_;
};

using EntityMap = ShardedMap<EntityKey, EntityRecord, EntityKeyHash, EntityKeyEq>;
using GrantMap = ShardedMap<EntityKey, std::vector<GrantRecord>, EntityKeyHash, EntityKeyEq>;  // by resource
using GrantIndex = ShardedMap<std::string, EntityKey, StringHash, std::equal_to<>>;            // grant id -> resource
using KeyMap = ShardedMap<std::string, KeyRecord, StringHash, std::equal_to<>>;

class FactStore {
 public:
  FactStore() = default;

  // Build from a whole fact set; fails (leaving nothing) on inconsistent input.
  static Status build(const FactSet& facts, std::shared_ptr<const FactStore>& out);
  // A new store with `update` applied, sharing every untouched shard with
  // this one. All or nothing: on error `out` is left unchanged.
  Status apply(const FactsUpdate& update, std::shared_ptr<const FactStore>& out) const;

  const EntityRecord* entity(std::string_view type, std::string_view id) const { return entities_.find(EntityKeyView{type, id}); }
  const std::vector<GrantRecord>* grants(std::string_view type, std::string_view id) const {
    return grants_.find(EntityKeyView{type, id});
  }
  const KeyRecord* key(std::string_view id) const { return keys_.find(id); }

  std::uint64_t version() const { return version_; }
  void set_version(std::uint64_t v) { version_ = v; }
  std::size_t grant_count() const { return grant_ids_.size(); }
  std::size_t entity_count() const { return entities_.size(); }
  // Whether any resource-type-wide ("*") grant exists: lets the evaluator
  // skip that lookup entirely in the common case.
  bool has_type_wide_grants() const { return type_wide_grants_ != 0; }

  // Every known resource id of a type (entities and resources with grants).
  std::vector<std::string> ids_of_type(std::string_view type) const;

 private:
  Status change(const FactChange& c, std::vector<bool>& touched_entities, std::vector<bool>& touched_grants,
                std::vector<bool>& touched_index, std::vector<bool>& touched_keys);

  EntityMap entities_;
  GrantMap grants_;
  GrantIndex grant_ids_;
  KeyMap keys_;
  std::uint64_t version_ = 0;
  std::size_t type_wide_grants_ = 0;
};

}  // namespace warden::runtime
