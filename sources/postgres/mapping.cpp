// The mapping model's tables: fact kind names and the fields each kind takes
// (see mapping.hpp).
#include "postgres/mapping.hpp"

namespace warden::postgres {

const char* fact_kind_name(FactKind k) {
  switch (k) {
    case FactKind::Entity: return "entity";
    case FactKind::Membership: return "membership";
    case FactKind::Role: return "role";
    case FactKind::Grant: return "grant";
    case FactKind::ApiKey: return "key";
  }
  return "?";
}

// The same fields, names and defaults as the JSON records of docs/facts.md.
std::vector<FieldRule> field_rules(FactKind kind) {
  using T = FieldType;
  switch (kind) {
    case FactKind::Entity:
      return {{"id", T::Text, true, ""}, {"tenant", T::Text, false, ""}};
    case FactKind::Membership:
      return {{"member_type", T::Text, false, "user"},
              {"member_id", T::Text, true, ""},
              {"collection_type", T::Text, true, ""},
              {"collection_id", T::Text, true, ""}};
    case FactKind::Role:
      return {{"principal_type", T::Text, false, "user"},
              {"principal_id", T::Text, true, ""},
              {"role", T::Text, true, ""},
              {"scope_type", T::Text, false, ""},
              {"scope_id", T::Text, false, ""}};
    case FactKind::Grant:
      return {{"id", T::Text, true, ""},          {"subject_type", T::Text, false, "user"},
              {"subject_id", T::Text, true, ""},  {"resource_type", T::Text, true, ""},
              {"resource_id", T::Text, true, ""}, {"level", T::Text, true, ""},
              {"expires_at", T::Time, false, ""}, {"active", T::Bool, false, ""},
              {"reason", T::Text, false, ""}};
    case FactKind::ApiKey:
      return {{"id", T::Text, true, ""},          {"principal_type", T::Text, false, "user"},
              {"principal_id", T::Text, true, ""}, {"scopes", T::Scopes, false, ""},
              {"tenant", T::Text, false, ""},     {"expires_at", T::Time, false, ""},
              {"revoked", T::Bool, false, ""}};
  }
  return {};
}

const FieldSpec* FactMapping::field(std::string_view name) const {
  for (const auto& [n, spec] : fields) {
    if (n == name) return &spec;
  }
  return nullptr;
}

}  // namespace warden::postgres
