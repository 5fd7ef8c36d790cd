// From selected rows to facts (see fact_rows.hpp).
#include "postgres/fact_rows.hpp"

#include <charconv>
#include <xxhash.h>

namespace warden::postgres {
namespace {

constexpr char kSep = '\x1f';

bool parse_int(std::string_view s, std::int64_t& out) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// What one field gives: absent (NULL without `null`), or a constant-shaped value.
struct Value {
  bool present = false;
  Constant value;
  std::vector<std::string> list;  // scopes
};

void split_into(std::string_view text, std::string_view sep, std::vector<std::string>& out) {
  while (!text.empty()) {
    const auto at = text.find(sep);
    const std::string_view one = text.substr(0, at);
    if (!one.empty()) out.emplace_back(one);
    if (at == std::string_view::npos) break;
    text.remove_prefix(at + sep.size());
  }
}

bool read_field(const PlannedField& f, std::span<const Field> row, Value& v, std::string& problem, Code& code) {
  if (f.column < 0) {
    v.present = true;
    v.value = f.spec ? f.spec->constant : f.default_value;
    if (f.type == FieldType::Scopes) split_into(v.value.text, f.spec && !f.spec->split.empty() ? f.spec->split : " ", v.list);
    return true;
  }
  const Field& raw = row[static_cast<std::size_t>(f.column)];
  if (!raw) {
    if (f.spec->if_null) {
      v.present = true;
      v.value = *f.spec->if_null;
      if (f.type == FieldType::Scopes) split_into(v.value.text, f.spec->split.empty() ? " " : f.spec->split, v.list);
    }
    return true;
  }
  v.present = true;
  const std::string_view text = *raw;
  switch (f.decode) {
    case Decode::Text:
      v.value.kind = Constant::Kind::Text;
      v.value.text = text;
      return true;
    case Decode::Int:
      v.value.kind = Constant::Kind::Int;
      if (!parse_int(text, v.value.number)) {
        problem = "`" + std::string(text) + "` is not an integer";
        code = Code::P0402;
        return false;
      }
      return true;
    case Decode::Bool:
      v.value.kind = Constant::Kind::Bool;
      v.value.boolean = text == "t" || text == "true";
      return true;
    case Decode::Split:
      split_into(text, f.spec->split.empty() ? " " : f.spec->split, v.list);
      return true;
    case Decode::Mapped:
      for (const auto& [from, to] : f.spec->map) {
        if (from == text) {
          v.value = to;
          if (f.type == FieldType::Scopes) split_into(to.text, f.spec->split.empty() ? " " : f.spec->split, v.list);
          return true;
        }
      }
      if (f.spec->otherwise) {
        v.value = *f.spec->otherwise;
        if (f.type == FieldType::Scopes) split_into(v.value.text, f.spec->split.empty() ? " " : f.spec->split, v.list);
        return true;
      }
      problem = "value `" + std::string(text) + "` is not in its map";
      code = Code::P0401;
      return false;
  }
  return true;
}

FactValue fact_value(const Constant& c) {
  switch (c.kind) {
    case Constant::Kind::Int: return FactValue::integer(c.number);
    case Constant::Kind::Bool: return FactValue::flag(c.boolean);
    case Constant::Kind::Text: break;
  }
  return FactValue::string(c.text);
}

void put(std::string& out, std::string_view s) {
  out += s;
  out += kSep;
}

std::vector<std::string_view> split_identity(std::string_view s) {
  std::vector<std::string_view> parts;
  std::size_t start = 1;  // after the kind letter
  while (start <= s.size()) {
    const auto at = s.find(kSep, start);
    if (at == std::string_view::npos) break;
    parts.push_back(s.substr(start, at - start));
    start = at + 1;
  }
  return parts;
}

}  // namespace

std::string row_key(const PlannedMapping& m, std::span<const Field> row) {
  std::string key;
  for (std::size_t i = 0; i < m.key_columns.size(); ++i) {
    if (i) key += kSep;
    if (row[i]) key += *row[i];
  }
  return key;
}

std::optional<Record> decode_row(const PlannedMapping& m, std::span<const Field> row, Refusal& why) {
  // Every field, by name (few: a linear scan).
  std::vector<std::pair<const PlannedField*, Value>> values;
  values.reserve(m.fields.size());
  for (const PlannedField& f : m.fields) {
    Value v;
    std::string problem;
    Code code = Code::P0402;
    if (!read_field(f, row, v, problem, code)) {
      why = {code, "row `" + row_key(m, row) + "` of " + m.source + ": field `" + f.name + "`: " + problem};
      return std::nullopt;
    }
    values.emplace_back(&f, std::move(v));
  }
  auto get = [&](std::string_view name) -> const Value* {
    for (const auto& [f, v] : values) {
      if (!f->attribute && f->name == name) return &v;
    }
    return nullptr;
  };
  std::string missing;
  auto text = [&](std::string_view name, bool required) -> std::string {
    const Value* v = get(name);
    if (!v || !v->present || v->value.text.empty()) {
      if (required && missing.empty()) missing = std::string(name);
      return {};
    }
    return v->value.text;
  };
  auto time = [&](std::string_view name) -> std::optional<std::int64_t> {
    const Value* v = get(name);
    if (!v || !v->present) return std::nullopt;
    return v->value.number;
  };
  auto flag = [&](std::string_view name, bool otherwise) -> bool {
    const Value* v = get(name);
    if (!v || !v->present) {
      // A NULL in a flag that decides access fails closed: the row is refused.
      if (v && v->value.kind == Constant::Kind::Bool && missing.empty()) missing = std::string(name);
      return otherwise;
    }
    return v->value.boolean;
  };
  Record out;
  switch (m.mapping->kind) {
    case FactKind::Entity: {
      Entity e;
      e.type = m.mapping->entity_type;
      e.id = text("id", true);
      e.tenant = text("tenant", false);
      for (const auto& [f, v] : values) {
        if (f->attribute && v.present) e.attributes.emplace_back(f->name, fact_value(v.value));
      }
      out = std::move(e);
      break;
    }
    case FactKind::Membership: {
      Membership ms;
      ms.member_type = text("member_type", true);
      ms.member_id = text("member_id", true);
      ms.collection_type = text("collection_type", true);
      ms.collection_id = text("collection_id", true);
      out = std::move(ms);
      break;
    }
    case FactKind::Role: {
      RoleAssignment r;
      r.principal_type = text("principal_type", true);
      r.principal_id = text("principal_id", true);
      r.role = text("role", true);
      r.scope_type = text("scope_type", false);
      r.scope_id = text("scope_id", false);
      if (r.scope_type.empty() != r.scope_id.empty() && missing.empty()) missing = r.scope_type.empty() ? "scope_type" : "scope_id";
      out = std::move(r);
      break;
    }
    case FactKind::Grant: {
      Grant g;
      g.id = text("id", true);
      g.subject_type = text("subject_type", true);
      g.subject_id = text("subject_id", true);
      g.resource_type = text("resource_type", true);
      g.resource_id = text("resource_id", true);
      g.level = text("level", true);
      g.expires_at = time("expires_at");
      const Value* active = get("active");
      if (active && !active->present && missing.empty()) missing = "active";
      g.active = active && active->present ? active->value.boolean : true;
      g.reason = text("reason", false);
      out = std::move(g);
      break;
    }
    case FactKind::ApiKey: {
      ApiKey k;
      k.id = text("id", true);
      k.principal_type = text("principal_type", true);
      k.principal_id = text("principal_id", true);
      if (const Value* s = get("scopes"); s && s->present) k.scopes = s->list;
      k.tenant = text("tenant", false);
      k.expires_at = time("expires_at");
      const Value* revoked = get("revoked");
      if (revoked && !revoked->present && missing.empty()) missing = "revoked";
      k.revoked = revoked && revoked->present ? revoked->value.boolean : false;
      out = std::move(k);
      break;
    }
  }
  (void)flag;
  if (!missing.empty()) {
    why = {Code::P0402, "row `" + row_key(m, row) + "` of " + m.source + ": field `" + missing + "` is null or empty"};
    return std::nullopt;
  }
  return out;
}

std::string identity_of(const Record& r) {
  std::string s;
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, Entity>) {
          s = "e";
          put(s, x.type);
          put(s, x.id);
        } else if constexpr (std::is_same_v<T, Membership>) {
          s = "m";
          put(s, x.member_type);
          put(s, x.member_id);
          put(s, x.collection_type);
          put(s, x.collection_id);
        } else if constexpr (std::is_same_v<T, RoleAssignment>) {
          s = "r";
          put(s, x.principal_type);
          put(s, x.principal_id);
          put(s, x.role);
          put(s, x.scope_type);
          put(s, x.scope_id);
        } else if constexpr (std::is_same_v<T, Grant>) {
          s = "g";
          put(s, x.id);
        } else {
          s = "k";
          put(s, x.id);
        }
      },
      r);
  return s;
}

