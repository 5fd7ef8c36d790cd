// The checked model's small helpers: id sets, the string pool, lookups and a
// deterministic text dump (the "dumpable" view of what check() produced).
#include "compiler/model.hpp"

#include <bit>
#include <sstream>
#include <stdexcept>

namespace warden::compiler {

// --- IdSet ---------------------------------------------------------------------

IdSet::IdSet(std::size_t universe)
    : universe_(static_cast<std::uint32_t>(universe)), words_((universe + 63) / 64, 0) {}

bool IdSet::contains(Id id) const {
  return id < universe_ && (words_[id / 64] >> (id % 64) & 1u) != 0;
}

void IdSet::insert(Id id) {
  if (id >= universe_) throw std::out_of_range("IdSet::insert");
  words_[id / 64] |= std::uint64_t{1} << (id % 64);
}

void IdSet::erase(Id id) {
  if (id < universe_) words_[id / 64] &= ~(std::uint64_t{1} << (id % 64));
}

bool IdSet::insert_all(const IdSet& other) {
  bool changed = false;
  const std::size_t n = std::min(words_.size(), other.words_.size());
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t merged = words_[i] | other.words_[i];
    changed |= merged != words_[i];
    words_[i] = merged;
  }
  return changed;
}

bool IdSet::is_subset_of(const IdSet& other) const {
  for (std::size_t i = 0; i < words_.size(); ++i) {
    const std::uint64_t theirs = i < other.words_.size() ? other.words_[i] : 0;
    if ((words_[i] & ~theirs) != 0) return false;
  }
  return true;
}

bool IdSet::intersects(const IdSet& other) const {
  const std::size_t n = std::min(words_.size(), other.words_.size());
  for (std::size_t i = 0; i < n; ++i) {
    if ((words_[i] & other.words_[i]) != 0) return true;
  }
  return false;
}

std::size_t IdSet::size() const {
  std::size_t n = 0;
  for (auto w : words_) n += static_cast<std::size_t>(std::popcount(w));
  return n;
}

std::vector<Id> IdSet::ids() const {
  std::vector<Id> out;
  for (std::size_t i = 0; i < words_.size(); ++i) {
    std::uint64_t w = words_[i];
    while (w != 0) {
      const int bit = std::countr_zero(w);
      out.push_back(static_cast<Id>(i * 64 + static_cast<std::size_t>(bit)));
      w &= w - 1;
    }
  }
  return out;
}

// --- StringPool ----------------------------------------------------------------------

StringId StringPool::intern(std::string_view s) {
  if (auto it = index_.find(s); it != index_.end()) return it->second;
  const auto id = static_cast<StringId>(strings_.size());
  strings_.emplace_back(s);
  index_.emplace(std::string(s), id);
  return id;
}

std::optional<StringId> StringPool::find(std::string_view s) const {
  if (auto it = index_.find(s); it != index_.end()) return it->second;
  return std::nullopt;
}

// --- lookups ---------------------------------------------------------------------------

namespace {

template <class T>
std::optional<Id> find_named(const CheckedPolicy& p, const std::vector<T>& items, std::string_view name) {
  const auto id = p.strings.find(name);
  if (!id) return std::nullopt;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].name == *id) return static_cast<Id>(i);
  }
  return std::nullopt;
}

}  // namespace

const char* method_name(Method m) {
  switch (m) {
    case Method::Get: return "GET";
    case Method::Head: return "HEAD";
    case Method::Post: return "POST";
    case Method::Put: return "PUT";
    case Method::Patch: return "PATCH";
    case Method::Delete: return "DELETE";
    case Method::Options: return "OPTIONS";
  }
  return "?";
}

std::optional<Id> CheckedPolicy::find_scope(std::string_view n) const { return find_named(*this, scopes, n); }
std::optional<Id> CheckedPolicy::find_level(std::string_view n) const { return find_named(*this, levels, n); }
std::optional<Id> CheckedPolicy::find_role(std::string_view n) const { return find_named(*this, roles, n); }
std::optional<Id> CheckedPolicy::find_principal(std::string_view n) const { return find_named(*this, principals, n); }
std::optional<Id> CheckedPolicy::find_resource(std::string_view n) const { return find_named(*this, resources, n); }
std::optional<Id> CheckedPolicy::find_rule(std::string_view n) const { return find_named(*this, rules, n); }

