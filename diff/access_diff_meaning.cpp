// Comparable meanings of rules and endpoints (see access_diff_meaning.hpp).
#include "diff/access_diff_meaning.hpp"

#include <algorithm>

#include "views/render.hpp"

namespace warden::diff::meaning {
namespace {

using table::Program;

table::Range attributes_of(const Program& p, table::EntityKind kind, table::Id type) {
  switch (kind) {
    case table::EntityKind::Principal: return p.principals[type].attributes;
    case table::EntityKind::Resource: return p.resources[type].attributes;
    case table::EntityKind::Context: return p.context_attributes;
  }
  return {};
}

std::string owner_name(const Program& p, table::EntityKind kind, table::Id type) {
  switch (kind) {
    case table::EntityKind::Principal: return "principal " + p.str(p.principals[type].name);
    case table::EntityKind::Resource: return "resource " + p.str(p.resources[type].name);
    case table::EntityKind::Context: return "context";
  }
  return "?";
}

std::string attribute_meaning(const Program& p, const table::AttributeRow& a) {
  std::string s = p.str(a.name) + ": " + views::value_type_name(a.type) + " " + views::attribute_type_text(p, a);
  if (a.type == table::ValueType::Entity) s += std::string(" (") + views::entity_kind_name(a.entity_kind) + ")";
  return s;
}

std::string step_meaning(const Program& p, const table::PathStep& s) {
  const table::Range attrs = attributes_of(p, s.kind, s.type);
  return owner_name(p, s.kind, s.type) + "." + attribute_meaning(p, p.attributes[attrs.begin + s.attribute]);
}

std::string path_meaning(const Program& p, table::Id id) {
  const table::PathRow& path = p.paths[id];
  std::string s = "path " + p.str(path.text) + " {";
  for (std::uint32_t i = 0; i < path.first.count; ++i) s += (i ? " | " : "") + step_meaning(p, p.path_steps[path.first.begin + i]);
  for (std::uint32_t i = 0; i < path.rest.count; ++i) s += " -> " + step_meaning(p, p.path_steps[path.rest.begin + i]);
  return s + "}";
}

std::string levels_meaning(const Program& p) {
  std::string s = "levels [";
  for (std::size_t i = 0; i < p.levels.size(); ++i) s += (i ? " < " : "") + p.str(p.levels[i].name);
  return s + "]";
}

// What each level permits on a type, by name.
std::string level_map_meaning(const Program& p, table::Id type) {
  const table::ResourceTypeRow& rt = p.resources[type];
  std::string s = p.str(rt.name) + " {";
  for (std::uint32_t l = 0; l < rt.level_actions.count; ++l) {
    std::vector<std::string> actions;
    for (const table::Id a : views::bit_members(p, p.bit_refs[rt.level_actions.begin + l])) actions.push_back(action_name(p, type, a));
    std::sort(actions.begin(), actions.end());
    s += (l ? "; " : "") + (l < p.levels.size() ? p.str(p.levels[l].name) : std::to_string(l)) + ": " + join(actions);
  }
  return s + "}";
}

std::string predicate_meaning(const Program& p, table::Id id, const std::set<std::string>& types) {
  const table::PredicateRow& pred = p.predicates[id];
  std::string s;
  switch (pred.kind) {
    case table::SubjectKind::Anyone: return "anyone";
    case table::SubjectKind::Role:
      s = "role " + p.str(p.roles[pred.arg].name) + " held by [" + join(roles_holding(p, pred.arg)) + "]";
      break;
    case table::SubjectKind::Scope:
      s = "scope " + p.str(p.scopes[pred.arg].name) + " implied by [" + join(scopes_implying(p, pred.arg)) + "]";
      break;
    case table::SubjectKind::Grant:
      // Grants are matched to levels by name and ranked by the chain; without
      // a minimum level, the level maps of the rule's types decide.
      s = "grant >= " + (pred.arg == table::kNone ? std::string("(level map)") : p.str(p.levels[pred.arg].name)) + " " +
          levels_meaning(p);
      for (table::Id t = 0; t < p.resources.size() && pred.arg == table::kNone; ++t) {
        if (types.count(p.str(p.resources[t].name))) s += " " + level_map_meaning(p, t);
      }
      break;
    case table::SubjectKind::Member: s = "member"; break;
    case table::SubjectKind::Caller: return "caller " + views::callers_text(static_cast<std::uint8_t>(pred.arg));
  }
  if (pred.path != table::kNone) s += " of/in " + path_meaning(p, pred.path);
  return s;
}

std::string constant_meaning(const table::ConstRow& c) {
  std::string s = std::string(views::value_type_name(c.type)) + "/" + std::to_string(static_cast<int>(c.extra)) + "/" +
                  std::to_string(c.number) + "/" + std::to_string(c.prefix) + "/" + std::to_string(c.start_minute) + "-" +
                  std::to_string(c.end_minute) + "/" + std::to_string(c.ipv4) + "/";
  for (const auto b : c.address) s += std::to_string(b) + ".";
  return s;
}

std::string const_at(const Program& p, table::Id id) {
  const table::ConstRow& c = p.constants[id];
  std::string s = constant_meaning(c);
  if (c.string != table::kNone) s += "/" + views::string_literal(p.str(c.string));
  return s;
}

std::string code_meaning(const Program& p, table::Range code, const std::set<std::string>& types) {
  std::string s;
  for (std::uint32_t i = 0; i < code.count; ++i) {
    const table::Instr& in = p.code[code.begin + i];
    s += std::string(views::op_name(in.op)) + "(" + std::to_string(in.a) + "," + std::to_string(in.b) + ",";
    switch (in.op) {
      case table::Op::LoadPath: s += path_meaning(p, in.arg); break;
      case table::Op::LoadConst:
      case table::Op::InCidr:
      case table::Op::InHours: s += const_at(p, in.arg); break;
      case table::Op::InList:
        for (std::uint32_t k = 0; k < in.b; ++k) s += const_at(p, in.arg + k) + ";";
        break;
      case table::Op::Predicate: s += predicate_meaning(p, in.arg, types); break;
      case table::Op::Has: s += path_meaning(p, in.arg); break;
      default: s += std::to_string(in.arg); break;
    }
    s += ") ";
  }
  return s;
}

}  // namespace

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string s;
  for (std::size_t i = 0; i < items.size(); ++i) s += (i ? separator : "") + items[i];
  return s;
}

