// Rendering table pieces as policy-language text (see render.hpp).
#include "views/render.hpp"

#include <arpa/inet.h>

#include <chrono>
#include <cstdio>
#include <optional>

namespace warden::views {

using namespace table;  // the vocabulary of every function here

const char* method_name(Method m) {
  static constexpr const char* kNames[kMethodCount] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  return kNames[static_cast<std::size_t>(m)];
}

const char* mode_name(Mode m) { return m == Mode::Monitor ? "monitor" : "enforce"; }
const char* effect_name(Effect e) { return e == Effect::Deny ? "deny" : "allow"; }

const char* value_type_name(ValueType t) {
  switch (t) {
    case ValueType::String: return "string";
    case ValueType::Int: return "int";
    case ValueType::Bool: return "bool";
    case ValueType::Time: return "time";
    case ValueType::Ip: return "ip";
    case ValueType::Enum: return "enum";
    case ValueType::Entity: return "entity";
  }
  return "?";
}

const char* entity_kind_name(EntityKind k) {
  switch (k) {
    case EntityKind::Principal: return "principal";
    case EntityKind::Resource: return "resource";
    case EntityKind::Context: return "context";
  }
  return "?";
}

const char* op_name(Op op) {
  switch (op) {
    case Op::LoadPath: return "load_path";
    case Op::LoadConst: return "load_const";
    case Op::Compare: return "compare";
    case Op::InList: return "in_list";
    case Op::InCidr: return "in_cidr";
    case Op::InHours: return "in_hours";
    case Op::Test: return "test";
    case Op::Predicate: return "predicate";
    case Op::Not: return "not";
    case Op::JumpIfFalse: return "jump_if_false";
    case Op::JumpIfTrue: return "jump_if_true";
    case Op::Has: return "has";
  }
  return "?";
}

const char* compare_op_text(CompareOp op) {
  static constexpr const char* kOps[] = {"==", "!=", "<", "<=", ">", ">="};
  return kOps[static_cast<std::size_t>(op)];
}

std::string string_literal(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string loc_text(const Program& p, const Loc& loc) {
  if (loc.file == kNone) return "";
  return p.files[loc.file] + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column);
}

std::string source_location(const Program& p, std::string_view location, const Loc& loc) {
  if (loc.file == kNone || loc.file >= p.files.size()) return "";
  std::string s(location);
  if (!s.empty()) s += '/';
  return s + loc_text(p, loc);
}

std::vector<Id> bit_members(const Program& p, Bits bits) {
  std::vector<Id> out;
  for (std::uint32_t w = 0; w < bits.words; ++w) {
    std::uint64_t word = p.bit_words[bits.offset + w];
    while (word != 0) {
      const int bit = __builtin_ctzll(word);
      out.push_back(w * 64 + static_cast<Id>(bit));
      word &= word - 1;
    }
  }
  return out;
}

std::string methods_text(const EndpointRow& e) {
  if (e.any_method) return "ANY";
  std::string out;
  for (std::size_t m = 0; m < kMethodCount; ++m) {
    if ((e.methods >> m) & 1u) out += (out.empty() ? "" : ", ") + std::string(method_name(static_cast<Method>(m)));
  }
  return out;
}

std::string attribute_type_text(const Program& p, const AttributeRow& a) {
  if (a.type == ValueType::Enum) {
    const Range values = p.enums[a.type_arg].values;
    std::string out;
    for (std::uint32_t i = 0; i < values.count; ++i) out += (i ? " | " : "") + p.str(p.ids[values.begin + i]);
    return out;
  }
  if (a.type == ValueType::Entity) {
    return p.str(a.entity_kind == EntityKind::Principal ? p.principals[a.type_arg].name : p.resources[a.type_arg].name);
  }
  return value_type_name(a.type);
}

const AttributeRow* path_final_attribute(const Program& p, const PathRow& path) {
  const PathStep* step = path.rest.count ? &p.path_steps[path.rest.end() - 1]
                         : path.first.count ? &p.path_steps[path.first.begin]
                                            : nullptr;
  if (!step) return nullptr;
  switch (step->kind) {
    case EntityKind::Principal: return &p.attributes[p.principals[step->type].attributes.begin + step->attribute];
    case EntityKind::Resource: return &p.attributes[p.resources[step->type].attributes.begin + step->attribute];
    case EntityKind::Context: return &p.attributes[p.context_attributes.begin + step->attribute];
  }
  return nullptr;
}

namespace {

std::string address_text(const ConstRow& c) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (c.ipv4) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", c.address[12], c.address[13], c.address[14], c.address[15]);
  } else if (!inet_ntop(AF_INET6, c.address.data(), buf, sizeof buf)) {
    return "?";
  }
  return buf;
}

