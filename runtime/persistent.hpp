// Immutable, shared building blocks of the fact store (fact_store.hpp):
// blocks, persistent vectors and chunked sorted sets.
//
// Pipeline position: runtime/, under FactStore. Every structure here is a
// value whose parts are shared between fact snapshots: an update copies only
// the path to what it changes (copy-on-write), so a new snapshot costs
// microseconds however large the facts are, and the snapshot it was made from
// is never modified while readers may be using it.
//
// Ownership rule for in-place edits: a part whose reference count is 1 is
// referenced only by the snapshot being built (published snapshots, and the
// snapshot an update starts from, hold references of their own), so a writer
// may change it in place; anything else is cloned first. Readers never touch
// reference counts: they reach parts through the snapshot they hold.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

namespace warden::runtime {

// The part `slot` holds, owned by the structure being built alone: created
// when absent, cloned when shared (the ownership rule above).
template <typename T>
T& own_part(std::shared_ptr<const T>& slot) {
  if (!slot) {
    slot = std::make_shared<T>();
  } else if (slot.use_count() != 1) {
    slot = std::make_shared<T>(*slot);
  }
  return const_cast<T&>(*slot);
}

// The shard of a 64-bit hash among 4^kFanoutBits: its top bits.
template <unsigned kFanoutBits>
std::size_t shard_of_hash(std::uint64_t full_hash) {
  if constexpr (kFanoutBits == 0) {
    return 0;
  } else {
    return static_cast<std::size_t>(full_hash >> (64 - 2 * kFanoutBits));
  }
}

// An immutable array in one allocation (a header and the items), shared by
// reference count. Empty blocks allocate nothing. Editing functions return
// a new block and leave this one as it was.
template <typename T>
class Block {
  static_assert(alignof(T) <= 8, "Block items are laid out after an 8-byte header");

