// The names a policy gives facts: its principal and resource types with their
// attributes, its roles, scopes and levels.
//
// Part of the public API (include/warden/). Facts are policy-independent (one
// fact set serves every version of a policy), so they are read without a
// policy; a reader that is given the schema of the policy they are loaded
// under (Engine::fact_schema(), FactsReader::check_against() in
// facts_json.hpp) also reports what in them that policy does not declare.
// A plain value: built once per loaded policy, shared, never changed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace warden {

struct FactSchema {
  // How the policy reads an attribute's value (docs/language.md).
  enum class ValueType : std::uint8_t { String, Int, Bool, Time, Ip, Enum, Entity };

  struct Attribute {
    std::string name;
    ValueType type = ValueType::String;
    std::vector<std::string> values;  // Enum: its values, in declaration order
  };

  struct Type {
    std::string name;
    bool principal = false;             // a principal type (else a resource type)
    std::vector<Attribute> attributes;  // declared ones only (not the built-in `id` and `tenant`)
  };

  std::vector<Type> types;  // principal types, then resource types, each in declaration order
  std::vector<std::string> roles, scopes, levels;

  const Type* find_type(std::string_view name) const {
    for (const Type& t : types) {
      if (t.name == name) return &t;
    }
    return nullptr;
  }
  // A policy that declares no principal type accepts principals of any type
  // (their `id` and `tenant` are built in): it has no principal type to miss.
  bool declares_principals() const {
    for (const Type& t : types) {
      if (t.principal) return true;
    }
    return false;
  }
};

}  // namespace warden