std::string minute_text(std::uint32_t minute) {
  const auto two = [](std::uint32_t v) { return std::string(1, static_cast<char>('0' + v / 10 % 10)) + static_cast<char>('0' + v % 10); };
  return two(minute / 60) + ":" + two(minute % 60);
}

std::string time_text(std::int64_t unix_seconds) {
  using namespace std::chrono;
  const sys_seconds tp{seconds{unix_seconds}};
  const auto day = floor<days>(tp);
  const year_month_day ymd{day};
  const hh_mm_ss hms{tp - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long>(hms.seconds().count()));
  return buf;
}

}  // namespace

std::string constant_text(const Program& p, const ConstRow& c, Id enum_id) {
  if (c.extra == ConstRow::Extra::Cidr) {
    const unsigned prefix = c.ipv4 && c.prefix >= 96 ? c.prefix - 96u : c.prefix;
    return "cidr(" + string_literal(address_text(c) + "/" + std::to_string(prefix)) + ")";
  }
  if (c.extra == ConstRow::Extra::Hours) {
    return "hours(" + string_literal(minute_text(c.start_minute)) + ", " + string_literal(minute_text(c.end_minute)) + ")";
  }
  switch (c.type) {
    case ValueType::String:
    case ValueType::Entity: return string_literal(p.str(c.string));
    case ValueType::Int: return std::to_string(c.number);
    case ValueType::Bool: return c.number ? "true" : "false";
    case ValueType::Time: return string_literal(time_text(c.number));
    case ValueType::Ip: return string_literal(address_text(c));
    case ValueType::Enum:
      if (enum_id != kNone && c.number >= 0 && static_cast<std::uint64_t>(c.number) < p.enums[enum_id].values.count) {
        return p.str(p.ids[p.enums[enum_id].values.begin + static_cast<std::uint32_t>(c.number)]);
      }
      return std::string("#").append(std::to_string(c.number));
  }
  return "?";
}

std::string predicate_text(const Program& p, const PredicateRow& pred) {
  const std::string in = pred.path == kNone ? "" : p.str(p.paths[pred.path].text);
  switch (pred.kind) {
    case SubjectKind::Anyone: return "anyone";
    case SubjectKind::Role: return "role " + p.str(p.roles[pred.arg].name) + (in.empty() ? "" : " in " + in);
    case SubjectKind::Scope: return "scope " + p.str(p.scopes[pred.arg].name);
    case SubjectKind::Grant:
      return std::string("grant") + (pred.arg == kNone ? "" : " >= " + p.str(p.levels[pred.arg].name)) +
             (in.empty() ? "" : " in " + in);
    case SubjectKind::Member: return "member of " + (in.empty() ? std::string("resource") : in);
    case SubjectKind::Caller: {
      switch (pred.arg) {
        case kCallerAnonymous: return "anonymous";
        case kCallerSession: return "session";
        case kCallerKey: return "key";
        case kCallerSession | kCallerKey: return "authenticated";
        default: return "callers(" + callers_text(static_cast<std::uint8_t>(pred.arg)) + ")";
      }
    }
  }
  return "?";
}

