// The access diff of declarations: scopes, roles, levels, principal and
// resource types and the context, matched by name, compared by what they
// mean after closure (see access_diff.hpp). Rules and endpoints that depend
// on a changed declaration are reported as changed in meaning on their own;
// here the declaration itself is shown, and the actions a resource type
// gains or loses are marked as affected.
#include <algorithm>
#include <map>

#include "diff/access_diff.hpp"
#include "diff/access_diff_meaning.hpp"
#include "views/render.hpp"

namespace warden::diff {
namespace {

using table::Program;

// What one declaration means, as named fields, and where it is.
struct Decl {
  std::vector<std::pair<std::string, std::string>> fields;
  table::Loc loc;
};
using Decls = std::map<std::string, Decl>;  // by name

std::string names(const Program& p, table::Bits bits, const std::vector<table::Id>& name_of, table::Id except) {
  std::vector<std::string> out;
  for (const table::Id i : views::bit_members(p, bits)) {
    if (i != except) out.push_back(p.str(name_of[i]));
  }
  std::sort(out.begin(), out.end());
  return out.empty() ? "(none)" : meaning::join(out);
}

std::string attributes(const Program& p, table::Range attrs) {
  std::vector<std::string> out;
  for (std::uint32_t i = 0; i < attrs.count; ++i) {
    const table::AttributeRow& a = p.attributes[attrs.begin + i];
    if (!a.builtin) out.push_back(p.str(a.name) + ": " + views::attribute_type_text(p, a));
  }
  return out.empty() ? "(none)" : meaning::join(out);
}

std::vector<table::Id> scope_names(const Program& p) {
  std::vector<table::Id> v;
  for (const auto& s : p.scopes) v.push_back(s.name);
  return v;
}
std::vector<table::Id> role_names(const Program& p) {
  std::vector<table::Id> v;
  for (const auto& r : p.roles) v.push_back(r.name);
  return v;
}
std::vector<table::Id> principal_names(const Program& p) {
  std::vector<table::Id> v;
  for (const auto& t : p.principals) v.push_back(t.name);
  return v;
}

std::vector<std::string> action_list(const Program& p, table::Id type) {
  std::vector<std::string> out;
  for (table::Id a = 0; a < p.resources[type].actions.count; ++a) out.push_back(meaning::action_name(p, type, a));
  std::sort(out.begin(), out.end());
  return out;
}

// Every kind of declaration, by kind name.
std::map<std::string, Decls> declarations(const Program& p) {
  std::map<std::string, Decls> out;
  const auto scopes = scope_names(p), roles = role_names(p), principals = principal_names(p);
  for (table::Id i = 0; i < p.scopes.size(); ++i) {
    out["scope"][p.str(p.scopes[i].name)] = {{{"implies (closed)", names(p, p.scopes[i].closure, scopes, i)}}, p.scopes[i].loc};
  }
  for (table::Id i = 0; i < p.roles.size(); ++i) {
    out["role"][p.str(p.roles[i].name)] = {{{"inherits (closed)", names(p, p.roles[i].holds, roles, i)}}, p.roles[i].loc};
  }
  if (!p.levels.empty()) {
    std::vector<std::string> chain;
    for (const auto& l : p.levels) chain.push_back(p.str(l.name));
    out["levels"][""] = {{{"order", meaning::join(chain, " < ")}}, p.levels.front().loc};
  }
  for (table::Id i = 0; i < p.principals.size(); ++i) {
    const table::PrincipalTypeRow& t = p.principals[i];
    out["principal"][p.str(t.name)] = {
        {{"member of (closed)", names(p, t.collections, principals, i)}, {"attributes", attributes(p, t.attributes)}}, t.loc};
  }
  for (table::Id i = 0; i < p.resources.size(); ++i) {
    const table::ResourceTypeRow& t = p.resources[i];
    Decl d{{{"actions", meaning::join(action_list(p, i))},
            {"attributes", attributes(p, t.attributes)},
            {"grants to", names(p, t.grantees, principals, table::kNone)}},
           t.loc};
    for (std::uint32_t l = 0; l < t.level_actions.count && l < p.levels.size(); ++l) {
      std::vector<std::string> actions;
      for (const table::Id a : views::bit_members(p, p.bit_refs[t.level_actions.begin + l])) {
        actions.push_back(meaning::action_name(p, i, a));
      }
      std::sort(actions.begin(), actions.end());
      d.fields.push_back({"level " + p.str(p.levels[l].name) + " permits", meaning::join(actions)});
    }
    out["resource"][p.str(t.name)] = std::move(d);
  }
  const std::string context = attributes(p, p.context_attributes);
  if (context != "(none)") out["context"][""] = {{{"attributes", context}}, {}};
  return out;
}

// The actions a resource type has in one version and not the other.
void mark_actions(const Program& a, const Program& b, const std::string& type, AccessDiff& out) {
  auto actions_of = [&](const Program& p) {
    std::vector<std::string> v;
    for (table::Id t = 0; t < p.resources.size(); ++t) {
      if (meaning::type_name(p, t) == type) v = action_list(p, t);
    }
    return v;
  };
  const auto x = actions_of(a), y = actions_of(b);
  for (const auto& n : x) {
    if (std::find(y.begin(), y.end(), n) == y.end()) out.affected.insert({type, n});
  }
  for (const auto& n : y) {
    if (std::find(x.begin(), x.end(), n) == x.end()) out.affected.insert({type, n});
  }
}

}  // namespace

void diff_declarations(const PolicyVersion& before, const PolicyVersion& after, AccessDiff& out) {
  const Program &a = *before.program, &b = *after.program;
  const auto da = declarations(a), db = declarations(b);
  for (const char* kind : {"levels", "scope", "role", "principal", "resource", "context"}) {
    static const Decls kEmpty;
    const auto fa = da.find(kind), fb = db.find(kind);
    const Decls& xa = fa == da.end() ? kEmpty : fa->second;
    const Decls& xb = fb == db.end() ? kEmpty : fb->second;
    std::set<std::string> all;
    for (const auto& [n, d] : xa) all.insert(n);
    for (const auto& [n, d] : xb) all.insert(n);
    for (const auto& name : all) {
      const auto ia = xa.find(name), ib = xb.find(name);
      DeclarationChange c;
      c.kind = kind;
      c.name = name;
      if (ia != xa.end()) c.location_before = source_location(before, ia->second.loc);
      if (ib != xb.end()) c.location_after = source_location(after, ib->second.loc);
      if (ia == xa.end() || ib == xb.end()) {
        c.change = ia == xa.end() ? ChangeKind::Added : ChangeKind::Removed;
        const Decl& d = ia == xa.end() ? ib->second : ia->second;
        for (const auto& [f, v] : d.fields) c.fields.push_back({f, ia == xa.end() ? "" : v, ia == xa.end() ? v : ""});
      } else {
        // Fields by name, in the order the old version has them, then new ones.
        auto value = [](const Decl& decl, const std::string& wanted) {
          for (const auto& [f, v] : decl.fields) {
            if (f == wanted) return v;
          }
          return std::string();
        };
        std::vector<std::string> order;
        for (const Decl* decl : {&ia->second, &ib->second}) {
          for (const auto& [f, v] : decl->fields) {
            if (std::find(order.begin(), order.end(), f) == order.end()) order.push_back(f);
          }
        }
        for (const auto& f : order) {
          const std::string v = value(ia->second, f), w = value(ib->second, f);
          if (v != w) c.fields.push_back({f, v, w});
        }
        if (c.fields.empty()) continue;
      }
      if (c.kind == "resource") mark_actions(a, b, name, out);
      out.declarations.push_back(std::move(c));
    }
  }
}

}  // namespace warden::diff
