// The HTTP side of a decision: from method and raw path to the action on a
// resource.
//
// Order (docs/decisions.md, "HTTP requests"): normalize the path
// (INVALID_PATH), route it (NO_MATCHING_ENDPOINT), a public endpoint allows;
// then the caller kind (UNAUTHENTICATED for a request without credentials
// where the endpoint wants them, CALLER_NOT_ALLOWED for a kind it does not
// admit), the scopes of an API key (SCOPE_MISSING; sessions and anonymous
// callers have no scopes and are decided by the rules), what the endpoint
// takes from the request — the resource id, which must be there exactly
// once and not empty, and the bound attributes, each of which may be absent
// but never given twice (INVALID_BINDING) — then the endpoint's denies (its
// group's first), and finally the action's rules (evaluator.cpp).
#include "runtime/evaluation.hpp"
#include "support/ascii.hpp"

namespace warden::runtime {
namespace {

// A value looked up in the request: there once, absent, or there more than
// once (ambiguous: an upstream may read another occurrence than we would).
struct Lookup {
  enum class State : std::uint8_t { Found, Missing, Ambiguous } state = State::Missing;
  AttributeValue value;
};

Lookup lookup_pairs(std::span<const KeyValue> pairs, std::string_view name, bool case_insensitive) {
  Lookup out;
  for (const KeyValue& kv : pairs) {
    if (!(case_insensitive ? iequals(kv.name, name) : kv.name == name)) continue;
    if (out.state == Lookup::State::Found) {
      out.state = Lookup::State::Ambiguous;
      return out;
    }
    out.state = Lookup::State::Found;
    out.value = AttributeValue::string(kv.value);
  }
  return out;
}

Lookup lookup_body(std::span<const NamedValue> body, std::string_view name) {
  Lookup out;
  for (const NamedValue& nv : body) {
    if (nv.name != name) continue;
    if (out.state == Lookup::State::Found) {
      out.state = Lookup::State::Ambiguous;
      return out;
    }
    out.state = Lookup::State::Found;
    out.value = nv.value;
  }
  return out;
}

const char* caller_phrase(CallerKind k) {
  switch (k) {
    case CallerKind::Anonymous: return "anonymous";
    case CallerKind::Session: return "session";
    case CallerKind::Key: return "API-key";
  }
  return "anonymous";
}

std::uint8_t caller_bit(CallerKind k) {
  switch (k) {
    case CallerKind::Anonymous: return table::kCallerAnonymous;
    case CallerKind::Session: return table::kCallerSession;
    case CallerKind::Key: return table::kCallerKey;
  }
  return table::kCallerAnonymous;
}

template <std::size_t N>
void append_callers(FixedString<N>& out, std::uint8_t mask) {
  bool first = true;
  for (const CallerKind k : {CallerKind::Anonymous, CallerKind::Session, CallerKind::Key}) {
    if (!(mask & caller_bit(k))) continue;
    if (!first) out.append(", ");
    first = false;
    out.append(caller_kind_name(k));
  }
  if (first) out.append("none");
}

}  // namespace

const AttributeValue* Evaluation::carried(table::EntityKind kind, std::string_view name) const {
  std::span<const NamedValue> attributes;
  switch (kind) {
    case table::EntityKind::Resource:
      for (std::size_t i = 0; i < http.bound_count; ++i) {
        if (http.bound(i).name == name) return &http.bound(i).value;
      }
      attributes = req.resource_attributes;
      break;
    case table::EntityKind::Principal: attributes = req.principal_attributes; break;
    case table::EntityKind::Context: attributes = req.context; break;
  }
  for (const NamedValue& nv : attributes) {
    if (nv.name == name) return &nv.value;
  }
  return nullptr;
}

const ClientAddress& Evaluation::client_address() {
  if (http.client_resolved) return http.client;
  http.client_resolved = true;
  http.client = resolve_client_address(p, req);
  if (http.client.found) {
    d.client_ip.assign(http.client.text);
    tracef(TraceEvent::Kind::Step, "client ip: ", http.client.text, " (from ", http.client.source, ")");
  } else {
    tracef(TraceEvent::Kind::Step, "client ip: none (", http.client.source, ")");
  }
  return http.client;
}

void Evaluation::decide_http() {
  d.raw_path.assign(req.path);
  d.endpoint.assign(req.method);
  d.endpoint.append(" ");
  d.endpoint.append(req.path);
  const PathError error = http.path.normalize(req.path, p.http);
  if (error != PathError::None) {
    d.message.assign("invalid path ");
    append_quoted(d.message, req.path);
    d.message.append(": ");
    d.message.append(path_error_text(error));
    tracef(TraceEvent::Kind::Route, "path: `", req.path, "` is refused: ", path_error_text(error));
    deny("INVALID_PATH");
    return;
  }
  http.path.write(d.path);
  if (d.path.view() != req.path) tracef(TraceEvent::Kind::Route, "path: `", req.path, "` normalized to `", d.path.view(), "`");
  d.endpoint.assign(req.method);
  d.endpoint.append(" ");
  d.endpoint.append(d.path.view());
  endpoint = route(req.method, http.path);
  if (endpoint == table::kNone) {
    d.message.assign("no endpoint matches ");
    append_quoted(d.message, d.endpoint.view());
    deny("NO_MATCHING_ENDPOINT");
    return;
  }
  const table::EndpointRow& e = p.endpoints[endpoint];
  d.endpoint.assign(req.method);
  d.endpoint.append(" ");
  d.endpoint.append(p.strings[e.pattern]);
  tracef(TraceEvent::Kind::Route, "route: ", req.method, " ", d.path.view(), " -> ", p.strings[e.pattern]);
  if (e.is_public) {
    add_endpoint(e);
    d.source = SourceKind::Public;
    d.source_detail.assign("public endpoint");
    finish(Outcome::Allow, "ALLOW");
    return;
  }
  if (!check_callers(e)) return;
  // Scopes are what an API key holds: sessions and anonymous callers have
  // none, and the rules decide them.
  if (d.caller == CallerKind::Key && !check_scopes(e)) return;
  if (!e.has_action) {
    if (!run_endpoint_denies(e)) return;
    // No resource and no rule: isolation is the principal's tenant against
    // the request's, and no `cross_tenant` allow can be the determining rule.
    resource_tenant = tenant;
    if (!tenant_matches()) {
      tracef(TraceEvent::Kind::Tenant, "tenant: request `", facts.text(tenant), "`, principal `", facts.text(principal_tenant),
             "`: mismatch");
      add_endpoint(e);
      d.message.assign(d.principal.view());
      d.message.append(" may not call ");
      d.message.append(d.endpoint.view());
      d.message.append(": tenant ");
      append_quoted(d.message, facts.text(tenant));
      d.message.append(" may not reach tenant ");
      append_quoted(d.message, facts.text(principal_tenant));
      deny("TENANT_MISMATCH");
      return;
    }
    if (d.caller != CallerKind::Key) {
      d.source = SourceKind::Caller;
      d.source_detail.assign(caller_kind_name(d.caller));
      d.source_detail.append(" caller admitted by the endpoint");
    }
    if (http.monitor_deny) {
      if (!http.monitor_deny_error) {
        if (http.monitor_deny->message.count) {
          render_message(*http.monitor_deny);
        } else {
          d.message.assign("would be denied by rule ");
          append_quoted(d.message, p.strings[http.monitor_deny->name]);
        }
      }
      finish(Outcome::WouldDeny, http.monitor_deny_error ? std::string_view("EVAL_ERROR") : std::string_view(p.strings[http.monitor_deny->code]));
      return;
    }
    finish(Outcome::Allow, "ALLOW");
    return;
  }
  std::string_view id;
  d.resource_type.assign(p.strings[p.resources[e.resource_type].name]);
  d.action.assign(p.strings[p.action_names[p.resources[e.resource_type].actions.begin + e.action]]);
  if (!bind_request(e, id)) return;
  d.resource_id.assign(id);
  Ident ident = Ident::of_text(id);
  const EntityRef target = id.empty() ? EntityRef{} : facts.find(facts.resource_type(e.resource_type), id, ident);
  prepare_resource(e.resource_type, e.action, ident, target);
  if (!run_endpoint_denies(e)) return;
  decide_rules(e.resource_type, e.action, ident);
}

bool Evaluation::check_callers(const table::EndpointRow& e) {
  if (e.callers & caller_bit(d.caller)) return true;
  add_endpoint(e);
  d.required.assign("callers ");
  append_callers(d.required, e.callers);
  d.present.assign("caller ");
  d.present.append(caller_kind_name(d.caller));
  if (d.caller == CallerKind::Anonymous) {
    d.message.assign(d.endpoint.view());
    d.message.append(" needs credentials: it accepts ");
    append_callers(d.message, e.callers);
    d.message.append(" callers");
    d.hint.assign(e.callers & table::kCallerSession ? "sign in" : "present an API key");
    deny("UNAUTHENTICATED");
    return false;
  }
  d.message.assign(d.endpoint.view());
  d.message.append(" does not accept ");
  d.message.append(caller_phrase(d.caller));
  d.message.append(" callers: it accepts ");
  append_callers(d.message, e.callers);
  d.hint.assign(e.callers & table::kCallerKey ? "call it with an API key" : "call it from a signed-in session");
  deny("CALLER_NOT_ALLOWED");
  return false;
}

bool Evaluation::bind_request(const table::EndpointRow& e, std::string_view& id) {
  http.bound_count = 0;
  http.text_used = 0;
  FixedString<96> what;  // the part that failed, for the message
  const char* why = nullptr;

  auto describe = [&](const table::ValuePartRow& v) {
    what.clear();
    switch (v.kind) {
      case table::ValuePartRow::Kind::PathParam: what.append("path parameter {"); break;
      case table::ValuePartRow::Kind::Query: what.append("query parameter `"); break;
      case table::ValuePartRow::Kind::Header: what.append("header `"); break;
      case table::ValuePartRow::Kind::Body: what.append("body field `"); break;
      case table::ValuePartRow::Kind::Literal: what.append("`"); break;
    }
    what.append(p.strings[v.text]);
    what.append(v.kind == table::ValuePartRow::Kind::PathParam ? "}" : "`");
  };
  auto value_of = [&](const table::ValuePartRow& v) {
    Lookup out;
    switch (v.kind) {
      case table::ValuePartRow::Kind::PathParam:
        out.state = Lookup::State::Found;
        out.value = AttributeValue::string(http.path.value(v.segment));
        return out;
      case table::ValuePartRow::Kind::Query: return lookup_pairs(req.query, p.strings[v.text], false);
      case table::ValuePartRow::Kind::Header: return lookup_pairs(req.headers, p.strings[v.text], true);
      case table::ValuePartRow::Kind::Body: return lookup_body(req.body, p.strings[v.text]);
      case table::ValuePartRow::Kind::Literal:
        out.state = Lookup::State::Found;
        out.value = AttributeValue::string(p.strings[v.text]);
        return out;
    }
    return out;
  };
  // Text of one value for an id or a joined value: a string, or an integer
  // in decimal; anything else is not text.
  auto append_text = [&](const AttributeValue& v) {
    if (v.kind == AttributeValue::Kind::Bool) return false;
    char digits[24];
    std::string_view text = v.text;
    if (v.kind == AttributeValue::Kind::Int) {
      std::uint64_t n = v.number < 0 ? 0 - static_cast<std::uint64_t>(v.number) : static_cast<std::uint64_t>(v.number);
      std::size_t len = 0;
      do {
        digits[sizeof digits - 1 - len++] = static_cast<char>('0' + n % 10);
        n /= 10;
      } while (n);
      if (v.number < 0) digits[sizeof digits - 1 - len++] = '-';
      text = std::string_view(digits + sizeof digits - len, len);
    }
    if (text.size() > HttpState::kMaxText - http.text_used) return false;
    if (!text.empty()) std::memcpy(http.text + http.text_used, text.data(), text.size());
    http.text_used += text.size();
    return true;
  };
  // Parts joined into the text buffer. Missing: a part is absent.
  auto join = [&](table::Range parts, std::string_view& out) {
    const std::size_t begin = http.text_used;
    for (std::uint32_t k = 0; k < parts.count; ++k) {
      const table::ValuePartRow& v = p.value_parts[parts.begin + k];
      const Lookup l = value_of(v);
      if (l.state != Lookup::State::Found) {
        describe(v);
        return l.state;
      }
      if (!append_text(l.value)) {
        describe(v);
        why = "is not a string or an integer, or the value is too long";
        return Lookup::State::Ambiguous;  // refused like an ambiguous value
      }
    }
    out = std::string_view(http.text + begin, http.text_used - begin);
    return Lookup::State::Found;
  };
  auto fail = [&](const char* reason) {
    d.message.assign("cannot bind ");
    d.message.append(what.view());
    d.message.append(" ");
    d.message.append(why ? why : reason);
    d.message.append(" (");
    d.message.append(d.endpoint.view());
    d.message.append(")");
    add_endpoint(e);
    deny("INVALID_BINDING");
    return false;
  };

  // The resource id: required, exactly once, not empty.
  id = {};
  switch (e.id_kind) {
    case table::EndpointRow::IdKind::None: break;
    case table::EndpointRow::IdKind::PathParam: id = http.path.value(e.id_segment); break;
    case table::EndpointRow::IdKind::Query:
    case table::EndpointRow::IdKind::Header:
    case table::EndpointRow::IdKind::Body: {
      const auto kind = e.id_kind == table::EndpointRow::IdKind::Query    ? table::ValuePartRow::Kind::Query
                        : e.id_kind == table::EndpointRow::IdKind::Header ? table::ValuePartRow::Kind::Header
                                                                          : table::ValuePartRow::Kind::Body;
      const table::ValuePartRow part{kind, e.id_name, 0};
      const Lookup l = value_of(part);
      describe(part);
      if (l.state == Lookup::State::Missing) return fail("is missing: it names the resource");
      if (l.state == Lookup::State::Ambiguous) return fail("is given more than once");
      const std::size_t begin = http.text_used;
      if (!append_text(l.value)) return fail("is not a string or an integer");
      id = std::string_view(http.text + begin, http.text_used - begin);
      break;
    }
    case table::EndpointRow::IdKind::Composite: {
      const Lookup::State s = join(e.id_parts, id);
      if (s == Lookup::State::Missing) return fail("is missing: it is part of the resource id");
      if (s == Lookup::State::Ambiguous) return fail("is given more than once");
      break;
    }
  }
  if (e.id_kind != table::EndpointRow::IdKind::None && id.empty()) {
    what.assign("the resource id");
    return fail("is empty");
  }

  // The bound attributes: each may be absent, none may be ambiguous.
  const table::ResourceTypeRow& type = p.resources[e.resource_type];
  for (std::uint32_t k = 0; k < e.bindings.count; ++k) {
    const table::BindingRow& b = p.bindings[e.bindings.begin + k];
    const std::string_view name = p.strings[p.attributes[type.attributes.begin + b.attribute].name];
    if (b.parts.count == 1) {
      const table::ValuePartRow& v = p.value_parts[b.parts.begin];
      const Lookup l = value_of(v);
      if (l.state == Lookup::State::Missing) continue;
      if (l.state == Lookup::State::Ambiguous) {
        describe(v);
        return fail("is given more than once");
      }
      http.add_bound({name, l.value});
      continue;
    }
    std::string_view joined;
    const Lookup::State s = join(b.parts, joined);
    if (s == Lookup::State::Missing) continue;
    if (s == Lookup::State::Ambiguous) return fail("is given more than once");
    http.add_bound({name, AttributeValue::string(joined)});
  }
  for (std::size_t i = 0; i < http.bound_count; ++i) {
    tracef(TraceEvent::Kind::Step, "bind: resource.", http.bound(i).name, " from the request");
  }
  return true;
}

void Evaluation::deny_by_rule(const table::RuleRow& rule, Tri result, const SourceNote& note) {
  if (result == Tri::Error) {
    d.message.assign("deny rule ");
    append_quoted(d.message, p.strings[rule.name]);
    d.message.append(" could not be evaluated: ");
    d.message.append(eval_error.view());
    deny("EVAL_ERROR");
    return;
  }
  if (rule.message.count) {
    render_message(rule);
  } else {
    d.message.assign("denied by rule ");
    append_quoted(d.message, p.strings[rule.name]);
  }
  deny(p.strings[rule.code]);
  // The deny's own source: what made its subject hold (a role, a grant, a
  // condition, anyone).
  d.source = note.kind;
  if (!listing_) write_source(note, d.source_detail, &d.grant_id);
}

bool Evaluation::run_endpoint_denies(const table::EndpointRow& e) {
  for (std::uint32_t k = 0; k < e.denies.count; ++k) {
    const table::RuleRow& rule = p.rules[p.endpoint_rules[e.denies.begin + k]];
    SourceNote note;
    const Tri r = eval_rule(rule, note);
    if (r == Tri::False) continue;
    if (rule.monitor) {
      add_rule(rule, true);
      if (!http.monitor_deny) {
        http.monitor_deny = &rule;
        http.monitor_deny_error = r == Tri::Error;
        if (http.monitor_deny_error) {
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
    return false;
  }
  return true;
}

}  // namespace warden::runtime
