// The JSON dump of a decision table (see dump.hpp): the same content as the
// text dump, as one object with names resolved and ids kept where tools need
// to cross-reference (endpoints, rules). Locations are {"file","line",
// "column","length"} objects, or null for built-ins.
#include "support/diagnostic_render.hpp"
#include "views/dump.hpp"
#include "views/render.hpp"

namespace warden::views {

using namespace table;  // the vocabulary of every function here
namespace {

// A minimal streaming writer: it places the commas, the caller the structure.
class Json {
 public:
  Json& begin_object() { return open('{'); }
  Json& end_object() { return close('}'); }
  Json& begin_array() { return open('['); }
  Json& end_array() { return close(']'); }
  Json& key(std::string_view k) {
    comma();
    out_ += json_string(k) + ":";
    after_key_ = true;
    return *this;
  }
  Json& str(std::string_view s) { return raw(json_string(s)); }
  Json& num(std::uint64_t n) { return raw(std::to_string(n)); }
  Json& boolean(bool b) { return raw(b ? "true" : "false"); }
  Json& null() { return raw("null"); }
  Json& raw(const std::string& text) {
    comma();
    out_ += text;
    return *this;
  }
  std::string take() { return std::move(out_); }

 private:
  Json& open(char c) {
    comma();
    out_ += c;
    first_ = true;
    return *this;
  }
  Json& close(char c) {
    out_ += c;
    first_ = false;
    return *this;
  }
  void comma() {
    if (after_key_) {
      after_key_ = false;
      first_ = false;
      return;
    }
    if (!first_) out_ += ',';
    first_ = false;
  }

