// Text interning for the fact store: an append-only arena that holds every
// string the facts name, and Interners that give each distinct string a
// dense id.
//
// Pipeline position: runtime/, under FactStore. The fact store speaks in
// dense integers — entity ids, attribute values, names of types, roles,
// scopes, levels and attributes — so that once a request's strings are
// resolved (one XXH3 hash each), a decision compares integers only.
//
// Ids are never reused or renumbered while a store and the stores derived
// from it by updates live: an id handed out stays valid in every later
// snapshot (that is what lets a policy's names be resolved once per
// (policy, facts) pair, binding.hpp). The arena is shared by those
// snapshots; writers append to it (serialized by the engine, and by a mutex
// here as well), readers only read strings written before the snapshot
// that names them was published.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "runtime/direct_index.hpp"
#include "runtime/persistent.hpp"

namespace warden::runtime {

inline std::uint64_t hash_text(std::string_view s) { return XXH3_64bits(s.data(), s.size()); }

// Byte equality, inline for the short ids and names requests carry (two
// overlapping fixed-size loads per side instead of a call to memcmp).
inline bool same_text(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  if (n >= 8 && n <= 16) {
    std::uint64_t x0, x1, y0, y1;
    std::memcpy(&x0, x, 8);
    std::memcpy(&x1, x + n - 8, 8);
    std::memcpy(&y0, y, 8);
    std::memcpy(&y1, y + n - 8, 8);
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
  }
  if (n >= 4 && n < 8) {
    std::uint32_t x0, x1, y0, y1;
    std::memcpy(&x0, x, 4);
    std::memcpy(&x1, x + n - 4, 4);
    std::memcpy(&y0, y, 4);
    std::memcpy(&y1, y + n - 4, 4);
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
  }
  if (n < 4) {
    for (std::size_t i = 0; i < n; ++i) {
      if (x[i] != y[i]) return false;
    }
    return true;
  }
  return std::memcmp(x, y, n) == 0;
}

// Append-only storage of length-prefixed strings. A stored string is named
// by the address of its prefix, which stays valid as long as the arena.
class StringArena {
 public:
  const char* add(std::string_view s);

  static std::string_view view(const char* stored) {
    const auto* p = reinterpret_cast<const unsigned char*>(stored);
    std::uint32_t n = p[0];
    if (n < 0x80) return {stored + 1, n};
    // Longer strings: the length as 7-bit groups, low first (LEB128).
    n &= 0x7f;
    unsigned shift = 7, i = 1;
    for (;; ++i, shift += 7) {
      n |= static_cast<std::uint32_t>(p[i] & 0x7f) << shift;
      if ((p[i] & 0x80) == 0) break;
    }
    return {stored + i + 1, n};
  }

 private:
  static constexpr std::size_t kChunk = std::size_t{1} << 16;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<char[]>> chunks_;
  std::size_t used_ = 0;      // bytes used in the last chunk
  std::size_t capacity_ = 0;  // size of the last chunk
};

inline constexpr std::uint32_t kNoId = 0xffffffffu;

// The text of an index slot: short text (most ids) is held inline, so a
// lookup compares it without touching a second cache line; longer text is
// compared in the arena. N + 1 bytes, next to the slot's arena pointer.
template <std::size_t N>
struct SlotHead {
  static constexpr std::uint8_t kLong = 0xff;  // longer than N
  std::uint8_t size = 0;
  char head[N] = {};

  static SlotHead of(std::string_view text) {
    SlotHead h;
    if (text.size() <= N) {
      h.size = static_cast<std::uint8_t>(text.size());
      if (!text.empty()) std::memcpy(h.head, text.data(), text.size());
    } else {
      h.size = kLong;
    }
    return h;
  }
  bool equals(std::string_view text, const char* stored) const {
    if (size != kLong) return size == text.size() && same_text({head, size}, text);
    return text.size() > N && same_text(StringArena::view(stored), text);
  }
};

// Strings to dense ids (0, 1, 2, … in order of first sight) and back.
// kFanoutBits sizes the index: 0 for the small vocabularies (one shard),
// 6 for ids and values (4096 shards). Each id carries one 32-bit `tag` the
// owner may use (the fact store keeps the first entity with that id there).
template <unsigned kFanoutBits>
class Interner {
 public:
  struct Found {
    std::uint32_t id = kNoId;   // kNoId: not interned
    std::uint32_t tag = kNoId;
  };

  Found find(std::string_view text) const { return find(text, hash_text(text)); }
  Found find(std::string_view text, std::uint64_t hash) const {
    const Slot* s = index_.find(hash, Key{text, Index::stored_hash(hash)});
    return s ? Found{s->id, entries_[s->id].tag} : Found{};
  }

  // The id of `text`, interned now if new (its tag then kNoId).
  std::uint32_t intern(std::string_view text, StringArena& arena) {
    const std::uint64_t hash = hash_text(text);
    if (const Found f = find(text, hash); f.id != kNoId) return f.id;
    const auto id = static_cast<std::uint32_t>(entries_.size());
    const char* stored = arena.add(text);
    entries_.push_back(Entry{stored, kNoId});
    index_.insert(hash, Slot{Index::stored_hash(hash), id, stored, SlotHead<15>::of(text)});
    return id;
  }

  std::string_view text(std::uint32_t id) const { return StringArena::view(entries_[id].text); }
  std::uint32_t tag(std::uint32_t id) const { return entries_[id].tag; }
  const char* stored(std::uint32_t id) const { return entries_[id].text; }  // for StringArena::view
  std::size_t size() const { return entries_.size(); }

  void set_tag(std::uint32_t id, std::uint32_t tag) { entries_.edit(id).tag = tag; }

 private:
  struct Slot {
    std::uint32_t hash = 0;  // 0: empty
    std::uint32_t id = 0;
    const char* stored = nullptr;
    SlotHead<15> text;
  };
  static_assert(sizeof(Slot) == 32);
  struct Entry {
    const char* text = nullptr;
    std::uint32_t tag = kNoId;
  };
  struct Key {
    std::string_view text;
    std::uint32_t hash;
  };
  struct Eq {
    bool operator()(const Key& k, const Slot& s) const noexcept {
      return k.hash == s.hash && s.text.equals(k.text, s.stored);
    }
  };
  using Index = DirectIndex<Slot, Eq, kFanoutBits>;

  Index index_;
  PVec<Entry, 8> entries_;
};

}  // namespace warden::runtime