std::optional<Id> CheckedPolicy::find_action(Id resource_type, std::string_view n) const {
  if (resource_type >= resources.size()) return std::nullopt;
  return find_named(*this, resources[resource_type].actions, n);
}

const std::vector<Attribute>& CheckedPolicy::attributes(EntityRef type) const {
  switch (type.kind) {
    case EntityKind::Principal: return principals.at(type.index).attributes;
    case EntityKind::Resource: return resources.at(type.index).attributes;
    case EntityKind::Context: break;
  }
  return context.attributes;
}

std::string CheckedPolicy::type_name(const ValueType& type) const {
  switch (type.kind) {
    case ValueType::Kind::String: return "string";
    case ValueType::Kind::Int: return "int";
    case ValueType::Kind::Bool: return "bool";
    case ValueType::Kind::Time: return "time";
    case ValueType::Kind::Ip: return "ip";
    case ValueType::Kind::Enum: {
      if (type.enum_id >= enums.size()) return "enum";
      std::string out;
      for (auto v : enums[type.enum_id].values) {
        if (!out.empty()) out += " | ";
        out += str(v);
      }
      return out;
    }
    case ValueType::Kind::Entity: {
      if (type.entity.kind == EntityKind::Principal && type.entity.index < principals.size()) {
        return str(principals[type.entity.index].name);
      }
      if (type.entity.kind == EntityKind::Resource && type.entity.index < resources.size()) {
        return str(resources[type.entity.index].name);
      }
      return "context";
    }
  }
  return "?";
}

// --- dump ------------------------------------------------------------------------------

namespace {

class Dumper {
 public:
  explicit Dumper(const CheckedPolicy& p) : p_(p) {}

  std::string run() {
    out_ << "policy " << name(p_.name) << "\n";
    out_ << "mode " << (p_.mode == Mode::Monitor ? "monitor" : "enforce") << "\n";
    out_ << "tenancy isolation=" << (p_.tenancy.isolation ? "on" : "off") << " sources=";
    for (std::size_t i = 0; i < p_.tenancy.sources.size(); ++i) {
      const auto& s = p_.tenancy.sources[i];
      out_ << (i ? "," : "")
           << (s.kind == TenantSource::Kind::Header ? "header:" + name(s.header) : std::string("principal"));
    }
    out_ << " default=" << name(p_.tenancy.default_tenant) << "\n";
    for (std::size_t i = 0; i < p_.scopes.size(); ++i) {
      out_ << "scope " << i << " " << name(p_.scopes[i].name) << " closure=" << set(p_.scopes[i].closure, scope_names())
           << "\n";
    }
    for (std::size_t i = 0; i < p_.levels.size(); ++i) out_ << "level " << i << " " << name(p_.levels[i].name) << "\n";
    for (std::size_t i = 0; i < p_.roles.size(); ++i) {
      out_ << "role " << i << " " << name(p_.roles[i].name) << " holds=" << set(p_.roles[i].holds, role_names()) << "\n";
    }
    for (std::size_t i = 0; i < p_.principals.size(); ++i) {
      const auto& t = p_.principals[i];
      out_ << "principal " << i << " " << name(t.name) << " collections=" << set(t.collections, principal_names())
           << "\n";
      attributes(t.attributes);
    }
    for (std::size_t i = 0; i < p_.resources.size(); ++i) {
      const auto& t = p_.resources[i];
      std::vector<std::string> actions;
      for (const auto& a : t.actions) actions.push_back(name(a.name));
      out_ << "resource " << i << " " << name(t.name) << " actions=" << list(actions)
           << " grantees=" << set(t.effective_grantees, principal_names()) << "\n";
      attributes(t.attributes);
      for (std::size_t l = 0; l < t.level_actions.size(); ++l) {
        out_ << "  level " << name(p_.levels[l].name) << " permits " << set(t.level_actions[l], actions) << "\n";
      }
    }
    out_ << "context\n";
    attributes(p_.context.attributes);
    const Http& h = p_.http;
    out_ << "http dot_segments=" << static_cast<int>(h.dot_segments) << " empty_segments=" << static_cast<int>(h.empty_segments)
         << " encoded_slash=" << static_cast<int>(h.encoded_slash) << " trailing_slash=" << static_cast<int>(h.trailing_slash)
         << " semicolons=" << static_cast<int>(h.semicolons) << " client_ip=" << static_cast<int>(h.client_ip)
         << " proxies=" << h.trusted_proxies.size() << " callers=" << static_cast<int>(h.callers) << "\n";
    for (std::size_t i = 0; i < p_.groups.size(); ++i) out_ << "group " << i << " " << name(p_.groups[i].name) << "\n";
    for (std::size_t i = 0; i < p_.endpoints.size(); ++i) endpoint(i, p_.endpoints[i]);
    for (std::size_t i = 0; i < p_.rules.size(); ++i) rule(i, p_.rules[i]);
    return out_.str();
  }

