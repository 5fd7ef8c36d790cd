// Rule resolution and the decision summary.
//
// Order of a decision: the principal (and its API key), the request's
// tenant, then for HTTP requests the endpoint (routing, public, scopes) and
// finally the action on the resource: the candidate rules of (type, action),
// denies first, each in source order. Deny overrides allow, default deny,
// evaluation errors deny, monitor turns a deny into "would deny".
#include <chrono>

#include "runtime/evaluation.hpp"
#include "support/literals.hpp"

namespace warden::runtime {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  // ASCII only: header names are ASCII, and locale-aware tolower is slow.
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view find_kv(std::span<const KeyValue> kvs, std::string_view name, bool case_insensitive) {
  for (const auto& kv : kvs) {
    if (case_insensitive ? iequals(kv.name, name) : kv.name == name) return kv.value;
  }
  return {};
}

template <std::size_t N>
void append_quoted(FixedString<N>& s, std::string_view text) {
  s.append("`");
  s.append(text);
  s.append("`");
}

}  // namespace

Evaluation::Evaluation(const Snapshot& s, const Request& r, Decision& out, Trace* t) noexcept
    : snap(s), p(*s.policy->program), ix(*s.policy), facts(*s.facts), req(r), d(out), trace_(t) {}

void Evaluation::finish(Outcome outcome, std::string_view code) {
  d.outcome = outcome;
  d.code.assign(code);
}

void Evaluation::deny(std::string_view code) {
  // A policy in monitor mode never denies: it reports what it would deny.
  finish(p.mode == table::Mode::Monitor ? Outcome::WouldDeny : Outcome::Deny, code);
  tracef(TraceEvent::Kind::Step, d.outcome == Outcome::Deny ? "deny: " : "would deny: ", code);
}

void Evaluation::add_rule(const table::RuleRow& rule, bool monitor) {
  RuleRef r;
  r.name.assign(p.strings[rule.name]);
  if (rule.loc.file != table::kNone) r.file.assign(p.files[rule.loc.file]);
  r.line = rule.loc.line;
  r.column = rule.loc.column;
  r.deny = rule.effect == table::Effect::Deny;
  r.monitor = monitor;
  d.add_rule(r);
}

void Evaluation::add_endpoint(const table::EndpointRow& e) {
  // An endpoint decides on its own (public, or missing scopes): cite it the
  // way a rule is cited, with the location of its pattern.
  RuleRef r;
  r.name.assign("endpoint ");
  r.name.append(d.endpoint.view());
  if (e.loc.file != table::kNone) r.file.assign(p.files[e.loc.file]);
  r.line = e.loc.line;
  r.column = e.loc.column;
  r.deny = !e.is_public;
  d.add_rule(r);
}

bool Evaluation::resolve_principal() {
  d.caller = caller_kind(req);
  principal_type = req.principal_type.empty() ? std::string_view("user") : req.principal_type;
  principal_id = req.principal_id;
  if (!req.api_key.empty()) {
    key = facts.key(req.api_key);
    d.principal.assign("api key ");
    append_quoted(d.principal, req.api_key);
    if (!key) {
      d.message.assign("API key ");
      append_quoted(d.message, req.api_key);
      d.message.append(" is not known");
      deny("KEY_UNKNOWN");
      return false;
    }
    if (key->key.revoked) {
      d.message.assign("API key ");
      append_quoted(d.message, req.api_key);
      d.message.append(" has been revoked");
      deny("KEY_REVOKED");
      return false;
    }
    if (key->key.expires_at && *key->key.expires_at <= now) {
      d.message.assign("API key ");
      append_quoted(d.message, req.api_key);
      d.message.append(" has expired");
      deny("KEY_EXPIRED");
      return false;
    }
    if (principal_id.empty()) {
      principal_type = key->key.principal_type;
      principal_id = key->key.principal_id;
    } else if (principal_id != key->key.principal_id || principal_type != key->key.principal_type) {
      d.message.assign("API key ");
      append_quoted(d.message, req.api_key);
      d.message.append(" does not belong to ");
      d.message.append(principal_type);
      d.message.append(" ");
      append_quoted(d.message, principal_id);
      deny("KEY_PRINCIPAL_MISMATCH");
      return false;
    }
    d.principal.append(" (");
    d.principal.append(principal_type);
    d.principal.append(" ");
    append_quoted(d.principal, principal_id);
    d.principal.append(")");
  } else if (!principal_id.empty()) {
    d.principal.assign(principal_type);
    d.principal.append(" ");
    append_quoted(d.principal, principal_id);
  } else {
    d.principal.assign("anonymous");
  }
  principal_type_id = ix.find(ix.principals, principal_type);
  if (!principal_id.empty()) principal_record = facts.entity(principal_type, principal_id);
  if (principal_record && principal_record->declared && !principal_record->tenant.empty()) {
    principal_tenant = principal_record->tenant;
  } else if (key && !key->key.tenant.empty()) {
    principal_tenant = key->key.tenant;
  }
  return true;
}

