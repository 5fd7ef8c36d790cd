// Rendering the access diff as text for review and as JSON for tools (see
// access_diff.hpp). Text: one section per kind of change, `+` added (or
// gains), `-` removed (or loses), `~` changed, each with the fields that
// differ as `before -> after` and the source locations on both sides; then
// a summary line.
#include <map>

#include "diff/access_diff.hpp"
#include "support/json_writer.hpp"

namespace warden::diff {
namespace {

const char* mark(ChangeKind k) { return k == ChangeKind::Added ? "+" : k == ChangeKind::Removed ? "-" : "~"; }

void line(std::string& out, const std::string& label, const std::string& value) {
  std::string l = "      " + label + ":";
  if (l.size() < 19) l.resize(19, ' ');
  else l += ' ';
  out += l + value + "\n";
}

void fields(std::string& out, ChangeKind k, const std::vector<FieldChange>& fs) {
  for (const auto& f : fs) {
    if (k == ChangeKind::Added) line(out, f.field, f.after);
    else if (k == ChangeKind::Removed) line(out, f.field, f.before);
    else line(out, f.field, (f.before.empty() ? "(none)" : f.before) + " -> " + (f.after.empty() ? "(none)" : f.after));
  }
}

void locations(std::string& out, const std::string& before, const std::string& after) {
  if (!before.empty() && !after.empty()) line(out, "at", before + " -> " + after);
  else if (!before.empty()) line(out, "was at", before);
  else if (!after.empty()) line(out, "at", after);
}

int rank(const std::string& status) { return status == "allow" ? 2 : status == "conditional" ? 1 : 0; }

std::string rule_sites(const std::vector<RuleSite>& rules) {
  std::string s;
  for (const auto& r : rules) s += (s.empty() ? "" : ", ") + ("`" + r.name + "`") + (r.location.empty() ? "" : " (" + r.location + ")");
  return s.empty() ? "(none)" : s;
}

// "keys with scope `a`, `b`" from one entry per scope.
std::string callers(const std::vector<std::string>& items) {
  constexpr std::string_view kKeys = "keys with scope ";
  std::string keys, rest;
  for (const auto& i : items) {
    if (i.rfind(kKeys, 0) == 0) keys += (keys.empty() ? std::string(kKeys) : ", ") + i.substr(kKeys.size());
    else rest += (rest.empty() ? "" : "; ") + i;
  }
  return rest.empty() ? keys : keys.empty() ? rest : rest + "; " + keys;
}

std::string plural(std::size_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); }

void cells_text(std::string& out, const std::vector<CellChange>& cells) {
  // Grouped by holder, status change and responsible rules; actions listed per type.
  struct Group {
    std::string head;
    std::vector<std::pair<std::string, std::vector<std::string>>> types;  // type -> actions, in order
    std::string before_rules, after_rules;
  };
  std::vector<Group> groups;
  std::map<std::string, std::size_t> index;
  for (const auto& c : cells) {
    const char* sign = rank(c.after) > rank(c.before) ? "+" : rank(c.after) < rank(c.before) ? "-" : "~";
    const std::string verb = *sign == '+' ? "gains" : *sign == '-' ? "loses" : "changes";
    const std::string head = std::string("  ") + sign + " " + c.holder + " " + verb + " (" + c.before + " -> " + c.after + ")";
    const std::string before = rule_sites(c.rules_before), after = rule_sites(c.rules_after);
    const std::string key = head + "\n" + before + "\n" + after;
    auto [it, fresh] = index.try_emplace(key, groups.size());
    if (fresh) groups.push_back({head, {}, before, after});
    Group& g = groups[it->second];
    if (g.types.empty() || g.types.back().first != c.type) g.types.push_back({c.type, {}});
    g.types.back().second.push_back(c.action);
  }
  for (const auto& g : groups) {
    out += g.head + "\n";
    for (const auto& [type, actions] : g.types) {
      std::string list;
      for (const auto& a : actions) list += (list.empty() ? "" : ", ") + a;
      line(out, "on " + type, list);
    }
    line(out, "rules before", g.before_rules);
    line(out, "rules after", g.after_rules);
  }
}

void field_json(json::Writer& w, const std::vector<FieldChange>& fs) {
  w.key("fields").begin_array();
  for (const auto& f : fs) w.begin_object().field("field", f.field).field("before", f.before).field("after", f.after).end_object();
  w.end_array();
}

void strings_json(json::Writer& w, const char* key, const std::vector<std::string>& items) {
  w.key(key).begin_array();
  for (const auto& s : items) w.string(s);
  w.end_array();
}

void sites_json(json::Writer& w, const char* key, const std::vector<RuleSite>& rules) {
  w.key(key).begin_array();
  for (const auto& r : rules) w.begin_object().field("name", r.name).field("location", r.location).end_object();
  w.end_array();
}

}  // namespace

