// The mapping against a policy (see mapping_policy.hpp).
#include "postgres/mapping_policy.hpp"

#include <algorithm>
#include <string>

namespace warden::postgres {
namespace {

using table::Program;

class PolicyCheck {
 public:
  PolicyCheck(const Program& p) : p_(p) {
    for (const auto& t : p.principals) principal_types_.push_back(p.str(t.name));
    for (const auto& t : p.resources) resource_types_.push_back(p.str(t.name));
    for (const auto& l : p.levels) levels_.push_back(p.str(l.name));
    for (const auto& r : p.roles) roles_.push_back(p.str(r.name));
    for (const auto& s : p.scopes) scopes_.push_back(p.str(s.name));
    all_types_ = principal_types_;
    all_types_.insert(all_types_.end(), resource_types_.begin(), resource_types_.end());
  }

  std::vector<Diagnostic> diagnostics;

  void run(const Mapping& m) {
    std::vector<std::pair<std::string, Span>> entity_types;
    for (const FactMapping& e : m.entries) {
      switch (e.kind) {
        case FactKind::Entity: entity(e, entity_types); break;
        case FactKind::Membership:
          names(e, "member_type", principal_types_, Code::P0201, "principal type");
          names(e, "collection_type", principal_types_, Code::P0201, "principal type");
          break;
        case FactKind::Role:
          names(e, "principal_type", principal_types_, Code::P0201, "principal type");
          names(e, "role", roles_, Code::P0203, "role");
          names(e, "scope_type", all_types_, Code::P0201, "type");
          break;
        case FactKind::Grant:
          names(e, "subject_type", principal_types_, Code::P0201, "principal type");
          names(e, "resource_type", resource_types_, Code::P0201, "resource type");
          names(e, "level", levels_, Code::P0202, "level");
          break;
        case FactKind::ApiKey:
          names(e, "principal_type", principal_types_, Code::P0201, "principal type");
          scopes(e);
          break;
      }
    }
  }

 private:
  // Every constant a field can produce: its value, its map's values, its
  // default and its value for NULL.
  static std::vector<const Constant*> constants(const FieldSpec& f) {
    std::vector<const Constant*> out;
    if (f.from == FieldSpec::From::Constant) out.push_back(&f.constant);
    for (const auto& [from, to] : f.map) out.push_back(&to);
    if (f.otherwise) out.push_back(&*f.otherwise);
    if (f.if_null) out.push_back(&*f.if_null);
    return out;
  }

  void unknown(Code code, Span at, const std::string& what, const std::string& name,
               const std::vector<std::string_view>& known) {
    Diagnostic d = make_diagnostic(code, at, "unknown " + what + " `" + name + "`: the policy does not declare it");
    if (auto near = closest_name(name, known)) d.notes.push_back("help: did you mean `" + *near + "`?");
    diagnostics.push_back(std::move(d));
  }

  static bool has(const std::vector<std::string_view>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  }

  void names(const FactMapping& e, std::string_view field, const std::vector<std::string_view>& known, Code code,
             const std::string& what) {
    const FieldSpec* f = e.field(field);
    if (!f) {
      // A default applies: it must be declared too.
      for (const FieldRule& r : field_rules(e.kind)) {
        if (r.name == field && !r.default_value.empty() && !has(known, r.default_value)) {
          unknown(code, e.span, what + " (the default of `" + std::string(field) + "`)", std::string(r.default_value),
                  known);
        }
      }
      return;
    }
    for (const Constant* c : constants(*f)) {
      if (c->kind == Constant::Kind::Text && !has(known, c->text)) unknown(code, c->span, what, c->text, known);
    }
  }

