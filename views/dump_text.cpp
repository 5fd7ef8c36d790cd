// The text dump of a decision table (see dump.hpp): one section per table,
// names instead of ids, closures spelled out, `file:line:col` on every row
// that has a source.
#include <algorithm>

#include "views/dump.hpp"
#include "views/render.hpp"

namespace warden::views {

using namespace table;  // the vocabulary of every function here
namespace {

// Rows of columns printed with every column but the last padded to its
// widest cell, so that names, locations and details line up.
class Columns {
 public:
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void print(std::string& out, const std::string& indent) const {
    std::vector<std::size_t> width;
    for (const auto& row : rows_) {
      if (width.size() < row.size()) width.resize(row.size(), 0);
      for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
    }
    for (const auto& row : rows_) {
      std::string line = indent;
      for (std::size_t c = 0; c < row.size(); ++c) {
        line += row[c];
        if (c + 1 < row.size()) line += std::string(width[c] - row[c].size() + 2, ' ');
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
    }
  }

 private:
  std::vector<std::vector<std::string>> rows_;
};

std::string join(const std::vector<std::string>& items, const char* sep = ", ") {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out.empty() ? "-" : out;
}

template <class Table>
std::string names(const Program& p, const std::vector<Id>& ids, const Table& table) {
  std::vector<std::string> out;
  for (const Id id : ids) out.push_back(p.str(table[id].name));
  return join(out);
}

std::string id_names(const Program& p, Range slice, const auto& table) {
  std::vector<Id> ids(p.ids.begin() + slice.begin, p.ids.begin() + slice.end());
  return names(p, ids, table);
}

std::string attributes_text(const Program& p, Range attrs) {
  std::vector<std::string> out;
  for (std::uint32_t i = 0; i < attrs.count; ++i) {
    const AttributeRow& a = p.attributes[attrs.begin + i];
    out.push_back(p.str(a.name) + ": " + attribute_type_text(p, a));
  }
  return join(out);
}

void header_section(std::string& out, const Program& p, const ArtifactHeader* h) {
  out += "policy " + p.str(p.name) + "\n";
  Columns c;
  c.add({"mode", mode_name(p.mode)});
  if (h) {
    c.add({"format version", std::to_string(h->format_version)});
    c.add({"compiler", h->compiler_version});
    c.add({"fingerprint", hex64(h->source_fingerprint)});
    c.add({"checksum", hex64(h->checksum)});
    c.add({"payload", std::to_string(h->payload_size) + " bytes"});
    c.add({"signature", h->is_signed() ? "ed25519, key " + hex64(h->key_id) : "unsigned"});
  }
  c.add({"files", join(p.files)});
  c.print(out, "  ");
}

void tenancy_section(std::string& out, const Program& p) {
  const TenancyRow& t = p.tenancy;
  out += "\ntenancy" + std::string(t.declared ? "" : " (not declared)") +
         (t.loc.file == kNone ? "" : "  " + loc_text(p, t.loc)) + "\n";
  std::vector<std::string> sources;
  for (std::uint32_t i = 0; i < t.sources.count; ++i) {
    const TenantSourceRow& s = p.tenant_sources[t.sources.begin + i];
    sources.push_back(s.kind == TenantSourceRow::Kind::Header ? "header " + string_literal(p.str(s.header)) : "principal");
  }
  Columns c;
  c.add({"isolation", t.isolation ? "on" : "off"});
  c.add({"tenant from", join(sources)});
  c.add({"default", string_literal(p.str(t.default_tenant))});
  c.print(out, "  ");
}

void symbols_section(std::string& out, const Program& p) {
  out += "\nsymbols (" + std::to_string(p.strings.size()) + " strings)\n";
  Columns c;
  for (std::size_t i = 0; i < p.strings.size(); ++i) c.add({std::to_string(i), string_literal(p.strings[i])});
  c.print(out, "  ");
}

void hierarchy_sections(std::string& out, const Program& p) {
  out += "\nscopes (" + std::to_string(p.scopes.size()) + "; closure: the scopes a key holding it holds)\n";
  Columns scopes;
  for (const auto& s : p.scopes) scopes.add({p.str(s.name), loc_text(p, s.loc), names(p, bit_members(p, s.closure), p.scopes)});
  scopes.print(out, "  ");

  out += "\nlevels (" + std::to_string(p.levels.size()) + ", lowest first)\n";
  Columns levels;
  for (std::size_t i = 0; i < p.levels.size(); ++i) levels.add({std::to_string(i), p.str(p.levels[i].name), loc_text(p, p.levels[i].loc)});
  levels.print(out, "  ");

  out += "\nroles (" + std::to_string(p.roles.size()) + "; holds: the roles a holder of it holds)\n";
  Columns roles;
  for (const auto& r : p.roles) {
    roles.add({p.str(r.name), loc_text(p, r.loc), "inherits " + id_names(p, r.parents, p.roles),
               "holds " + names(p, bit_members(p, r.holds), p.roles)});
  }
  roles.print(out, "  ");
}

void type_sections(std::string& out, const Program& p) {
  out += "\nprincipal types (" + std::to_string(p.principals.size()) + ")\n";
  for (const auto& t : p.principals) {
    out += "  " + p.str(t.name) + "  " + loc_text(p, t.loc) + "\n";
    Columns c;
    c.add({"attributes", attributes_text(p, t.attributes)});
    c.add({"member of", id_names(p, t.member_of, p.principals)});
    c.add({"collections", names(p, bit_members(p, t.collections), p.principals)});
    c.print(out, "    ");
  }

  out += "\nresource types (" + std::to_string(p.resources.size()) + ")\n";
  for (const auto& t : p.resources) {
    out += "  " + p.str(t.name) + "  " + loc_text(p, t.loc) + "\n";
    std::vector<std::string> actions;
    for (std::uint32_t a = 0; a < t.actions.count; ++a) actions.push_back(p.str(p.action_names[t.actions.begin + a]));
    Columns c;
    c.add({"actions", join(actions)});
    c.add({"attributes", attributes_text(p, t.attributes)});
    c.add({"grantees", names(p, bit_members(p, t.grantees), p.principals)});
    for (std::uint32_t l = 0; l < t.level_actions.count; ++l) {
      std::vector<std::string> permitted;
      for (const Id a : bit_members(p, p.bit_refs[t.level_actions.begin + l])) permitted.push_back(actions[a]);
      c.add({"level " + p.str(p.levels[l].name), join(permitted)});
    }
    c.print(out, "    ");
  }

  out += "\ncontext attributes\n  " + attributes_text(p, p.context_attributes) + "\n";
}

void endpoint_sections(std::string& out, const Program& p) {
  out += "\nendpoints (" + std::to_string(p.endpoints.size()) + ")\n";
  for (std::size_t i = 0; i < p.endpoints.size(); ++i) {
    const EndpointRow& e = p.endpoints[i];
    out += "  #" + std::to_string(i) + "  " + methods_text(e) + " " + p.str(e.pattern) + "  " + loc_text(p, e.loc) + "\n";
    Columns c;
    c.add({"requires", requirements_text(p, e)});
    if (e.has_action) {
      const ResourceTypeRow& t = p.resources[e.resource_type];
      const std::string id = id_source_text(p, e);
      c.add({"action", p.str(p.action_names[t.actions.begin + e.action]) + " on " + p.str(t.name) +
                           (id.empty() ? "" : ", id from " + id)});
    }
    c.print(out, "        ");
  }

  out += "\nroutes (per method, in matching precedence: literal, {param}, *, **)\n";
  for (std::size_t m = 0; m < kMethodCount; ++m) {
    const auto order = route_order(p, static_cast<Method>(m));
    if (order.empty()) continue;
    out += "  " + std::string(method_name(static_cast<Method>(m))) + "\n";
    Columns c;
    for (const Id e : order) c.add({"#" + std::to_string(e), p.str(p.endpoints[e].pattern)});
    c.print(out, "    ");
  }
}

void rule_sections(std::string& out, const Program& p) {
  out += "\nrules (" + std::to_string(p.rules.size()) + ")\n";
  for (std::size_t i = 0; i < p.rules.size(); ++i) {
    const RuleRow& r = p.rules[i];
    out += "  r" + std::to_string(i) + "  " + effect_name(r.effect) + " " + p.str(r.name) + "  " + loc_text(p, r.loc) + "\n";
    Columns c;
    c.add({"subject", predicate_text(p, p.predicates[r.subject])});
    if (r.when.count) c.add({"when", condition_text(p, r.when)});
    if (r.unless.count) c.add({"unless", condition_text(p, r.unless)});
    if (r.code != kNone) c.add({"code", p.str(r.code)});
    if (r.message.count) c.add({"message", string_literal(message_text(p, r.message))});
    std::vector<std::string> flags;
    if (r.monitor) flags.push_back("monitor");
    if (r.cross_tenant) flags.push_back("cross_tenant");
    if (!flags.empty()) c.add({"flags", join(flags)});
    c.print(out, "        ");
  }

  out += "\nrule table (per resource type and action: candidate rules in evaluation order)\n";
  for (const auto& t : p.resources) {
    for (std::uint32_t a = 0; a < t.actions.count; ++a) {
      const Range list = p.rule_lists[t.rule_lists + a];
      out += "  " + p.str(t.name) + "." + p.str(p.action_names[t.actions.begin + a]) +
             (list.count ? "" : "  (no rules: always denied)") + "\n";
      Columns c;
      for (std::uint32_t k = 0; k < list.count; ++k) {
        const Id id = p.rule_ids[list.begin + k];
        c.add({"r" + std::to_string(id), effect_name(p.rules[id].effect), p.str(p.rules[id].name)});
      }
      c.print(out, "    ");
    }
  }
}

}  // namespace

std::string dump_text(const Program& program, const ArtifactHeader* header) {
  std::string out;
  header_section(out, program, header);
  tenancy_section(out, program);
  symbols_section(out, program);
  hierarchy_sections(out, program);
  type_sections(out, program);
  endpoint_sections(out, program);
  rule_sections(out, program);
  return out;
}

}  // namespace warden::views
