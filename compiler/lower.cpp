// Lowering of the checked model to table::Program (see lower.hpp).
//
// One Lowerer walks the model once, table by table, in declaration order;
// nothing is ordered by pointer or hash iteration, so the same model always
// gives the same table.
#include "compiler/lower.hpp"

#include <algorithm>
#include <map>

namespace warden::compiler {
namespace {

namespace t = table;

class Lowerer {
 public:
  Lowerer(const CheckedPolicy& model, const SourceSet& sources, const std::filesystem::path& root)
      : m_(model), sources_(sources), root_(root) {}

  t::Program run(std::string_view policy_name);

 private:
  t::Id intern(std::string_view s);
  t::Loc loc(const Span& s) const;
  t::Bits bits(const IdSet& set);
  t::Range ids(const std::vector<Id>& values);
  t::AttributeRow attribute(const Attribute& a);
  t::Range attributes(const std::vector<Attribute>& attrs);

  void lower_files();
  void lower_tenancy();
  void lower_declarations();
  void lower_http();
  t::Range lower_parts(const std::vector<ValuePart>& parts);
  void lower_endpoints();
  void lower_routes();
  void lower_rules();
  void lower_rule_index();

  // Per-rule lowering: paths and predicates are rule-local in the model.
  t::Id lower_predicate(const Predicate& p, std::uint32_t path_base);
  t::Id lower_value(const Value& v);
  t::Range lower_condition(const Rule& r, Id root, std::uint32_t path_base, std::uint16_t& depth);
  void emit(const Rule& r, Id cond, std::uint32_t path_base, int& depth, int& max_depth);
  void emit_operand(const Operand& o, std::uint32_t path_base, int& depth, int& max_depth);

