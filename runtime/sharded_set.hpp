// A hash set split into shards under a two-level tree, shared between fact
// snapshots by copy-on-write: the fact store's indexes (text -> id, grant
// id -> grant, …) are ShardedSets.
//
// Pipeline position: runtime/, under FactStore. Each shard is a
// boost::unordered_flat_set (open addressing, SIMD-probed metadata) of small
// slots that carry their own hash, so a lookup costs one hash of the key,
// and cloning a shard never re-hashes text. The shard is chosen by the top
// bits of the 64-bit hash, the slot within it by the low 32 bits (stored in
// the slot). Changing one slot clones one shard (about size / 4096 slots)
// and the node above it; everything else stays shared (ownership rule in
// persistent.hpp).
#pragma once

#include <array>
#include <boost/unordered/unordered_flat_set.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "runtime/persistent.hpp"

namespace warden::runtime {

// Slot: has `std::uint32_t hash` (the low 32 bits of the key's hash).
// Eq: compares slots with slots, and with lookup keys (is_transparent).
template <typename Slot, typename Eq, unsigned kFanoutBits>
class ShardedSet {
 public:
  struct Hash {
    using is_transparent = void;
    template <typename K>
    std::size_t operator()(const K& k) const noexcept {
      return k.hash;  // boost mixes it (the hasher does not claim to avalanche)
    }
  };
  using Shard = boost::unordered_flat_set<Slot, Hash, Eq>;
  static constexpr std::size_t kFanout = std::size_t{1} << kFanoutBits;

  // The slot equal to `key` (whose `hash` is the low bits of `full_hash`).
  template <typename K>
  const Slot* find(std::uint64_t full_hash, const K& key) const {
    const Shard* shard = shard_for(full_hash);
    if (!shard) return nullptr;
    auto it = shard->find(key);
    return it == shard->end() ? nullptr : &*it;
  }

  // The shard of `full_hash`, owned by this set alone (cloned on first touch).
  Shard& edit(std::uint64_t full_hash) {
    const std::size_t index = shard_index(full_hash);
    Root& root = own_part(root_);
    Node& node = own_part(root.nodes[index / kFanout]);
    return own_part(node.shards[index % kFanout]);
  }

 private:
  struct Node {
    std::array<std::shared_ptr<const Shard>, kFanout> shards;
  };
  struct Root {
    std::array<std::shared_ptr<const Node>, kFanout> nodes;
  };

  static std::size_t shard_index(std::uint64_t full_hash) { return shard_of_hash<kFanoutBits>(full_hash); }

  const Shard* shard_for(std::uint64_t full_hash) const {
    const Root* root = root_.get();
    if (!root) return nullptr;
    const std::size_t index = shard_index(full_hash);
    const Node* node = root->nodes[index / kFanout].get();
    return node ? node->shards[index % kFanout].get() : nullptr;
  }

  std::shared_ptr<const Root> root_;
};

}  // namespace warden::runtime