std::string diff_text(const AccessDiff& d) {
  std::string out = "warden diff " + d.old_path + " -> " + d.new_path + "\n";
  if (!d.policy.empty()) {
    out += "\npolicy\n";
    for (const auto& c : d.policy) out += "  ~ " + c.field + ": " + c.before + " -> " + c.after + "\n";
  }
  if (!d.declarations.empty()) {
    out += "\ndeclarations\n";
    for (const auto& c : d.declarations) {
      out += std::string("  ") + mark(c.change) + " " + c.kind + (c.name.empty() ? "" : " `" + c.name + "`") + "\n";
      fields(out, c.change, c.fields);
      locations(out, c.location_before, c.location_after);
    }
  }
  if (!d.endpoints.empty()) {
    out += "\nendpoints\n";
    for (const auto& c : d.endpoints) {
      out += std::string("  ") + mark(c.change) + " " + c.method + " " + c.pattern + "\n";
      fields(out, c.change, c.fields);
      if (!c.gains.empty()) line(out, "gains", callers(c.gains));
      if (!c.loses.empty()) line(out, "loses", callers(c.loses));
      locations(out, c.location_before, c.location_after);
    }
  }
  if (!d.rules.empty()) {
    out += "\nrules\n";
    for (const auto& c : d.rules) {
      out += std::string("  ") + mark(c.change) + " " + c.effect + " `" + c.name + "`\n";
      fields(out, c.change, c.fields);
      if (c.change == ChangeKind::Added) line(out, "applies to", c.holders_after);
      else if (c.change == ChangeKind::Removed) line(out, "applied to", c.holders_before);
      else if (c.holders_before != c.holders_after) {
        bool shown = false;
        for (const auto& f : c.fields) shown = shown || f.field == "subject applies to";
        if (!shown) line(out, "applies to", c.holders_before + " -> " + c.holders_after);
      }
      locations(out, c.location_before, c.location_after);
    }
  }
  if (!d.cells.empty()) {
    out += "\naccess by role, scope and grant level\n";
    cells_text(out, d.cells);
  }
  if (!d.order.empty()) {
    out += "\nevaluation order of denies\n";
    for (const auto& o : d.order) {
      std::string a, b;
      for (const auto& n : o.before) a += (a.empty() ? "`" : ", `") + n + "`";
      for (const auto& n : o.after) b += (b.empty() ? "`" : ", `") + n + "`";
      out += "  ~ " + o.action + " on " + o.type + ": " + a + " -> " + b + "\n";
    }
  }
  if (d.empty()) return out + "\nno changes\n";
  std::vector<std::string> parts;
  if (!d.policy.empty()) parts.push_back(plural(d.policy.size(), "policy setting", "policy settings"));
  if (!d.declarations.empty()) parts.push_back(plural(d.declarations.size(), "declaration", "declarations"));
  if (!d.endpoints.empty()) parts.push_back(plural(d.endpoints.size(), "endpoint", "endpoints"));
  if (!d.rules.empty()) parts.push_back(plural(d.rules.size(), "rule", "rules"));
  if (!d.cells.empty()) parts.push_back(plural(d.cells.size(), "access cell", "access cells"));
  if (!d.order.empty()) parts.push_back(plural(d.order.size(), "evaluation order", "evaluation orders"));
  std::string summary;
  for (const auto& p : parts) summary += (summary.empty() ? "" : ", ") + p;
  return out + "\nchanged: " + summary + "\n";
}

std::string diff_json(const AccessDiff& d) {
  std::string buf;
  json::Writer w(buf);
  w.begin_object().field("old", d.old_path).field("new", d.new_path).field("changed", !d.empty());
  w.key("policy").begin_array();
  for (const auto& c : d.policy) w.begin_object().field("field", c.field).field("before", c.before).field("after", c.after).end_object();
  w.end_array().key("declarations").begin_array();
  for (const auto& c : d.declarations) {
    w.begin_object().field("kind", c.kind).field("name", c.name).field("change", change_kind_name(c.change));
    field_json(w, c.fields);
    w.field("location_before", c.location_before).field("location_after", c.location_after).end_object();
  }
  w.end_array().key("endpoints").begin_array();
  for (const auto& c : d.endpoints) {
    w.begin_object().field("method", c.method).field("pattern", c.pattern).field("change", change_kind_name(c.change));
    field_json(w, c.fields);
    strings_json(w, "gains", c.gains);
    strings_json(w, "loses", c.loses);
    w.field("location_before", c.location_before).field("location_after", c.location_after).end_object();
  }
  w.end_array().key("rules").begin_array();
  for (const auto& c : d.rules) {
    w.begin_object().field("name", c.name).field("effect", c.effect).field("change", change_kind_name(c.change));
    field_json(w, c.fields);
    w.field("applies_to_before", c.holders_before).field("applies_to_after", c.holders_after);
    w.field("location_before", c.location_before).field("location_after", c.location_after).end_object();
  }
  w.end_array().key("cells").begin_array();
  for (const auto& c : d.cells) {
    w.begin_object().field("holder", c.holder).field("type", c.type).field("action", c.action);
    w.field("before", c.before).field("after", c.after);
    sites_json(w, "rules_before", c.rules_before);
    sites_json(w, "rules_after", c.rules_after);
    w.end_object();
  }
  w.end_array().key("order").begin_array();
  for (const auto& o : d.order) {
    w.begin_object().field("type", o.type).field("action", o.action);
    strings_json(w, "before", o.before);
    strings_json(w, "after", o.after);
    w.end_object();
  }
  w.end_array().end_object();
  return buf + "\n";
}

}  // namespace warden::diff
