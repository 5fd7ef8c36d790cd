// Structural validation of a decision table (see validate.hpp).
//
// One check per table, in Program's declaration order. The first problem
// ends the walk: an internal Invalid exception carries the message to
// validate(), which never lets anything escape. All offset arithmetic is done
// in 64 bits so that a crafted begin + count cannot wrap around.
//
// The rule every check follows (docs/reliability.md): an id field is either
// kNone or valid, whatever the row's kind — readers that print a field "when
// it is set" must never meet a dangling one — and it is required wherever a
// reader uses it unconditionally. Every slice of a pool belongs to one row
// only, so no reader's work grows faster than the artifact.
#include "table/validate.hpp"

#include <algorithm>
#include <cstdint>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "support/printable.hpp"

namespace warden::table {
namespace {

// Minutes in a day: the bounds of an hours() constant.
constexpr std::uint32_t kMinutesPerDay = 24 * 60;

// Years 0000 to 9999, the times a policy can write, with a day of margin
// for offsets: the range of a time constant.
constexpr std::int64_t kMinTime = -62167219200 - 86400;
constexpr std::int64_t kMaxTime = 253402300799 + 86400;

struct Invalid {
  std::string message;
};

// Where a value sits: "rules[3].when[2]". Formatted only on failure.
struct Where {
  static constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);
  std::string_view table;
  std::size_t index = kNoIndex;
  std::string_view field = {};
  std::size_t sub = kNoIndex;  // element within the field (an instruction, a slice entry)
  std::string str() const {
    std::string s(table);
    if (index != kNoIndex) s += "[" + std::to_string(index) + "]";
    if (!field.empty()) (s += ".") += field;
    if (sub != kNoIndex) s += "[" + std::to_string(sub) + "]";
    return s;
  }
};

class Validator {
 public:
  explicit Validator(const Program& p) : p_(p) {}

  void run() {
    string(p_.name, {"program", Where::kNoIndex, "name"});
    enum_value(static_cast<unsigned>(p_.mode), 1, {"program", Where::kNoIndex, "mode"});
    // First, so that every later walk over the slices of a pool is linear.
    exclusive_slices();
    tenancy();
    pools();
    scopes();
    levels();
    roles();
    enums();
    attributes();
    principals();
    resources();
    endpoints();
    routes();
    constants();
    paths();
    predicates();
    message_parts();
    rules();
    disjoint(constant_claims_, "constants");
    unique_names();
  }

 private:
  [[noreturn]] static void fail(const Where& w, const std::string& what) { throw Invalid{w.str() + ": " + what}; }

  static void index(std::uint64_t v, std::size_t size, const Where& w, std::string_view target) {
    if (v >= size) {
      fail(w, "index " + std::to_string(v) + " out of range for " + std::string(target) + " (size " +
                  std::to_string(size) + ")");
    }
  }
  static void index_or_none(Id v, std::size_t size, const Where& w, std::string_view target) {
    if (v != kNone) index(v, size, w, target);
  }
  static void range(Range r, std::size_t size, const Where& w, std::string_view target) {
    if (std::uint64_t{r.begin} + r.count > size) {
      fail(w, "range [" + std::to_string(r.begin) + ", +" + std::to_string(r.count) + ") out of range for " +
                  std::string(target) + " (size " + std::to_string(size) + ")");
    }
  }
  static void flag(std::uint8_t v, const Where& w) {
    if (v > 1) fail(w, "flag value " + std::to_string(v) + " is not 0 or 1");
  }
  static void enum_value(unsigned v, unsigned max, const Where& w) {
    if (v > max) fail(w, "value " + std::to_string(v) + " out of range (at most " + std::to_string(max) + ")");
  }

  void string(Id id, const Where& w) const { index(id, p_.strings.size(), w, "strings"); }
  void string_or_none(Id id, const Where& w) const { index_or_none(id, p_.strings.size(), w, "strings"); }
  void loc(const Loc& l, const Where& w) const { index_or_none(l.file, p_.files.size(), w, "files"); }

  // A bitset inside the word pool with no member at or above `universe`.
  void bits(Bits b, std::size_t universe, const Where& w) const {
    if (std::uint64_t{b.offset} + b.words > p_.bit_words.size()) {
      fail(w, "bitset [" + std::to_string(b.offset) + ", +" + std::to_string(b.words) +
                  ") out of range for bit_words (size " + std::to_string(p_.bit_words.size()) + ")");
    }
    for (std::uint32_t i = 0; i < b.words; ++i) {
      const std::uint64_t first = std::uint64_t{i} * 64;
      if (first + 64 <= universe) continue;
      const std::uint64_t valid = first >= universe ? 0 : (std::uint64_t{1} << (universe - first)) - 1;
      if ((p_.bit_words[b.offset + i] & ~valid) != 0) {
        fail(w, "bitset has a member at or above " + std::to_string(universe));
      }
    }
  }

