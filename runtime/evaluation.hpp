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
// (http_endpoint.cpp, with http_state.hpp). Every question to the facts goes
// through FactView (fact_view.hpp).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/binding.hpp"
#include "runtime/fact_store.hpp"
#include "runtime/fact_view.hpp"
#include "runtime/http_state.hpp"
#include "runtime/policy_index.hpp"
#include "warden/decision.hpp"
#include "warden/engine.hpp"
#include "warden/request.hpp"

namespace warden::runtime {

// "`text`": how explanations quote a name.
template <std::size_t N>
void append_quoted(FixedString<N>& s, std::string_view text) {
  s.append("`");
  s.append(text);
  s.append("`");
}

// The (policy, facts) pair a decision is made with, and the policy's names
// resolved against those facts.
struct Snapshot {
  std::shared_ptr<const PolicyIndex> policy;
  std::shared_ptr<const FactStore> facts;
  std::shared_ptr<const Binding> binding;  // null without a policy
};

// A typed value on the condition stack (run_code keeps it in storage that is
// never initialized as a whole: every push writes a whole value).
struct Value {
  table::ValueType type;
  std::int64_t number;  // Int, Bool (0/1), Enum (index), Time (Unix seconds)
  Ident str;            // String, Entity (id)
  std::array<std::uint8_t, 16> address;  // Ip

  static Value of(table::ValueType t) {
    Value v;
    v.type = t;
    v.number = 0;
    v.str = Ident{};
    v.address = {};
    return v;
  }
};

enum class Tri : std::uint8_t { False, True, Error };

// The grants that reach the principal on one target, resolved once.
struct GrantResolution {
  bool resolved = false;
  const GrantEntry* best = nullptr;  // the highest active grant of the most specific tier
  table::Id level = table::kNone;
  int tier = 0;  // 0: on the target itself, 1: type-wide ("*")
};

// Where an allow came from, noted as ids while a subject is evaluated; the
// text is written only for the rule that decides (write_source()).
struct SourceNote {
  SourceKind kind = SourceKind::None;
  table::Id held = table::kNone;    // Role: the role assigned; Scope: the scope the key holds
  table::Id wanted = table::kNone;  // Role, Scope: the one asked for
  EntityId entity = kNoId;          // Role: the entity it is held in (kNoId: globally); Grant: the holder
  const GrantEntry* grant = nullptr;
  table::Id level = table::kNone;   // Grant: the level it gives
  bool type_wide = false;           // Grant: on every resource of the type
  EntityRef collection;             // Membership: the collection
  Ident collection_id;              // Membership: its id, as the path read it
  const table::RuleRow* rule = nullptr;  // Condition: the rule
};

class Evaluation {
 public:
  Evaluation(const Snapshot& s, const Request& r, Decision& d, Trace* trace) noexcept;

  // Decide the request into the Decision.
  void run() noexcept;

  // List filtering (list_filter.cpp): the principal once, then one
  // resource at a time, each decided as run() would decide it (outcome and
  // code; the explanation's text is left out).
  bool begin_listing() noexcept;  // false: the principal's own checks decided (a deny for every resource)
  void decide_listed(table::Id type, table::Id action, EntityRef resource) noexcept;

 private:
  // --- evaluator.cpp
  void begin();
  bool resolve_principal();
  void resolve_request_tenant();
  Ident default_tenant() const;
  void run_action(table::Id type, const Ident& id, EntityRef target);
  // An action on a resource: prepare_resource() (the resource's tenant), then
  // decide_rules() (the candidate rules of the action).
  void decide_action(table::Id type, table::Id action, const Ident& resource_id, EntityRef resource);
  void prepare_resource(table::Id type, table::Id action, const Ident& resource_id, EntityRef resource);
  void decide_rules(table::Id type, table::Id action, const Ident& resource_id);
  bool check_scopes(const table::EndpointRow& e);
  Tri eval_rule(const table::RuleRow& rule, SourceNote& note);
  void finish(Outcome outcome, std::string_view code);
  void deny(std::string_view code);
  RuleRef* next_rule();
  void add_rule(const table::RuleRow& rule, bool monitor);
  void add_endpoint(const table::EndpointRow& e);
  void render_message(const table::RuleRow& rule);
  template <std::size_t N>
  void write_source(const SourceNote& note, FixedString<N>& detail, FixedString<64>* grant_id);
  void explain_default_deny(table::Id type, table::Id action, std::string_view type_name, const Ident& id,
                            bool tenant_ok);
  bool tenant_matches();
  template <typename... Parts>
  void tracef(TraceEvent::Kind kind, const Parts&... parts);

  // --- router.cpp
  table::Id route(std::string_view method, const NormalizedPath& path);

  // --- http_endpoint.cpp
  void decide_http();
  bool check_callers(const table::EndpointRow& e);
  bool bind_request(const table::EndpointRow& e, std::string_view& id);
  bool run_endpoint_denies(const table::EndpointRow& e);
  void deny_by_rule(const table::RuleRow& rule, Tri result, const SourceNote& note);