 public:
  Block() = default;
  Block(const Block& o) noexcept : h_(o.h_) { retain(); }
  Block(Block&& o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
  Block& operator=(const Block& o) noexcept {
    if (h_ != o.h_) {
      Block copy(o);
      swap(copy);
    }
    return *this;
  }
  Block& operator=(Block&& o) noexcept {
    Block moved(std::move(o));
    swap(moved);
    return *this;
  }
  ~Block() { release(); }
  void swap(Block& o) noexcept { std::swap(h_, o.h_); }

  static Block of(std::span<const T> items) {
    Block b = allocate(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) new (b.data() + i) T(items[i]);
    return b;
  }
  static Block filled(std::size_t n, const T& item) {
    Block b = allocate(n);
    for (std::size_t i = 0; i < n; ++i) new (b.data() + i) T(item);
    return b;
  }

  // In-place edits, for a block only this holder references (the ownership
  // rule at the top of this file): relaxed is enough, as no other thread
  // can hold a reference that could change the count meanwhile.
  bool unique() const { return h_ && h_->refs.load(std::memory_order_relaxed) == 1; }
  T* mutable_data() { return data(); }

  std::size_t size() const { return h_ ? h_->size : 0; }
  bool empty() const { return h_ == nullptr; }
  const T* begin() const { return h_ ? data() : nullptr; }
  const T* end() const { return h_ ? data() + h_->size : nullptr; }
  const T& operator[](std::size_t i) const { return data()[i]; }
  const T& front() const { return data()[0]; }
  const T& back() const { return data()[h_->size - 1]; }
  std::span<const T> items() const { return {begin(), size()}; }
  // Hint that the items are about to be read (the first cache line).
  void prefetch() const {
    if (h_) __builtin_prefetch(data());
  }

  // Copies with one item inserted before `pos`, replaced at `pos`, or erased.
  Block inserted(std::size_t pos, const T& item) const {
    Block b = allocate(size() + 1);
    T* out = b.data();
    for (std::size_t i = 0; i < pos; ++i) new (out++) T((*this)[i]);
    new (out++) T(item);
    for (std::size_t i = pos; i < size(); ++i) new (out++) T((*this)[i]);
    return b;
  }
  Block replaced(std::size_t pos, const T& item) const {
    Block b = allocate(size());
    for (std::size_t i = 0; i < size(); ++i) new (b.data() + i) T(i == pos ? item : (*this)[i]);
    return b;
  }
  Block erased(std::size_t pos) const {
    if (size() == 1) return {};
    Block b = allocate(size() - 1);
    T* out = b.data();
    for (std::size_t i = 0; i < size(); ++i) {
      if (i != pos) new (out++) T((*this)[i]);
    }
    return b;
  }
  Block appended(const T& item) const { return inserted(size(), item); }
  // The items [from, to) as a block of their own.
  Block slice(std::size_t from, std::size_t to) const { return of(items().subspan(from, to - from)); }

 private:
  struct Header {
    std::atomic<std::uint32_t> refs;
    std::uint32_t size;
  };
  static_assert(sizeof(Header) == 8);

  static Block allocate(std::size_t n) {
    Block b;
    if (n == 0) return b;
    void* raw = ::operator new(sizeof(Header) + n * sizeof(T));
    b.h_ = new (raw) Header{{1}, static_cast<std::uint32_t>(n)};
    return b;
  }
  T* data() const { return h_ ? reinterpret_cast<T*>(reinterpret_cast<char*>(h_) + sizeof(Header)) : nullptr; }
  void retain() const noexcept {
    // relaxed: a new reference is made from an existing one, which keeps the
    // block alive meanwhile; nothing is published by the increment.
    if (h_) h_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  void release() noexcept {
    if (!h_) return;
    // acq_rel: every use of the block through other references happens
    // before the last release frees it.
    if (h_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      if constexpr (!std::is_trivially_destructible_v<T>) {
        for (std::size_t i = 0; i < h_->size; ++i) data()[i].~T();
      }
      h_->~Header();
      ::operator delete(static_cast<void*>(h_));
    }
    h_ = nullptr;
  }

  Header* h_ = nullptr;
};

// A persistent vector: a radix tree of fixed-size leaves (2^kLeafBits
// items) under inner nodes of 32 children. Reading an item walks
// `depth_` inner nodes; changing one clones the leaf and the inner nodes on
// its path, unless they already belong to this vector alone.
template <typename T, unsigned kLeafBits>
class PVec {
 public:
  static constexpr std::size_t kLeaf = std::size_t{1} << kLeafBits;
  static constexpr unsigned kBranchBits = 5;
  static constexpr std::size_t kBranch = std::size_t{1} << kBranchBits;

  std::size_t size() const { return size_; }

  const T& operator[](std::size_t i) const {
    const void* node = root_.get();
    for (unsigned level = depth_; level > 0; --level) {
      const unsigned shift = kLeafBits + (level - 1) * kBranchBits;
      node = static_cast<const Inner*>(node)->kids[(i >> shift) & (kBranch - 1)].get();
    }
    return static_cast<const Leaf*>(node)->items[i & (kLeaf - 1)];
  }

  // A mutable reference to item i, in a leaf this vector owns alone.
  T& edit(std::size_t i) {
    std::shared_ptr<const void>* slot = &root_;
    for (unsigned level = depth_; level > 0; --level) {
      Inner& inner = own<Inner>(*slot);
      const unsigned shift = kLeafBits + (level - 1) * kBranchBits;
      slot = &inner.kids[(i >> shift) & (kBranch - 1)];
    }
    return own<Leaf>(*slot).items[i & (kLeaf - 1)];
  }

  void push_back(T item) {
    if (size_ == capacity()) grow();
    const std::size_t i = size_++;
    std::shared_ptr<const void>* slot = &root_;
    for (unsigned level = depth_; level > 0; --level) {
      if (!*slot) *slot = std::make_shared<Inner>();
      Inner& inner = own<Inner>(*slot);
      const unsigned shift = kLeafBits + (level - 1) * kBranchBits;
      slot = &inner.kids[(i >> shift) & (kBranch - 1)];
    }
    if (!*slot) *slot = std::make_shared<Leaf>();
    own<Leaf>(*slot).items[i & (kLeaf - 1)] = std::move(item);
  }

 private:
  struct Leaf {
    std::array<T, kLeaf> items{};
  };
  struct Inner {
    std::array<std::shared_ptr<const void>, kBranch> kids;
  };

  std::size_t capacity() const {
    if (!root_) return 0;
    return kLeaf << (depth_ * kBranchBits);
  }

  void grow() {
    if (!root_) {
      root_ = std::make_shared<Leaf>();
      depth_ = 0;
      return;
    }
    auto up = std::make_shared<Inner>();
    up->kids[0] = std::move(root_);
    root_ = std::move(up);
    ++depth_;
  }

  // The node in `slot`, cloned first unless this vector is its only holder
  // (see the ownership rule at the top of this file).
  template <typename Node>
  static Node& own(std::shared_ptr<const void>& slot) {
    if (slot.use_count() != 1) slot = std::make_shared<Node>(*static_cast<const Node*>(slot.get()));
    return *const_cast<Node*>(static_cast<const Node*>(slot.get()));
  }

  std::shared_ptr<const void> root_;
  unsigned depth_ = 0;
  std::size_t size_ = 0;
};

// A persistent sorted set of small ordered values (entity and grant ids) as
// a list of sorted chunks of at most kChunk items: inserting or erasing one
// copies one chunk and the chunk list, so a set of a million members changes
// in microseconds. Used for the reverse indexes that list filtering and
// membership maintenance walk (a collection's members, a holder's grants,
// the entities whose attribute names a value), never on the decision path.
template <typename T>
class ChunkedSet {
 public:
  static constexpr std::size_t kChunk = 256;

  // From sorted, distinct items.
  static ChunkedSet from_sorted(std::span<const T> items) {
    ChunkedSet set;
    std::vector<Block<T>> chunks;
    // Full chunks but for the last: a later insert splits a full one in two.
    for (std::size_t at = 0; at < items.size(); at += kChunk) {
      chunks.push_back(Block<T>::of(items.subspan(at, std::min(kChunk, items.size() - at))));
    }
    set.chunks_ = Block<Block<T>>::of(chunks);
    set.size_ = items.size();
    return set;
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  bool contains(const T& v) const {
    const std::size_t c = chunk_for(v);
    if (c == chunks_.size()) return false;
    const Block<T>& chunk = chunks_[c];
    return std::binary_search(chunk.begin(), chunk.end(), v);
  }

  // Whether it was added (false: already there).
  bool insert(const T& v) {
    if (chunks_.empty()) {
      const Block<T> one = Block<T>::of(std::span<const T>(&v, 1));
      chunks_ = Block<Block<T>>::of(std::span<const Block<T>>(&one, 1));
      size_ = 1;
      return true;
    }
    std::size_t c = chunk_for(v);
    if (c == chunks_.size()) c = 0;  // before the first item: the first chunk
    const Block<T>& chunk = chunks_[c];
    const T* at = std::lower_bound(chunk.begin(), chunk.end(), v);
    if (at != chunk.end() && *at == v) return false;
    Block<T> grown = chunk.inserted(static_cast<std::size_t>(at - chunk.begin()), v);
    if (grown.size() <= kChunk) {
      chunks_ = chunks_.replaced(c, grown);
    } else {
      const std::size_t half = grown.size() / 2;
      chunks_ = chunks_.replaced(c, grown.slice(half, grown.size())).inserted(c, grown.slice(0, half));
    }
    ++size_;
    return true;
  }

  // Whether it was there.
  bool erase(const T& v) {
    const std::size_t c = chunk_for(v);
    if (c == chunks_.size()) return false;
    const Block<T>& chunk = chunks_[c];
    const T* at = std::lower_bound(chunk.begin(), chunk.end(), v);
    if (at == chunk.end() || !(*at == v)) return false;
    if (chunk.size() == 1) {
      chunks_ = chunks_.erased(c);
    } else {
      chunks_ = chunks_.replaced(c, chunk.erased(static_cast<std::size_t>(at - chunk.begin())));
    }
    --size_;
    return true;
  }

  template <typename F>
  void for_each(F&& f) const {
    for (const Block<T>& chunk : chunks_) {
      for (const T& v : chunk) f(v);
    }
  }

 private:
  // The chunk whose range holds v: the last chunk whose first item is <= v;
  // chunks_.size() when v is before every item (or the set is empty).
  std::size_t chunk_for(const T& v) const {
    const Block<T>* first = chunks_.begin();
    const Block<T>* last = chunks_.end();
    const Block<T>* it = std::upper_bound(first, last, v, [](const T& x, const Block<T>& c) { return x < c.front(); });
    return it == first ? chunks_.size() : static_cast<std::size_t>(it - first) - 1;
  }

  Block<Block<T>> chunks_;
  std::size_t size_ = 0;
};

}  // namespace warden::runtime
