// Building fact snapshots, applying updates to them, and the lookups that
// need more than a line (see fact_store.hpp; the changes themselves are in
// fact_writer.cpp).
#include "runtime/fact_store.hpp"

#include "runtime/fact_writer.hpp"

namespace warden::runtime {

Status FactStore::build(const FactSet& facts, std::shared_ptr<const FactStore>& out) {
  auto built = std::make_shared<FactStore>();
  Writer w(*built, /*unique_ids=*/true);
  // The same changes as an update that upserts every record, kinds in this
  // order.
  const auto each = [&](const auto& records) -> Status {
    for (const auto& r : records) {
      if (Status s = w.change(r, true); !s.ok) return s;
    }
    return Status::success();
  };
  Status s = each(facts.entities);
  if (s.ok) s = each(facts.memberships);
  if (s.ok) s = each(facts.roles);
  if (s.ok) s = each(facts.grants);
  if (s.ok) s = each(facts.keys);
  if (!s.ok) return s;
  if (s = w.finish(); !s.ok) return s;
  out = std::move(built);
  return Status::success();
}

Status FactStore::apply(const FactsUpdate& update, std::shared_ptr<const FactStore>& out) const {
  auto next = std::make_shared<FactStore>(*this);  // copies the roots of each structure only
  Writer w(*next, /*unique_ids=*/false);
  for (std::size_t i = 0; i < update.changes.size(); ++i) {
    Status s = w.change(update.changes[i]);
    if (!s.ok) {
      s.line = static_cast<std::uint32_t>(i + 1);
      return s;
    }
  }
  if (Status s = w.finish(); !s.ok) return s;
  next->version_ = version_ + 1;
  out = std::move(next);
  return Status::success();
}

std::shared_ptr<const FactStore> FactStore::with_names(const PolicyNames& names, std::shared_ptr<const FactStore> self) const {
  const std::vector<std::string_view>* lists[] = {&names.types, &names.roles, &names.scopes, &names.levels,
                                                   &names.attributes};
  bool complete = true;
  for (int v = 0; v < 5 && complete; ++v) {
    for (const std::string_view n : *lists[v]) complete = complete && find_name(v, n) != kNoId;
  }
  for (const std::string_view n : names.values) complete = complete && values_.find(n).id != kNoId;
  if (complete) return self;
  auto next = std::make_shared<FactStore>(*this);
  Writer w(*next, false);
  for (int v = 0; v < 5; ++v) {
    for (const std::string_view n : *lists[v]) w.name(v, n);
  }
  for (const std::string_view n : names.values) w.value(n);
  (void)w.finish();  // interning only: nothing to refuse
  return next;
}

NameId FactStore::find_name(int vocabulary, std::string_view name) const {
  switch (vocabulary) {
    case kTypes: return types_.find(name).id;
    case kRoles: return roles_.find(name).id;
    case kScopes: return scopes_.find(name).id;
    case kLevels: return levels_.find(name).id;
    default: return attributes_.find(name).id;
  }
}

std::size_t FactStore::vocabulary_size(int vocabulary) const {
  switch (vocabulary) {
    case kTypes: return types_.size();
    case kRoles: return roles_.size();
    case kScopes: return scopes_.size();
    case kLevels: return levels_.size();
    default: return attributes_.size();
  }
}

std::int64_t FactStore::expiry(const GrantEntry& e) const {
  if (e.expires != GrantEntry::kFar) return e.expires;
  const std::uint64_t h = mix(e.grant);
  const FarSlot* s = far_expiry_.find(h, FarSlot{e.grant, static_cast<std::uint32_t>(h), 0});
  return s ? s->expires_at : 0;
}

const ChunkedSet<EntityId>* FactStore::referrers(Sym value, NameId attribute) const {
  const std::uint64_t key = (std::uint64_t{value} << 32) | attribute;
  const std::uint64_t h = mix(key);
  const RefSlot* s = refs_.find(h, RefKey{value, attribute, static_cast<std::uint32_t>(h)});
  return s ? &s->entities : nullptr;
}

}  // namespace warden::runtime
