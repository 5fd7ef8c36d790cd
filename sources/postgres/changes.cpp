// Change notifications gathered into one batch (see changes.hpp).
#include "postgres/changes.hpp"

#include <charconv>

#include "support/json.hpp"

namespace warden::postgres {

ChangeBatch::ChangeBatch(const Plan& plan) : plan_(plan), keys_(plan.mappings.size()) {}

void ChangeBatch::clear() {
  for (Keys& k : keys_) k = Keys{};
  rows_ = 0;
  notifications_ = 0;
  any_whole_ = false;
}

bool ChangeBatch::add(std::string_view payload) {
  ++notifications_;
  const json::Result parsed = json::parse(payload);
  const json::Value* table = parsed.ok() ? parsed.value->find("t") : nullptr;
  const json::Value* xid = parsed.ok() ? parsed.value->find("x") : nullptr;
  const json::Value* keys = parsed.ok() ? parsed.value->find("k") : nullptr;
  if (!table || !table->is_string() || !xid || !xid->is_string() || !keys || !(keys->is_null() || keys->is_object())) {
    for (Keys& k : keys_) k.whole = true;
    any_whole_ = true;
    return false;
  }
  std::uint64_t x = 0;
  const std::string& xt = xid->as_string();
  std::from_chars(xt.data(), xt.data() + xt.size(), x);
  if (x > last_xid_) last_xid_ = x;
  for (std::size_t i = 0; i < plan_.mappings.size(); ++i) {
    const PlannedMapping& m = plan_.mappings[i];
    bool watches = false;
    for (const std::string& w : m.watched) watches = watches || w == table->as_string();
    if (!watches) continue;
    Keys& k = keys_[i];
    if (k.whole) continue;
    if (m.mapping->from_query() || keys->is_null()) {
      k.whole = true;
      any_whole_ = true;
      continue;
    }
    // This mapping's key columns, from the trigger's key object.
    std::vector<std::string> values;
    for (const std::string& column : m.key_columns) {
      const json::Value* v = keys->find(column);
      if (!v || !v->is_string()) break;
      values.push_back(v->as_string());
    }
    if (values.size() != m.key_columns.size()) {
      k.whole = true;  // a key it cannot read: re-read it all
      any_whole_ = true;
      continue;
    }
    std::string row_key;
    for (std::size_t c = 0; c < values.size(); ++c) row_key += (c ? "\x1f" : "") + values[c];
    if (!k.seen.insert(row_key).second) continue;
    if (k.columns.empty()) k.columns.resize(values.size());
    for (std::size_t c = 0; c < values.size(); ++c) k.columns[c].push_back(std::move(values[c]));
    k.row_keys.push_back(std::move(row_key));
    ++rows_;
  }
  return true;
}

}  // namespace warden::postgres
