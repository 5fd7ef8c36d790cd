// A hash index whose shards are single allocations: the index a request's
// strings are looked up in (entities by type and id, API keys, values).
//
// Pipeline position: runtime/, under FactStore and Interner. Like
// ShardedSet (sharded_set.hpp) it is a two-level tree of shards shared
// between fact snapshots by copy-on-write, chosen by the top bits of a
// 64-bit hash. The difference is the shard: here it is one Block of slots,
// probed linearly, each slot carrying the low 32 bits of its hash (never 0:
// 0 marks an empty slot) — so a lookup touches the node, then the slot,
// then whatever the slot points to. boost::unordered_flat_set keeps a
// table header, a metadata array and the slots in three places, which on
// the decision path costs two more dependent cache misses per lookup
// (measured: docs/performance.md); the indexes written on updates only
// use it (ShardedSet).
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "runtime/persistent.hpp"

namespace warden::runtime {

// Slot: trivially copyable, default-constructible as empty, with a
// `std::uint32_t hash` (stored_hash() of its key's hash; 0: empty).
// Eq: eq(key, slot) for lookup keys (which carry the same stored hash).
template <typename Slot, typename Eq, unsigned kFanoutBits>
class DirectIndex {
 public:
  static constexpr std::size_t kFanout = std::size_t{1} << kFanoutBits;

  static std::uint32_t stored_hash(std::uint64_t full_hash) { return static_cast<std::uint32_t>(full_hash) | 1u; }

  template <typename K>
  const Slot* find(std::uint64_t full_hash, const K& key) const {
    const Root* root = root_.get();
    if (!root) return nullptr;
    const std::size_t index = shard_index(full_hash);
    const Node* node = root->nodes[index / kFanout].get();
    if (!node) return nullptr;
    // The capacity is read from the node, not the shard's header: the slot
    // is then the first line of the shard a lookup touches.
    return probe(node->shards[index % kFanout].begin(), node->capacity[index % kFanout], key);
  }

  // The slot equal to `key`, in a shard this index owns alone (to change
  // fields that are not part of its identity); null when absent.
  template <typename K>
  Slot* find_mutable(std::uint64_t full_hash, const K& key) {
    Block<Slot>& shard = own_shard(full_hash, 0);
    return const_cast<Slot*>(probe(shard.begin(), shard.size(), key));
  }

  // Adds a slot whose key is not in the index.
  void insert(std::uint64_t full_hash, const Slot& slot) {
    Block<Slot>& shard = own_shard(full_hash, 1);
    const std::size_t mask = shard.size() - 1;
    Slot* s = shard.mutable_data();
    std::size_t i = slot.hash & mask;
    while (s[i].hash != 0) i = (i + 1) & mask;
    s[i] = slot;
  }

  // Removes the slot equal to `key`; whether it was there.
  template <typename K>
  bool erase(std::uint64_t full_hash, const K& key) {
    if (!find(full_hash, key)) return false;
    const std::size_t index = shard_index(full_hash);
    Block<Slot>& shard = own_shard(full_hash, 0);
    Slot* s = shard.mutable_data();
    const std::size_t mask = shard.size() - 1;
    std::size_t i = key.hash & mask;
    while (!Eq{}(key, s[i])) i = (i + 1) & mask;
    // Backward-shift deletion: later slots of the run move up, so probes
    // never stop early at a hole.
    std::size_t hole = i;
    for (std::size_t j = (i + 1) & mask; s[j].hash != 0; j = (j + 1) & mask) {
      const std::size_t home = s[j].hash & mask;
      // Moving j into the hole is right unless its home lies in (hole, j].
      const bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
      if (!stays) {
        s[hole] = s[j];
        hole = j;
      }
    }
    s[hole] = Slot{};
    --node_for(index).counts[index % kFanout];
    --size_;
    return true;
  }

  std::size_t size() const { return size_; }

 private:
  struct Node {
    std::array<Block<Slot>, kFanout> shards;        // slots, a power of two of them (or none)
    std::array<std::uint32_t, kFanout> capacity{};  // shards[i].size()
    std::array<std::uint32_t, kFanout> counts{};    // slots in use
  };
  struct Root {
    std::array<std::shared_ptr<const Node>, kFanout> nodes;
  };

  static std::size_t shard_index(std::uint64_t full_hash) { return shard_of_hash<kFanoutBits>(full_hash); }

  template <typename K>
  static const Slot* probe(const Slot* slots, std::size_t capacity, const K& key) {
    if (capacity == 0) return nullptr;
    const std::size_t mask = capacity - 1;
    for (std::size_t i = key.hash & mask;; i = (i + 1) & mask) {
      const Slot& s = slots[i];
      if (s.hash == 0) return nullptr;
      if (Eq{}(key, s)) return &s;
    }
  }

  Node& node_for(std::size_t index) { return const_cast<Node&>(*root_->nodes[index / kFanout]); }

  // The shard of `full_hash`, owned alone, with room for `adding` more
  // slots (at most 3/4 full after them).
  Block<Slot>& own_shard(std::uint64_t full_hash, std::size_t adding) {
    const std::size_t index = shard_index(full_hash);
    Root& root = own_part(root_);
    Node& node = own_part(root.nodes[index / kFanout]);
    Block<Slot>& shard = node.shards[index % kFanout];
    std::uint32_t& count = node.counts[index % kFanout];
    const std::size_t need = count + adding;
    std::size_t capacity = shard.size();
    while (need * 4 > capacity * 3) capacity = capacity ? capacity * 2 : 4;
    if (capacity != shard.size()) {
      Block<Slot> grown = Block<Slot>::filled(capacity, Slot{});
      Slot* g = grown.mutable_data();
      for (const Slot& s : shard) {
        if (s.hash == 0) continue;
        std::size_t i = s.hash & (capacity - 1);
        while (g[i].hash != 0) i = (i + 1) & (capacity - 1);
        g[i] = s;
      }
      shard = std::move(grown);
      node.capacity[index % kFanout] = static_cast<std::uint32_t>(capacity);
    } else if (!shard.unique()) {
      shard = Block<Slot>::of(shard.items());
    }
    count = static_cast<std::uint32_t>(need);
    size_ += adding;
    return shard;
  }

  std::shared_ptr<const Root> root_;
  std::size_t size_ = 0;
};

}  // namespace warden::runtime