void Evaluation::resolve_request_tenant() {
  tenant = req.tenant;
  for (std::uint32_t i = 0; tenant.empty() && i < p.tenancy.sources.count; ++i) {
    const table::TenantSourceRow& s = p.tenant_sources[p.tenancy.sources.begin + i];
    if (s.kind == table::TenantSourceRow::Kind::Header) {
      tenant = find_kv(req.headers, p.strings[s.header], true);
    } else {
      tenant = principal_tenant;
    }
  }
  if (tenant.empty()) tenant = p.strings[p.tenancy.default_tenant];
  d.tenant.assign(tenant);
}

void Evaluation::run() noexcept {
  d.request_id.assign(req.request_id);
  d.policy_fingerprint = ix.fingerprint;
  d.facts_version = facts.version();
  now = req.time ? *req.time
                 : std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  if (!resolve_principal()) return;
  resolve_request_tenant();
  if (!req.method.empty()) {
    decide_http();
    return;
  }
  run_action(req.resource_type, req.action, req.resource_id);
}

void Evaluation::run_action(std::string_view type_name, std::string_view action_name, std::string_view id) {
  const table::Id type = ix.find(ix.resources, type_name);
  d.resource_type.assign(type_name);
  d.action.assign(action_name);
  d.resource_id.assign(id);
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
  decide_action(type, act, id);
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
  auto describe = [&](FixedString<256>& out, bool only_missing_groups) {
    for (std::uint32_t w = 0; w < e.all_of.words && !only_missing_groups; ++w) {
      std::uint64_t bits = p.bit_words[e.all_of.offset + w];
      while (bits) {
        const table::Id s = w * 64 + static_cast<table::Id>(std::countr_zero(bits));
        bits &= bits - 1;
        if (!out.empty()) out.append(", ");
        out.append(out.empty() ? "all of " : "");
        append_quoted(out, p.strings[p.scopes[s].name]);
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
        }
      }
    }
  };
  if (ok) {
    if (note.kind != SourceKind::None) {
      d.source = note.kind;
      d.source_detail = note.detail;
    }
    return true;
  }
  describe(d.required, false);
  describe_present();
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
  d.hint.assign("use an API key with ");
  d.hint.append(d.required.view());
  deny("SCOPE_MISSING");
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
      note.detail.assign("condition of rule ");
      append_quoted(note.detail, name);
    }
  }
  if (rule.unless.count) {
    const Tri u = run_code(rule.unless, rule.stack_depth, condition_note);
    if (u != Tri::False) {
      tracef(TraceEvent::Kind::Rule, "rule `", name, "`: `unless` ", u == Tri::Error ? "could not be evaluated" : "is true");
      return u == Tri::Error ? Tri::Error : Tri::False;
    }
  }
  tracef(TraceEvent::Kind::Rule, "rule `", name, "`: matches (", note.detail.view(), ")");
  return Tri::True;
}