std::string callers_text(std::uint8_t mask) {
  std::string out;
  static constexpr std::pair<std::uint8_t, const char*> kKinds[] = {
      {kCallerAnonymous, "anonymous"}, {kCallerSession, "session"}, {kCallerKey, "key"}};
  for (const auto& [bit, name] : kKinds) {
    if (mask & bit) out += (out.empty() ? "" : ", ") + std::string(name);
  }
  return out.empty() ? "none" : out;
}

std::string value_text(const Program& p, Range parts) {
  std::string out;
  for (std::uint32_t i = 0; i < parts.count; ++i) {
    const ValuePartRow& v = p.value_parts[parts.begin + i];
    if (i) out += " + ";
    switch (v.kind) {
      case ValuePartRow::Kind::PathParam: out += "path {" + p.str(v.text) + "}"; break;
      case ValuePartRow::Kind::Query: out += "query " + string_literal(p.str(v.text)); break;
      case ValuePartRow::Kind::Header: out += "header " + string_literal(p.str(v.text)); break;
      case ValuePartRow::Kind::Body: out += "body " + string_literal(p.str(v.text)); break;
      case ValuePartRow::Kind::Literal: out += string_literal(p.str(v.text)); break;
    }
  }
  return out;
}

std::vector<std::string> bindings_text(const Program& p, const EndpointRow& e) {
  std::vector<std::string> out;
  if (!e.has_action) return out;
  const ResourceTypeRow& type = p.resources[e.resource_type];
  for (std::uint32_t i = 0; i < e.bindings.count; ++i) {
    const BindingRow& b = p.bindings[e.bindings.begin + i];
    out.push_back("resource." + p.str(p.attributes[type.attributes.begin + b.attribute].name) + " = " +
                  value_text(p, b.parts));
  }
  return out;
}

std::string http_text(const Program& p) {
  const HttpRow& h = p.http;
  static constexpr const char* kDots[] = {"resolve", "reject"};
  static constexpr const char* kEmpty[] = {"merge", "keep", "reject"};
  static constexpr const char* kSlash[] = {"reject", "decode", "keep"};
  static constexpr const char* kTrailing[] = {"strict", "ignore"};
  static constexpr const char* kSemicolons[] = {"reject", "keep", "strip"};
  std::string out = "dot_segments " + std::string(kDots[static_cast<int>(h.dot_segments)]) + "; empty_segments " +
                    kEmpty[static_cast<int>(h.empty_segments)] + "; encoded_slash " +
                    kSlash[static_cast<int>(h.encoded_slash)] + "; trailing_slash " +
                    kTrailing[static_cast<int>(h.trailing_slash)] + "; semicolons " +
                    kSemicolons[static_cast<int>(h.semicolons)] + "; client_ip from ";
  switch (h.client_ip) {
    case HttpRow::ClientIp::Peer: out += "peer"; break;
    case HttpRow::ClientIp::Forwarded: out += "forwarded"; break;
    case HttpRow::ClientIp::Header: out += "header " + string_literal(p.str(h.client_ip_header)); break;
  }
  out += "; trusted_proxies ";
  if (h.trusted_proxies.count == 0) out += "none";
  for (std::uint32_t i = 0; i < h.trusted_proxies.count; ++i) {
    out += (i ? ", " : "") + constant_text(p, p.constants[h.trusted_proxies.begin + i]);
  }
  out += "; callers " + callers_text(h.callers);
  return out;
}

std::string message_text(const Program& p, Range parts) {
  std::string out;
  for (std::uint32_t i = 0; i < parts.count; ++i) {
    const MessagePartRow& m = p.message_parts[parts.begin + i];
    const std::string& text = p.str(m.text);
    if (m.kind == MessagePartRow::Kind::Literal || (!text.empty() && text.front() == '{')) {
      out += text;
    } else {
      out += "{" + text + "}";
    }
  }
  return out;
}