  void scopes(const FactMapping& e) {
    const FieldSpec* f = e.field("scopes");
    if (!f) return;
    const std::string sep = f->split.empty() ? " " : f->split;
    for (const Constant* c : constants(*f)) {
      std::string_view rest = c->text;
      while (!rest.empty()) {
        const auto at = rest.find(sep);
        const std::string_view one = rest.substr(0, at);
        if (!one.empty() && !has(scopes_, one)) unknown(Code::P0204, c->span, "scope", std::string(one), scopes_);
        if (at == std::string_view::npos) break;
        rest.remove_prefix(at + sep.size());
      }
    }
  }

  void entity(const FactMapping& e, std::vector<std::pair<std::string, Span>>& seen) {
    for (const auto& [type, at] : seen) {
      if (type == e.entity_type) {
        Diagnostic d = make_diagnostic(Code::P0207, e.entity_type_span,
                                       "entity type `" + type + "` is mapped more than once");
        d.labels.push_back({at, "first mapped here"});
        d.notes.push_back("help: join the tables in one `query`, so that one row gives the whole entity");
        diagnostics.push_back(std::move(d));
      }
    }
    seen.emplace_back(e.entity_type, e.entity_type_span);
    table::Range attrs;
    if (auto it = find(p_.principals, e.entity_type)) {
      attrs = (*it)->attributes;
    } else if (auto rt = find(p_.resources, e.entity_type)) {
      attrs = (*rt)->attributes;
    } else {
      unknown(Code::P0201, e.entity_type_span, "type", e.entity_type, all_types_);
      return;
    }
    std::vector<std::string_view> declared;
    for (std::uint32_t i = attrs.begin; i < attrs.end(); ++i) {
      if (!p_.attributes[i].builtin) declared.push_back(p_.str(p_.attributes[i].name));
    }
    for (const auto& [name, spec] : e.attributes) {
      const table::AttributeRow* row = nullptr;
      for (std::uint32_t i = attrs.begin; i < attrs.end(); ++i) {
        if (!p_.attributes[i].builtin && p_.str(p_.attributes[i].name) == name) row = &p_.attributes[i];
      }
      if (!row) {
        Diagnostic d = make_diagnostic(Code::P0205, spec.span,
                                       "unknown attribute `" + name + "` of type `" + e.entity_type + "`");
        if (auto near = closest_name(name, declared)) d.notes.push_back("help: did you mean `" + *near + "`?");
        diagnostics.push_back(std::move(d));
        continue;
      }
      if (row->type != table::ValueType::Enum || row->type_arg >= p_.enums.size()) continue;
      std::vector<std::string_view> members;
      const table::Range values = p_.enums[row->type_arg].values;
      for (std::uint32_t i = values.begin; i < values.end(); ++i) members.push_back(p_.str(p_.ids[i]));
      for (const Constant* c : constants(spec)) {
        if (c->kind != Constant::Kind::Text || has(members, c->text)) continue;
        Diagnostic d = make_diagnostic(Code::P0206, c->span,
                                       "`" + c->text + "` is not a value of attribute `" + name + "` of type `" +
                                           e.entity_type + "`");
        std::string list;
        for (auto v : members) list += (list.empty() ? "`" : ", `") + std::string(v) + "`";
        if (auto near = closest_name(c->text, members)) {
          d.notes.push_back("help: did you mean `" + *near + "`?");
        } else {
          d.notes.push_back("note: its values are " + list);
        }
        diagnostics.push_back(std::move(d));
      }
    }
  }

  template <typename Row>
  std::optional<const Row*> find(const std::vector<Row>& rows, const std::string& name) const {
    for (const Row& r : rows) {
      if (p_.str(r.name) == name) return &r;
    }
    return std::nullopt;
  }

  const Program& p_;
  std::vector<std::string_view> principal_types_, resource_types_, all_types_, levels_, roles_, scopes_;
};

}  // namespace

std::vector<Diagnostic> check_against_policy(const Mapping& mapping, const table::Program& policy) {
  PolicyCheck check(policy);
  check.run(mapping);
  normalize(check.diagnostics, 100);
  return std::move(check.diagnostics);
}

}  // namespace warden::postgres
