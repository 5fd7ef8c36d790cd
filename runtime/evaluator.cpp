// Rule resolution and the decision summary.
//
// Order of a decision: the principal (and its API key), the request's
// tenant, then for HTTP requests the endpoint (http_endpoint.cpp: the path,
// routing, public, callers, scopes, bindings, endpoint denies) and finally
// the action on the resource: the candidate rules of (type, action), denies
// first, each in source order. Deny overrides allow, default deny,
// evaluation errors deny, monitor turns a deny into "would deny".
#include <chrono>

#include "runtime/evaluation.hpp"
#include "support/ascii.hpp"
#include "support/literals.hpp"

namespace warden::runtime {
namespace {

std::string_view find_kv(std::span<const KeyValue> kvs, std::string_view name, bool case_insensitive) {
  for (const auto& kv : kvs) {
    // Header names usually come as the policy writes them: exact bytes first.
    if (same_text(kv.name, name) || (case_insensitive && iequals(kv.name, name))) return kv.value;
  }
  return {};
}

}  // namespace

Evaluation::Evaluation(const Snapshot& s, const Request& r, Decision& out, Trace* t) noexcept
    : snap(s), p(*s.policy->program), ix(*s.policy), facts(*s.facts, *s.binding), req(r), d(out), trace_(t) {}

void Evaluation::finish(Outcome outcome, std::string_view code) {
  d.outcome = outcome;
  d.code.assign(code);
}

void Evaluation::deny(std::string_view code) {
  // The source of a deny is what denied: nothing, unless a deny rule's
  // subject says otherwise (deny_by_rule() writes it after this). What let
  // the request through an earlier step (the key's scope) is not it.
  d.source = SourceKind::None;
  d.source_detail.clear();
  d.grant_id.clear();
  // A policy in monitor mode never denies: it reports what it would deny.
  finish(p.mode == table::Mode::Monitor ? Outcome::WouldDeny : Outcome::Deny, code);
  tracef(TraceEvent::Kind::Step, d.outcome == Outcome::Deny ? "deny: " : "would deny: ", code);
}

// A rule reference written in place in the decision (as Decision::add_rule
// would, without building one to copy in); null when the decision is full.
RuleRef* Evaluation::next_rule() {
  if (d.rule_count == Decision::kMaxRules) return nullptr;
  RuleRef& r = d.rules[d.rule_count++];
  r.name.clear();
  r.file.clear();
  return &r;
}

void Evaluation::add_rule(const table::RuleRow& rule, bool monitor) {
  RuleRef* r = next_rule();
  if (!r) return;
  r->name.assign(p.strings[rule.name]);
  if (rule.loc.file != table::kNone) r->file.assign(p.files[rule.loc.file]);
  r->line = rule.loc.line;
  r->column = rule.loc.column;
  r->deny = rule.effect == table::Effect::Deny;
  r->monitor = monitor;
}

void Evaluation::add_endpoint(const table::EndpointRow& e) {
  // An endpoint decides on its own (public, or missing scopes): cite it the
  // way a rule is cited, with the location of its pattern.
  RuleRef* r = next_rule();
  if (!r) return;
  r->name.assign("endpoint ");
  r->name.append(d.endpoint.view());
  if (e.loc.file != table::kNone) r->file.assign(p.files[e.loc.file]);
  r->line = e.loc.line;
  r->column = e.loc.column;
  r->deny = !e.is_public;
  r->monitor = false;
}

bool Evaluation::resolve_principal() {
  d.caller = caller_kind(req);
  principal_type = req.principal_type.empty() ? std::string_view("user") : req.principal_type;
  if (!req.api_key.empty()) {
    key = facts.key(req.api_key);
    d.principal.assign("api key ");
    append_quoted(d.principal, req.api_key);
    const char* problem = !key ? " is not known"
                          : key->revoked ? " has been revoked"
                          : key->has_expiry && key->expires_at <= now ? " has expired"
                                                                       : nullptr;
    if (problem) {
      d.message.assign("API key ");
      append_quoted(d.message, req.api_key);
      d.message.append(problem);
      deny(!key ? "KEY_UNKNOWN" : key->revoked ? "KEY_REVOKED" : "KEY_EXPIRED");
      return false;
    }
    const std::string_view owner_type = facts.store().type_name(key->principal_type);
    const Ident owner = Ident::of(facts.store().value_text(key->principal_id), key->principal_id);
    if (req.principal_id.empty()) {
      principal_type = owner_type;
      principal_id = owner;
    } else if (req.principal_id != owner.text || principal_type != owner_type) {
      d.message.assign("API key ");
      append_quoted(d.message, req.api_key);
      d.message.append(" does not belong to ");
      d.message.append(principal_type);
      d.message.append(" ");
      append_quoted(d.message, req.principal_id);
      deny("KEY_PRINCIPAL_MISMATCH");
      return false;
    } else {
      principal_id = owner;
    }
    d.principal.append(" (");
    d.principal.append(principal_type);
    d.principal.append(" ");
    append_quoted(d.principal, principal_id.text);
    d.principal.append(")");
  } else if (!req.principal_id.empty()) {
    principal_id = Ident::of_text(req.principal_id);
    d.principal.assign(principal_type);
    d.principal.append(" ");
    append_quoted(d.principal, req.principal_id);
  } else {
    d.principal.assign("anonymous");
  }
  d.principal_id.assign(principal_id.text);
  principal_type_id = ix.find(ix.principals, principal_type);
  if (!principal_id.none()) {
    // A principal type the policy does not declare may still have facts.
    const NameId type = principal_type_id != table::kNone ? facts.principal_type(principal_type_id)
                                                          : facts.store().find_type(principal_type);
    if (principal_id.interned()) {
      principal = facts.find(type, principal_id);
    } else {
      principal = facts.find(type, principal_id.text, principal_id);
    }
    FactView::prefetch(principal);
  }
  // A named principal is in the tenant its entity states, else in the
  // policy's default tenant; an anonymous request has no principal tenant.
  if (!principal_id.none()) {
    principal_tenant = FactView::tenant(principal.record);
    if (principal_tenant.none()) principal_tenant = default_tenant();
  }
  // A key may restate its owner's tenant, never contradict it: a key that
  // names another tenant is refused rather than trusted either way.
  if (key && key->tenant != kNoId && !facts.same(Ident::of_sym(key->tenant), principal_tenant)) {
    d.message.assign("API key ");
    append_quoted(d.message, req.api_key);
    d.message.append(" names tenant ");
    append_quoted(d.message, facts.store().value_text(key->tenant));
    d.message.append(" but its owner is in tenant ");
    append_quoted(d.message, facts.text(principal_tenant));
    deny("KEY_TENANT_MISMATCH");
    return false;
  }
  return true;
}

Ident Evaluation::default_tenant() const {
  return Ident::of(p.strings[p.tenancy.default_tenant], facts.binding().default_tenant);
}

void Evaluation::resolve_request_tenant() {
  tenant = Ident::of_text(req.tenant);
  for (std::uint32_t i = 0; tenant.none() && i < p.tenancy.sources.count; ++i) {
    const table::TenantSourceRow& s = p.tenant_sources[p.tenancy.sources.begin + i];
    if (s.kind == table::TenantSourceRow::Kind::Header) {
      tenant = Ident::of_text(find_kv(req.headers, p.strings[s.header], true));
    } else {
      tenant = principal_tenant;
    }
  }
  if (tenant.none()) tenant = default_tenant();
  d.tenant.assign(facts.text(tenant));
}

void Evaluation::begin() {
  d.request_id.assign(req.request_id);
  d.policy_fingerprint = ix.fingerprint;
  d.facts_version = facts.store().version();
  now = req.time ? *req.time
                 : std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void Evaluation::run() noexcept {
  begin();
  // The resource's id is looked up before the principal's: the two lookups'
  // memory accesses then overlap instead of waiting on each other.
  table::Id type = table::kNone;
  Ident id = Ident::of_text(req.resource_id);
  EntityRef target;
  if (req.method.empty()) {
    type = ix.find(ix.resources, req.resource_type);
    if (type != table::kNone && !req.resource_id.empty()) {
      target = facts.find(facts.resource_type(type), req.resource_id, id);
      FactView::prefetch(target);
    }
  }
  if (!resolve_principal()) return;
  resolve_request_tenant();
  if (!req.method.empty()) {
    decide_http();
    return;
  }
  run_action(type, id, target);
}

bool Evaluation::begin_listing() noexcept {
  listing_ = true;
  begin();
  if (!resolve_principal()) return false;
  resolve_request_tenant();
  return true;
}

void Evaluation::decide_listed(table::Id type, table::Id act, EntityRef target) noexcept {
  // Back to the state run() has before the resource: the decision's
  // per-resource fields and what the last resource left behind.
  d.outcome = Outcome::Deny;
  d.code.clear();
  d.message.clear();
  d.hint.clear();
  d.required.clear();
  d.present.clear();
  d.rule_count = 0;
  d.source = SourceKind::None;
  d.source_detail.clear();
  d.grant_id.clear();
  resource_grants = GrantResolution{};
  saw_expired_grant = saw_revoked_grant = saw_eval_error = false;
  noted_expired = noted_revoked = kNoId;
  eval_error.clear();
  const Ident id = Ident::of(facts.id_text(*target.record), target.record->id);
  d.resource_type.assign(p.strings[p.resources[type].name]);
  d.action.assign(p.strings[p.action_names[p.resources[type].actions.begin + act]]);
  d.resource_id.assign(id.text);
  decide_action(type, act, id, target);
}

void Evaluation::run_action(table::Id type, const Ident& id, EntityRef target) {
  const std::string_view type_name = req.resource_type, action_name = req.action;
  d.resource_type.assign(type_name);
  d.action.assign(action_name);
  d.resource_id.assign(req.resource_id);
  if (type == table::kNone) {
    d.message.assign("unknown resource type ");
    append_quoted(d.message, type_name);
    deny("INVALID_REQUEST");
    return;
  }
  const table::Id act = ix.find(ix.actions[type], action_name);
  if (act == table::kNone) {
    d.message.assign("unknown action ");
    append_quoted(d.message, action_name);
    d.message.append(" on resource type ");
    append_quoted(d.message, type_name);
    deny("INVALID_REQUEST");
    return;
  }
  decide_action(type, act, id, target);
}

bool Evaluation::check_scopes(const table::EndpointRow& e) {
  FixedString<256> missing;
  bool ok = true;
  SourceNote note;
  for (std::uint32_t w = 0; w < e.all_of.words; ++w) {
    std::uint64_t bits = p.bit_words[e.all_of.offset + w];
    while (bits) {
      const table::Id s = w * 64 + static_cast<table::Id>(std::countr_zero(bits));
      bits &= bits - 1;
      if (scope_held(s, note) != Tri::True) {
        if (!missing.empty()) missing.append(", ");
        append_quoted(missing, p.strings[p.scopes[s].name]);
        ok = false;
      }
    }
  }
  bool any_missing = false;
  for (std::uint32_t g = 0; g < e.any_of.count; ++g) {
    const table::Bits set = p.bit_refs[e.any_of.begin + g];
    bool held = false;
    for (std::uint32_t w = 0; w < set.words && !held; ++w) {
      std::uint64_t bits = p.bit_words[set.offset + w];
      while (bits && !held) {
        const table::Id s = w * 64 + static_cast<table::Id>(std::countr_zero(bits));
        bits &= bits - 1;
        held = scope_held(s, note) == Tri::True;
      }
    }
    if (!held) {
      ok = false;
      any_missing = true;
    }
  }
  // What was required, in full: all-of scopes, then each any-of group.
  auto describe = [&](auto& out, bool only_missing_groups) {
    for (std::uint32_t w = 0; w < e.all_of.words && !only_missing_groups; ++w) {
      std::uint64_t bits = p.bit_words[e.all_of.offset + w];
      while (bits) {
        const table::Id s = w * 64 + static_cast<table::Id>(std::countr_zero(bits));
        bits &= bits - 1;
        if (!out.empty()) out.append(", ");
        out.append(out.empty() ? "all of " : "");
        append_quoted(out, p.strings[p.scopes[s].name]);
        append_implying(out, s);
      }
    }
    for (std::uint32_t g = 0; g < e.any_of.count; ++g) {
      const table::Bits set = p.bit_refs[e.any_of.begin + g];
      if (!out.empty()) out.append("; ");
      out.append("any of ");
      bool first = true;
      for (std::uint32_t w = 0; w < set.words; ++w) {
        std::uint64_t bits = p.bit_words[set.offset + w];
        while (bits) {
          const table::Id s = w * 64 + static_cast<table::Id>(std::countr_zero(bits));
          bits &= bits - 1;
          if (!first) out.append(", ");
          first = false;
          append_quoted(out, p.strings[p.scopes[s].name]);
          append_implying(out, s);
        }
      }
    }
  };
  if (ok) {
    if (note.kind != SourceKind::None) {
      d.source = note.kind;
      write_source(note, d.source_detail, nullptr);
    }
    return true;
  }
  describe(d.required, false);
  describe_present(false);
  add_endpoint(e);
  d.message.assign(key ? "API key " : "request without an API key");
  if (key) append_quoted(d.message, req.api_key);
  d.message.append(" lacks ");
  if (!missing.empty()) {
    d.message.append("the scope ");
    d.message.append(missing.view());
  } else {
    d.message.append("a scope");
  }
  if (any_missing) {
    FixedString<256> groups;
    describe(groups, true);
    d.message.append(!missing.empty() ? " and " : " ");
    d.message.append("(");
    d.message.append(groups.view());
    d.message.append(")");
  }
  d.message.append(" required by ");
  d.message.append(d.endpoint.view());
  deny("SCOPE_MISSING");
  d.hint.assign("use an API key with ");
  d.hint.append(d.required.view());
  return false;
}

Tri Evaluation::eval_rule(const table::RuleRow& rule, SourceNote& note) {
  const std::string_view name = p.strings[rule.name];
  const Tri subject = eval_predicate(rule.subject, note);
  if (subject != Tri::True) {
    tracef(TraceEvent::Kind::Rule, "rule `", name, "`: subject ", subject == Tri::Error ? "could not be evaluated" : "does not hold");
    return subject;
  }
  SourceNote condition_note;
  if (rule.when.count) {
    const Tri w = run_code(rule.when, rule.stack_depth, condition_note);
    if (w != Tri::True) {
      tracef(TraceEvent::Kind::Rule, "rule `", name, "`: `when` ", w == Tri::Error ? "could not be evaluated" : "is false");
      return w;
    }
    if (note.kind == SourceKind::Anyone || note.kind == SourceKind::Caller) {
      note.kind = SourceKind::Condition;
      note.rule = &rule;
    }
  }
  if (rule.unless.count) {
    const Tri u = run_code(rule.unless, rule.stack_depth, condition_note);
    if (u != Tri::False) {
      tracef(TraceEvent::Kind::Rule, "rule `", name, "`: `unless` ", u == Tri::Error ? "could not be evaluated" : "is true");
      return u == Tri::Error ? Tri::Error : Tri::False;
    }
  }
  if (trace_) {
    FixedString<160> detail;
    write_source(note, detail, nullptr);
    tracef(TraceEvent::Kind::Rule, "rule `", name, "`: matches (", detail.view(), ")");
  }
  return Tri::True;
}

template <std::size_t N>
void Evaluation::write_source(const SourceNote& note, FixedString<N>& out, FixedString<64>* grant_id) {
  const auto entity = [&](const EntityRecord& r, std::string_view id) {
    out.append(facts.type_name(r));
    out.append(" `");
    out.append(id);
    out.append("`");
  };
  out.clear();
  switch (note.kind) {
    case SourceKind::None:
    case SourceKind::Public:
      break;
    case SourceKind::Anyone:
      out.assign("anyone");
      break;
    case SourceKind::Caller:
      out.assign(caller_kind_name(d.caller));
      out.append(" caller");
      break;
    case SourceKind::Condition:
      out.assign("condition of rule ");
      append_quoted(out, p.strings[note.rule->name]);
      break;
    case SourceKind::Scope:
      out.assign("scope `");
      out.append(p.strings[p.scopes[note.held].name]);
      out.append("`");
      if (note.held != note.wanted) {
        out.append(" (implies `");
        out.append(p.strings[p.scopes[note.wanted].name]);
        out.append("`)");
      }
      break;
    case SourceKind::Role:
      out.assign("role `");
      out.append(p.strings[p.roles[note.held].name]);
      out.append("`");
      if (note.held != note.wanted) {
        out.append(" (inherits `");
        out.append(p.strings[p.roles[note.wanted].name]);
        out.append("`)");
      }
      if (note.entity != kNoId) {
        const EntityRecord& scope = facts.store().entity(note.entity);
        out.append(" in ");
        entity(scope, facts.id_text(scope));
      }
      break;
    case SourceKind::DirectGrant:
    case SourceKind::TeamGrant:
    case SourceKind::TypeGrant: {
      const bool direct = note.kind == SourceKind::DirectGrant;
      out.assign(note.type_wide ? "type-wide grant" : direct ? "direct grant" : "grant to ");
      if (!direct) {
        if (note.type_wide) out.append(" to ");
        const EntityRecord& holder = facts.store().entity(note.entity);
        entity(holder, facts.id_text(holder));
      }
      out.append(", level `");
      out.append(p.strings[p.levels[note.level].name]);
      out.append("`");
      if (grant_id) grant_id->assign(facts.grant_id(note.grant->grant));
      break;
    }
    case SourceKind::Membership:
      out.assign("member of ");
      entity(*note.collection.record, facts.text(note.collection_id));
      break;
  }
}

void Evaluation::render_message(const table::RuleRow& rule) {
  d.message.clear();
  if (listing_) return;  // a listing reads outcomes only
  for (std::uint32_t i = 0; i < rule.message.count; ++i) {
    const table::MessagePartRow& part = p.message_parts[rule.message.begin + i];
    switch (part.kind) {
      case table::MessagePartRow::Kind::Literal:
        d.message.append(p.strings[part.text]);
        break;
      case table::MessagePartRow::Kind::Action:
        d.message.append(d.action.view());
        break;
      case table::MessagePartRow::Kind::Tenant:
        d.message.append(facts.text(tenant));
        break;
      case table::MessagePartRow::Kind::Path: {
        Value v;
        const table::AttributeRow* attr = nullptr;
        if (!load_path(part.path, v, &attr) || !attr) {
          d.message.append("?");
          break;
        }
        switch (attr->type) {
          case table::ValueType::String:
          case table::ValueType::Entity: d.message.append(facts.text(v.str)); break;
          case table::ValueType::Int:
          case table::ValueType::Time:
            // The magnitude in unsigned arithmetic: -INT64_MIN does not fit an int64.
            if (v.number < 0) d.message.append("-");
            d.message.append_number(v.number < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(v.number)
                                                  : static_cast<std::uint64_t>(v.number));
            break;
          case table::ValueType::Bool: d.message.append(v.number ? "true" : "false"); break;
          case table::ValueType::Enum: {
            const table::EnumRow& e = p.enums[attr->type_arg];
            d.message.append(p.strings[p.ids[e.values.begin + static_cast<std::uint32_t>(v.number)]]);
            break;
          }
          case table::ValueType::Ip: d.message.append("(address)"); break;
        }
        break;
      }
    }
  }
}

// Isolation: the resource, and the principal when the request names one,
// must be in the request's tenant (unless an allow says cross_tenant).
bool Evaluation::tenant_matches() {
  if (!p.tenancy.isolation) return true;
  if (!tenant.interned() && !tenant.absent) tenant = facts.lookup(tenant.text);  // one hash, then Syms
  return facts.same(resource_tenant, tenant) && (principal_tenant.none() || facts.same(principal_tenant, tenant));
}

void Evaluation::decide_action(table::Id type, table::Id act, const Ident& id, EntityRef target) {
  prepare_resource(type, act, id, target);
  decide_rules(type, act, id);
}

void Evaluation::prepare_resource(table::Id type, table::Id act, const Ident& id, EntityRef target) {
  resource_type = type;
  action = act;
  resource_id = id;
  resource = target;
  resource_tenant = FactView::tenant(resource.record);
  if (resource_tenant.none()) {
    // The tenant the request carries for the resource (an endpoint may bind it).
    const AttributeValue* carried_tenant = carried(table::EntityKind::Resource, "tenant");
    if (carried_tenant && carried_tenant->kind == AttributeValue::Kind::String) {
      resource_tenant = Ident::of_text(carried_tenant->text);
    }
    if (resource_tenant.none()) {
      resource_tenant = id.none() ? tenant : default_tenant();
    }
  }
}

void Evaluation::decide_rules(table::Id type, table::Id act, const Ident& id) {
  const std::string_view type_name = p.strings[p.resources[type].name];
  const bool tenant_ok = tenant_matches();
  if (!tenant_ok) {
    tracef(TraceEvent::Kind::Tenant, "tenant: request `", facts.text(tenant), "`, resource `", facts.text(resource_tenant),
           "`, principal `", facts.text(principal_tenant), "`: mismatch");
  }

  const table::Range list = p.rule_lists[p.resources[type].rule_lists + act];
  // A monitored endpoint deny that matched first still reports "would deny".
  const table::RuleRow* monitor_deny = http.monitor_deny;
  bool monitor_deny_error = http.monitor_deny_error;
  for (std::uint32_t i = 0; i < list.count; ++i) {
    const table::RuleRow& rule = p.rules[p.rule_ids[list.begin + i]];
    SourceNote note;
    if (rule.effect == table::Effect::Deny) {
      const Tri r = eval_rule(rule, note);
      if (r == Tri::False) continue;
      if (rule.monitor) {
        // A monitored deny reports what enforcing it would do: deny with its
        // code when it matches, with EVAL_ERROR when it cannot be evaluated.
        add_rule(rule, true);
        if (!monitor_deny) {
          monitor_deny = &rule;
          monitor_deny_error = r == Tri::Error;
          if (monitor_deny_error) {
            d.message.assign("deny rule ");
            append_quoted(d.message, p.strings[rule.name]);
            d.message.append(" could not be evaluated: ");
            d.message.append(eval_error.view());
          }
        }
        continue;
      }
      add_rule(rule, false);
      deny_by_rule(rule, r, note);
      return;
    }
    // Allows come after every deny: the first that matches decides.
    if (!tenant_ok && !rule.cross_tenant) {
      tracef(TraceEvent::Kind::Rule, "rule `", p.strings[rule.name], "`: not tried (another tenant, and the rule is not cross_tenant)");
      continue;
    }
    if (eval_rule(rule, note) != Tri::True) continue;
    add_rule(rule, false);
    d.source = note.kind;
    if (!listing_) write_source(note, d.source_detail, &d.grant_id);
    if (monitor_deny) {
      if (monitor_deny_error) {
        // The message was written when the rule failed.
      } else if (monitor_deny->message.count) {
        render_message(*monitor_deny);
      } else {
        d.message.assign("would be denied by rule ");
        append_quoted(d.message, p.strings[monitor_deny->name]);
      }
      finish(Outcome::WouldDeny, monitor_deny_error ? std::string_view("EVAL_ERROR") : p.strings[monitor_deny->code]);
      return;
    }
    finish(Outcome::Allow, "ALLOW");
    return;
  }

  // Default deny, with the most telling code.
  // A request that names no principal is asked to sign in first, whatever
  // else is wrong: no other answer helps a caller that nobody knows.
  const std::string_view code = principal_id.none()   ? "UNAUTHENTICATED"
                                : !tenant_ok           ? "TENANT_MISMATCH"
                                : saw_eval_error      ? "EVAL_ERROR"
                                : saw_expired_grant   ? "GRANT_EXPIRED"
                                : saw_revoked_grant   ? "GRANT_REVOKED"
                                                      : "PERMISSION_DENIED";
  deny(code);
  if (!listing_) explain_default_deny(type, act, type_name, id, tenant_ok);
}

void Evaluation::explain_default_deny(table::Id type, table::Id act, std::string_view type_name, const Ident& id,
                                      bool tenant_ok) {
  describe_required(type, act);
  describe_present(true);
  d.message.assign(d.principal.view());
  d.message.append(" may not ");
  append_quoted(d.message, d.action.view());
  d.message.append(" ");
  d.message.append(type_name);
  if (!id.none()) {
    d.message.append(" ");
    append_quoted(d.message, facts.text(id));
  }
  if (principal_id.none()) {
    d.message.append(": the request names no principal");
    if (saw_eval_error) {
      // What an operator needs to know about the policy or the facts stays.
      d.message.append(" (and ");
      d.message.append(eval_error.view());
      d.message.append(")");
    }
    d.hint.assign("sign in or present an API key");
  } else if (!tenant_ok) {
    d.message.append(": tenant ");
    append_quoted(d.message, facts.text(tenant));
    d.message.append(" may not reach tenant ");
    append_quoted(d.message, facts.text(!facts.same(resource_tenant, tenant) ? resource_tenant : principal_tenant));
  } else if (saw_eval_error) {
    d.message.append(": ");
    d.message.append(eval_error.view());
  } else if (saw_expired_grant || saw_revoked_grant) {
    const GrantId noted = saw_expired_grant ? noted_expired : noted_revoked;
    d.message.append(": grant ");
    append_quoted(d.message, facts.grant_id(noted));
    d.message.append(saw_expired_grant ? " has expired" : " has been revoked");
    d.grant_id.assign(facts.grant_id(noted));
  }
}

}  // namespace warden::runtime