  // Every id of an `ids` slice indexes a table of `size` rows.
  void id_slice(Range r, std::size_t size, const Where& w, std::string_view target) const {
    range(r, p_.ids.size(), w, "ids");
    for (std::uint32_t i = 0; i < r.count; ++i) index(p_.ids[r.begin + i], size, w, target);
  }

  // A slice of a pool claimed by one row, for exclusive_slices().
  struct Claim {
    std::uint64_t begin, end;
    Where where;
  };
  static void claim(std::vector<Claim>& claims, std::uint64_t begin, std::uint64_t count, const Where& w) {
    if (count) claims.push_back({begin, begin + count, w});
  }
  // No element of the pool belongs to two slices. (A stable sort: of two
  // equal slices, the later row is the one reported.)
  static void disjoint(std::vector<Claim>& claims, std::string_view pool) {
    std::stable_sort(claims.begin(), claims.end(), [](const Claim& a, const Claim& b) {
      return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    for (std::size_t i = 1; i < claims.size(); ++i) {
      if (claims[i].begin < claims[i - 1].end) {
        fail(claims[i].where, "shares elements of " + std::string(pool) + " with " + claims[i - 1].where.str());
      }
    }
  }

  void tenancy() {
    const TenancyRow& t = p_.tenancy;
    flag(t.declared, {"tenancy", Where::kNoIndex, "declared"});
    flag(t.isolation, {"tenancy", Where::kNoIndex, "isolation"});
    range(t.sources, p_.tenant_sources.size(), {"tenancy", Where::kNoIndex, "sources"}, "tenant_sources");
    string(t.default_tenant, {"tenancy", Where::kNoIndex, "default_tenant"});
    loc(t.loc, {"tenancy", Where::kNoIndex, "loc"});
  }

  void pools() {
    for (std::size_t i = 0; i < p_.bit_refs.size(); ++i) {
      const Bits b = p_.bit_refs[i];
      if (std::uint64_t{b.offset} + b.words > p_.bit_words.size()) {
        fail({"bit_refs", i, ""}, "bitset out of range for bit_words (size " + std::to_string(p_.bit_words.size()) + ")");
      }
    }
    for (std::size_t i = 0; i < p_.tenant_sources.size(); ++i) {
      const TenantSourceRow& s = p_.tenant_sources[i];
      enum_value(static_cast<unsigned>(s.kind), 1, {"tenant_sources", i, "kind"});
      if (s.kind == TenantSourceRow::Kind::Header) {
        string(s.header, {"tenant_sources", i, "header"});
      } else {
        string_or_none(s.header, {"tenant_sources", i, "header"});
      }
    }
  }

  void scopes() {
    for (std::size_t i = 0; i < p_.scopes.size(); ++i) {
      const ScopeRow& s = p_.scopes[i];
      string(s.name, {"scopes", i, "name"});
      bits(s.closure, p_.scopes.size(), {"scopes", i, "closure"});
      loc(s.loc, {"scopes", i, "loc"});
    }
  }

  void levels() {
    for (std::size_t i = 0; i < p_.levels.size(); ++i) {
      string(p_.levels[i].name, {"levels", i, "name"});
      loc(p_.levels[i].loc, {"levels", i, "loc"});
    }
  }

  void roles() {
    for (std::size_t i = 0; i < p_.roles.size(); ++i) {
      const RoleRow& r = p_.roles[i];
      string(r.name, {"roles", i, "name"});
      id_slice(r.parents, p_.roles.size(), {"roles", i, "parents"}, "roles");
      bits(r.holds, p_.roles.size(), {"roles", i, "holds"});
      loc(r.loc, {"roles", i, "loc"});
    }
  }

  void enums() {
    for (std::size_t i = 0; i < p_.enums.size(); ++i) {
      const Range values = p_.enums[i].values;
      id_slice(values, p_.strings.size(), {"enums", i, "values"}, "strings");
      max_enum_size_ = std::max<std::size_t>(max_enum_size_, values.count);
    }
  }

  void attributes() {
    for (std::size_t i = 0; i < p_.attributes.size(); ++i) {
      const AttributeRow& a = p_.attributes[i];
      string(a.name, {"attributes", i, "name"});
      enum_value(static_cast<unsigned>(a.type), static_cast<unsigned>(ValueType::Entity), {"attributes", i, "type"});
      enum_value(static_cast<unsigned>(a.entity_kind), static_cast<unsigned>(EntityKind::Context),
                 {"attributes", i, "entity_kind"});
      flag(a.builtin, {"attributes", i, "builtin"});
      const Where arg{"attributes", i, "type_arg"};
      if (a.type == ValueType::Enum) {
        index(a.type_arg, p_.enums.size(), arg, "enums");
      } else if (a.type == ValueType::Entity) {
        if (a.entity_kind == EntityKind::Principal) {
          index(a.type_arg, p_.principals.size(), arg, "principals");
        } else if (a.entity_kind == EntityKind::Resource) {
          index(a.type_arg, p_.resources.size(), arg, "resources");
        } else {
          fail(arg, "an entity attribute must refer to a principal or resource type");
        }
      }
    }
    const Where context{"program", Where::kNoIndex, "context_attributes"};
    range(p_.context_attributes, p_.attributes.size(), context, "attributes");
    builtin_slots(p_.context_attributes, kContextBuiltins, context);
  }

  // The evaluator answers a built-in attribute from the request by its slot
  // (id and tenant of an entity; time, client_ip and request_id of the
  // context) and with the value type of that slot: a row marked built-in
  // anywhere else, or with another type, would hand a condition a value of
  // the wrong type (an enum index out of its enum, say).
  static constexpr ValueType kEntityBuiltins[] = {ValueType::String, ValueType::String};
  static constexpr ValueType kContextBuiltins[] = {ValueType::Time, ValueType::Ip, ValueType::String};
  void builtin_slots(Range attrs, std::span<const ValueType> builtins, const Where& w) const {
    for (std::uint32_t slot = 0; slot < attrs.count; ++slot) {
      const AttributeRow& a = p_.attributes[attrs.begin + slot];
      if (!a.builtin) continue;
      if (slot >= builtins.size()) fail(w, "slot " + std::to_string(slot) + " is marked built-in");
      if (a.type != builtins[slot]) {
        fail(w, "built-in slot " + std::to_string(slot) + " has type " +
                    std::to_string(static_cast<unsigned>(a.type)) + " instead of " +
                    std::to_string(static_cast<unsigned>(builtins[slot])));
      }
    }
  }

  void principals() {
    for (std::size_t i = 0; i < p_.principals.size(); ++i) {
      const PrincipalTypeRow& t = p_.principals[i];
      string(t.name, {"principals", i, "name"});
      range(t.attributes, p_.attributes.size(), {"principals", i, "attributes"}, "attributes");
      builtin_slots(t.attributes, kEntityBuiltins, {"principals", i, "attributes"});
      bits(t.collections, p_.principals.size(), {"principals", i, "collections"});
      id_slice(t.member_of, p_.principals.size(), {"principals", i, "member_of"}, "principals");
      loc(t.loc, {"principals", i, "loc"});
    }
  }

  void resources() {
    for (std::size_t i = 0; i < p_.action_names.size(); ++i) string(p_.action_names[i], {"action_names", i, ""});
    std::uint64_t total_actions = 0;
    for (std::size_t i = 0; i < p_.resources.size(); ++i) {
      const ResourceTypeRow& t = p_.resources[i];
      string(t.name, {"resources", i, "name"});
      range(t.attributes, p_.attributes.size(), {"resources", i, "attributes"}, "attributes");
      builtin_slots(t.attributes, kEntityBuiltins, {"resources", i, "attributes"});
      range(t.actions, p_.action_names.size(), {"resources", i, "actions"}, "action_names");
      bits(t.grantees, p_.principals.size(), {"resources", i, "grantees"});
      const Where la{"resources", i, "level_actions"};
      range(t.level_actions, p_.bit_refs.size(), la, "bit_refs");
      if (t.level_actions.count != p_.levels.size()) {
        fail(la, "has " + std::to_string(t.level_actions.count) + " entries for " + std::to_string(p_.levels.size()) +
                     " levels");
      }
      for (std::uint32_t l = 0; l < t.level_actions.count; ++l) bits(p_.bit_refs[t.level_actions.begin + l], t.actions.count, la);
      range(Range{t.rule_lists, t.actions.count}, p_.rule_lists.size(), {"resources", i, "rule_lists"}, "rule_lists");
      loc(t.loc, {"resources", i, "loc"});
      total_actions += t.actions.count;
    }
    if (total_actions != p_.rule_lists.size()) {
      fail({"rule_lists", Where::kNoIndex, ""}, "has " + std::to_string(p_.rule_lists.size()) +
                                                    " entries for " + std::to_string(total_actions) + " actions");
    }
    for (std::size_t i = 0; i < p_.rule_lists.size(); ++i) {
      range(p_.rule_lists[i], p_.rule_ids.size(), {"rule_lists", i, ""}, "rule_ids");
    }
    for (std::size_t i = 0; i < p_.rule_ids.size(); ++i) index(p_.rule_ids[i], p_.rules.size(), {"rule_ids", i, ""}, "rules");
  }

  void endpoints() {
    for (std::size_t i = 0; i < p_.segments.size(); ++i) {
      const SegmentRow& s = p_.segments[i];
      enum_value(static_cast<unsigned>(s.kind), static_cast<unsigned>(SegmentRow::Kind::DoubleStar), {"segments", i, "kind"});
      if (s.kind == SegmentRow::Kind::Literal || s.kind == SegmentRow::Kind::Param) {
        string(s.text, {"segments", i, "text"});
      } else {
        string_or_none(s.text, {"segments", i, "text"});
      }
    }
    for (std::size_t i = 0; i < p_.endpoints.size(); ++i) {
      const EndpointRow& e = p_.endpoints[i];
      string(e.pattern, {"endpoints", i, "pattern"});
      if ((e.methods & ~((1u << kMethodCount) - 1)) != 0) {
        fail({"endpoints", i, "methods"}, "has bits beyond the " + std::to_string(kMethodCount) + " methods");
      }
      flag(e.any_method, {"endpoints", i, "any_method"});
      flag(e.is_public, {"endpoints", i, "is_public"});
      flag(e.has_action, {"endpoints", i, "has_action"});
      range(e.segments, p_.segments.size(), {"endpoints", i, "segments"}, "segments");
      bits(e.all_of, p_.scopes.size(), {"endpoints", i, "all_of"});
      range(e.any_of, p_.bit_refs.size(), {"endpoints", i, "any_of"}, "bit_refs");
      for (std::uint32_t k = 0; k < e.any_of.count; ++k) bits(p_.bit_refs[e.any_of.begin + k], p_.scopes.size(), {"endpoints", i, "any_of"});
      if (e.has_action) {
        index(e.resource_type, p_.resources.size(), {"endpoints", i, "resource_type"}, "resources");
        index(e.action, p_.resources[e.resource_type].actions.count, {"endpoints", i, "action"}, "the type's actions");
      } else {
        index_or_none(e.resource_type, p_.resources.size(), {"endpoints", i, "resource_type"}, "resources");
      }
      enum_value(static_cast<unsigned>(e.id_kind), static_cast<unsigned>(EndpointRow::IdKind::Header),
                 {"endpoints", i, "id_kind"});
      // The access diff compares id_name whenever it is set, whatever the kind.
      if (e.id_kind != EndpointRow::IdKind::None) {
        string(e.id_name, {"endpoints", i, "id_name"});
      } else {
        string_or_none(e.id_name, {"endpoints", i, "id_name"});
      }
      if (e.id_kind == EndpointRow::IdKind::PathParam) {
        const Where w{"endpoints", i, "id_segment"};
        index(e.id_segment, e.segments.count, w, "the pattern's segments");
        if (p_.segments[e.segments.begin + e.id_segment].kind != SegmentRow::Kind::Param) {
          fail(w, "segment " + std::to_string(e.id_segment) + " is not a `{param}` segment");
        }
      }
      loc(e.loc, {"endpoints", i, "loc"});
    }
  }

  // Child k of a routing node in matching order: its literal edges, then
  // the `{param}` child, then the `*` child (kNone when absent).
  Id child_at(const RouteNode& n, std::uint32_t k) const {
    if (k < n.literals.count) return p_.route_edges[n.literals.begin + k].child;
    return k == n.literals.count ? n.param_child : n.star_child;
  }

  void routes() {
    const std::size_t nodes = p_.route_nodes.size();
    for (std::size_t m = 0; m < kMethodCount; ++m) index_or_none(p_.route_roots[m], nodes, {"route_roots", m, ""}, "route_nodes");
    for (std::size_t i = 0; i < p_.route_edges.size(); ++i) {
      string(p_.route_edges[i].label, {"route_edges", i, "label"});
      index(p_.route_edges[i].child, nodes, {"route_edges", i, "child"}, "route_nodes");
    }
    for (std::size_t i = 0; i < nodes; ++i) {
      const RouteNode& n = p_.route_nodes[i];
      range(n.literals, p_.route_edges.size(), {"route_nodes", i, "literals"}, "route_edges");
      for (std::uint32_t k = 1; k < n.literals.count; ++k) {
        const std::string& prev = p_.strings[p_.route_edges[n.literals.begin + k - 1].label];
        const std::string& next = p_.strings[p_.route_edges[n.literals.begin + k].label];
        if (!(prev < next)) fail({"route_nodes", i, "literals"}, "edge labels are not strictly ascending");
      }
      index_or_none(n.param_child, nodes, {"route_nodes", i, "param_child"}, "route_nodes");
      index_or_none(n.star_child, nodes, {"route_nodes", i, "star_child"}, "route_nodes");
      index_or_none(n.endpoint, p_.endpoints.size(), {"route_nodes", i, "endpoint"}, "endpoints");
      index_or_none(n.double_star, p_.endpoints.size(), {"route_nodes", i, "double_star"}, "endpoints");
    }
    // Acyclic: an iterative depth-first search over every node (no recursion
    // on input), colouring nodes white (0), on the stack (1) or done (2).
    std::vector<std::uint8_t> colour(nodes, 0);
    std::vector<std::pair<Id, std::uint32_t>> stack;  // (node, next child to visit)
    for (Id start = 0; start < nodes; ++start) {
      if (colour[start] != 0) continue;
      colour[start] = 1;
      stack.emplace_back(start, 0);
      while (!stack.empty()) {
        auto& [node, next] = stack.back();
        const RouteNode& n = p_.route_nodes[node];
        if (next == n.literals.count + 2) {
          colour[node] = 2;
          stack.pop_back();
          continue;
        }
        const Id child = child_at(n, next++);
        if (child == kNone || colour[child] == 2) continue;
        if (colour[child] == 1) {
          fail({"route_nodes", node, ""}, "routing graph has a cycle through node " + std::to_string(child));
        }
        colour[child] = 1;
        stack.emplace_back(child, 0);
      }
    }
    // A forest: every node is the root of one method or the child of one
    // node. The matcher backtracks over the children of a node, so a node
    // reachable along two ways would be walked once per way — exponentially
    // many for a crafted graph; in a tree each node is walked at most once.
    std::vector<std::uint8_t> parents(nodes, 0);
    auto adopt = [&](Id node, const Where& w) {
      if (node == kNone) return;
      if (parents[node]++) fail(w, "node " + std::to_string(node) + " is reached from two places");
    };
    for (std::size_t m = 0; m < kMethodCount; ++m) adopt(p_.route_roots[m], {"route_roots", m, ""});
    for (std::size_t i = 0; i < nodes; ++i) {
      const RouteNode& n = p_.route_nodes[i];
      for (std::uint32_t k = 0; k < n.literals.count; ++k) adopt(p_.route_edges[n.literals.begin + k].child, {"route_nodes", i, "literals"});
      adopt(n.param_child, {"route_nodes", i, "param_child"});
      adopt(n.star_child, {"route_nodes", i, "star_child"});
    }
  }

  void constants() {
    for (std::size_t i = 0; i < p_.constants.size(); ++i) {
      const ConstRow& c = p_.constants[i];
      enum_value(static_cast<unsigned>(c.type), static_cast<unsigned>(ValueType::Entity), {"constants", i, "type"});
      enum_value(static_cast<unsigned>(c.extra), static_cast<unsigned>(ConstRow::Extra::Hours), {"constants", i, "extra"});
      flag(c.ipv4, {"constants", i, "ipv4"});
      if (c.extra == ConstRow::Extra::Cidr && c.prefix > 128) {
        fail({"constants", i, "prefix"}, "prefix length " + std::to_string(c.prefix) + " exceeds 128");
      }
      if (c.extra == ConstRow::Extra::Hours && (c.start_minute >= kMinutesPerDay || c.end_minute > kMinutesPerDay)) {
        fail({"constants", i, "start_minute"}, "hours outside a day");
      }
      if (c.extra == ConstRow::Extra::Cidr && c.type != ValueType::Ip) fail({"constants", i, "type"}, "a cidr constant is not an ip");
      if (c.extra == ConstRow::Extra::Hours && c.type != ValueType::Time) {
        fail({"constants", i, "type"}, "an hours constant is not a time");
      }
      if (c.type == ValueType::Time && c.extra == ConstRow::Extra::None && (c.number < kMinTime || c.number > kMaxTime)) {
        fail({"constants", i, "number"}, "time " + std::to_string(c.number) + " is outside the years 0000 to 9999");
      }
      // The evaluator and the diff read the string of every constant that has
      // one, whatever its type.
      if (c.type == ValueType::String || c.type == ValueType::Entity) {
        string(c.string, {"constants", i, "string"});
      } else {
        string_or_none(c.string, {"constants", i, "string"});
      }
      if (c.type == ValueType::Enum && (c.number < 0 || static_cast<std::uint64_t>(c.number) >= max_enum_size_)) {
        fail({"constants", i, "number"}, "enum value index " + std::to_string(c.number) + " out of range of every enum");
      }
    }
  }

  void path_step(const PathStep& s, const Where& w) const {
    enum_value(static_cast<unsigned>(s.kind), static_cast<unsigned>(EntityKind::Context), w);
    switch (s.kind) {
      case EntityKind::Principal:
        index(s.type, p_.principals.size(), w, "principals");
        index(s.attribute, p_.principals[s.type].attributes.count, w, "the type's attributes");
        break;
      case EntityKind::Resource:
        index(s.type, p_.resources.size(), w, "resources");
        index(s.attribute, p_.resources[s.type].attributes.count, w, "the type's attributes");
        break;
      case EntityKind::Context:
        index(s.attribute, p_.context_attributes.count, w, "context attributes");
        break;
    }
  }

  void paths() {
    for (std::size_t i = 0; i < p_.path_steps.size(); ++i) path_step(p_.path_steps[i], {"path_steps", i, ""});
    for (std::size_t i = 0; i < p_.paths.size(); ++i) {
      const PathRow& r = p_.paths[i];
      enum_value(static_cast<unsigned>(r.root), static_cast<unsigned>(EntityKind::Context), {"paths", i, "root"});
      enum_value(static_cast<unsigned>(r.type), static_cast<unsigned>(ValueType::Entity), {"paths", i, "type"});
      range(r.first, p_.path_steps.size(), {"paths", i, "first"}, "path_steps");
      range(r.rest, p_.path_steps.size(), {"paths", i, "rest"}, "path_steps");
      string(r.text, {"paths", i, "text"});
      path_chain(r, i);
    }
  }

  const AttributeRow& step_attribute(const PathStep& s) const {
    switch (s.kind) {
      case EntityKind::Principal: return p_.attributes[p_.principals[s.type].attributes.begin + s.attribute];
      case EntityKind::Resource: return p_.attributes[p_.resources[s.type].attributes.begin + s.attribute];
      case EntityKind::Context: break;
    }
    return p_.attributes[p_.context_attributes.begin + s.attribute];
  }

  // The evaluator reads a first step's attribute in the table of the path's
  // root, and each following step's in the table of the entity the step
  // before refers to: the kinds (and types) must agree, or it indexes one
  // table with another's ids.
  void path_chain(const PathRow& r, std::size_t i) const {
    for (std::uint32_t k = 0; k < r.first.count; ++k) {
      if (p_.path_steps[r.first.begin + k].kind != r.root) {
        fail({"paths", i, "first", k}, "step is not on the path's root (" +
                                           std::to_string(static_cast<unsigned>(r.root)) + ")");
      }
    }
    Range before = r.first;
    for (std::uint32_t k = 0; k < r.rest.count; ++k) {
      const PathStep& next = p_.path_steps[r.rest.begin + k];
      const Where w{"paths", i, "rest", k};
      if (next.kind == EntityKind::Context) fail(w, "a reference never leads to the context");
      for (std::uint32_t j = 0; j < before.count; ++j) {
        const AttributeRow& a = step_attribute(p_.path_steps[before.begin + j]);
        if (a.type != ValueType::Entity || a.entity_kind != next.kind || a.type_arg != next.type) {
          fail(w, "step does not follow an attribute referring to its type");
        }
      }
      before = Range{r.rest.begin + k, 1};
    }
  }

  void predicates() {
    for (std::size_t i = 0; i < p_.predicates.size(); ++i) {
      const PredicateRow& r = p_.predicates[i];
      enum_value(static_cast<unsigned>(r.kind), static_cast<unsigned>(SubjectKind::Member), {"predicates", i, "kind"});
      const Where arg{"predicates", i, "arg"};
      if (r.kind == SubjectKind::Role) index(r.arg, p_.roles.size(), arg, "roles");
      if (r.kind == SubjectKind::Scope) index(r.arg, p_.scopes.size(), arg, "scopes");
      if (r.kind == SubjectKind::Grant) index_or_none(r.arg, p_.levels.size(), arg, "levels");
      // `member of PATH` always has its path (the evaluator reads it);
      // `role … in PATH` and `grant … in PATH` may have none.
      if (r.kind == SubjectKind::Member) {
        index(r.path, p_.paths.size(), {"predicates", i, "path"}, "paths");
      } else {
        index_or_none(r.path, p_.paths.size(), {"predicates", i, "path"}, "paths");
      }
    }
  }

  void message_parts() {
    for (std::size_t i = 0; i < p_.message_parts.size(); ++i) {
      const MessagePartRow& m = p_.message_parts[i];
      enum_value(static_cast<unsigned>(m.kind), static_cast<unsigned>(MessagePartRow::Kind::Tenant),
                 {"message_parts", i, "kind"});
      string(m.text, {"message_parts", i, "text"});
      if (m.kind == MessagePartRow::Kind::Path) {
        index(m.path, p_.paths.size(), {"message_parts", i, "path"}, "paths");
      } else {
        index_or_none(m.path, p_.paths.size(), {"message_parts", i, "path"}, "paths");
      }
    }
  }

  // Checks one condition program and returns its maximum stack depth. Jumps
  // only go forward, so one pass in order sees every predecessor of an
  // instruction before the instruction itself.
  std::uint32_t program(Range r, const Where& w) const {
    range(r, p_.code.size(), w, "code");
    if (r.count == 0) return 0;
    std::vector<std::int64_t>& depth = depth_;
    depth.assign(std::size_t{r.count} + 1, -1);
    auto arrive = [&](std::uint64_t pc, std::int64_t d) {
      if (depth[pc] >= 0 && depth[pc] != d) {
        fail({w.table, w.index, w.field, static_cast<std::size_t>(pc)},
             "reached with stack depths " + std::to_string(depth[pc]) + " and " + std::to_string(d));
      }
      depth[pc] = d;
    };
    auto need = [](const Where& at, std::int64_t have, std::int64_t n) {
      if (have < n) fail(at, "pops an empty stack");
    };
    depth[0] = 0;
    std::int64_t max_depth = 0;
    for (std::uint32_t pc = 0; pc < r.count; ++pc) {
      const Instr& in = p_.code[r.begin + pc];
      std::int64_t d = depth[pc];
      const Where at{w.table, w.index, w.field, pc};
      switch (in.op) {
        case Op::LoadPath:
          index(in.arg, p_.paths.size(), at, "paths");
          ++d;
          break;
        case Op::LoadConst:
          index(in.arg, p_.constants.size(), at, "constants");
          claim(constant_claims_, in.arg, 1, at);
          ++d;
          break;
        case Op::Compare:
          enum_value(in.a, static_cast<unsigned>(CompareOp::Ge), at);
          enum_value(in.b, static_cast<unsigned>(ValueType::Entity), at);
          need(at, d, 2);
          --d;
          break;
        case Op::InList:
          range(Range{in.arg, in.b}, p_.constants.size(), at, "constants");
          claim(constant_claims_, in.arg, in.b, at);
          need(at, d, 1);
          break;
        case Op::InCidr:
        case Op::InHours: {
          index(in.arg, p_.constants.size(), at, "constants");
          const auto want = in.op == Op::InCidr ? ConstRow::Extra::Cidr : ConstRow::Extra::Hours;
          if (p_.constants[in.arg].extra != want) fail(at, "refers to a constant of the wrong kind");
          claim(constant_claims_, in.arg, 1, at);
          need(at, d, 1);
          break;
        }
        case Op::Test:
        case Op::Not:
          need(at, d, 1);
          break;
        case Op::Predicate:
          index(in.arg, p_.predicates.size(), at, "predicates");
          ++d;
          break;
        case Op::JumpIfFalse:
        case Op::JumpIfTrue: {
          need(at, d, 1);
          const std::uint64_t target = std::uint64_t{pc} + 1 + in.arg;
          if (target > r.count) fail(at, "jumps outside its program");
          arrive(target, d);
          --d;
          break;
        }
        default:
          fail(at, "unknown opcode " + std::to_string(static_cast<unsigned>(in.op)));
      }
      max_depth = std::max(max_depth, d);
      arrive(pc + 1, d);
    }
    if (depth[r.count] != 1) fail(w, "program leaves " + std::to_string(depth[r.count]) + " values instead of 1");
    return static_cast<std::uint32_t>(max_depth);
  }

  void rules() {
    for (std::size_t i = 0; i < p_.rules.size(); ++i) {
      const RuleRow& r = p_.rules[i];
      string(r.name, {"rules", i, "name"});
      enum_value(static_cast<unsigned>(r.effect), static_cast<unsigned>(Effect::Deny), {"rules", i, "effect"});
      flag(r.monitor, {"rules", i, "monitor"});
      flag(r.cross_tenant, {"rules", i, "cross_tenant"});
      index(r.subject, p_.predicates.size(), {"rules", i, "subject"}, "predicates");
      const std::uint32_t depth =
          std::max(program(r.when, {"rules", i, "when"}), program(r.unless, {"rules", i, "unless"}));
      if (depth > r.stack_depth) {
        fail({"rules", i, "stack_depth"}, "is " + std::to_string(r.stack_depth) + " but the conditions need " +
                                              std::to_string(depth));
      }
      // A deny reports its code; the evaluator and the diff read it.
      if (r.effect == Effect::Deny) {
        string(r.code, {"rules", i, "code"});
      } else {
        string_or_none(r.code, {"rules", i, "code"});
      }
      range(r.message, p_.message_parts.size(), {"rules", i, "message"}, "message_parts");
      loc(r.loc, {"rules", i, "loc"});
    }
  }

  // Every slice of a pool belongs to one row: overlapping slices would let a
  // small artifact make a reader (or the checks below) walk the same
  // elements once per row. Only begin and count are compared here; whether a
  // slice lies inside its pool is checked with its row. (Constants are
  // claimed by instructions, collected while the code is checked.)
  void exclusive_slices() {
    std::vector<Claim> words, refs, ids, attrs, actions, lists, rule_ids, segments, edges, parts, code, steps;
    auto word_claim = [&](Bits b, const Where& w) { claim(words, b.offset, b.words, w); };
    for (std::size_t i = 0; i < p_.bit_refs.size(); ++i) word_claim(p_.bit_refs[i], {"bit_refs", i, ""});
    for (std::size_t i = 0; i < p_.scopes.size(); ++i) word_claim(p_.scopes[i].closure, {"scopes", i, "closure"});
    for (std::size_t i = 0; i < p_.roles.size(); ++i) {
      word_claim(p_.roles[i].holds, {"roles", i, "holds"});
      claim(ids, p_.roles[i].parents.begin, p_.roles[i].parents.count, {"roles", i, "parents"});
    }
    for (std::size_t i = 0; i < p_.enums.size(); ++i) claim(ids, p_.enums[i].values.begin, p_.enums[i].values.count, {"enums", i, "values"});
    for (std::size_t i = 0; i < p_.principals.size(); ++i) {
      const PrincipalTypeRow& t = p_.principals[i];
      word_claim(t.collections, {"principals", i, "collections"});
      claim(ids, t.member_of.begin, t.member_of.count, {"principals", i, "member_of"});
      claim(attrs, t.attributes.begin, t.attributes.count, {"principals", i, "attributes"});
    }
    claim(attrs, p_.context_attributes.begin, p_.context_attributes.count, {"program", Where::kNoIndex, "context_attributes"});
    for (std::size_t i = 0; i < p_.resources.size(); ++i) {
      const ResourceTypeRow& t = p_.resources[i];
      word_claim(t.grantees, {"resources", i, "grantees"});
      claim(attrs, t.attributes.begin, t.attributes.count, {"resources", i, "attributes"});
      claim(actions, t.actions.begin, t.actions.count, {"resources", i, "actions"});
      claim(refs, t.level_actions.begin, t.level_actions.count, {"resources", i, "level_actions"});
      claim(lists, t.rule_lists, t.actions.count, {"resources", i, "rule_lists"});
    }
    for (std::size_t i = 0; i < p_.rule_lists.size(); ++i) claim(rule_ids, p_.rule_lists[i].begin, p_.rule_lists[i].count, {"rule_lists", i, ""});
    for (std::size_t i = 0; i < p_.endpoints.size(); ++i) {
      const EndpointRow& e = p_.endpoints[i];
      word_claim(e.all_of, {"endpoints", i, "all_of"});
      claim(refs, e.any_of.begin, e.any_of.count, {"endpoints", i, "any_of"});
      claim(segments, e.segments.begin, e.segments.count, {"endpoints", i, "segments"});
    }
    for (std::size_t i = 0; i < p_.route_nodes.size(); ++i) {
      claim(edges, p_.route_nodes[i].literals.begin, p_.route_nodes[i].literals.count, {"route_nodes", i, "literals"});
    }
    for (std::size_t i = 0; i < p_.rules.size(); ++i) {
      const RuleRow& r = p_.rules[i];
      claim(parts, r.message.begin, r.message.count, {"rules", i, "message"});
      claim(code, r.when.begin, r.when.count, {"rules", i, "when"});
      claim(code, r.unless.begin, r.unless.count, {"rules", i, "unless"});
    }
    for (std::size_t i = 0; i < p_.paths.size(); ++i) {
      claim(steps, p_.paths[i].first.begin, p_.paths[i].first.count, {"paths", i, "first"});
      claim(steps, p_.paths[i].rest.begin, p_.paths[i].rest.count, {"paths", i, "rest"});
    }
    disjoint(words, "bit_words");
    disjoint(refs, "bit_refs");
    disjoint(ids, "ids");
    disjoint(attrs, "attributes");
    disjoint(actions, "action_names");
    disjoint(lists, "rule_lists");
    disjoint(rule_ids, "rule_ids");
    disjoint(segments, "segments");
    disjoint(edges, "route_edges");
    disjoint(parts, "message_parts");
    disjoint(code, "code");
    disjoint(steps, "path_steps");
  }

  // Names are unique where rows are looked up or matched by name: the
  // engine resolves fact and request names to ids, and the access diff
  // pairs the rows of two versions by name.
  void unique_names() const {
    std::unordered_map<std::string_view, Where> seen;
    auto once = [&](Id name, const Where& w) {
      const auto [it, fresh] = seen.emplace(p_.strings[name], w);
      // The name comes from the file: shown escaped and cut, like any input.
      if (!fresh) fail(w, "`" + printable(p_.strings[name], 64) + "` is also the name of " + it->second.str());
    };
    auto each = [&](const auto& rows, std::string_view table) {
      seen.clear();
      for (std::size_t i = 0; i < rows.size(); ++i) once(rows[i].name, {table, i, "name"});
    };
    each(p_.scopes, "scopes");
    each(p_.levels, "levels");
    each(p_.roles, "roles");
    each(p_.rules, "rules");
    seen.clear();  // principal and resource types share one namespace
    for (std::size_t i = 0; i < p_.principals.size(); ++i) once(p_.principals[i].name, {"principals", i, "name"});
    for (std::size_t i = 0; i < p_.resources.size(); ++i) once(p_.resources[i].name, {"resources", i, "name"});
    for (std::size_t i = 0; i < p_.resources.size(); ++i) {
      seen.clear();
      const Range actions = p_.resources[i].actions;
      for (std::uint32_t a = 0; a < actions.count; ++a) once(p_.action_names[actions.begin + a], {"resources", i, "actions", a});
    }
  }

  const Program& p_;
  std::size_t max_enum_size_ = 0;
  mutable std::vector<std::int64_t> depth_;  // scratch for program()
  mutable std::vector<Claim> constant_claims_; // filled by program()
};

}  // namespace

std::optional<std::string> validate(const Program& program) noexcept {
  try {
    Validator(program).run();
    return std::nullopt;
  } catch (const Invalid& e) {
    return e.message;
  } catch (...) {
    return std::string("table could not be validated (out of memory)");
  }
}

}  // namespace warden::table
