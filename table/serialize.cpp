// Encoding of table::Program for the artifact payload (see serialize.hpp).
//
// One serialize() per row lists its fields in declaration order; Program's
// fields are listed once in program_fields(), shared by writing and reading.
// Containers are a u32 element count followed by the elements; strings a u32
// byte count followed by the bytes. A count larger than the remaining bytes
// could hold is refused before anything is allocated, so a damaged length can
// never ask for gigabytes.
#include "table/serialize.hpp"

#include <cereal/types/common.hpp>
#include <limits>
#include <new>

#include "table/byte_archive.hpp"

namespace warden::table {

// A tripwire (not a proof): adding a field to a row usually changes its size.
// Then update the row's serialize() below, bump kFormatVersion, and update
// these sizes.
static_assert(sizeof(TenantSourceRow) == 8 && sizeof(TenancyRow) == 32 && sizeof(ScopeRow) == 28 &&
                  sizeof(LevelRow) == 20 && sizeof(RoleRow) == 36 && sizeof(AttributeRow) == 12 &&
                  sizeof(EnumRow) == 8 && sizeof(PrincipalTypeRow) == 44 && sizeof(ResourceTypeRow) == 56 &&
                  sizeof(SegmentRow) == 8 && sizeof(EndpointRow) == 100 && sizeof(RouteNode) == 24 &&
                  sizeof(RouteEdge) == 8 && sizeof(ConstRow) == 40 && sizeof(PathStep) == 12 &&
                  sizeof(PathRow) == 28 && sizeof(Instr) == 8 && sizeof(PredicateRow) == 12 &&
                  sizeof(MessagePartRow) == 12 && sizeof(RuleRow) == 60 && sizeof(HttpRow) == 36 &&
                  sizeof(ValuePartRow) == 12 && sizeof(BindingRow) == 12,
              "a table row changed: update table/serialize.cpp and bump kFormatVersion");
#if defined(__GLIBCXX__) && defined(__x86_64__)  // the size of Program depends on the standard library
static_assert(sizeof(Program) == 840, "Program changed: update program_fields() below and bump kFormatVersion");
#endif

template <class Ar> void serialize(Ar& ar, Range& r) { ar(r.begin, r.count); }
template <class Ar> void serialize(Ar& ar, Bits& b) { ar(b.offset, b.words); }
template <class Ar> void serialize(Ar& ar, Loc& l) { ar(l.file, l.line, l.column, l.length); }
template <class Ar> void serialize(Ar& ar, TenantSourceRow& r) { ar(r.kind, r.header); }
template <class Ar> void serialize(Ar& ar, TenancyRow& r) { ar(r.declared, r.isolation, r.sources, r.default_tenant, r.loc); }
template <class Ar> void serialize(Ar& ar, ScopeRow& r) { ar(r.name, r.closure, r.loc); }
template <class Ar> void serialize(Ar& ar, LevelRow& r) { ar(r.name, r.loc); }
template <class Ar> void serialize(Ar& ar, RoleRow& r) { ar(r.name, r.parents, r.holds, r.loc); }
template <class Ar> void serialize(Ar& ar, AttributeRow& r) { ar(r.name, r.type, r.entity_kind, r.builtin, r.type_arg); }
template <class Ar> void serialize(Ar& ar, EnumRow& r) { ar(r.values); }
template <class Ar> void serialize(Ar& ar, PrincipalTypeRow& r) { ar(r.name, r.attributes, r.collections, r.member_of, r.loc); }
template <class Ar>
void serialize(Ar& ar, ResourceTypeRow& r) {
  ar(r.name, r.attributes, r.actions, r.grantees, r.level_actions, r.rule_lists, r.loc);
}
template <class Ar> void serialize(Ar& ar, SegmentRow& r) { ar(r.kind, r.text); }
template <class Ar>
void serialize(Ar& ar, EndpointRow& r) {
  ar(r.pattern, r.methods, r.any_method, r.is_public, r.has_action, r.segments, r.all_of, r.any_of);
  ar(r.resource_type, r.action, r.id_kind, r.id_name, r.id_segment, r.loc);
  ar(r.callers, r.id_parts, r.bindings, r.denies, r.group);
}
template <class Ar>
void serialize(Ar& ar, HttpRow& r) {
  ar(r.declared, r.dot_segments, r.empty_segments, r.encoded_slash, r.trailing_slash, r.semicolons, r.client_ip);
  ar(r.callers, r.client_ip_header, r.trusted_proxies, r.loc);
}
template <class Ar> void serialize(Ar& ar, ValuePartRow& r) { ar(r.kind, r.text, r.segment); }
template <class Ar> void serialize(Ar& ar, BindingRow& r) { ar(r.attribute, r.parts); }
template <class Ar> void serialize(Ar& ar, RouteNode& r) { ar(r.literals, r.param_child, r.star_child, r.endpoint, r.double_star); }
template <class Ar> void serialize(Ar& ar, RouteEdge& r) { ar(r.label, r.child); }
template <class Ar>
void serialize(Ar& ar, ConstRow& r) {
  ar(r.type, r.extra, r.ipv4, r.prefix, r.start_minute, r.end_minute, r.number, r.string);
  for (auto& byte : r.address) ar(byte);
}
template <class Ar> void serialize(Ar& ar, PathStep& r) { ar(r.kind, r.type, r.attribute); }
template <class Ar> void serialize(Ar& ar, PathRow& r) { ar(r.root, r.type, r.first, r.rest, r.text, r.carried); }
template <class Ar> void serialize(Ar& ar, Instr& r) { ar(r.op, r.a, r.b, r.arg); }
template <class Ar> void serialize(Ar& ar, PredicateRow& r) { ar(r.kind, r.arg, r.path); }
template <class Ar> void serialize(Ar& ar, MessagePartRow& r) { ar(r.kind, r.text, r.path); }
template <class Ar>
void serialize(Ar& ar, RuleRow& r) {
  ar(r.name, r.effect, r.monitor, r.cross_tenant, r.subject, r.when, r.unless, r.stack_depth, r.code, r.message, r.loc);
}

namespace {

using detail::ByteReader;
using detail::ByteWriter;

// Scalars, enums and rows go straight to cereal.
template <class T>
void io(ByteWriter& ar, const T& value) {
  ar(value);
}
template <class T>
void io(ByteReader& ar, T& value) {
  ar(value);
}

std::uint32_t count_of(std::size_t n) {
  if (n > std::numeric_limits<std::uint32_t>::max()) throw cereal::Exception("table too large to encode");
  return static_cast<std::uint32_t>(n);
}

std::size_t read_count(ByteReader& ar) {
  std::uint32_t n = 0;
  ar.read_scalar(n);
  if (n > ar.remaining()) throw cereal::Exception("a length runs past the end of the payload");
  return n;
}

void io(ByteWriter& ar, const std::string& s) {
  ar.write_scalar(count_of(s.size()));
  ar.write_bytes(s.data(), s.size());
}
void io(ByteReader& ar, std::string& s) {
  s.resize(read_count(ar));
  ar.read_bytes(s.data(), s.size());
}

template <class T, std::size_t N>
void io(ByteWriter& ar, const std::array<T, N>& a) {
  for (const auto& v : a) io(ar, v);
}
template <class T, std::size_t N>
void io(ByteReader& ar, std::array<T, N>& a) {
  for (auto& v : a) io(ar, v);
}

template <class T>
void io(ByteWriter& ar, const std::vector<T>& v) {
  ar.write_scalar(count_of(v.size()));
  for (const auto& e : v) io(ar, e);
}
// The fewest bytes one element of a vector<T> takes in the payload: rows and
// integers have a fixed encoding, a string at least its length prefix.
template <class T>
std::size_t min_encoded_size() {
  if constexpr (std::is_same_v<T, std::string>) {
    return 4;
  } else {
    static const std::size_t size = [] {
      std::string out;
      ByteWriter ar(out);
      io(ar, T{});
      return out.size();
    }();
    return size;
  }
}

template <class T>
void io(ByteReader& ar, std::vector<T>& v) {
  // A count the remaining bytes cannot hold is refused before allocating, so
  // a damaged count costs at most a small multiple of the payload size.
  const std::size_t n = read_count(ar);
  if (n > ar.remaining() / min_encoded_size<T>()) throw cereal::Exception("a length runs past the end of the payload");
  v.resize(n);
  for (auto& e : v) io(ar, e);
}

// Every field of Program, in declaration order. P is Program or const Program.
template <class Ar, class P>
void program_fields(Ar& ar, P& p) {
  io(ar, p.name);
  io(ar, p.mode);
  io(ar, p.tenancy);
  io(ar, p.files);
  io(ar, p.strings);
  io(ar, p.bit_words);
  io(ar, p.bit_refs);
  io(ar, p.ids);
  io(ar, p.tenant_sources);
  io(ar, p.scopes);
  io(ar, p.levels);
  io(ar, p.roles);
  io(ar, p.enums);
  io(ar, p.attributes);
  io(ar, p.principals);
  io(ar, p.resources);
  io(ar, p.context_attributes);
  io(ar, p.action_names);
  io(ar, p.http);
  io(ar, p.endpoints);
  io(ar, p.segments);
  io(ar, p.route_nodes);
  io(ar, p.route_edges);
  io(ar, p.route_roots);
  io(ar, p.value_parts);
  io(ar, p.bindings);
  io(ar, p.endpoint_rules);
  io(ar, p.rules);
  io(ar, p.rule_lists);
  io(ar, p.rule_ids);
  io(ar, p.code);
  io(ar, p.constants);
  io(ar, p.paths);
  io(ar, p.path_steps);
  io(ar, p.predicates);
  io(ar, p.message_parts);
}

}  // namespace

std::string serialize_program(const Program& program) {
  std::string out;
  {
    ByteWriter ar(out);
    program_fields(ar, program);
  }
  return out;
}

std::optional<Program> deserialize_program(std::span<const char> payload, std::string& error) noexcept {
  try {
    Program program;
    ByteReader ar(payload.data(), payload.size());
    program_fields(ar, program);
    if (ar.remaining() != 0) {
      error = std::to_string(ar.remaining()) + " unread bytes after the table";
      return std::nullopt;
    }
    return program;
  } catch (const cereal::Exception& e) {
    error = e.what();
  } catch (const std::bad_alloc&) {
    error = "out of memory while decoding the table";
  } catch (const std::exception& e) {
    error = e.what();
  } catch (...) {
    error = "unexpected failure while decoding the table";
  }
  return std::nullopt;
}

}  // namespace warden::table