std::string requirements_text(const Program& p, const EndpointRow& e) {
  if (e.is_public) return "public";
  auto names = [&](Bits b) {
    std::string out;
    for (const Id s : bit_members(p, b)) out += (out.empty() ? "" : ", ") + p.str(p.scopes[s].name);
    return out;
  };
  std::string out;
  const auto all = bit_members(p, e.all_of);
  if (all.size() == 1) out = names(e.all_of);
  if (all.size() > 1) out = "all(" + names(e.all_of) + ")";
  for (std::uint32_t i = 0; i < e.any_of.count; ++i) {
    out += (out.empty() ? "" : "; ") + std::string("any(") + names(p.bit_refs[e.any_of.begin + i]) + ")";
  }
  return out.empty() ? "no scopes" : out;
}

std::string id_source_text(const Program& p, const EndpointRow& e) {
  switch (e.id_kind) {
    case EndpointRow::IdKind::None: return "";
    case EndpointRow::IdKind::PathParam: return "path {" + p.str(e.id_name) + "}";
    case EndpointRow::IdKind::Query: return "query " + string_literal(p.str(e.id_name));
    case EndpointRow::IdKind::Header: return "header " + string_literal(p.str(e.id_name));
    case EndpointRow::IdKind::Body: return "body " + string_literal(p.str(e.id_name));
    case EndpointRow::IdKind::Composite: return value_text(p, e.id_parts);
  }
  return "";
}

std::vector<Id> route_order(const Program& p, Method m) {
  std::vector<Id> out;
  const Id root = p.route_roots[static_cast<std::size_t>(m)];
  if (root == kNone) return out;
  // An explicit stack of work items, pushed in reverse so they pop in
  // matching order; nodes reached twice are expanded once.
  struct Item {
    bool is_endpoint;
    Id id;
  };
  std::vector<Item> stack{{false, root}};
  std::vector<bool> seen(p.route_nodes.size(), false);
  while (!stack.empty()) {
    const Item item = stack.back();
    stack.pop_back();
    if (item.is_endpoint) {
      out.push_back(item.id);
      continue;
    }
    if (seen[item.id]) continue;
    seen[item.id] = true;
    const RouteNode& n = p.route_nodes[item.id];
    if (n.double_star != kNone) stack.push_back({true, n.double_star});
    if (n.star_child != kNone) stack.push_back({false, n.star_child});
    if (n.param_child != kNone) stack.push_back({false, n.param_child});
    for (std::uint32_t k = n.literals.count; k-- > 0;) stack.push_back({false, p.route_edges[n.literals.begin + k].child});
    if (n.endpoint != kNone) stack.push_back({true, n.endpoint});
  }
  return out;
}