std::string type_name(const Program& p, table::Id type) { return p.str(p.resources[type].name); }

std::string action_name(const Program& p, table::Id type, table::Id action) {
  return p.str(p.action_names[p.resources[type].actions.begin + action]);
}

std::vector<std::set<Target>> rule_targets(const Program& p) {
  std::vector<std::set<Target>> out(p.rules.size());
  for (table::Id t = 0; t < p.resources.size(); ++t) {
    const table::ResourceTypeRow& rt = p.resources[t];
    for (table::Id a = 0; a < rt.actions.count; ++a) {
      const table::Range list = p.rule_lists[rt.rule_lists + a];
      for (std::uint32_t i = 0; i < list.count; ++i) out[p.rule_ids[list.begin + i]].insert({type_name(p, t), action_name(p, t, a)});
    }
  }
  return out;
}

std::vector<std::string> roles_holding(const Program& p, table::Id role) {
  std::vector<std::string> out;
  for (const auto& r : p.roles) {
    if (table::test_bit(p, r.holds, role)) out.push_back(p.str(r.name));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> scopes_implying(const Program& p, table::Id scope) {
  std::vector<std::string> out;
  for (const auto& s : p.scopes) {
    if (table::test_bit(p, s.closure, scope)) out.push_back(p.str(s.name));
  }
  std::sort(out.begin(), out.end());
  return out;
}

RuleMeaning rule_meaning(const Program& p, table::Id id, const std::set<Target>& targets, bool include_monitor) {
  const table::RuleRow& r = p.rules[id];
  std::set<std::string> types;
  RuleMeaning m;
  m.head = views::effect_name(r.effect);
  m.head += include_monitor && r.monitor ? " monitor" : "";
  m.head += r.cross_tenant ? " cross_tenant" : "";
  if (r.effect == table::Effect::Deny) m.head += " code " + p.str(r.code);  // an allow's code is never reported
  m.head += " on [";
  for (const auto& [type, action] : targets) {
    m.head += type + "." + action + " ";
    types.insert(type);
  }
  m.head += "]";
  m.subject = predicate_meaning(p, r.subject, types);
  m.when = code_meaning(p, r.when, types);
  m.unless = code_meaning(p, r.unless, types);
  return m;
}

std::vector<std::string> requirement_holders(const Program& p, const table::EndpointRow& e) {
  std::vector<std::string> out;
  auto add = [&](table::Bits bits) {
    for (const table::Id s : views::bit_members(p, bits)) {
      out.push_back(p.str(p.scopes[s].name) + " <= " + join(scopes_implying(p, s)));
    }
  };
  add(e.all_of);
  for (std::uint32_t g = 0; g < e.any_of.count; ++g) add(p.bit_refs[e.any_of.begin + g]);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string endpoint_meaning(const Program& p, const table::EndpointRow& e) {
  if (e.is_public) return "public";
  auto required = [&](table::Bits bits) {
    std::vector<std::string> names;
    for (const table::Id s : views::bit_members(p, bits)) {
      names.push_back(p.str(p.scopes[s].name) + " implied by [" + join(scopes_implying(p, s)) + "]");
    }
    std::sort(names.begin(), names.end());
    return "(" + join(names) + ")";
  };
  std::string s = "all" + required(e.all_of);
  std::vector<std::string> groups;
  for (std::uint32_t i = 0; i < e.any_of.count; ++i) groups.push_back("any" + required(p.bit_refs[e.any_of.begin + i]));
  std::sort(groups.begin(), groups.end());
  s += " " + join(groups, " ");
  if (e.has_action) {
    s += " action " + action_name(p, e.resource_type, e.action) + " on " + type_name(p, e.resource_type);
    s += " id " + std::to_string(static_cast<int>(e.id_kind)) + " " + views::id_source_text(p, e) + " " +
         std::to_string(e.id_segment);
    // Bindings by attribute (name and type) and where the value comes from.
    const table::ResourceTypeRow& type = p.resources[e.resource_type];
    std::vector<std::string> bindings;
    for (std::uint32_t k = 0; k < e.bindings.count; ++k) {
      const table::BindingRow& b = p.bindings[e.bindings.begin + k];
      bindings.push_back(attribute_meaning(p, p.attributes[type.attributes.begin + b.attribute]) + " = " +
                         views::value_text(p, b.parts));
    }
    std::sort(bindings.begin(), bindings.end());
    s += " bind [" + join(bindings, "; ") + "]";
  }
  s += " callers " + views::callers_text(e.callers);
  // The denies in evaluation order (order decides the code when several match).
  std::set<Target> targets;
  if (e.has_action) targets.insert({type_name(p, e.resource_type), action_name(p, e.resource_type, e.action)});
  for (std::uint32_t k = 0; k < e.denies.count; ++k) {
    const RuleMeaning m = rule_meaning(p, p.endpoint_rules[e.denies.begin + k], targets, true);
    s += " deny {" + m.head + " " + m.subject + " when " + m.when + " unless " + m.unless + "}";
  }
  return s;
}

std::vector<std::string> endpoint_denies(const Program& p, const table::EndpointRow& e) {
  std::vector<std::string> out;
  for (std::uint32_t k = 0; k < e.denies.count; ++k) out.push_back(p.str(p.rules[p.endpoint_rules[e.denies.begin + k]].name));
  return out;
}

std::string holders_text(const Program& p, const table::PredicateRow& pred) {
  auto ticked = [](std::vector<std::string> names) {
    for (auto& n : names) n = "`" + n + "`";
    return join(names);
  };
  std::string s;
  switch (pred.kind) {
    case table::SubjectKind::Anyone: return "anyone";
    case table::SubjectKind::Role: s = "roles " + ticked(roles_holding(p, pred.arg)); break;
    case table::SubjectKind::Scope: s = "keys with scope " + ticked(scopes_implying(p, pred.arg)); break;
    case table::SubjectKind::Grant:
      s = pred.arg == table::kNone ? "grant holders whose level permits the action"
                                   : "grant holders at level `" + p.str(p.levels[pred.arg].name) + "` or above";
      break;
    case table::SubjectKind::Member: return "members of " + p.str(p.paths[pred.path].text);
    case table::SubjectKind::Caller: return views::predicate_text(p, pred) + " callers";
  }
  if (pred.path != table::kNone) s += " in " + p.str(p.paths[pred.path].text);
  return s;
}

}  // namespace warden::diff::meaning
