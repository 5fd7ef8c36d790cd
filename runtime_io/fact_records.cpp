// Per-kind decoding of fact records (see fact_records.hpp). Each decoder
// walks the object's members once in document order, so the first bad field
// is the one reported, then checks the required fields.
#include "runtime_io/fact_records.hpp"

#include <algorithm>

namespace warden::runtime_io {
namespace {

bool skipped(const json::Member& m, std::initializer_list<std::string_view> skip) {
  return std::find(skip.begin(), skip.end(), m.key) != skip.end();
}

bool require_all(FieldReader& r, const json::Value& o, std::string_view what, std::initializer_list<std::string_view> names) {
  for (const auto n : names) {
    if (!r.require(o, what, n)) return false;
  }
  return true;
}

bool attributes(FieldReader& r, const json::Member& m, std::vector<std::pair<std::string, FactValue>>& out) {
  if (!m.value.is_object()) return r.wrong_type(m, "entity", "an object");
  out.clear();
  for (const auto& a : m.value.members()) {
    switch (a.value.kind()) {
      case json::Value::Kind::String: out.emplace_back(a.key, FactValue::string(a.value.as_string())); break;
      case json::Value::Kind::Int: out.emplace_back(a.key, FactValue::integer(a.value.as_int())); break;
      case json::Value::Kind::Bool: out.emplace_back(a.key, FactValue::flag(a.value.as_bool())); break;
      default:
        return r.fail(r.codes().wrong_type,
                      "attribute " + ticked(a.key) + " of entity must be a string, an integer or a boolean, not " +
                          a_kind(a.value.kind()),
                      a.value);
    }
    if (a.key.empty()) return r.fail_at(r.codes().invalid_value, "attribute names must not be empty", a.line, a.column);
  }
  return true;
}

bool entity(FieldReader& r, const json::Value& o, std::initializer_list<std::string_view> skip, Entity& e) {
  constexpr std::string_view w = "entity";
  for (const auto& m : o.members()) {
    bool ok = true;
    if (skipped(m, skip)) continue;
    if (m.key == "type") ok = r.string(m, w, e.type, true);
    else if (m.key == "id") ok = r.string(m, w, e.id, true);
    else if (m.key == "tenant") ok = r.string(m, w, e.tenant);
    else if (m.key == "attributes") ok = attributes(r, m, e.attributes);
    else return r.unknown(m, w, {"type", "id", "tenant", "attributes"});
    if (!ok) return false;
  }
  return require_all(r, o, w, {"type", "id"});
}

bool membership(FieldReader& r, const json::Value& o, std::initializer_list<std::string_view> skip, Membership& x) {
  constexpr std::string_view w = "membership";
  for (const auto& m : o.members()) {
    bool ok = true;
    if (skipped(m, skip)) continue;
    if (m.key == "member_type") ok = r.string(m, w, x.member_type, true);
    else if (m.key == "member_id") ok = r.string(m, w, x.member_id, true);
    else if (m.key == "collection_type") ok = r.string(m, w, x.collection_type, true);
    else if (m.key == "collection_id") ok = r.string(m, w, x.collection_id, true);
    else return r.unknown(m, w, {"member_type", "member_id", "collection_type", "collection_id"});
    if (!ok) return false;
  }
  return require_all(r, o, w, {"member_id", "collection_type", "collection_id"});
}

bool role(FieldReader& r, const json::Value& o, std::initializer_list<std::string_view> skip, RoleAssignment& x) {
  constexpr std::string_view w = "role";
  for (const auto& m : o.members()) {
    bool ok = true;
    if (skipped(m, skip)) continue;
    if (m.key == "principal_type") ok = r.string(m, w, x.principal_type, true);
    else if (m.key == "principal_id") ok = r.string(m, w, x.principal_id, true);
    else if (m.key == "role") ok = r.string(m, w, x.role, true);
    else if (m.key == "scope_type") ok = r.string(m, w, x.scope_type, true);
    else if (m.key == "scope_id") ok = r.string(m, w, x.scope_id, true);
    else return r.unknown(m, w, {"principal_type", "principal_id", "role", "scope_type", "scope_id"});
    if (!ok) return false;
  }
  if (!require_all(r, o, w, {"principal_id", "role"})) return false;
  // A role within an entity names both its type and id.
  if (o.find("scope_type") && !r.require(o, w, "scope_id")) return false;
  if (o.find("scope_id") && !r.require(o, w, "scope_type")) return false;
  return true;
}

bool grant(FieldReader& r, const json::Value& o, RecordMode mode, std::initializer_list<std::string_view> skip,
           Grant& g) {
  constexpr std::string_view w = "grant";
  const json::Member* active = nullptr;
  const json::Member* revoked = nullptr;
  for (const auto& m : o.members()) {
    bool ok = true;
    if (skipped(m, skip)) continue;
    if (m.key == "id") ok = r.string(m, w, g.id, true);
    else if (m.key == "subject_type") ok = r.string(m, w, g.subject_type, true);
    else if (m.key == "subject_id") ok = r.string(m, w, g.subject_id, true);
    else if (m.key == "resource_type") ok = r.string(m, w, g.resource_type, true);
    else if (m.key == "resource_id") ok = r.string(m, w, g.resource_id, true);
    else if (m.key == "level") ok = r.string(m, w, g.level, true);
    else if (m.key == "expires_at") ok = r.time(m, w, g.expires_at);
    else if (m.key == "reason") ok = r.string(m, w, g.reason);
    else if (m.key == "active") {
      ok = r.boolean(m, w, g.active);
      active = &m;
    } else if (m.key == "revoked") {
      bool is_revoked = false;
      ok = r.boolean(m, w, is_revoked);
      revoked = &m;
      if (ok && !active) g.active = !is_revoked;
    } else {
      return r.unknown(m, w, {"id", "subject_type", "subject_id", "resource_type", "resource_id", "level", "expires_at",
                              "active", "revoked", "reason"});
    }
    if (!ok) return false;
  }
  // `revoked` is accepted as the inverse of `active`; both must agree.
  if (active && revoked && active->value.as_bool() == revoked->value.as_bool()) {
    return r.fail(Code::F0109, "`active` and `revoked` of grant disagree", revoked->value);
  }
  if (mode == RecordMode::Identity) return r.require(o, w, "id");
  return require_all(r, o, w, {"id", "subject_id", "resource_type", "resource_id", "level"});
}

bool api_key(FieldReader& r, const json::Value& o, RecordMode mode, std::initializer_list<std::string_view> skip,
             ApiKey& k) {
  constexpr std::string_view w = "key";
  for (const auto& m : o.members()) {
    bool ok = true;
    if (skipped(m, skip)) continue;
    if (m.key == "id") ok = r.string(m, w, k.id, true);
    else if (m.key == "principal_type") ok = r.string(m, w, k.principal_type, true);
    else if (m.key == "principal_id") ok = r.string(m, w, k.principal_id, true);
    else if (m.key == "scopes") ok = r.strings(m, w, k.scopes);
    else if (m.key == "tenant") ok = r.string(m, w, k.tenant);
    else if (m.key == "expires_at") ok = r.time(m, w, k.expires_at);
    else if (m.key == "revoked") ok = r.boolean(m, w, k.revoked);
    else return r.unknown(m, w, {"id", "principal_type", "principal_id", "scopes", "tenant", "expires_at", "revoked"});
    if (!ok) return false;
  }
  if (mode == RecordMode::Identity) return r.require(o, w, "id");
  return require_all(r, o, w, {"id", "principal_id"});
}

}  // namespace

std::optional<FactChange::Kind> record_kind(std::string_view name) {
  if (name == "entity") return FactChange::Kind::Entity;
  if (name == "membership") return FactChange::Kind::Membership;
  if (name == "role") return FactChange::Kind::Role;
  if (name == "grant") return FactChange::Kind::Grant;
  if (name == "key") return FactChange::Kind::ApiKey;
  return std::nullopt;
}

const char* record_kind_name(FactChange::Kind kind) {
  switch (kind) {
    case FactChange::Kind::Entity: return "entity";
    case FactChange::Kind::Membership: return "membership";
    case FactChange::Kind::Role: return "role";
    case FactChange::Kind::Grant: return "grant";
    case FactChange::Kind::ApiKey: return "key";
  }
  return "record";
}

bool decode_record(FieldReader& r, const json::Value& object, FactChange::Kind kind, RecordMode mode,
                   std::initializer_list<std::string_view> skip, FactChange& out) {
  if (!r.object(object, record_kind_name(kind))) return false;
  out.kind = kind;
  switch (kind) {
    case FactChange::Kind::Entity: return entity(r, object, skip, out.entity);
    case FactChange::Kind::Membership: return membership(r, object, skip, out.membership);
    case FactChange::Kind::Role: return role(r, object, skip, out.role);
    case FactChange::Kind::Grant: return grant(r, object, mode, skip, out.grant);
    case FactChange::Kind::ApiKey: return api_key(r, object, mode, skip, out.key);
  }
  return false;
}

}  // namespace warden::runtime_io
