// A small, hand-built decision table that uses every table of the format —
// tenancy, scopes, levels, roles, enums, attributes of every kind, principal
// and resource types, endpoints with all-of / any-of requirements and id
// sources, routing tries for three methods, rules with conditions that use
// every opcode, predicates of every kind, constants of every type, and a
// message template — so that serialization, validation and the dump can be
// tested without the compiler.
#pragma once

#include <string>
#include <vector>

#include "table/program.hpp"

namespace warden::test {

using namespace warden::table;

class ProgramBuilder {
 public:
  Program p;

  Id str(const std::string& s) {
    for (Id i = 0; i < p.strings.size(); ++i) {
      if (p.strings[i] == s) return i;
    }
    p.strings.push_back(s);
    return static_cast<Id>(p.strings.size() - 1);
  }
  Bits bits(const std::vector<Id>& members, std::size_t universe) {
    Bits b{static_cast<std::uint32_t>(p.bit_words.size()), static_cast<std::uint32_t>((universe + 63) / 64)};
    p.bit_words.resize(p.bit_words.size() + b.words, 0);
    for (const Id m : members) p.bit_words[b.offset + m / 64] |= std::uint64_t{1} << (m % 64);
    return b;
  }
  Range ids(const std::vector<Id>& values) {
    Range r{static_cast<std::uint32_t>(p.ids.size()), static_cast<std::uint32_t>(values.size())};
    p.ids.insert(p.ids.end(), values.begin(), values.end());
    return r;
  }
  template <class T>
  static Range append(std::vector<T>& pool, const std::vector<T>& rows) {
    Range r{static_cast<std::uint32_t>(pool.size()), static_cast<std::uint32_t>(rows.size())};
    pool.insert(pool.end(), rows.begin(), rows.end());
    return r;
  }
  static Loc loc(Id file, std::uint32_t line, std::uint32_t column, std::uint32_t length) {
    return Loc{file, line, column, length};
  }
  AttributeRow attr(const std::string& name, ValueType type, Id arg = kNone, EntityKind kind = EntityKind::Principal,
                    bool builtin = false) {
    return AttributeRow{str(name), type, kind, static_cast<std::uint8_t>(builtin), arg};
  }
};

inline Program sample_program() {
  ProgramBuilder b;
  Program& p = b.p;
  p.files = {"rules.warden", "types.warden"};
  p.name = b.str("sample");
  p.mode = Mode::Monitor;

  // Tenancy: header, then the principal's tenant.
  const Range sources = ProgramBuilder::append(
      p.tenant_sources, {TenantSourceRow{TenantSourceRow::Kind::Header, b.str("X-Tenant-ID")}, TenantSourceRow{}});
  p.tenancy = TenancyRow{1, 1, sources, b.str("default"), b.loc(1, 1, 1, 7)};

  // Scopes: admin implies model:write implies model:read.
  p.scopes = {ScopeRow{b.str("model:read"), b.bits({0}, 3), b.loc(1, 3, 7, 10)},
              ScopeRow{b.str("model:write"), b.bits({0, 1}, 3), b.loc(1, 4, 7, 11)},
              ScopeRow{b.str("admin"), b.bits({0, 1, 2}, 3), b.loc(1, 5, 7, 5)}};
  p.levels = {LevelRow{b.str("read"), b.loc(1, 7, 8, 4)}, LevelRow{b.str("write"), b.loc(1, 7, 15, 5)}};
  p.roles = {RoleRow{b.str("viewer"), b.ids({}), b.bits({0}, 2), b.loc(1, 9, 6, 6)},
             RoleRow{b.str("admin"), b.ids({0}), b.bits({0, 1}, 2), b.loc(1, 10, 6, 5)}};

  // Enums: 0 = org status, 1 = model stage.
  p.enums = {EnumRow{b.ids({b.str("active"), b.str("suspended")})},
             EnumRow{b.ids({b.str("draft"), b.str("live"), b.str("archived")})}};

  // Attributes: org, user, model, then the context.
  const Range org_attrs = ProgramBuilder::append(
      p.attributes, {b.attr("id", ValueType::String, kNone, EntityKind::Principal, true),
                     b.attr("tenant", ValueType::String, kNone, EntityKind::Principal, true),
                     b.attr("status", ValueType::Enum, 0)});
  const Range user_attrs = ProgramBuilder::append(
      p.attributes, {b.attr("id", ValueType::String, kNone, EntityKind::Principal, true),
                     b.attr("tenant", ValueType::String, kNone, EntityKind::Principal, true),
                     b.attr("department", ValueType::String), b.attr("verified", ValueType::Bool)});
  const Range model_attrs = ProgramBuilder::append(
      p.attributes, {b.attr("id", ValueType::String, kNone, EntityKind::Principal, true),
                     b.attr("tenant", ValueType::String, kNone, EntityKind::Principal, true),
                     b.attr("org", ValueType::Entity, 0, EntityKind::Principal),
                     b.attr("stage", ValueType::Enum, 1), b.attr("size", ValueType::Int)});
  p.context_attributes = ProgramBuilder::append(
      p.attributes, {b.attr("time", ValueType::Time, kNone, EntityKind::Principal, true),
                     b.attr("client_ip", ValueType::Ip, kNone, EntityKind::Principal, true),
                     b.attr("request_id", ValueType::String, kNone, EntityKind::Principal, true)});

  p.principals = {PrincipalTypeRow{b.str("org"), org_attrs, b.bits({}, 2), b.ids({}), b.loc(1, 12, 11, 3)},
                  PrincipalTypeRow{b.str("user"), user_attrs, b.bits({0}, 2), b.ids({0}), b.loc(1, 13, 11, 4)}};

  // One resource type with three actions; read <= write.
  const Range actions = ProgramBuilder::append(p.action_names, {b.str("read"), b.str("update"), b.str("delete")});
  const Range level_actions = ProgramBuilder::append(p.bit_refs, {b.bits({0}, 3), b.bits({0, 1}, 3)});
  p.resources = {ResourceTypeRow{b.str("model"), model_attrs, actions, b.bits({0, 1}, 2), level_actions, 0,
                                 b.loc(1, 15, 10, 5)}};

  // Endpoints.
  const Range seg_get = ProgramBuilder::append(
      p.segments, {SegmentRow{SegmentRow::Kind::Literal, b.str("models")}, SegmentRow{SegmentRow::Kind::Param, b.str("id")}});
  const Range seg_delete = ProgramBuilder::append(
      p.segments, {SegmentRow{SegmentRow::Kind::Literal, b.str("models")}, SegmentRow{SegmentRow::Kind::Param, b.str("id")}});
  const Range seg_health = ProgramBuilder::append(p.segments, {SegmentRow{SegmentRow::Kind::Literal, b.str("health")}});
  const Range seg_files = ProgramBuilder::append(
      p.segments, {SegmentRow{SegmentRow::Kind::Literal, b.str("files")}, SegmentRow{SegmentRow::Kind::DoubleStar, kNone}});
  const Range any_of = ProgramBuilder::append(p.bit_refs, {b.bits({1, 2}, 3)});
  auto endpoint = [&](const char* pattern, std::uint8_t methods, Range segments) {
    EndpointRow e;
    e.pattern = b.str(pattern);
    e.methods = methods;
    e.segments = segments;
    e.all_of = b.bits({}, 3);
    return e;
  };
  EndpointRow get_model = endpoint("/models/{id}", 1u << 0, seg_get);
  get_model.all_of = b.bits({0}, 3);
  get_model.has_action = 1;
  get_model.resource_type = 0;
  get_model.action = 0;
  get_model.id_kind = EndpointRow::IdKind::PathParam;
  get_model.id_name = b.str("id");
  get_model.id_segment = 1;
  get_model.loc = b.loc(0, 1, 10, 14);
  EndpointRow delete_model = endpoint("/models/{id}", 1u << 5, seg_delete);
  delete_model.all_of = b.bits({1}, 3);
  delete_model.any_of = any_of;
  delete_model.has_action = 1;
  delete_model.resource_type = 0;
  delete_model.action = 2;
  delete_model.id_kind = EndpointRow::IdKind::Header;
  delete_model.id_name = b.str("X-Model");
  delete_model.loc = b.loc(0, 5, 10, 14);
  EndpointRow health = endpoint("/health", (1u << 0) | (1u << 1), seg_health);
  health.is_public = 1;
  health.loc = b.loc(0, 9, 10, 9);
  EndpointRow files = endpoint("/files/**", 1u << 0, seg_files);
  files.any_method = 0;
  files.all_of = b.bits({0}, 3);
  files.loc = b.loc(0, 12, 10, 11);
  p.endpoints = {get_model, delete_model, health, files};

  // Routing tries. GET: root 0 -> files(1) -> **; health(2); models(3) -> {id}(4).
  const Range get_edges = ProgramBuilder::append(
      p.route_edges, {RouteEdge{b.str("files"), 1}, RouteEdge{b.str("health"), 2}, RouteEdge{b.str("models"), 3}});
  const Range head_edges = ProgramBuilder::append(p.route_edges, {RouteEdge{b.str("health"), 6}});
  const Range delete_edges = ProgramBuilder::append(p.route_edges, {RouteEdge{b.str("models"), 8}});
  p.route_nodes = {
      RouteNode{get_edges, kNone, kNone, kNone, kNone},     // 0: GET root
      RouteNode{{}, kNone, kNone, kNone, 3},                // 1: /files/**
      RouteNode{{}, kNone, kNone, 2, kNone},                // 2: /health
      RouteNode{{}, 4, kNone, kNone, kNone},                // 3: /models
      RouteNode{{}, kNone, kNone, 0, kNone},                // 4: /models/{id}
      RouteNode{head_edges, kNone, kNone, kNone, kNone},    // 5: HEAD root
      RouteNode{{}, kNone, kNone, 2, kNone},                // 6: HEAD /health
      RouteNode{delete_edges, kNone, kNone, kNone, kNone},  // 7: DELETE root
      RouteNode{{}, 9, kNone, kNone, kNone},                // 8: DELETE /models
      RouteNode{{}, kNone, kNone, 1, kNone},                // 9: DELETE /models/{id}
  };
  p.route_roots = {0, 5, kNone, kNone, kNone, 7, kNone};

  // Paths.
  const Range org_step = ProgramBuilder::append(p.path_steps, {PathStep{EntityKind::Resource, 0, 2}});
  const Range org_step_too = ProgramBuilder::append(p.path_steps, {PathStep{EntityKind::Resource, 0, 2}});
  const Range status_step = ProgramBuilder::append(p.path_steps, {PathStep{EntityKind::Principal, 0, 2}});
  const Range stage_step = ProgramBuilder::append(p.path_steps, {PathStep{EntityKind::Resource, 0, 3}});
  const Range time_step = ProgramBuilder::append(p.path_steps, {PathStep{EntityKind::Context, kNone, 0}});
  const Range ip_step = ProgramBuilder::append(p.path_steps, {PathStep{EntityKind::Context, kNone, 1}});
  const Range dept_step = ProgramBuilder::append(p.path_steps, {PathStep{EntityKind::Principal, 1, 2}});
  const Range verified_step = ProgramBuilder::append(p.path_steps, {PathStep{EntityKind::Principal, 1, 3}});
  p.paths = {PathRow{EntityKind::Resource, ValueType::Enum, org_step, status_step, b.str("resource.org.status")},  // 0
             PathRow{EntityKind::Resource, ValueType::Entity, org_step_too, {}, b.str("resource.org")},        // 1
             PathRow{EntityKind::Resource, ValueType::Enum, stage_step, {}, b.str("resource.stage")},          // 2
             PathRow{EntityKind::Context, ValueType::Time, time_step, {}, b.str("context.time")},              // 3
             PathRow{EntityKind::Context, ValueType::Ip, ip_step, {}, b.str("context.client_ip")},             // 4
             PathRow{EntityKind::Principal, ValueType::String, dept_step, {}, b.str("principal.department")},  // 5
             PathRow{EntityKind::Principal, ValueType::Bool, verified_step, {}, b.str("principal.verified")}};  // 6

  // Constants of every type.
  auto constant = [](ValueType type, std::int64_t number) {
    ConstRow c;
    c.type = type;
    c.number = number;
    return c;
  };
  ConstRow hours = constant(ValueType::Time, 0);
  hours.extra = ConstRow::Extra::Hours;
  hours.start_minute = 8 * 60;
  hours.end_minute = 18 * 60;
  ConstRow cidr = constant(ValueType::Ip, 0);
  cidr.extra = ConstRow::Extra::Cidr;
  cidr.ipv4 = 1;
  cidr.prefix = 96 + 8;
  cidr.address = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 0};
  ConstRow ml = constant(ValueType::String, 0);
  ml.string = b.str("ml");
  ConstRow ip = constant(ValueType::Ip, 0);
  ip.ipv4 = 1;
  ip.address = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 168, 0, 1};
  p.constants = {constant(ValueType::Enum, 1),  // 0: suspended
                 constant(ValueType::Enum, 2),  // 1: archived
                 hours,                         // 2
                 cidr,                          // 3
                 ml,                            // 4
                 constant(ValueType::Int, 42),  // 5
                 constant(ValueType::Time, 1767225600),  // 6: 2026-01-01T00:00:00Z
                 constant(ValueType::Bool, 1),  // 7
                 ip};                           // 8

  p.predicates = {PredicateRow{SubjectKind::Anyone, kNone, kNone},  // 0
                  PredicateRow{SubjectKind::Role, 0, kNone},        // 1: role viewer
                  PredicateRow{SubjectKind::Role, 1, 1},            // 2: role admin in resource.org
                  PredicateRow{SubjectKind::Grant, 1, kNone},       // 3: grant >= write
                  PredicateRow{SubjectKind::Member, kNone, 1},      // 4: member of resource.org
                  PredicateRow{SubjectKind::Scope, 0, kNone}};      // 5: scope model:read

  auto code = [&](std::vector<Instr> instrs) { return ProgramBuilder::append(p.code, instrs); };
  using enum Op;
  // resource.org.status == suspended
  const Range suspended = code({{LoadPath, 0, 0, 0}, {LoadConst, 0, 0, 0},
                                {Compare, static_cast<std::uint8_t>(CompareOp::Eq), static_cast<std::uint16_t>(ValueType::Enum), 0}});
  // resource.stage in [archived] and not role admin in resource.org
  const Range archived = code({{LoadPath, 0, 0, 2}, {InList, 0, 1, 1}, {JumpIfFalse, 0, 0, 2}, {Predicate, 0, 0, 2}, {Not, 0, 0, 0}});
  // context.time in hours("08:00", "18:00") or context.client_ip in cidr("10.0.0.0/8")
  const Range office = code({{LoadPath, 0, 0, 3}, {InHours, 0, 0, 2}, {JumpIfTrue, 0, 0, 2}, {LoadPath, 0, 0, 4}, {InCidr, 0, 0, 3}});
  // principal.department == "ml" and context.time < "2026-01-01T00:00:00Z" and principal.verified
  const Range members = code({{LoadPath, 0, 0, 5}, {LoadConst, 0, 0, 4},
                              {Compare, static_cast<std::uint8_t>(CompareOp::Eq), static_cast<std::uint16_t>(ValueType::String), 0},
                              {JumpIfFalse, 0, 0, 6}, {LoadPath, 0, 0, 3}, {LoadConst, 0, 0, 6},
                              {Compare, static_cast<std::uint8_t>(CompareOp::Lt), static_cast<std::uint16_t>(ValueType::Time), 0},
                              {JumpIfFalse, 0, 0, 2}, {LoadPath, 0, 0, 6}, {Test, 0, 0, 0}});

  const Range message = ProgramBuilder::append(
      p.message_parts, {MessagePartRow{MessagePartRow::Kind::Literal, b.str("organization "), kNone},
                        MessagePartRow{MessagePartRow::Kind::Path, b.str("{resource.org}"), 1},
                        MessagePartRow{MessagePartRow::Kind::Literal, b.str(" is suspended for "), kNone},
                        MessagePartRow{MessagePartRow::Kind::Action, b.str("{action}"), kNone}});

  p.rules = {RuleRow{b.str("suspended"), Effect::Deny, 0, 0, 0, suspended, {}, 2, b.str("ORG_SUSPENDED"), message, b.loc(0, 20, 6, 9)},
             RuleRow{b.str("viewers"), Effect::Allow, 0, 0, 1, {}, archived, 1, kNone, {}, b.loc(0, 22, 7, 7)},
             RuleRow{b.str("office_hours"), Effect::Allow, 1, 1, 3, office, {}, 1, kNone, {}, b.loc(0, 24, 7, 12)},
             RuleRow{b.str("members"), Effect::Allow, 0, 0, 4, members, {}, 2, kNone, {}, b.loc(0, 27, 7, 7)},
             RuleRow{b.str("scoped"), Effect::Allow, 0, 0, 5, {}, {}, 0, kNone, {}, b.loc(0, 30, 7, 6)}};

  // model.read: members, viewers, scoped; model.update: suspended, viewers,
  // office_hours; model.delete: suspended, office_hours.
  const Range read_rules = ProgramBuilder::append(p.rule_ids, {1, 3, 4});
  const Range update_rules = ProgramBuilder::append(p.rule_ids, {0, 1, 2});
  const Range delete_rules = ProgramBuilder::append(p.rule_ids, {0, 2});
  p.rule_lists = {read_rules, update_rules, delete_rules};
  return p;
}

}  // namespace warden::test
