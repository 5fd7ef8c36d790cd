// The end of a batch of fact changes (fact_writer.hpp): drafts become the
// store's shared blocks, the reverse indexes take their changes in order,
// and reachable collections are recomputed where memberships changed.
#include <algorithm>
#include <cstring>
#include <boost/unordered/unordered_flat_map.hpp>
#include <boost/unordered/unordered_flat_set.hpp>
#include <string>

#include "runtime/fact_writer.hpp"

namespace warden::runtime {
namespace {

// Applies one run of changes (same key, in order) to a set: all at once when
// they only fill an empty set (loading a whole fact set), else one by one.
template <typename T>
void apply_run(ChunkedSet<T>& set, std::span<const T> items, std::span<const std::uint8_t> adds, std::vector<T>& scratch) {
  const bool only_adds = std::all_of(adds.begin(), adds.end(), [](std::uint8_t a) { return a != 0; });
  if (set.empty() && only_adds && items.size() > 1) {
    scratch.assign(items.begin(), items.end());
    std::sort(scratch.begin(), scratch.end());
    scratch.erase(std::unique(scratch.begin(), scratch.end()), scratch.end());
    set = ChunkedSet<T>::from_sorted(scratch);
    return;
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (adds[i]) {
      set.insert(items[i]);
    } else {
      set.erase(items[i]);
    }
  }
}

}  // namespace

Status FactStore::Writer::finish() {
  if (Status s = finish_grant_index(); !s.ok) return s;
  finish_drafts();
  finish_sets();
  if (Status s = finish_reach(); !s.ok) return s;
  drafts_.clear();
  return Status::success();
}

Status FactStore::Writer::finish_grant_index() {
  if (pending_grants_.empty()) return Status::success();
  // Shard after shard, each shard's slots in cache while it fills: a
  // counting sort by the top bits of the hash (the shard), stable.
  {
    constexpr unsigned kBits = 12;
    std::vector<std::uint32_t> start((std::size_t{1} << kBits) + 1, 0);
    for (const auto& [hash, id] : pending_grants_) ++start[(hash >> (64 - kBits)) + 1];
    for (std::size_t i = 1; i < start.size(); ++i) start[i] += start[i - 1];
    std::vector<std::pair<std::uint64_t, GrantId>> sorted(pending_grants_.size());
    for (const auto& g : pending_grants_) sorted[start[g.first >> (64 - kBits)]++] = g;
    pending_grants_.swap(sorted);
  }
  GrantId twice = kNoId;  // of the ids given twice, the one whose second mention came first
  for (const auto& [hash, id] : pending_grants_) {
    auto& shard = store_.grant_index_.edit(hash);
    const std::string_view text = StringArena::view(store_.grants_[id].id);
    auto it = shard.find(GrantIndexKey{text, static_cast<std::uint32_t>(hash), &store_.grants_});
    if (it == shard.end()) {
      shard.insert(GrantIndexSlot{id, static_cast<std::uint32_t>(hash)});
    } else {
      const GrantId later = std::max(id, it->grant);  // grants are numbered in the order given
      twice = std::min(twice, later);
    }
  }
  pending_grants_.clear();
  if (twice != kNoId) {
    return Status::error("F0303", "grant `" + std::string(StringArena::view(store_.grants_[twice].id)) + "` is given twice");
  }
  return Status::success();
}

void FactStore::Writer::set_lists(EntityRecord& r, const Lists& lists) {
  EntityRecord next;
  next.reach_count = static_cast<std::uint32_t>(lists.reach.size());
  next.attribute_count = static_cast<std::uint32_t>(lists.attributes.size());
  next.grant_count = static_cast<std::uint32_t>(lists.grants.size());
  next.role_count = static_cast<std::uint32_t>(lists.roles.size());
  next.address_count = static_cast<std::uint32_t>(lists.addresses.size());
  Block<std::uint64_t> data = Block<std::uint64_t>::filled(next.data_words(), 0);
  std::uint64_t* words = data.mutable_data();
  // Objects of trivially copyable types, copied in as bytes (fact_store.hpp).
  const auto put = [&](std::size_t word, const auto& span) {
    if (!span.empty()) std::memcpy(words + word, span.data(), span.size_bytes());
  };
  put(0, lists.reach);
  put(next.attributes_offset(), lists.attributes);
  put(next.grants_offset(), lists.grants);
  put(next.roles_offset(), lists.roles);
  put(next.addresses_offset(), lists.addresses);
  r.reach_count = next.reach_count;
  r.attribute_count = next.attribute_count;
  r.grant_count = next.grant_count;
  r.role_count = next.role_count;
  r.address_count = next.address_count;
  r.data = std::move(data);
}

void FactStore::Writer::finish_drafts() {
  for (auto& [e, d] : drafts_) {
    if (d.touched & Draft::kTouchedCollections) links(e).collections = Block<EntityId>::of(d.collections);
    if (!(d.touched & (Draft::kTouchedAttributes | Draft::kTouchedRoles | Draft::kTouchedGrants))) continue;
    EntityRecord& r = record(e);
    Lists lists = lists_of(r);
    if (d.touched & Draft::kTouchedAttributes) {
      lists.attributes = d.attributes;
      lists.addresses = d.addresses;
    }
    if (d.touched & Draft::kTouchedRoles) lists.roles = d.roles;
    if (d.touched & Draft::kTouchedGrants) {
      // By holder (the decision path searches by holder), then by grant.
      std::sort(d.grants.begin(), d.grants.end(), [](const GrantEntry& a, const GrantEntry& b) {
        return a.subject != b.subject ? a.subject < b.subject : a.grant < b.grant;
      });
      lists.grants = d.grants;
    }
    set_lists(r, lists);
  }
}

void FactStore::Writer::finish_sets() {
  std::vector<std::uint32_t> items, scratch;
  std::vector<std::uint8_t> adds;
  // Runs of changes with the same key, in the order they were made.
  const auto runs = [&](std::vector<SetChange>& changes, auto&& apply) {
    std::stable_sort(changes.begin(), changes.end(), [](const SetChange& a, const SetChange& b) { return a.key < b.key; });
    for (std::size_t at = 0; at < changes.size();) {
      std::size_t end = at;
      items.clear();
      adds.clear();
      while (end < changes.size() && changes[end].key == changes[at].key) {
        items.push_back(changes[end].item);
        adds.push_back(changes[end].add ? 1 : 0);
        ++end;
      }
      apply(changes[at].key, std::span<const std::uint32_t>(items), std::span<const std::uint8_t>(adds));
      at = end;
    }
    changes.clear();
  };
  runs(held_, [&](std::uint64_t holder, std::span<const std::uint32_t> grants, std::span<const std::uint8_t> add) {
    apply_run(links(static_cast<EntityId>(holder)).held, grants, add, scratch);
  });
  runs(members_, [&](std::uint64_t collection, std::span<const std::uint32_t> members, std::span<const std::uint8_t> add) {
    apply_run(links(static_cast<EntityId>(collection)).members, members, add, scratch);
  });
  runs(refs_, [&](std::uint64_t key, std::span<const std::uint32_t> entities, std::span<const std::uint8_t> add) {
    const std::uint64_t h = mix(key);
    const RefKey k{static_cast<Sym>(key >> 32), static_cast<NameId>(key), static_cast<std::uint32_t>(h)};
    auto& shard = store_.refs_.edit(h);
    auto it = shard.find(k);
    if (it == shard.end()) it = shard.insert(RefSlot{k.value, k.attribute, k.hash, {}}).first;
    apply_run(it->entities, entities, add, scratch);
    if (it->entities.empty()) shard.erase(it);
  });
}

Status FactStore::Writer::finish_reach() {
  if (reach_changed_.empty()) return Status::success();
  // Everything whose reach may have changed: the entities whose memberships
  // changed and, through the reverse edges, every entity below them.
  boost::unordered_flat_set<EntityId> affected(reach_changed_.begin(), reach_changed_.end());
  std::vector<EntityId> order(affected.begin(), affected.end());
  for (std::size_t i = 0; i < order.size(); ++i) {
    store_.links_[order[i]].members.for_each([&](EntityId m) {
      if (affected.insert(m).second) order.push_back(m);
    });
  }
  std::sort(order.begin(), order.end());  // a deterministic order of work
  boost::unordered_flat_set<EntityId> seen;
  std::vector<EntityId> reach;
  for (const EntityId e : order) {
    // Breadth-first over collections; `e` itself is reached only through a cycle.
    seen.clear();
    reach.clear();
    for (const EntityId c : store_.links_[e].collections) {
      if (seen.insert(c).second) reach.push_back(c);
    }
    for (std::size_t i = 0; i < reach.size(); ++i) {
      for (const EntityId c : store_.links_[reach[i]].collections) {
        if (seen.insert(c).second) reach.push_back(c);
      }
    }
    // Collections nest to any depth, but an entity that reaches itself
    // would be its own member: the facts contradict themselves.
    if (seen.contains(e)) return membership_cycle(e);
    std::sort(reach.begin(), reach.end());
    const std::span<const EntityId> old = store_.entities_[e].reach();
    if (old.size() == reach.size() && std::equal(reach.begin(), reach.end(), old.begin())) continue;
    EntityRecord& r = record(e);
    Lists lists = lists_of(r);
    lists.reach = reach;
    set_lists(r, lists);
  }
  reach_changed_.clear();
  return Status::success();
}

// F0306, naming a shortest cycle through `e`: "team `a` -> team `b` -> team `a`".
Status FactStore::Writer::membership_cycle(EntityId e) const {
  boost::unordered_flat_map<EntityId, EntityId> came_from;
  std::vector<EntityId> queue{e};
  for (std::size_t i = 0; i < queue.size() && !came_from.contains(e); ++i) {
    for (const EntityId c : store_.links_[queue[i]].collections) {
      if (came_from.emplace(c, queue[i]).second) queue.push_back(c);
    }
  }
  std::vector<EntityId> cycle{e};
  for (EntityId at = came_from[e]; at != e; at = came_from[at]) cycle.push_back(at);
  std::string text;
  for (std::size_t i = cycle.size(); i-- > 0;) {
    const EntityRecord& r = store_.entities_[cycle[(i + 1) % cycle.size()]];
    if (!text.empty()) text += " -> ";
    text += store_.type_name(r.type);
    text += " `";
    text += StringArena::view(r.id_text);
    text += "`";
  }
  const EntityRecord& first = store_.entities_[e];
  text += " -> ";
  text += store_.type_name(first.type);
  text += " `";
  text += StringArena::view(first.id_text);
  text += "`";
  return Status::error("F0306", "membership cycle: " + text + " (an entity may not be its own member)");
}

}  // namespace warden::runtime
