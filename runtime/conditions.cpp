// Condition evaluation: attribute paths, constants, comparisons and the
// bytecode interpreter.
//
// Values come from facts first (the source of truth for entities the engine
// knows), then from the attributes the request carries for its principal,
// resource (bound by its endpoint first) and context; `request.…` paths read
// only what the request carries. A value that is missing, or not readable as the
// attribute's declared type, is an evaluation error: the condition fails
// closed and the error is reported in the decision.
#include <cstring>

#include "runtime/evaluation.hpp"
#include "support/literals.hpp"

namespace warden::runtime {
namespace {

using table::ValueType;

// An entity being read along a path.
struct Cursor {
  table::EntityKind kind = table::EntityKind::Principal;
  table::Id type = table::kNone;
  Ident id;
  const EntityRecord* record = nullptr;
  bool own = false;  // the request's own principal, resource or context: it may carry the values
};

bool read_request_value(const AttributeValue& v, const table::Program& p, const table::AttributeRow& attr, Value& out) {
  switch (attr.type) {
    case ValueType::String:
    case ValueType::Entity:
      if (v.kind != AttributeValue::Kind::String) return false;
      out.str = Ident::of_text(v.text);
      return true;
    case ValueType::Int:
      if (v.kind != AttributeValue::Kind::Int) return false;
      out.number = v.number;
      return true;
    case ValueType::Bool:
      if (v.kind != AttributeValue::Kind::Bool) return false;
      out.number = v.boolean ? 1 : 0;
      return true;
    case ValueType::Time:
      if (v.kind == AttributeValue::Kind::Int) {
        out.number = v.number;
        return true;
      }
      if (v.kind == AttributeValue::Kind::String) {
        const TimeResult t = parse_time(v.text);
        out.number = t.unix_seconds;
        return t.error.empty();
      }
      return false;
    case ValueType::Ip:
      if (v.kind == AttributeValue::Kind::String) {
        const IpResult ip = parse_ip(v.text);
        out.address = ip.address;
        return ip.error.empty();
      }
      return false;
    case ValueType::Enum: {
      if (v.kind != AttributeValue::Kind::String) return false;
      const table::EnumRow& e = p.enums[attr.type_arg];
      for (std::uint32_t i = 0; i < e.values.count; ++i) {
        if (p.strings[p.ids[e.values.begin + i]] == v.text) {
          out.number = i;
          return true;
        }
      }
      return false;
    }
  }
  return false;
}

// A fact value, read by the attribute's declared type: strings compare as
// Syms, enum values are found among the policy's by Sym.
bool read_stored_value(const StoredAttribute& s, const EntityRecord& r, const table::Program& p,
                       const FactView& facts, const table::AttributeRow& attr, Value& out) {
  switch (attr.type) {
    case ValueType::Time:
      if (!s.has_time) return false;
      out.number = s.number;
      return true;
    case ValueType::Ip:
      if (!s.has_ip) return false;
      out.address = r.addresses()[static_cast<std::size_t>(s.number)];
      return true;
    case ValueType::String:
    case ValueType::Entity:
      if (s.kind != FactValue::Kind::String) return false;
      out.str = Ident::of_sym(s.text);
      return true;
    case ValueType::Int:
      if (s.kind != FactValue::Kind::Int) return false;
      out.number = s.number;
      return true;
    case ValueType::Bool:
      if (s.kind != FactValue::Kind::Bool) return false;
      out.number = s.number;
      return true;
    case ValueType::Enum: {
      if (s.kind != FactValue::Kind::String) return false;
      const std::int64_t index = facts.enum_index(s.text, p.enums[attr.type_arg].values);
      out.number = index;
      return index >= 0;
    }
  }
  return false;
}

}  // namespace

bool Evaluation::load_path(table::Id path_id, Value& out, const table::AttributeRow** final_attribute) {
  const table::PathRow& path = p.paths[path_id];
  Cursor cur;
  cur.kind = path.root;
  switch (path.root) {
    case table::EntityKind::Principal:
      cur.type = principal_type_id;
      cur.id = principal_id;
      cur.record = path.carried ? nullptr : principal.record;
      break;
    case table::EntityKind::Resource:
      cur.type = resource_type;
      cur.id = resource_id;
      cur.record = path.carried ? nullptr : resource.record;
      break;
    case table::EntityKind::Context:
      cur.type = 0;
      break;
  }
  cur.own = true;
  // The first step depends on the root's actual type.
  const table::PathStep* step = nullptr;
  for (std::uint32_t i = 0; i < path.first.count; ++i) {
    const table::PathStep& s = p.path_steps[path.first.begin + i];
    if (path.root == table::EntityKind::Context || s.type == cur.type) {
      step = &s;
      break;
    }
  }
  if (!step) return principal_builtin(path_id, out, final_attribute);
  std::uint32_t next_rest = 0;
  for (;;) {
    table::Range attrs;
    if (cur.kind == table::EntityKind::Principal) attrs = p.principals[step->type].attributes;
    else if (cur.kind == table::EntityKind::Resource) attrs = p.resources[step->type].attributes;
    else attrs = p.context_attributes;
    const table::Id attr_row = attrs.begin + step->attribute;
    const table::AttributeRow& attr = p.attributes[attr_row];
    out = Value::of(attr.type);
    bool found = false;
    if (cur.kind == table::EntityKind::Context && attr.builtin) {
      if (step->attribute == table::kContextTime) {
        found = true;  // a decision always has a time: the request's or the clock's
        out.number = now;
      } else if (step->attribute == table::kContextClientIp) {
        const ClientAddress& client = client_address();
        found = client.found;
        out.address = client.address;
      } else if (step->attribute == table::kContextRequestId) {
        found = !req.request_id.empty();
        out.str = Ident::of_text(req.request_id);
      } else if (step->attribute == table::kContextMethod) {
        found = !req.method.empty();
        out.str = Ident::of_text(req.method);
      }
    } else if (cur.kind != table::EntityKind::Context && attr.builtin) {
      if (step->attribute == table::kAttrId) {
        found = !cur.id.none();
        out.str = cur.id;
      } else if (path.carried && next_rest == 0) {  // `request.….tenant`: only what the request says
        const AttributeValue* v = carried(cur.kind, "tenant");
        found = v && v->kind == AttributeValue::Kind::String;
        if (found) out.str = Ident::of_text(v->text);
      } else {  // tenant: the request's own entities were resolved up front
        found = true;
        if (next_rest == 0 && path.root == table::EntityKind::Resource) {
          out.str = resource_tenant;
        } else if (next_rest == 0 && path.root == table::EntityKind::Principal && !principal_tenant.none()) {
          out.str = principal_tenant;
        } else {
          out.str = FactView::tenant(cur.record);
          if (out.str.none()) out.str = default_tenant();
        }
      }
    } else {
      const std::string_view name = p.strings[attr.name];
      if (cur.record) {
        if (const StoredAttribute* s = facts.attribute(*cur.record, attr_row)) {
          if (!read_stored_value(*s, *cur.record, p, facts, attr, out)) return false;
          found = true;
        }
      }
      if (!found && cur.own) {
        if (const AttributeValue* v = carried(cur.kind, name)) {
          if (!read_request_value(*v, p, attr, out)) return false;
          found = true;
        }
      }
    }
    if (!found) return false;
    if (next_rest == path.rest.count) {
      if (final_attribute) *final_attribute = &attr;
      return true;
    }
    // Follow the entity reference to the next step.
    if (attr.type != ValueType::Entity) return false;
    const table::PathStep& ns = p.path_steps[path.rest.begin + next_rest++];
    cur.kind = attr.entity_kind;
    cur.type = attr.type_arg;
    cur.id = out.str;
    cur.record = facts.find(cur.kind == table::EntityKind::Principal ? facts.principal_type(cur.type)
                                                                     : facts.resource_type(cur.type),
                            cur.id)
                     .record;
    cur.own = false;
    step = &ns;
  }
}

// `principal.id` / `principal.tenant` of a principal whose type has no step
// in the path (no principal type declared, or the request's type undeclared).
bool Evaluation::principal_builtin(table::Id path_id, Value& out, const table::AttributeRow** final_attribute) {
  const table::Id builtin = ix.principal_builtin[path_id];
  if (builtin == table::kNone) return false;
  out = Value::of(ValueType::String);
  if (builtin == table::kAttrId) {
    if (principal_id.none()) return false;
    out.str = principal_id;
  } else {
    out.str = principal_tenant.none() ? default_tenant() : principal_tenant;
  }
  if (final_attribute) *final_attribute = &ix.builtin_string;
  return true;
}

bool Evaluation::load_const(table::Id id, Value& out) const {
  const table::ConstRow& c = p.constants[id];
  out = Value::of(c.type);
  out.number = c.number;
  out.address = c.address;
  if (c.string != table::kNone) out.str = Ident::of(p.strings[c.string], facts.binding().constant[id]);
  return true;
}

bool Evaluation::compare(table::CompareOp op, table::ValueType type, const Value& a, const Value& b) const {
  using table::CompareOp;
  int order = 0;
  switch (type) {
    case ValueType::String:
    case ValueType::Entity:
      // Equality by Sym where both sides are interned; order by text.
      if (op == CompareOp::Eq || op == CompareOp::Ne) {
        order = facts.same(a.str, b.str) ? 0 : 1;
      } else {
        const std::string_view x = facts.text(a.str), y = facts.text(b.str);
        order = x == y ? 0 : (x < y ? -1 : 1);
      }
      break;
    case ValueType::Ip:
      order = std::memcmp(a.address.data(), b.address.data(), 16);
      break;
    default:
      order = a.number == b.number ? 0 : (a.number < b.number ? -1 : 1);
  }
  switch (op) {
    case CompareOp::Eq: return order == 0;
    case CompareOp::Ne: return order != 0;
    case CompareOp::Lt: return order < 0;
    case CompareOp::Le: return order <= 0;
    case CompareOp::Gt: return order > 0;
    case CompareOp::Ge: return order >= 0;
  }
  return false;
}

Tri Evaluation::run_code(table::Range code, std::uint16_t depth, SourceNote& note) {
  static constexpr std::size_t kMaxStack = 80;
  if (depth > kMaxStack) return Tri::Error;
  // Storage only: every push writes a whole value, so the stack is never
  // initialized as a whole (Value is an aggregate, an implicit-lifetime type).
  alignas(Value) std::byte storage[kMaxStack * sizeof(Value)];
  Value* stack = reinterpret_cast<Value*>(storage);
  std::size_t sp = 0;
  auto fail_path = [&](table::Id path) {
    saw_eval_error = true;
    eval_error.assign("`");
    eval_error.append(p.strings[p.paths[path].text]);
    eval_error.append("` is missing or not of its declared type");
    return Tri::Error;
  };
  for (std::uint32_t pc = code.begin; pc < code.end(); ++pc) {
    const table::Instr& in = p.code[pc];
    switch (in.op) {
      case table::Op::LoadPath:
        if (!load_path(in.arg, stack[sp])) return fail_path(in.arg);
        ++sp;
        break;
      case table::Op::LoadConst:
        load_const(in.arg, stack[sp++]);
        break;
      case table::Op::Compare: {
        const Value& b = stack[--sp];
        Value& a = stack[sp - 1];
        const bool r = compare(static_cast<table::CompareOp>(in.a), static_cast<table::ValueType>(in.b), a, b);
        a = Value::of(table::ValueType::Bool);
        a.number = r;
        break;
      }
      case table::Op::InList: {
        Value& a = stack[sp - 1];
        bool r = false;
        for (std::uint32_t i = 0; i < in.b && !r; ++i) {
          Value c;
          load_const(in.arg + i, c);
          r = compare(table::CompareOp::Eq, p.constants[in.arg + i].type, a, c);
        }
        a = Value::of(table::ValueType::Bool);
        a.number = r;
        break;
      }
      case table::Op::InCidr: {
        Value& a = stack[sp - 1];
        const table::ConstRow& c = p.constants[in.arg];
        bool r = true;
        for (unsigned bit = 0; bit < c.prefix && r; ++bit) {
          const unsigned byte = bit / 8, mask = 0x80u >> (bit % 8);
          r = (a.address[byte] & mask) == (c.address[byte] & mask);
        }
        a = Value::of(table::ValueType::Bool);
        a.number = r;
        break;
      }
      case table::Op::InHours: {
        Value& a = stack[sp - 1];
        const table::ConstRow& c = p.constants[in.arg];
        const std::int64_t minute = ((a.number % 86400 + 86400) % 86400) / 60;
        const bool r = c.start_minute <= c.end_minute ? (minute >= c.start_minute && minute < c.end_minute)
                                                      : (minute >= c.start_minute || minute < c.end_minute);
        a = Value::of(table::ValueType::Bool);
        a.number = r;
        break;
      }
      case table::Op::Test:
        stack[sp - 1].type = table::ValueType::Bool;
        break;
      case table::Op::Predicate: {
        const Tri r = eval_predicate(in.arg, note);
        if (r == Tri::Error) return Tri::Error;
        stack[sp] = Value::of(table::ValueType::Bool);
        stack[sp++].number = r == Tri::True;
        break;
      }
      case table::Op::Has: {
        // Whether the path has a value; a missing one is an answer, not an error.
        const bool has = load_path(in.arg, stack[sp]);
        stack[sp] = Value::of(table::ValueType::Bool);
        stack[sp++].number = has;
        break;
      }
      case table::Op::Not:
        stack[sp - 1].number = !stack[sp - 1].number;
        break;
      case table::Op::JumpIfFalse:
        if (!stack[sp - 1].number) pc += in.arg;
        else --sp;
        break;
      case table::Op::JumpIfTrue:
        if (stack[sp - 1].number) pc += in.arg;
        else --sp;
        break;
    }
  }
  return sp == 1 && stack[0].number ? Tri::True : (sp == 1 ? Tri::False : Tri::Error);
}

}  // namespace warden::runtime