  // --- subject_trace.cpp (only with a Trace attached)
  void trace_scope(table::Id wanted, Tri result, const SourceNote& note);
  void trace_role(table::Id wanted, const EntityRef* within, Tri result, const SourceNote& note);
  void trace_grants(EntityRef target, NameId target_type, const GrantResolution& res);
  void trace_grant_level(const table::PredicateRow& pred, const GrantResolution& res, bool permits);
  void trace_member(EntityRef collection, const Ident& id, Tri result);
  void membership_chain(std::string& out, EntityId collection) const;
  void entity_text(std::string& out, EntityId e) const;

  // --- deny_explanation.cpp
  void describe_required(table::Id type, table::Id action);
  void describe_present(bool with_grants);
  void describe_grants(std::size_t& shown, table::Id needed);
  table::Id lowest_level_for(table::Id type, table::Id action) const;
  table::Id level_needed(table::Id type, table::Id action, bool& asks_for_grant) const;
  template <std::size_t N>
  void append_entity(FixedString<N>& out, EntityId e);
  template <std::size_t N>
  void append_path_entity(FixedString<N>& out, table::Id path);
  template <std::size_t N>
  void append_implying(FixedString<N>& out, table::Id scope);

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
  bool principal_builtin(table::Id path, Value& out, const table::AttributeRow** final_attribute);
  bool load_const(table::Id id, Value& out) const;
  bool compare(table::CompareOp op, table::ValueType type, const Value& a, const Value& b) const;

  // --- predicates.cpp
  Tri eval_predicate(table::Id predicate, SourceNote& note);
  Tri role_held(table::Id role, const EntityRef* within, SourceNote& note);
  Tri scope_held(table::Id scope, SourceNote& note);
  Tri grant_held(const table::PredicateRow& p, SourceNote& note);
  Tri member_of(EntityRef collection, const Ident& id, SourceNote& note);
  void resolve_grants(EntityRef target, NameId target_type, GrantResolution& res);
  bool entity_at(table::Id path, EntityRef& out, Ident& id, NameId& type);
  Tri path_missing(table::Id path);

 public:
  // Resolved request state (read by the helpers in several files).
  const Snapshot& snap;
  const table::Program& p;
  const PolicyIndex& ix;
  const FactView facts;
  const Request& req;
  Decision& d;
  Trace* trace_;

  std::string_view principal_type;  // its name
  Ident principal_id;
  table::Id principal_type_id = table::kNone;
  EntityRef principal;
  const KeyRecord* key = nullptr;

  Ident tenant;            // the request's tenant
  Ident principal_tenant;  // none for an anonymous request

  table::Id resource_type = table::kNone;
  table::Id action = table::kNone;
  Ident resource_id;
  EntityRef resource;
  Ident resource_tenant;

  std::int64_t now = 0;  // the request's time, else the clock's when the decision started

  // The request path's segments, filled by route() (storage only until then:
  // nothing is paid for them on requests without a path).
  static constexpr std::size_t kMaxSegments = 32;
  alignas(std::string_view) std::byte segment_storage[kMaxSegments * sizeof(std::string_view)];
  std::string_view* segments() { return reinterpret_cast<std::string_view*>(segment_storage); }
  std::size_t segment_count = 0;
  table::Id endpoint = table::kNone;

  GrantResolution resource_grants;

  HttpState http;

  // Listing (list_filter.cpp): decisions whose outcome alone is read, so
  // their explanation text is not written.
  bool listing_ = false;

  // Why a default deny happened, for its code.
  bool saw_expired_grant = false;
  bool saw_revoked_grant = false;
  GrantId noted_expired = kNoId;  // the last expired grant seen
  GrantId noted_revoked = kNoId;  // the last revoked grant seen
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

// "organization `acme`": an entity of the facts as explanations name it.
template <std::size_t N>
void Evaluation::append_entity(FixedString<N>& out, EntityId e) {
  const EntityRecord& r = facts.store().entity(e);
  out.append(facts.type_name(r));
  out.append(" `");
  out.append(FactView::id_text(r));
  out.append("`");
}

// The scopes that would satisfy a required scope other than itself, those
// that imply it: " (or `mlflow:write`, `admin`, which imply it)".
template <std::size_t N>
void Evaluation::append_implying(FixedString<N>& out, table::Id scope) {
  std::size_t n = 0;
  for (table::Id s = 0; s < p.scopes.size(); ++s) {
    if (s == scope || !table::test_bit(p, p.scopes[s].closure, scope)) continue;
    out.append(n++ ? "`, `" : " (or `");
    out.append(p.strings[p.scopes[s].name]);
  }
  if (n) out.append(n == 1 ? "`, which implies it)" : "`, which imply it)");
}

}  // namespace warden::runtime