namespace {

// Operator precedence of a rendered expression, loosest first.
enum Prec : int { kOr = 0, kAnd = 1, kNot = 2, kAtom = 3 };

struct Expr {
  std::string text;
  int prec = kAtom;
  Id enum_id = kNone;      // a path of enum type: the enum, to name constants compared with it
  Id constant = kNone;     // a bare constant: its index, to re-render with an enum
};

std::string wrap(const Expr& e, int min_prec) { return e.prec < min_prec ? "(" + e.text + ")" : e.text; }

// Decompiles the shapes the compiler emits: stack expressions, with `and` /
// `or` as a short-circuit jump over the right operand. Anything else gives
// nothing, and the caller falls back to the disassembly.
std::optional<std::string> decompile(const Program& p, Range code) {
  struct Pending {
    std::uint64_t target;
    Expr left;
    bool is_and;
  };
  std::vector<Expr> stack;
  std::vector<Pending> pending;
  auto pop = [&](Expr& out) {
    if (stack.empty()) return false;
    out = std::move(stack.back());
    stack.pop_back();
    return true;
  };
  auto named = [&](const Expr& e, Id enum_id) {
    return e.constant != kNone && enum_id != kNone ? constant_text(p, p.constants[e.constant], enum_id) : e.text;
  };
  for (std::uint32_t pc = 0;; ++pc) {
    while (!pending.empty() && pending.back().target == pc) {
      Expr right;
      if (!pop(right)) return std::nullopt;
      const Pending j = std::move(pending.back());
      pending.pop_back();
      const int prec = j.is_and ? kAnd : kOr;
      stack.push_back({wrap(j.left, prec) + (j.is_and ? " and " : " or ") + wrap(right, prec), prec});
    }
    if (!pending.empty() && pending.back().target < pc) return std::nullopt;
    if (pc == code.count) break;
    const Instr& in = p.code[code.begin + pc];
    Expr a, b;
    switch (in.op) {
      case Op::LoadPath: {
        const PathRow& path = p.paths[in.arg];
        const AttributeRow* attr = path_final_attribute(p, path);
        stack.push_back({p.str(path.text), kAtom, attr && attr->type == ValueType::Enum ? attr->type_arg : kNone});
        break;
      }
      case Op::LoadConst:
        stack.push_back({constant_text(p, p.constants[in.arg]), kAtom, kNone, in.arg});
        break;
      case Op::Compare:
        if (!pop(b) || !pop(a)) return std::nullopt;
        stack.push_back({named(a, b.enum_id) + " " + compare_op_text(static_cast<CompareOp>(in.a)) + " " +
                             named(b, a.enum_id),
                         kAtom});
        break;
      case Op::InList: {
        if (!pop(a)) return std::nullopt;
        std::string items;
        for (std::uint32_t i = 0; i < in.b; ++i) {
          items += (i ? ", " : "") + constant_text(p, p.constants[in.arg + i], a.enum_id);
        }
        stack.push_back({a.text + " in [" + items + "]", kAtom});
        break;
      }
      case Op::InCidr:
      case Op::InHours:
        if (!pop(a)) return std::nullopt;
        stack.push_back({a.text + " in " + constant_text(p, p.constants[in.arg]), kAtom});
        break;
      case Op::Test:
        if (stack.empty()) return std::nullopt;
        break;
      case Op::Predicate:
        stack.push_back({predicate_text(p, p.predicates[in.arg]), kAtom});
        break;
      case Op::Has:
        stack.push_back({"has " + p.str(p.paths[in.arg].text), kAtom});
        break;
      case Op::Not:
        if (!pop(a)) return std::nullopt;
        stack.push_back({"not " + wrap(a, kNot), kNot});
        break;
      case Op::JumpIfFalse:
      case Op::JumpIfTrue:
        if (!pop(a)) return std::nullopt;
        pending.push_back({std::uint64_t{pc} + 1 + in.arg, std::move(a), in.op == Op::JumpIfFalse});
        break;
    }
  }
  if (stack.size() != 1 || !pending.empty()) return std::nullopt;
  return stack.back().text;
}

}  // namespace

std::vector<std::string> disassemble(const Program& p, Range code) {
  std::vector<std::string> out;
  for (std::uint32_t pc = 0; pc < code.count; ++pc) {
    const Instr& in = p.code[code.begin + pc];
    std::string line = op_name(in.op);
    switch (in.op) {
      case Op::LoadPath:
      case Op::Has: (line += ' ') += p.str(p.paths[in.arg].text); break;
      case Op::LoadConst:
      case Op::InCidr:
      case Op::InHours: (line += ' ') += constant_text(p, p.constants[in.arg]); break;
      case Op::Compare:
        line += std::string(" ") + compare_op_text(static_cast<CompareOp>(in.a)) + " " +
                value_type_name(static_cast<ValueType>(in.b));
        break;
      case Op::InList: line += " #" + std::to_string(in.arg) + " +" + std::to_string(in.b); break;
      case Op::Predicate: (line += ' ') += predicate_text(p, p.predicates[in.arg]); break;
      case Op::JumpIfFalse:
      case Op::JumpIfTrue: line += " +" + std::to_string(in.arg); break;
      case Op::Test:
      case Op::Not: break;
    }
    out.push_back(std::move(line));
  }
  return out;
}

std::string condition_text(const Program& p, Range code) {
  if (code.count == 0) return "";
  if (auto text = decompile(p, code)) return *text;
  std::string out;
  for (const auto& line : disassemble(p, code)) out += (out.empty() ? "" : "; ") + line;
  return out;
}

}  // namespace warden::views