 private:
  std::string name(StringId id) const { return id == kNone ? "-" : p_.str(id); }

  template <class T>
  std::vector<std::string> names_of(const std::vector<T>& items) const {
    std::vector<std::string> out;
    for (const auto& item : items) out.push_back(name(item.name));
    return out;
  }
  std::vector<std::string> scope_names() const { return names_of(p_.scopes); }
  std::vector<std::string> role_names() const { return names_of(p_.roles); }
  std::vector<std::string> principal_names() const { return names_of(p_.principals); }

  static std::string list(const std::vector<std::string>& items) {
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + items[i];
    return out + "}";
  }

  static std::string set(const IdSet& s, const std::vector<std::string>& names) {
    std::vector<std::string> items;
    for (auto id : s.ids()) items.push_back(id < names.size() ? names[id] : std::to_string(id));
    return list(items);
  }

  void attributes(const std::vector<Attribute>& attrs) {
    for (const auto& a : attrs) {
      out_ << "  attribute " << name(a.name) << ": " << p_.type_name(a.type) << (a.builtin ? " (builtin)" : "") << "\n";
    }
  }

  void endpoint(std::size_t i, const Endpoint& e) {
    out_ << "endpoint " << i << " ";
    if (e.any_method) {
      out_ << "ANY";
    } else {
      bool first = true;
      for (std::size_t m = 0; m < kMethodCount; ++m) {
        if (e.methods >> m & 1u) {
          out_ << (first ? "" : ",") << method_name(static_cast<Method>(m));
          first = false;
        }
      }
    }
    out_ << " " << name(e.pattern);
    if (e.is_public) out_ << " public";
    for (const auto& r : e.requirements) {
      std::vector<std::string> scopes;
      for (auto s : r.scopes) scopes.push_back(s < p_.scopes.size() ? name(p_.scopes[s].name) : "?");
      out_ << (r.kind == ScopeRequirement::Kind::AllOf ? " all" : " any") << list(scopes);
    }
    if (e.action && e.action->resource_type < p_.resources.size()) {
      const auto& t = p_.resources[e.action->resource_type];
      out_ << " action " << (e.action->action < t.actions.size() ? name(t.actions[e.action->action].name) : "?")
           << " on " << name(t.name);
      out_ << " id=" << static_cast<int>(e.action->id.kind);
    }
    out_ << " callers=" << static_cast<int>(e.callers);
    if (e.group != kNone) out_ << " group=" << e.group;
    if (!e.bindings.empty()) out_ << " bindings=" << e.bindings.size();
    if (!e.denies.empty()) {
      std::vector<std::string> denies;
      for (auto d : e.denies) denies.push_back(d < p_.rules.size() ? name(p_.rules[d].name) : "?");
      out_ << " denies=" << list(denies);
    }
    out_ << "\n";
  }

  void rule(std::size_t i, const Rule& r) {
    static constexpr const char* kSubjects[] = {"anyone", "role", "scope", "grant", "member", "caller"};
    out_ << "rule " << i << " " << (r.effect == Effect::Allow ? "allow " : "deny ") << name(r.name)
         << " subject=" << kSubjects[static_cast<int>(r.subject.kind)] << " code=" << name(r.code)
         << (r.monitor ? " monitor" : "") << (r.cross_tenant ? " cross_tenant" : "") << "\n";
    for (const auto& t : r.targets) {
      if (t.resource_type >= p_.resources.size()) continue;
      const auto& type = p_.resources[t.resource_type];
      std::vector<std::string> actions;
      for (auto a : t.actions) actions.push_back(a < type.actions.size() ? name(type.actions[a].name) : "?");
      out_ << "  on " << name(type.name) << " " << list(actions) << "\n";
    }
    out_ << "  conditions=" << r.conditions.size() << " paths=" << r.paths.size()
         << " message_parts=" << r.message.size() << "\n";
  }

  const CheckedPolicy& p_;
  std::ostringstream out_;
};

}  // namespace

std::string dump(const CheckedPolicy& policy) { return Dumper(policy).run(); }

}  // namespace warden::compiler
