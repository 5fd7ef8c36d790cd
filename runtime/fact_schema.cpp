// The fact schema of a loaded policy (see fact_schema.hpp).
#include "runtime/fact_schema.hpp"

namespace warden::runtime {
namespace {

FactSchema::ValueType value_type(table::ValueType t) {
  switch (t) {
    case table::ValueType::String: return FactSchema::ValueType::String;
    case table::ValueType::Int: return FactSchema::ValueType::Int;
    case table::ValueType::Bool: return FactSchema::ValueType::Bool;
    case table::ValueType::Time: return FactSchema::ValueType::Time;
    case table::ValueType::Ip: return FactSchema::ValueType::Ip;
    case table::ValueType::Enum: return FactSchema::ValueType::Enum;
    case table::ValueType::Entity: return FactSchema::ValueType::Entity;
  }
  return FactSchema::ValueType::String;
}

FactSchema::Type type(const table::Program& p, table::Id name, table::Range attributes, bool principal) {
  FactSchema::Type t;
  t.name = p.str(name);
  t.principal = principal;
  for (std::uint32_t i = attributes.begin; i < attributes.end(); ++i) {
    const table::AttributeRow& row = p.attributes[i];
    if (row.builtin) continue;
    FactSchema::Attribute a;
    a.name = p.str(row.name);
    a.type = value_type(row.type);
    if (row.type == table::ValueType::Enum) {
      const table::Range values = p.enums[row.type_arg].values;
      for (std::uint32_t v = values.begin; v < values.end(); ++v) a.values.push_back(p.str(p.ids[v]));
    }
    t.attributes.push_back(std::move(a));
  }
  return t;
}

}  // namespace

std::shared_ptr<const FactSchema> build_fact_schema(const table::Program& p) {
  auto s = std::make_shared<FactSchema>();
  for (const auto& t : p.principals) s->types.push_back(type(p, t.name, t.attributes, true));
  for (const auto& t : p.resources) s->types.push_back(type(p, t.name, t.attributes, false));
  for (const auto& r : p.roles) s->roles.push_back(p.str(r.name));
  for (const auto& sc : p.scopes) s->scopes.push_back(p.str(sc.name));
  for (const auto& l : p.levels) s->levels.push_back(p.str(l.name));
  return s;
}

}  // namespace warden::runtime
