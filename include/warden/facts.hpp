// Facts: the data that changes without a policy change — entities and their
// attributes, memberships, role assignments, grants and API keys.
//
// Part of the public API (include/warden/). Facts are given by name (type
// names, role names, scope names and level names as the policy declares
// them), so one fact set serves every version of a policy. Records here are
// owned values; an Engine turns them into an immutable, indexed snapshot and
// applies FactsUpdate batches to it incrementally (see engine.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace warden {

// An attribute value held in facts. Interpreted by the declared type of the
// attribute it is read as (like AttributeValue in request.hpp).
struct FactValue {
  enum class Kind : std::uint8_t { String, Int, Bool } kind = Kind::String;
  std::string text;
  std::int64_t number = 0;
  bool boolean = false;

  static FactValue string(std::string s) { return {Kind::String, std::move(s), 0, false}; }
  static FactValue integer(std::int64_t n) { return {Kind::Int, {}, n, false}; }
  static FactValue flag(bool b) { return {Kind::Bool, {}, 0, b}; }
  friend bool operator==(const FactValue&, const FactValue&) = default;
};

// A principal or resource: its tenant and attributes. Unknown entities have
// no attributes and live in the default tenant.
struct Entity {
  std::string type;  // a principal or resource type of the policy: "user", "org", "model"
  std::string id;
  std::string tenant;  // empty: the policy's default tenant
  std::vector<std::pair<std::string, FactValue>> attributes;
  friend bool operator==(const Entity&, const Entity&) = default;
};

// `member` belongs to `collection` (user → team, team → org, user → org).
struct Membership {
  std::string member_type = "user";
  std::string member_id;
  std::string collection_type;
  std::string collection_id;
  friend bool operator==(const Membership&, const Membership&) = default;
};

// A role held by a principal, globally or within one entity (an organization).
struct RoleAssignment {
  std::string principal_type = "user";
  std::string principal_id;
  std::string role;
  std::string scope_type;  // empty: global
  std::string scope_id;
  friend bool operator==(const RoleAssignment&, const RoleAssignment&) = default;
};

// A grant of a level on one resource (or, with resource_id "*", on every
// resource of the type: a resource-type override) to a principal or a
// collection. Expired, inactive or revoked grants never count.
struct Grant {
  std::string id;
  std::string subject_type = "user";  // user, team, org, …
  std::string subject_id;
  std::string resource_type;
  std::string resource_id;  // "*": every resource of the type
  std::string level;
  std::optional<std::int64_t> expires_at;  // Unix seconds
  bool active = true;                      // false: revoked
  std::string reason;
  friend bool operator==(const Grant&, const Grant&) = default;
};

struct ApiKey {
  std::string id;
  std::string principal_type = "user";
  std::string principal_id;  // the key's owner, who becomes the principal
  std::vector<std::string> scopes;
  std::string tenant;  // empty: the owner's tenant
  std::optional<std::int64_t> expires_at;
  bool revoked = false;
  friend bool operator==(const ApiKey&, const ApiKey&) = default;
};

// A whole fact set, as loaded from files.
struct FactSet {
  std::vector<Entity> entities;
  std::vector<Membership> memberships;
  std::vector<RoleAssignment> roles;
  std::vector<Grant> grants;
  std::vector<ApiKey> keys;
};

// One incremental change. Upserts replace the record with the same identity
// (entity: type+id; membership: all four fields; role: all fields; grant:
// id; key: id); removals of records that do not exist are errors.
struct FactChange {
  enum class Op : std::uint8_t { Upsert, Remove } op = Op::Upsert;
  enum class Kind : std::uint8_t { Entity, Membership, Role, Grant, ApiKey } kind = Kind::Entity;
  Entity entity;
  Membership membership;
  RoleAssignment role;
  Grant grant;
  ApiKey key;
};

// A batch of changes applied atomically: all or none.
struct FactsUpdate {
  std::vector<FactChange> changes;

  FactsUpdate& upsert(Entity e) { return add(FactChange::Op::Upsert, std::move(e)); }
  FactsUpdate& upsert(Membership m) { return add(FactChange::Op::Upsert, std::move(m)); }
  FactsUpdate& upsert(RoleAssignment r) { return add(FactChange::Op::Upsert, std::move(r)); }
  FactsUpdate& upsert(Grant g) { return add(FactChange::Op::Upsert, std::move(g)); }
  FactsUpdate& upsert(ApiKey k) { return add(FactChange::Op::Upsert, std::move(k)); }
  FactsUpdate& remove(Entity e) { return add(FactChange::Op::Remove, std::move(e)); }
  FactsUpdate& remove(Membership m) { return add(FactChange::Op::Remove, std::move(m)); }
  FactsUpdate& remove(RoleAssignment r) { return add(FactChange::Op::Remove, std::move(r)); }
  FactsUpdate& remove(Grant g) { return add(FactChange::Op::Remove, std::move(g)); }
  FactsUpdate& remove(ApiKey k) { return add(FactChange::Op::Remove, std::move(k)); }

 private:
  template <typename T>
  FactsUpdate& add(FactChange::Op op, T&& record) {
    FactChange c;
    c.op = op;
    if constexpr (std::is_same_v<std::decay_t<T>, Entity>) c.kind = FactChange::Kind::Entity, c.entity = std::move(record);
    if constexpr (std::is_same_v<std::decay_t<T>, Membership>) c.kind = FactChange::Kind::Membership, c.membership = std::move(record);
    if constexpr (std::is_same_v<std::decay_t<T>, RoleAssignment>) c.kind = FactChange::Kind::Role, c.role = std::move(record);
    if constexpr (std::is_same_v<std::decay_t<T>, Grant>) c.kind = FactChange::Kind::Grant, c.grant = std::move(record);
    if constexpr (std::is_same_v<std::decay_t<T>, ApiKey>) c.kind = FactChange::Kind::ApiKey, c.key = std::move(record);
    changes.push_back(std::move(c));
    return *this;
  }
};

}  // namespace warden