std::uint64_t hash_of(const Record& r) {
  std::string s = identity_of(r);
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        auto num = [&](const std::optional<std::int64_t>& v) { put(s, v ? std::to_string(*v) : "-"); };
        if constexpr (std::is_same_v<T, Entity>) {
          put(s, x.tenant);
          for (const auto& [name, v] : x.attributes) {
            put(s, name);
            put(s, std::to_string(static_cast<int>(v.kind)) + v.text + std::to_string(v.number) + (v.boolean ? "t" : "f"));
          }
        } else if constexpr (std::is_same_v<T, Grant>) {
          put(s, x.subject_type);
          put(s, x.subject_id);
          put(s, x.resource_type);
          put(s, x.resource_id);
          put(s, x.level);
          num(x.expires_at);
          put(s, x.active ? "t" : "f");
          put(s, x.reason);
        } else if constexpr (std::is_same_v<T, ApiKey>) {
          put(s, x.principal_type);
          put(s, x.principal_id);
          for (const auto& scope : x.scopes) put(s, scope);
          put(s, "|");
          put(s, x.tenant);
          num(x.expires_at);
          put(s, x.revoked ? "t" : "f");
        }
      },
      r);
  return XXH3_64bits(s.data(), s.size());
}

FactChange removal_of(const std::string& identity) {
  const auto p = split_identity(identity);
  FactsUpdate u;
  switch (identity.empty() ? ' ' : identity[0]) {
    case 'e': u.remove(Entity{std::string(p.at(0)), std::string(p.at(1)), {}, {}}); break;
    case 'm': u.remove(Membership{std::string(p.at(0)), std::string(p.at(1)), std::string(p.at(2)), std::string(p.at(3))}); break;
    case 'r':
      u.remove(RoleAssignment{std::string(p.at(0)), std::string(p.at(1)), std::string(p.at(2)), std::string(p.at(3)),
                              std::string(p.at(4))});
      break;
    case 'g': {
      Grant g;
      g.id = p.at(0);
      u.remove(std::move(g));
      break;
    }
    default: {
      ApiKey k;
      k.id = p.at(0);
      u.remove(std::move(k));
      break;
    }
  }
  return std::move(u.changes.front());
}