  const CheckedPolicy& m_;
  const SourceSet& sources_;
  std::filesystem::path root_;
  t::Program p_;
  std::map<std::string, t::Id, std::less<>> string_index_;
};

t::Id Lowerer::intern(std::string_view s) {
  if (auto it = string_index_.find(s); it != string_index_.end()) return it->second;
  const auto id = static_cast<t::Id>(p_.strings.size());
  p_.strings.emplace_back(s);
  string_index_.emplace(std::string(s), id);
  return id;
}

t::Loc Lowerer::loc(const Span& s) const {
  if (!s.valid()) return {};
  return t::Loc{s.file, s.line, s.column, s.length};
}

t::Bits Lowerer::bits(const IdSet& set) {
  t::Bits b{static_cast<std::uint32_t>(p_.bit_words.size()), static_cast<std::uint32_t>(set.words().size())};
  p_.bit_words.insert(p_.bit_words.end(), set.words().begin(), set.words().end());
  return b;
}

t::Range Lowerer::ids(const std::vector<Id>& values) {
  t::Range r{static_cast<std::uint32_t>(p_.ids.size()), static_cast<std::uint32_t>(values.size())};
  p_.ids.insert(p_.ids.end(), values.begin(), values.end());
  return r;
}

t::AttributeRow Lowerer::attribute(const Attribute& a) {
  t::AttributeRow row;
  row.name = a.name;
  row.builtin = a.builtin ? 1 : 0;
  row.type = static_cast<t::ValueType>(a.type.kind);
  if (a.type.kind == ValueType::Kind::Enum) row.type_arg = a.type.enum_id;
  if (a.type.kind == ValueType::Kind::Entity) {
    row.entity_kind = static_cast<t::EntityKind>(a.type.entity.kind);
    row.type_arg = a.type.entity.index;
  }
  return row;
}

t::Range Lowerer::attributes(const std::vector<Attribute>& attrs) {
  t::Range r{static_cast<std::uint32_t>(p_.attributes.size()), static_cast<std::uint32_t>(attrs.size())};
  for (const auto& a : attrs) p_.attributes.push_back(attribute(a));
  return r;
}

void Lowerer::lower_files() {
  // Paths relative to the policy root keep the artifact independent of the
  // directory the compiler ran in.
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    const std::filesystem::path path(sources_.file(static_cast<std::uint32_t>(i)).path());
    std::filesystem::path rel = root_.empty() ? path.filename() : path.lexically_relative(root_);
    if (rel.empty() || rel.native().rfind("..", 0) == 0) rel = path.filename();
    p_.files.push_back(rel.generic_string());
  }
}

void Lowerer::lower_tenancy() {
  const Tenancy& tn = m_.tenancy;
  p_.tenancy.declared = tn.declared ? 1 : 0;
  p_.tenancy.isolation = tn.isolation ? 1 : 0;
  p_.tenancy.loc = loc(tn.span);
  p_.tenancy.sources.begin = static_cast<std::uint32_t>(p_.tenant_sources.size());
  for (const auto& s : tn.sources) {
    t::TenantSourceRow row;
    row.kind = s.kind == TenantSource::Kind::Header ? t::TenantSourceRow::Kind::Header : t::TenantSourceRow::Kind::Principal;
    row.header = s.header;
    p_.tenant_sources.push_back(row);
  }
  p_.tenancy.sources.count = static_cast<std::uint32_t>(tn.sources.size());
  p_.tenancy.default_tenant = tn.default_tenant != kNone ? tn.default_tenant : intern("default");
}

void Lowerer::lower_declarations() {
  for (const auto& s : m_.scopes) p_.scopes.push_back({s.name, bits(s.closure), loc(s.span)});
  for (const auto& l : m_.levels) p_.levels.push_back({l.name, loc(l.span)});
  for (const auto& r : m_.roles) p_.roles.push_back({r.name, ids(r.parents), bits(r.holds), loc(r.span)});
  for (const auto& e : m_.enums) p_.enums.push_back({ids(e.values)});
  for (const auto& pt : m_.principals) {
    t::PrincipalTypeRow row;
    row.name = pt.name;
    row.attributes = attributes(pt.attributes);
    row.collections = bits(pt.collections);
    row.member_of = ids(pt.member_of);
    row.loc = loc(pt.span);
    p_.principals.push_back(row);
  }
  std::uint32_t rule_list_base = 0;
  for (const auto& rt : m_.resources) {
    t::ResourceTypeRow row;
    row.name = rt.name;
    row.attributes = attributes(rt.attributes);
    row.actions.begin = static_cast<std::uint32_t>(p_.action_names.size());
    for (const auto& a : rt.actions) p_.action_names.push_back(a.name);
    row.actions.count = static_cast<std::uint32_t>(rt.actions.size());
    row.grantees = bits(rt.effective_grantees);
    row.level_actions.begin = static_cast<std::uint32_t>(p_.bit_refs.size());
    for (std::size_t level = 0; level < m_.levels.size(); ++level) {
      p_.bit_refs.push_back(level < rt.level_actions.size() ? bits(rt.level_actions[level]) : t::Bits{});
    }
    row.level_actions.count = static_cast<std::uint32_t>(m_.levels.size());
    row.rule_lists = rule_list_base;
    rule_list_base += row.actions.count;
    row.loc = loc(rt.span);
    p_.resources.push_back(row);
  }
  p_.context_attributes = attributes(m_.context.attributes);
}

void Lowerer::lower_http() {
  const Http& h = m_.http;
  t::HttpRow& row = p_.http;
  row.declared = h.declared ? 1 : 0;
  row.dot_segments = static_cast<t::HttpRow::DotSegments>(h.dot_segments);
  row.empty_segments = static_cast<t::HttpRow::EmptySegments>(h.empty_segments);
  row.encoded_slash = static_cast<t::HttpRow::EncodedSlash>(h.encoded_slash);
  row.trailing_slash = static_cast<t::HttpRow::TrailingSlash>(h.trailing_slash);
  row.semicolons = static_cast<t::HttpRow::Semicolons>(h.semicolons);
  row.client_ip = static_cast<t::HttpRow::ClientIp>(h.client_ip);
  row.callers = h.callers;
  row.client_ip_header = h.client_ip_header;
  row.trusted_proxies.begin = static_cast<std::uint32_t>(p_.constants.size());
  for (const auto& v : h.trusted_proxies) lower_value(v);
  row.trusted_proxies.count = static_cast<std::uint32_t>(h.trusted_proxies.size());
  row.loc = loc(h.span);
}

t::Range Lowerer::lower_parts(const std::vector<ValuePart>& parts) {
  t::Range r{static_cast<std::uint32_t>(p_.value_parts.size()), static_cast<std::uint32_t>(parts.size())};
  for (const auto& part : parts) {
    p_.value_parts.push_back({static_cast<t::ValuePartRow::Kind>(part.kind), part.text,
                              part.segment == kNone ? 0 : part.segment});
  }
  return r;
}

void Lowerer::lower_endpoints() {
  for (const auto& e : m_.endpoints) {
    t::EndpointRow row;
    row.pattern = e.pattern;
    row.methods = e.methods;
    row.any_method = e.any_method ? 1 : 0;
    row.is_public = e.is_public ? 1 : 0;
    row.segments.begin = static_cast<std::uint32_t>(p_.segments.size());
    for (const auto& s : e.segments) p_.segments.push_back({static_cast<t::SegmentRow::Kind>(s.kind), s.text});
    row.segments.count = static_cast<std::uint32_t>(e.segments.size());
    IdSet all_of(m_.scopes.size());
    std::vector<t::Bits> any_of;
    for (const auto& req : e.requirements) {
      if (req.kind == ScopeRequirement::Kind::AllOf) {
        for (Id s : req.scopes) all_of.insert(s);
      } else {
        IdSet any(m_.scopes.size());
        for (Id s : req.scopes) any.insert(s);
        any_of.push_back(bits(any));
      }
    }
    row.all_of = bits(all_of);
    row.any_of = {static_cast<std::uint32_t>(p_.bit_refs.size()), static_cast<std::uint32_t>(any_of.size())};
    p_.bit_refs.insert(p_.bit_refs.end(), any_of.begin(), any_of.end());
    if (e.action) {
      row.has_action = 1;
      row.resource_type = e.action->resource_type;
      row.action = e.action->action;
      row.id_kind = static_cast<t::EndpointRow::IdKind>(e.action->id.kind);
      row.id_name = e.action->id.name;
      row.id_segment = e.action->id.segment == kNone ? 0 : e.action->id.segment;
      if (e.action->id.kind == IdSource::Kind::Composite) row.id_parts = lower_parts(e.action->id.parts);
    }
    row.loc = loc(e.pattern_span);
    row.callers = e.callers;
    row.group = e.group == kNone ? t::kNone : m_.groups[e.group].name;
    row.bindings.begin = static_cast<std::uint32_t>(p_.bindings.size());
    std::vector<t::BindingRow> bindings;
    for (const auto& b : e.bindings) bindings.push_back({b.attribute, lower_parts(b.parts)});
    p_.bindings.insert(p_.bindings.end(), bindings.begin(), bindings.end());
    row.bindings.count = static_cast<std::uint32_t>(bindings.size());
    // Rules are lowered in model order, so a rule's row id is its model id.
    row.denies = {static_cast<std::uint32_t>(p_.endpoint_rules.size()), static_cast<std::uint32_t>(e.denies.size())};
    p_.endpoint_rules.insert(p_.endpoint_rules.end(), e.denies.begin(), e.denies.end());
    p_.endpoints.push_back(row);
  }
}

void Lowerer::lower_routes() {
  // Build each method's trie with ordered maps, then flatten it: node ids in
  // creation order, each node's literal edges contiguous and sorted by bytes.
  struct Node {
    std::map<std::string, t::Id> literals;
    t::Id param = t::kNone, star = t::kNone, endpoint = t::kNone, double_star = t::kNone;
  };
  std::vector<Node> nodes;
  for (std::size_t method = 0; method < t::kMethodCount; ++method) {
    bool any = false;
    for (const auto& e : p_.endpoints) any = any || ((e.methods >> method) & 1u);
    if (!any) continue;
    const auto root = static_cast<t::Id>(nodes.size());
    nodes.emplace_back();
    p_.route_roots[method] = root;
    for (std::size_t ei = 0; ei < p_.endpoints.size(); ++ei) {
      const auto& e = p_.endpoints[ei];
      if (!((e.methods >> method) & 1u)) continue;
      t::Id node = root;
      bool placed = false;
      for (std::uint32_t si = e.segments.begin; si < e.segments.end() && !placed; ++si) {
        const auto& seg = p_.segments[si];
        // Returns the child stored in `which` of `parent`, creating it. The
        // slot is re-read after emplace_back, which may move the nodes.
        auto child = [&](t::Id parent, t::Id Node::*which) {
          if (nodes[parent].*which == t::kNone) {
            const auto id = static_cast<t::Id>(nodes.size());
            nodes.emplace_back();
            nodes[parent].*which = id;
          }
          return nodes[parent].*which;
        };
        switch (seg.kind) {
          case t::SegmentRow::Kind::Literal: {
            const std::string& label = p_.strings[seg.text];
            auto it = nodes[node].literals.find(label);
            if (it == nodes[node].literals.end()) {
              const auto id = static_cast<t::Id>(nodes.size());
              nodes[node].literals.emplace(label, id);
              nodes.emplace_back();
              node = id;
            } else {
              node = it->second;
            }
            break;
          }
          case t::SegmentRow::Kind::Param: node = child(node, &Node::param); break;
          case t::SegmentRow::Kind::Star: node = child(node, &Node::star); break;
          case t::SegmentRow::Kind::DoubleStar:
            // The checker guarantees `**` is last and shapes are unique; the
            // first endpoint to claim a position keeps it.
            if (nodes[node].double_star == t::kNone) nodes[node].double_star = static_cast<t::Id>(ei);
            placed = true;
            break;
        }
      }
      if (!placed && nodes[node].endpoint == t::kNone) nodes[node].endpoint = static_cast<t::Id>(ei);
    }
  }
  for (const auto& n : nodes) {
    t::RouteNode row;
    row.literals.begin = static_cast<std::uint32_t>(p_.route_edges.size());
    for (const auto& [label, child] : n.literals) p_.route_edges.push_back({intern(label), child});
    row.literals.count = static_cast<std::uint32_t>(n.literals.size());
    row.param_child = n.param;
    row.star_child = n.star;
    row.endpoint = n.endpoint;
    row.double_star = n.double_star;
    p_.route_nodes.push_back(row);
  }
}

t::Id Lowerer::lower_predicate(const Predicate& pred, std::uint32_t path_base) {
  t::PredicateRow row;
  row.kind = static_cast<t::SubjectKind>(pred.kind);
  row.arg = pred.id;
  row.path = pred.in_path == kNone ? t::kNone : path_base + pred.in_path;
  p_.predicates.push_back(row);
  return static_cast<t::Id>(p_.predicates.size() - 1);
}

t::Id Lowerer::lower_value(const Value& v) {
  t::ConstRow c;
  switch (v.kind) {
    case ValueKind::String: c.type = t::ValueType::String; break;
    case ValueKind::Int: c.type = t::ValueType::Int; break;
    case ValueKind::Bool: c.type = t::ValueType::Bool; break;
    case ValueKind::Enum: c.type = t::ValueType::Enum; break;
    case ValueKind::Time: c.type = t::ValueType::Time; break;
    case ValueKind::Ip: c.type = t::ValueType::Ip; break;
    case ValueKind::Cidr: c.type = t::ValueType::Ip; c.extra = t::ConstRow::Extra::Cidr; break;
    case ValueKind::Hours: c.type = t::ValueType::Time; c.extra = t::ConstRow::Extra::Hours; break;
  }
  c.number = v.number;
  c.string = v.string;
  c.address = v.address;
  c.prefix = v.prefix;
  c.ipv4 = v.ipv4 ? 1 : 0;
  c.start_minute = v.start_minute;
  c.end_minute = v.end_minute;
  p_.constants.push_back(c);
  return static_cast<t::Id>(p_.constants.size() - 1);
}

void Lowerer::emit_operand(const Operand& o, std::uint32_t path_base, int& depth, int& max_depth) {
  if (o.kind == Operand::Kind::Path) {
    p_.code.push_back({t::Op::LoadPath, 0, 0, path_base + o.path});
  } else {
    p_.code.push_back({t::Op::LoadConst, 0, 0, lower_value(o.value)});
  }
  max_depth = std::max(max_depth, ++depth);
}

// Conditions nest at most 64 deep (the parser's limit), so recursion is bounded.
void Lowerer::emit(const Rule& r, Id id, std::uint32_t path_base, int& depth, int& max_depth) {
  const Condition& c = r.conditions.at(id);
  using K = Condition::Kind;
  switch (c.kind) {
    case K::And:
    case K::Or: {
      emit(r, c.lhs, path_base, depth, max_depth);
      const std::size_t jump = p_.code.size();
      p_.code.push_back({c.kind == K::And ? t::Op::JumpIfFalse : t::Op::JumpIfTrue, 0, 0, 0});
      --depth;  // the fall-through path pops the left value
      emit(r, c.rhs, path_base, depth, max_depth);
      p_.code[jump].arg = static_cast<std::uint32_t>(p_.code.size() - jump - 1);
      break;
    }
    case K::Not:
      emit(r, c.lhs, path_base, depth, max_depth);
      p_.code.push_back({t::Op::Not, 0, 0, 0});
      break;
    case K::Compare:
      emit_operand(c.left, path_base, depth, max_depth);
      emit_operand(c.right, path_base, depth, max_depth);
      p_.code.push_back({t::Op::Compare, static_cast<std::uint8_t>(c.op), static_cast<std::uint16_t>(c.operand_type.kind), 0});
      --depth;
      break;
    case K::InList: {
      const bool has_path = std::any_of(c.items.begin(), c.items.end(),
                                        [](const Operand& o) { return o.kind == Operand::Kind::Path; });
      if (has_path) {
        // InList compares against constants only: a list naming paths is
        // lowered as `left == a or left == b or …`.
        std::vector<std::size_t> jumps;
        for (std::size_t i = 0; i < c.items.size(); ++i) {
          emit_operand(c.left, path_base, depth, max_depth);
          emit_operand(c.items[i], path_base, depth, max_depth);
          p_.code.push_back({t::Op::Compare, static_cast<std::uint8_t>(t::CompareOp::Eq),
                             static_cast<std::uint16_t>(c.operand_type.kind), 0});
          --depth;
          if (i + 1 < c.items.size()) {
            jumps.push_back(p_.code.size());
            p_.code.push_back({t::Op::JumpIfTrue, 0, 0, 0});
            --depth;
          }
        }
        for (std::size_t j : jumps) p_.code[j].arg = static_cast<std::uint32_t>(p_.code.size() - j - 1);
        break;
      }
      emit_operand(c.left, path_base, depth, max_depth);
      const auto begin = static_cast<std::uint32_t>(p_.constants.size());
      for (const auto& item : c.items) lower_value(item.value);
      p_.code.push_back({t::Op::InList, 0, static_cast<std::uint16_t>(c.items.size()), begin});
      break;
    }
    case K::InCidr:
      emit_operand(c.left, path_base, depth, max_depth);
      p_.code.push_back({t::Op::InCidr, 0, 0, lower_value(c.right.value)});
      break;
    case K::InHours:
      emit_operand(c.left, path_base, depth, max_depth);
      p_.code.push_back({t::Op::InHours, 0, 0, lower_value(c.right.value)});
      break;
    case K::Test:
      emit_operand(c.left, path_base, depth, max_depth);
      p_.code.push_back({t::Op::Test, 0, 0, 0});
      break;
    case K::Predicate:
      p_.code.push_back({t::Op::Predicate, 0, 0, lower_predicate(c.predicate, path_base)});
      max_depth = std::max(max_depth, ++depth);
      break;
    case K::Has:
      p_.code.push_back({t::Op::Has, 0, 0, path_base + c.left.path});
      max_depth = std::max(max_depth, ++depth);
      break;
  }
}

t::Range Lowerer::lower_condition(const Rule& r, Id root, std::uint32_t path_base, std::uint16_t& depth) {
  if (root == kNone) return {};
  const auto begin = static_cast<std::uint32_t>(p_.code.size());
  int current = 0, max_depth = 0;
  emit(r, root, path_base, current, max_depth);
  depth = std::max<std::uint16_t>(depth, static_cast<std::uint16_t>(max_depth));
  return {begin, static_cast<std::uint32_t>(p_.code.size()) - begin};
}

void Lowerer::lower_rules() {
  const t::Id default_code = intern("PERMISSION_DENIED");
  for (const auto& r : m_.rules) {
    const auto path_base = static_cast<std::uint32_t>(p_.paths.size());
    for (const auto& path : r.paths) {
      t::PathRow row;
      row.root = static_cast<t::EntityKind>(path.root);
      row.type = static_cast<t::ValueType>(path.type.kind);
      row.first.begin = static_cast<std::uint32_t>(p_.path_steps.size());
      for (const auto& step : path.first) {
        p_.path_steps.push_back({static_cast<t::EntityKind>(step.type.kind), step.type.index, step.attribute});
      }
      row.first.count = static_cast<std::uint32_t>(path.first.size());
      row.rest.begin = static_cast<std::uint32_t>(p_.path_steps.size());
      for (const auto& step : path.rest) {
        p_.path_steps.push_back({static_cast<t::EntityKind>(step.type.kind), step.type.index, step.attribute});
      }
      row.rest.count = static_cast<std::uint32_t>(path.rest.size());
      row.carried = path.carried ? 1 : 0;
      std::string text = path.root == Path::Root::Principal ? "principal" : path.root == Path::Root::Resource ? "resource" : "context";
      if (path.carried) text = "request." + text;
      for (StringId n : path.names) text += "." + m_.str(n);
      row.text = intern(text);
      p_.paths.push_back(row);
    }
    t::RuleRow row;
    row.name = r.name;
    row.effect = r.effect == Effect::Allow ? t::Effect::Allow : t::Effect::Deny;
    row.monitor = (r.monitor || m_.mode == Mode::Monitor) ? 1 : 0;
    row.cross_tenant = r.cross_tenant ? 1 : 0;
    row.subject = lower_predicate(r.subject, path_base);
    row.when = lower_condition(r, r.when, path_base, row.stack_depth);
    row.unless = lower_condition(r, r.unless, path_base, row.stack_depth);
    row.code = r.code != kNone ? r.code : default_code;
    if (r.has_message) {
      row.message.begin = static_cast<std::uint32_t>(p_.message_parts.size());
      for (const auto& part : r.message) {
        p_.message_parts.push_back({static_cast<t::MessagePartRow::Kind>(part.kind), part.text,
                                    part.path == kNone ? t::kNone : path_base + part.path});
      }
      row.message.count = static_cast<std::uint32_t>(r.message.size());
    }
    row.loc = loc(r.name_span);
    p_.rules.push_back(row);
  }
}

void Lowerer::lower_rule_index() {
  // Deny overrides: within each (type, action) list, denies come first so the
  // evaluator can stop at the first matching enforced deny.
  std::vector<std::vector<t::Id>> lists(p_.action_names.size());
  for (int pass = 0; pass < 2; ++pass) {
    const Effect wanted = pass == 0 ? Effect::Deny : Effect::Allow;
    for (std::size_t ri = 0; ri < m_.rules.size(); ++ri) {
      const Rule& r = m_.rules[ri];
      if (r.effect != wanted) continue;
      for (const auto& target : r.targets) {
        const auto base = p_.resources.at(target.resource_type).rule_lists;
        for (Id a : target.actions) lists.at(base + a).push_back(static_cast<t::Id>(ri));
      }
    }
  }
  // Within the denies and within the allows, rules are tried in the order
  // they are written in their file, and rules of different files by their
  // position in it, then by name (unique in a policy): the rule a decision
  // reports depends on the policy, never on how its files are named.
  std::vector<std::uint32_t> position(m_.rules.size(), 0);
  std::map<std::uint32_t, std::uint32_t> next_in_file;
  for (std::size_t ri = 0; ri < m_.rules.size(); ++ri) position[ri] = next_in_file[m_.rules[ri].name_span.file]++;
  const auto before = [&](t::Id a, t::Id b) {
    if (position[a] != position[b]) return position[a] < position[b];
    return m_.str(m_.rules[a].name) < m_.str(m_.rules[b].name);
  };
  for (auto& list : lists) {
    const auto allows = std::stable_partition(list.begin(), list.end(), [&](t::Id r) { return m_.rules[r].effect == Effect::Deny; });
    std::sort(list.begin(), allows, before);
    std::sort(allows, list.end(), before);
  }
  for (const auto& list : lists) {
    p_.rule_lists.push_back({static_cast<std::uint32_t>(p_.rule_ids.size()), static_cast<std::uint32_t>(list.size())});
    p_.rule_ids.insert(p_.rule_ids.end(), list.begin(), list.end());
  }
}

t::Program Lowerer::run(std::string_view policy_name) {
  p_.strings = m_.strings.strings();
  for (std::size_t i = 0; i < p_.strings.size(); ++i) string_index_.emplace(p_.strings[i], static_cast<t::Id>(i));
  p_.name = m_.name != kNone ? m_.name : intern(policy_name);
  p_.mode = m_.mode == Mode::Monitor ? t::Mode::Monitor : t::Mode::Enforce;
  lower_files();
  lower_tenancy();
  lower_declarations();
  lower_http();
  lower_endpoints();
  lower_routes();
  lower_rules();
  lower_rule_index();
  return std::move(p_);
}

}  // namespace

table::Program lower(const CheckedPolicy& model, const SourceSet& sources, std::string_view policy_name,
                     const std::filesystem::path& root) {
  return Lowerer(model, sources, root).run(policy_name);
}

}  // namespace warden::compiler