void Evaluation::render_message(const table::RuleRow& rule) {
  d.message.clear();
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
        d.message.append(tenant);
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
          case table::ValueType::Entity: d.message.append(v.text); break;
          case table::ValueType::Int:
          case table::ValueType::Time:
            if (v.number < 0) d.message.append("-");
            d.message.append_number(static_cast<std::uint64_t>(v.number < 0 ? -v.number : v.number));
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

void Evaluation::describe_required(table::Id type, table::Id act) {
  const table::Range list = p.rule_lists[p.resources[type].rule_lists + act];
  std::size_t shown = 0;
  for (std::uint32_t i = 0; i < list.count; ++i) {
    const table::RuleRow& rule = p.rules[p.rule_ids[list.begin + i]];
    if (rule.effect != table::Effect::Allow) continue;
    if (shown == 4) {
      d.required.append(", …");
      break;
    }
    if (shown++) d.required.append(" or ");
    const table::PredicateRow& pred = p.predicates[rule.subject];
    switch (pred.kind) {
      case table::SubjectKind::Anyone: d.required.append("anyone"); break;
      case table::SubjectKind::Role:
        d.required.append("role ");
        append_quoted(d.required, p.strings[p.roles[pred.arg].name]);
        break;
      case table::SubjectKind::Scope:
        d.required.append("scope ");
        append_quoted(d.required, p.strings[p.scopes[pred.arg].name]);
        break;
      case table::SubjectKind::Grant:
        d.required.append("grant");
        if (pred.arg != table::kNone) {
          d.required.append(" >= ");
          append_quoted(d.required, p.strings[p.levels[pred.arg].name]);
        }
        break;
      case table::SubjectKind::Member:
        d.required.append("member of ");
        append_quoted(d.required, p.strings[p.paths[pred.path].text]);
        break;
      case table::SubjectKind::Caller:
        d.required.append(pred.arg == table::kCallerAnonymous                          ? "anonymous callers"
                          : pred.arg == table::kCallerSession                          ? "session callers"
                          : pred.arg == table::kCallerKey                              ? "API-key callers"
                          : pred.arg == (table::kCallerSession | table::kCallerKey) ? "authenticated callers"
                                                                                       : "some callers");
        break;
    }
    if (rule.when.count || rule.unless.count) d.required.append(" (with conditions)");
  }
  if (shown == 0) d.required.append("no rule allows this action");
}

void Evaluation::describe_present() {
  std::size_t n = 0;
  if (principal_record && !principal_record->roles.empty()) {
    d.present.append("roles ");
    for (const RoleRecord& r : principal_record->roles) {
      if (n++) d.present.append(", ");
      append_quoted(d.present, r.role);
    }
  }
  if (key) {
    if (n) d.present.append("; ");
    d.present.append("scopes ");
    std::size_t k = 0;
    for (const std::string& s : key->key.scopes) {
      if (k++) d.present.append(", ");
      append_quoted(d.present, s);
    }
    if (k == 0) d.present.append("(none)");
    ++n;
  }
  if (n == 0) d.present.append("no roles, grants or scopes");
}

void Evaluation::prepare_resource(table::Id type, table::Id act, std::string_view id) {
  resource_type = type;
  action = act;
  resource_id = id;
  const std::string_view type_name = p.strings[p.resources[type].name];
  resource_record = id.empty() ? nullptr : facts.entity(type_name, id);
  if (resource_record && resource_record->declared && !resource_record->tenant.empty()) {
    resource_tenant = resource_record->tenant;
  } else {
    // The tenant the request carries for the resource (an endpoint may bind it).
    const AttributeValue* carried_tenant = carried(table::EntityKind::Resource, "tenant");
    resource_tenant = carried_tenant && carried_tenant->kind == AttributeValue::Kind::String ? carried_tenant->text
                                                                                             : std::string_view();
    if (resource_tenant.empty()) resource_tenant = id.empty() ? tenant : std::string_view(p.strings[p.tenancy.default_tenant]);
  }
}

void Evaluation::decide_action(table::Id type, table::Id act, std::string_view id) {
  prepare_resource(type, act, id);
  const std::string_view type_name = p.strings[p.resources[type].name];
  // Isolation: the resource, and the principal when its tenant is known,
  // must be in the request's tenant unless an allow says cross_tenant.
  const bool tenant_ok = !p.tenancy.isolation ||
                         (resource_tenant == tenant && (principal_tenant.empty() || principal_tenant == tenant));
  if (!tenant_ok) tracef(TraceEvent::Kind::Tenant, "tenant: request `", tenant, "`, resource `", resource_tenant, "`, principal `", principal_tenant, "`: mismatch");

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
      deny_by_rule(rule, r);
      return;
    }
    // Allows come after every deny: the first that matches decides.
    if (!tenant_ok && !rule.cross_tenant) continue;
    if (eval_rule(rule, note) != Tri::True) continue;
    add_rule(rule, false);
    d.source = note.kind;
    d.source_detail = note.detail;
    d.grant_id = note.grant_id;
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

  // Default deny: say why as precisely as the evaluation allows.
  describe_required(type, act);
  describe_present();
  d.message.assign(d.principal.view());
  d.message.append(" may not ");
  append_quoted(d.message, d.action.view());
  d.message.append(" ");
  d.message.append(type_name);
  if (!id.empty()) {
    d.message.append(" ");
    append_quoted(d.message, id);
  }
  if (!tenant_ok) {
    d.message.append(": tenant ");
    append_quoted(d.message, tenant);
    d.message.append(" may not reach tenant ");
    append_quoted(d.message, resource_tenant != tenant ? resource_tenant : principal_tenant);
    deny("TENANT_MISMATCH");
  } else if (saw_eval_error) {
    d.message.append(": ");
    d.message.append(eval_error.view());
    deny("EVAL_ERROR");
  } else if (saw_expired_grant || saw_revoked_grant) {
    d.message.append(": grant ");
    append_quoted(d.message, expired_grant_id.view());
    d.message.append(saw_expired_grant ? " has expired" : " has been revoked");
    d.grant_id = expired_grant_id;
    deny(saw_expired_grant ? "GRANT_EXPIRED" : "GRANT_REVOKED");
  } else {
    deny("PERMISSION_DENIED");
  }
}

}  // namespace warden::runtime
