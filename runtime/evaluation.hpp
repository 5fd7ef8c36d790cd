// One decision in progress: the state the evaluator keeps while it answers a
// request against one (policy, facts) pair.
//
// Internal to runtime/. An Evaluation lives on the stack of decide(); it never
// allocates unless a Trace is attached (all scratch is fixed-size), never
// throws, and treats anything it cannot evaluate as an error that denies.
// The work is split by concern: routing (router.cpp), attribute values and
// conditions (conditions.cpp), subject predicates and grants (predicates.cpp),
// rule resolution and the decision summary (evaluator.cpp), and the HTTP
// side — path normalization, callers, bindings, endpoint denies
// (http_endpoint.cpp, with http_state.hpp).
#pragma once

#include <array>
#include <boost/container/static_vector.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/fact_store.hpp"
#include "runtime/http_state.hpp"
#include "runtime/policy_index.hpp"
#include "warden/decision.hpp"
#include "warden/engine.hpp"
#include "warden/request.hpp"

namespace warden::runtime {

// The (policy, facts) pair a decision is made with.
struct Snapshot {
  std::shared_ptr<const PolicyIndex> policy;
  std::shared_ptr<const FactStore> facts;
};

// A typed value on the condition stack.
struct Value {
  table::ValueType type = table::ValueType::Bool;
  std::int64_t number = 0;  // Int, Bool (0/1), Enum (index), Time (Unix seconds)
  std::string_view text;    // String, Entity (id)
  std::array<std::uint8_t, 16> address{};  // Ip
};

enum class Tri : std::uint8_t { False, True, Error };

// The grants that reach the principal on one target, resolved once.
struct GrantResolution {
  bool resolved = false;
  const GrantRecord* best = nullptr;  // the highest active grant of the most specific tier
  table::Id level = table::kNone;
  int tier = 0;  // 0: on the resource itself, 1: type-wide ("*")
};

// Where an allow came from, filled while evaluating a subject.
struct SourceNote {
  SourceKind kind = SourceKind::None;
  FixedString<160> detail;
  FixedString<64> grant_id;
};

class Evaluation {
 public:
  Evaluation(const Snapshot& s, const Request& r, Decision& d, Trace* trace) noexcept;

  // Decide the request into the Decision. authorized_resources() runs one
  // Evaluation per candidate resource, so list filtering and single
  // decisions are the same code.
  void run() noexcept;

 private:
  // --- evaluator.cpp
  void run_action(std::string_view type, std::string_view action, std::string_view id);
  bool resolve_principal();
  void resolve_request_tenant();
  void decide_action(table::Id type, table::Id action, std::string_view resource_id);
  void prepare_resource(table::Id type, table::Id action, std::string_view resource_id);
  bool check_scopes(const table::EndpointRow& e);
  Tri eval_rule(const table::RuleRow& rule, SourceNote& note);
  void finish(Outcome outcome, std::string_view code);
  void deny(std::string_view code);
  void add_rule(const table::RuleRow& rule, bool monitor);
  void add_endpoint(const table::EndpointRow& e);
  void render_message(const table::RuleRow& rule);
  void describe_required(table::Id type, table::Id action);
  void describe_present();
  template <typename... Parts>
  void tracef(TraceEvent::Kind kind, const Parts&... parts);

  // --- router.cpp
  table::Id route(std::string_view method, const NormalizedPath& path);

  // --- http_endpoint.cpp
  void decide_http();
  bool check_callers(const table::EndpointRow& e);
  bool bind_request(const table::EndpointRow& e, std::string_view& id);
  bool run_endpoint_denies(const table::EndpointRow& e);
  void deny_by_rule(const table::RuleRow& rule, Tri result);
 public:
  // What the request carries for its own principal or resource (bound by the
  // endpoint first, then the request's attributes) or its context; nullptr
  // when it carries nothing by that name.
  const AttributeValue* carried(table::EntityKind kind, std::string_view name) const;
  // The client address (client_address.hpp), resolved on first use.
  const ClientAddress& client_address();
 private:

  // --- conditions.cpp
  Tri run_code(table::Range code, std::uint16_t depth, SourceNote& note);
  bool load_path(table::Id path, Value& out, const table::AttributeRow** final_attribute = nullptr);
  bool load_const(table::Id id, Value& out) const;
  bool compare(table::CompareOp op, table::ValueType type, const Value& a, const Value& b) const;

  // --- predicates.cpp
  Tri eval_predicate(table::Id predicate, SourceNote& note);
  Tri role_held(table::Id role, const EntityKeyView* within, SourceNote& note);
  Tri scope_held(table::Id scope, SourceNote& note);
  Tri grant_held(const table::PredicateRow& p, SourceNote& note);
  Tri member_of(EntityKeyView collection, SourceNote& note);
  void resolve_grants(EntityKeyView target, GrantResolution& res);
  bool entity_at(table::Id path, EntityKeyView& out);
  void collect_collections();

 public:
  // Resolved request state (read by the helpers in several files).
  const Snapshot& snap;
  const table::Program& p;
  const PolicyIndex& ix;
  const FactStore& facts;
  const Request& req;
  Decision& d;
  Trace* trace_;

  std::string_view principal_type;
  std::string_view principal_id;
  table::Id principal_type_id = table::kNone;
  const EntityRecord* principal_record = nullptr;
  const KeyRecord* key = nullptr;

  std::string_view tenant;            // the request's tenant
  std::string_view principal_tenant;  // empty when unknown

  table::Id resource_type = table::kNone;
  table::Id action = table::kNone;
  std::string_view resource_id;
  const EntityRecord* resource_record = nullptr;
  std::string_view resource_tenant;

  std::int64_t now = 0;  // the request's time, else the clock's when the decision started

  static constexpr std::size_t kMaxSegments = 32;
  std::array<std::string_view, kMaxSegments> segments{};
  std::size_t segment_count = 0;
  table::Id endpoint = table::kNone;

  static constexpr std::size_t kMaxCollections = 64;
  boost::container::static_vector<EntityKeyView, kMaxCollections> collections;
  bool collections_ready = false;
  bool collections_overflow = false;

  GrantResolution resource_grants;

  HttpState http;

  // Why a default deny happened, for its code.
  bool saw_expired_grant = false;
  bool saw_revoked_grant = false;
  FixedString<64> expired_grant_id;
  bool saw_eval_error = false;
  FixedString<192> eval_error;
};

// Every file of the evaluator traces through this (a template, so here).
template <typename... Parts>
void Evaluation::tracef(TraceEvent::Kind kind, const Parts&... parts) {
  if (!trace_) return;  // the one predicted branch the summary path pays
  std::string line;
  (line.append(std::string_view(parts)), ...);
  trace_->events.push_back({kind, std::move(line)});
}

}  // namespace warden::runtime