  std::string out_;
  bool first_ = true;
  bool after_key_ = false;
};

void loc(Json& j, const Program& p, const Loc& l) {
  if (l.file == kNone) {
    j.null();
    return;
  }
  j.begin_object().key("file").str(p.files[l.file]).key("line").num(l.line).key("column").num(l.column);
  j.key("length").num(l.length).end_object();
}

template <class Table>
void names(Json& j, const Program& p, const std::vector<Id>& ids, const Table& table) {
  j.begin_array();
  for (const Id id : ids) j.str(p.str(table[id].name));
  j.end_array();
}

std::vector<Id> slice(const Program& p, Range r) { return {p.ids.begin() + r.begin, p.ids.begin() + r.end()}; }

void attributes(Json& j, const Program& p, Range attrs) {
  j.begin_array();
  for (std::uint32_t i = 0; i < attrs.count; ++i) {
    const AttributeRow& a = p.attributes[attrs.begin + i];
    j.begin_object().key("name").str(p.str(a.name)).key("type").str(attribute_type_text(p, a));
    j.key("builtin").boolean(a.builtin != 0).end_object();
  }
  j.end_array();
}

void header(Json& j, const Program& p, const ArtifactHeader* h) {
  j.key("policy").str(p.str(p.name)).key("mode").str(mode_name(p.mode));
  if (h) {
    j.key("format_version").num(h->format_version).key("compiler").str(h->compiler_version);
    j.key("fingerprint").str(hex64(h->source_fingerprint)).key("checksum").str(hex64(h->checksum));
    j.key("payload_bytes").num(h->payload_size).key("signature");
    if (h->is_signed()) {
      j.begin_object().key("algorithm").str("ed25519").key("key_id").str(hex64(h->key_id)).end_object();
    } else {
      j.null();
    }
  } else {
    j.key("format_version").num(kFormatVersion).key("compiler").null().key("fingerprint").null();
    j.key("checksum").null().key("payload_bytes").null().key("signature").null();
  }
  j.key("files").begin_array();
  for (const auto& f : p.files) j.str(f);
  j.end_array();

  const TenancyRow& t = p.tenancy;
  j.key("tenancy").begin_object().key("declared").boolean(t.declared != 0).key("isolation").boolean(t.isolation != 0);
  j.key("sources").begin_array();
  for (std::uint32_t i = 0; i < t.sources.count; ++i) {
    const TenantSourceRow& s = p.tenant_sources[t.sources.begin + i];
    j.begin_object();
    if (s.kind == TenantSourceRow::Kind::Header) {
      j.key("kind").str("header").key("header").str(p.str(s.header));
    } else {
      j.key("kind").str("principal");
    }
    j.end_object();
  }
  j.end_array().key("default").str(p.str(t.default_tenant)).key("loc");
  loc(j, p, t.loc);
  j.end_object();

  j.key("strings").begin_array();
  for (const auto& s : p.strings) j.str(s);
  j.end_array();
}

void hierarchies(Json& j, const Program& p) {
  j.key("scopes").begin_array();
  for (const auto& s : p.scopes) {
    j.begin_object().key("name").str(p.str(s.name)).key("closure");
    names(j, p, bit_members(p, s.closure), p.scopes);
    j.key("loc");
    loc(j, p, s.loc);
    j.end_object();
  }
  j.end_array().key("levels").begin_array();
  for (const auto& l : p.levels) {
    j.begin_object().key("name").str(p.str(l.name)).key("loc");
    loc(j, p, l.loc);
    j.end_object();
  }
  j.end_array().key("roles").begin_array();
  for (const auto& r : p.roles) {
    j.begin_object().key("name").str(p.str(r.name)).key("inherits");
    names(j, p, slice(p, r.parents), p.roles);
    j.key("holds");
    names(j, p, bit_members(p, r.holds), p.roles);
    j.key("loc");
    loc(j, p, r.loc);
    j.end_object();
  }
  j.end_array();
}

void types(Json& j, const Program& p) {
  j.key("principal_types").begin_array();
  for (const auto& t : p.principals) {
    j.begin_object().key("name").str(p.str(t.name)).key("attributes");
    attributes(j, p, t.attributes);
    j.key("member_of");
    names(j, p, slice(p, t.member_of), p.principals);
    j.key("collections");
    names(j, p, bit_members(p, t.collections), p.principals);
    j.key("loc");
    loc(j, p, t.loc);
    j.end_object();
  }
  j.end_array().key("resource_types").begin_array();
  for (const auto& t : p.resources) {
    j.begin_object().key("name").str(p.str(t.name)).key("actions").begin_array();
    for (std::uint32_t a = 0; a < t.actions.count; ++a) j.str(p.str(p.action_names[t.actions.begin + a]));
    j.end_array().key("attributes");
    attributes(j, p, t.attributes);
    j.key("grantees");
    names(j, p, bit_members(p, t.grantees), p.principals);
    j.key("level_actions").begin_object();
    for (std::uint32_t l = 0; l < t.level_actions.count; ++l) {
      j.key(p.str(p.levels[l].name)).begin_array();
      for (const Id a : bit_members(p, p.bit_refs[t.level_actions.begin + l])) j.str(p.str(p.action_names[t.actions.begin + a]));
      j.end_array();
    }
    j.end_object().key("loc");
    loc(j, p, t.loc);
    j.end_object();
  }
  j.end_array().key("context_attributes");
  attributes(j, p, p.context_attributes);
}

void endpoints(Json& j, const Program& p) {
  j.key("endpoints").begin_array();
  for (std::size_t i = 0; i < p.endpoints.size(); ++i) {
    const EndpointRow& e = p.endpoints[i];
    j.begin_object().key("id").num(i).key("methods").begin_array();
    for (std::size_t m = 0; m < kMethodCount; ++m) {
      if ((e.methods >> m) & 1u) j.str(method_name(static_cast<Method>(m)));
    }
    j.end_array().key("any_method").boolean(e.any_method != 0).key("pattern").str(p.str(e.pattern));
    j.key("public").boolean(e.is_public != 0).key("all_of");
    names(j, p, bit_members(p, e.all_of), p.scopes);
    j.key("any_of").begin_array();
    for (std::uint32_t k = 0; k < e.any_of.count; ++k) names(j, p, bit_members(p, p.bit_refs[e.any_of.begin + k]), p.scopes);
    j.end_array().key("action");
    if (e.has_action) {
      const ResourceTypeRow& t = p.resources[e.resource_type];
      j.begin_object().key("resource_type").str(p.str(t.name));
      j.key("action").str(p.str(p.action_names[t.actions.begin + e.action])).key("id_source");
      if (e.id_kind == EndpointRow::IdKind::None) {
        j.null();
      } else {
        static constexpr const char* kKinds[] = {"none", "path", "query", "header"};
        j.begin_object().key("kind").str(kKinds[static_cast<std::size_t>(e.id_kind)]).key("name").str(p.str(e.id_name));
        j.end_object();
      }
      j.end_object();
    } else {
      j.null();
    }
    j.key("loc");
    loc(j, p, e.loc);
    j.end_object();
  }
  j.end_array().key("routes").begin_object();
  for (std::size_t m = 0; m < kMethodCount; ++m) {
    const auto order = route_order(p, static_cast<Method>(m));
    if (order.empty()) continue;
    j.key(method_name(static_cast<Method>(m))).begin_array();
    for (const Id e : order) j.num(e);
    j.end_array();
  }
  j.end_object();
}

void program(Json& j, const Program& p, Range code) {
  if (code.count == 0) {
    j.null();
    return;
  }
  j.begin_object().key("expr").str(condition_text(p, code)).key("code").begin_array();
  for (const auto& line : disassemble(p, code)) j.str(line);
  j.end_array().end_object();
}

void rules(Json& j, const Program& p) {
  j.key("rules").begin_array();
  for (std::size_t i = 0; i < p.rules.size(); ++i) {
    const RuleRow& r = p.rules[i];
    j.begin_object().key("id").num(i).key("name").str(p.str(r.name)).key("effect").str(effect_name(r.effect));
    j.key("subject").str(predicate_text(p, p.predicates[r.subject])).key("when");
    program(j, p, r.when);
    j.key("unless");
    program(j, p, r.unless);
    j.key("stack_depth").num(r.stack_depth).key("code");
    if (r.code == kNone) j.null(); else j.str(p.str(r.code));
    j.key("message");
    if (r.message.count) j.str(message_text(p, r.message)); else j.null();
    j.key("monitor").boolean(r.monitor != 0).key("cross_tenant").boolean(r.cross_tenant != 0).key("loc");
    loc(j, p, r.loc);
    j.end_object();
  }
  j.end_array().key("rule_table").begin_array();
  for (const auto& t : p.resources) {
    for (std::uint32_t a = 0; a < t.actions.count; ++a) {
      const Range list = p.rule_lists[t.rule_lists + a];
      j.begin_object().key("resource_type").str(p.str(t.name));
      j.key("action").str(p.str(p.action_names[t.actions.begin + a])).key("rules").begin_array();
      for (std::uint32_t k = 0; k < list.count; ++k) j.num(p.rule_ids[list.begin + k]);
      j.end_array().end_object();
    }
  }
  j.end_array();
}

}  // namespace

std::string dump_json(const Program& p, const ArtifactHeader* h) {
  Json j;
  j.begin_object();
  header(j, p, h);
  hierarchies(j, p);
  types(j, p);
  endpoints(j, p);
  rules(j, p);
  j.end_object();
  return j.take() + "\n";
}

}  // namespace warden::views