void RowIndex::release(const std::string& identity, FactSink& out) {
  auto it = owners_.find(identity);
  if (it == owners_.end()) return;
  if (--it->second == 0) {
    owners_.erase(it);
    out.remove(identity);
  }
}

void RowIndex::set(std::size_t m, const std::string& key, std::optional<Record> record, FactSink& out,
                   std::vector<Refusal>& refused, const std::string& source) {
  auto& rows = rows_[m];
  auto it = rows.find(key);
  if (!record) {
    if (it == rows.end()) return;
    release(it->second.identity, out);
    rows.erase(it);
    return;
  }
  std::string identity = identity_of(*record);
  const std::uint64_t hash = hash_of(*record);
  if (it != rows.end() && it->second.identity == identity) {
    if (it->second.hash != hash) {
      it->second.hash = hash;
      out.upsert(std::move(*record));
    }
    return;
  }
  // A new row, or a row that now gives another fact.
  const bool shared_kind = identity[0] == 'm' || identity[0] == 'r';
  auto owner = owners_.find(identity);
  if (!shared_kind && owner != owners_.end()) {
    refused.push_back({Code::P0403, "row `" + key + "` of " + source + " gives " +
                                        std::string(identity[0] == 'g' ? "grant" : identity[0] == 'k' ? "api key" : "entity") +
                                        " `" + identity.substr(1, identity.size() - 2) + "`, which another row gives already"});
    if (it != rows.end()) {
      release(it->second.identity, out);
      rows.erase(it);
    }
    return;
  }
  if (it != rows.end()) release(it->second.identity, out);
  if (++owners_[identity] == 1 || !shared_kind) {
    out.upsert(std::move(*record));
  }
  rows[key] = Row{std::move(identity), hash};
}

void RowIndex::keep_only(std::size_t m, const std::unordered_set<std::string>& seen, FactSink& out) {
  auto& rows = rows_[m];
  for (auto it = rows.begin(); it != rows.end();) {
    if (seen.count(it->first)) {
      ++it;
      continue;
    }
    release(it->second.identity, out);
    it = rows.erase(it);
  }
}

void UpdateSink::upsert(Record&& r) {
  std::visit([&](auto&& x) { u_.upsert(std::move(x)); }, std::move(r));
}

void UpdateSink::remove(const std::string& identity) { u_.changes.push_back(removal_of(identity)); }

void SetSink::upsert(Record&& r) {
  std::visit(
      [&](auto&& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, Entity>) s_.entities.push_back(std::move(x));
        if constexpr (std::is_same_v<T, Membership>) s_.memberships.push_back(std::move(x));
        if constexpr (std::is_same_v<T, RoleAssignment>) s_.roles.push_back(std::move(x));
        if constexpr (std::is_same_v<T, Grant>) s_.grants.push_back(std::move(x));
        if constexpr (std::is_same_v<T, ApiKey>) s_.keys.push_back(std::move(x));
      },
      std::move(r));
}

void SetSink::remove(const std::string& identity) {
  auto drop = [&](auto& v) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (identity_of(Record(*it)) == identity) {
        v.erase(it);
        return;
      }
    }
  };
  switch (identity[0]) {
    case 'e': drop(s_.entities); break;
    case 'm': drop(s_.memberships); break;
    case 'r': drop(s_.roles); break;
    case 'g': drop(s_.grants); break;
    default: drop(s_.keys); break;
  }
}

}  // namespace warden::postgres
