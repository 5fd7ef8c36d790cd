// Unit tests of compiler::check: the checked model's closures and resolved
// values, and every diagnostic the checking passes emit (code, primary span,
// message, labels, help).
//
// Each test parses a small policy text with grammar::parse_file and checks it;
// a test fails early if the text does not parse cleanly, so that a parser
// change shows up as such rather than as a confusing semantic failure.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/check.hpp"
#include "support/literals.hpp"
#include "grammar/parse.hpp"

using namespace warden;
using namespace warden::compiler;

namespace {

struct Checked {
  SourceSet sources;
  ast::Policy ast;
  DiagnosticSink parse_sink;
  DiagnosticSink sink;
  CheckedPolicy model;

  // The source text a span covers.
  std::string text(Span s) const {
    if (!s.valid()) return "<no span>";
    return std::string(sources.file(s.file).text().substr(s.offset, s.length));
  }

  std::string listing() const {
    std::ostringstream out;
    for (const auto& d : sink.diagnostics()) {
      out << code_info(d.code).name << " " << d.span.line << ":" << d.span.column << " [" << text(d.span) << "] "
          << d.message << "\n";
      for (const auto& l : d.labels) out << "    label [" << text(l.span) << "] " << l.message << "\n";
      for (const auto& n : d.notes) out << "    " << n << "\n";
    }
    return out.str();
  }

  std::vector<std::string> codes() const {
    std::vector<std::string> out;
    for (const auto& d : sink.diagnostics()) out.emplace_back(code_info(d.code).name);
    std::sort(out.begin(), out.end());
    return out;
  }

  std::vector<const Diagnostic*> with(Code code) const {
    std::vector<const Diagnostic*> out;
    for (const auto& d : sink.diagnostics()) {
      if (d.code == code) out.push_back(&d);
    }
    return out;
  }

  // The one diagnostic with `code`; fails the test unless there is exactly one.
  const Diagnostic& only(Code code) const {
    const auto found = with(code);
    INFO(listing());
    REQUIRE(found.size() == 1);
    return *found.front();
  }
};

std::unique_ptr<Checked> check_files(const std::vector<std::string>& texts) {
  auto r = std::make_unique<Checked>();
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const auto file = r->sources.add("test" + std::to_string(i) + ".warden", texts[i]);
    grammar::parse_file(r->sources, file, r->ast, r->parse_sink);
  }
  {
    std::string parse_errors;
    for (const auto& d : r->parse_sink.diagnostics()) parse_errors += d.message + "\n";
    INFO("parse diagnostics:\n" << parse_errors);
    REQUIRE(r->parse_sink.diagnostics().empty());
  }
  r->model = compiler::check(r->ast, r->sources, r->sink);
  return r;
}

std::unique_ptr<Checked> check_text(const std::string& text) { return check_files({text}); }

// Expects exactly these codes (sorted), showing every diagnostic on failure.
void require_codes(const Checked& r, std::vector<std::string> expected) {
  std::sort(expected.begin(), expected.end());
  INFO(r.listing());
  REQUIRE(r.codes() == expected);
}

void require_clean(const Checked& r) { require_codes(r, {}); }

template <class T>
std::vector<std::string> names_of(const CheckedPolicy& m, const IdSet& set, const std::vector<T>& items) {
  std::vector<std::string> out;
  for (auto id : set.ids()) out.push_back(m.str(items[id].name));
  std::sort(out.begin(), out.end());
  return out;
}

bool has_note(const Diagnostic& d, const std::string& note) {
  return std::find(d.notes.begin(), d.notes.end(), note) != d.notes.end();
}

// A small policy with a bit of everything, used as a clean base.
const std::string kBase = R"(
policy base;
scope model:read;
scope model:write implies model:read;
levels read < write < admin;
role viewer;
role editor inherits viewer;
principal org { attribute status: active | suspended; }
principal team member of org;
principal user member of team, org { attribute department: string; }
resource model {
  actions read, list, update, delete;
  attribute org: org;
  attribute owner: user;
  attribute stage: none | staging | archived;
  attribute sensitive: bool;
  attribute size: int;
  attribute created: time;
  grants to user, team, org;
  level read: read, list;
  level write: update;
  level admin: delete;
}
resource dataset {
  actions read, write;
  attribute org: org;
}
)";

}  // namespace

// --- the model -----------------------------------------------------------------

TEST_CASE("a clean policy checks without diagnostics") {
  auto r = check_text(kBase + R"(
endpoint GET "/models/{name}" { requires model:read; action read on model(name); }
endpoint GET "/health" { public; }
allow read_models: role viewer to read, list on model;
deny no_archived: anyone to update on model when resource.stage == archived;
)");
  require_clean(*r);
  REQUIRE(r->model.str(r->model.name) == "base");
  REQUIRE(r->model.scopes.size() == 2);
  REQUIRE(r->model.rules.size() == 2);
  REQUIRE(r->model.rules[0].code == *r->model.strings.find("PERMISSION_DENIED"));
}

TEST_CASE("pass names are listed in pipeline order") {
  REQUIRE(pass_names() == std::vector<std::string_view>{"collect_declarations", "resolve_names", "close_hierarchies",
                                                        "check_endpoints", "resolve_rules", "check_types",
                                                        "check_rules"});
}

TEST_CASE("role closure holds itself and every ancestor") {
  auto r = check_text(R"(
role viewer;
role developer inherits viewer;
role manager inherits developer;
role admin inherits manager;
role billing_reader;
role auditor inherits viewer, billing_reader;
)");
  require_clean(*r);
  const auto& m = r->model;
  auto role = [&](const char* n) { return m.roles[*m.find_role(n)]; };
  REQUIRE(names_of(m, role("admin").holds, m.roles) ==
          std::vector<std::string>{"admin", "developer", "manager", "viewer"});
  REQUIRE(names_of(m, role("viewer").holds, m.roles) == std::vector<std::string>{"viewer"});
  REQUIRE(names_of(m, role("auditor").holds, m.roles) ==
          std::vector<std::string>{"auditor", "billing_reader", "viewer"});
  REQUIRE(names_of(m, role("viewer").held_by, m.roles) ==
          std::vector<std::string>{"admin", "auditor", "developer", "manager", "viewer"});
}

TEST_CASE("scope closure follows implications, families and the catch-all") {
  auto r = check_text(R"(
scope model:read;
scope model:write implies model:read;
scope experiment:read;
scope experiment:write implies experiment:read;
scope mlflow:write implies model:write, experiment:*;
scope admin implies *;
scope other;
)");
  require_clean(*r);
  const auto& m = r->model;
  auto closure = [&](const char* n) { return names_of(m, m.scopes[*m.find_scope(n)].closure, m.scopes); };
  REQUIRE(closure("model:read") == std::vector<std::string>{"model:read"});
  REQUIRE(closure("model:write") == std::vector<std::string>{"model:read", "model:write"});
  REQUIRE(closure("mlflow:write") == std::vector<std::string>{"experiment:read", "experiment:write", "mlflow:write",
                                                              "model:read", "model:write"});
  REQUIRE(closure("admin").size() == m.scopes.size());
  const auto& family = m.scopes[*m.find_scope("mlflow:write")].implies[1];
  REQUIRE(family.kind == ScopeImplication::Kind::Family);
  REQUIRE(m.str(family.text) == "experiment");
  REQUIRE(family.matches.size() == 2);
}

TEST_CASE("a catch-all implied back is not a cycle") {
  auto r = check_text(R"(
scope admin implies *;
scope root implies admin;
)");
  require_clean(*r);
  REQUIRE(r->model.scopes[*r->model.find_scope("root")].closure.size() == 2);
}

TEST_CASE("level actions are closed over the level order") {
  auto r = check_text(kBase);
  require_clean(*r);
  const auto& m = r->model;
  const auto& model = m.resources[*m.find_resource("model")];
  auto permitted = [&](const char* level) {
    std::vector<std::string> out;
    for (auto a : model.level_actions[*m.find_level(level)].ids()) out.push_back(m.str(model.actions[a].name));
    return out;
  };
  REQUIRE(permitted("read") == std::vector<std::string>{"read", "list"});
  REQUIRE(permitted("write") == std::vector<std::string>{"read", "list", "update"});
  REQUIRE(permitted("admin") == std::vector<std::string>{"read", "list", "update", "delete"});
  const auto& dataset = m.resources[*m.find_resource("dataset")];
  REQUIRE(dataset.level_actions.size() == 3);
  REQUIRE(dataset.level_actions[2].empty());
}

TEST_CASE("membership closure is transitive and grantees follow it") {
  auto r = check_text(R"(
principal org;
principal team member of org;
principal user member of team;
principal bot;
resource model { actions read; grants to org; level read: read; }
levels read;
)");
  require_clean(*r);
  const auto& m = r->model;
  auto collections = [&](const char* n) { return names_of(m, m.principals[*m.find_principal(n)].collections, m.principals); };
  REQUIRE(collections("user") == std::vector<std::string>{"org", "team"});
  REQUIRE(collections("team") == std::vector<std::string>{"org"});
  REQUIRE(collections("org").empty());
  const auto& model = m.resources[*m.find_resource("model")];
  REQUIRE(names_of(m, model.effective_grantees, m.principals) == std::vector<std::string>{"org", "team", "user"});
}

TEST_CASE("built-in attributes come first and entity references resolve") {
  auto r = check_text(kBase + "context { attribute client_country: string; }\n");
  require_clean(*r);
  const auto& m = r->model;
  const auto& user = m.principals[*m.find_principal("user")];
  REQUIRE(m.str(user.attributes[kAttrId].name) == "id");
  REQUIRE(m.str(user.attributes[kAttrTenant].name) == "tenant");
  REQUIRE(m.str(user.attributes[2].name) == "department");
  REQUIRE(m.str(m.context.attributes[kAttrTime].name) == "time");
  REQUIRE(m.context.attributes[kAttrClientIp].type.kind == ValueType::Kind::Ip);
  REQUIRE(m.str(m.context.attributes[3].name) == "client_country");
  const auto& model = m.resources[*m.find_resource("model")];
  const auto& org = model.attributes[2];
  REQUIRE(m.str(org.name) == "org");
  REQUIRE(org.type.kind == ValueType::Kind::Entity);
  REQUIRE(org.type.entity == EntityRef{EntityKind::Principal, *m.find_principal("org")});
  REQUIRE(m.type_name(model.attributes[4].type) == "none | staging | archived");
}

TEST_CASE("identical enums share one enum type") {
  auto r = check_text(R"(
principal a { attribute s: x | y; }
principal b { attribute s: x | y; attribute t: y | x; }
)");
  require_clean(*r);
  REQUIRE(r->model.enums.size() == 2);
  REQUIRE(r->model.principals[0].attributes[2].type == r->model.principals[1].attributes[2].type);
}

TEST_CASE("tenancy defaults and declared sources") {
  SECTION("absent") {
    auto r = check_text("policy p; scope s;");
    require_clean(*r);
    REQUIRE_FALSE(r->model.tenancy.declared);
    REQUIRE_FALSE(r->model.tenancy.isolation);
    REQUIRE(r->model.tenancy.sources.size() == 1);
    REQUIRE(r->model.tenancy.sources[0].kind == TenantSource::Kind::Principal);
    REQUIRE(r->model.str(r->model.tenancy.default_tenant) == "default");
  }
  SECTION("declared") {
    auto r = check_text(R"(tenancy { isolation on; tenant from header "X-Tenant-ID", principal; default "acme"; })");
    require_clean(*r);
    const auto& t = r->model.tenancy;
    REQUIRE(t.isolation);
    REQUIRE(t.sources.size() == 2);
    REQUIRE(r->model.str(t.sources[0].header) == "X-Tenant-ID");
    REQUIRE(t.sources[1].kind == TenantSource::Kind::Principal);
    REQUIRE(r->model.str(t.default_tenant) == "acme");
  }
}

TEST_CASE("rule targets expand `*` actions and types") {
  auto r = check_text(kBase + R"(
allow a: anyone to * on model;
allow b: anyone to read on *;
allow c: anyone to write on *;
allow d: anyone to read on model, dataset;
)");
  require_clean(*r);
  const auto& m = r->model;
  const Id model = *m.find_resource("model"), dataset = *m.find_resource("dataset");
  const auto& a = m.rules[*m.find_rule("a")];
  REQUIRE(a.all_actions);
  REQUIRE(a.targets.size() == 1);
  REQUIRE(a.targets[0].actions == std::vector<Id>{0, 1, 2, 3});
  const auto& b = m.rules[*m.find_rule("b")];
  REQUIRE(b.all_types);
  REQUIRE(b.targets.size() == 2);
  const auto& c = m.rules[*m.find_rule("c")];
  REQUIRE(c.targets.size() == 1);  // only dataset has `write`
  REQUIRE(c.targets[0].resource_type == dataset);
  REQUIRE(c.targets[0].actions == std::vector<Id>{*m.find_action(dataset, "write")});
  const auto& d = m.rules[*m.find_rule("d")];
  REQUIRE(d.targets.size() == 2);
  REQUIRE(d.targets[0].resource_type == model);
}

TEST_CASE("conditions become typed values and resolved paths") {
  auto r = check_text(kBase + R"(
allow a: role viewer to read on model
  when resource.stage == staging
   and resource.size >= 10
   and resource.created < "2027-01-01T00:00:00Z"
   and context.client_ip in cidr("10.0.0.0/8")
   and context.time in hours("08:00", "18:30")
   and resource.org.status != suspended
   and resource.owner == principal.id
   and principal.department in ["ml", "research"]
   and not resource.sensitive
   and member of resource.org
   and grant >= write
  unless context.client_ip == "192.168.1.1";
)");
  require_clean(*r);
  const auto& m = r->model;
  const Rule& rule = m.rules[0];
  REQUIRE(rule.when != kNone);
  REQUIRE(rule.unless != kNone);
  REQUIRE(rule.conditions.size() == r->ast.rules[0].exprs.size());

  auto find = [&](Condition::Kind kind, std::size_t nth = 0) -> const Condition& {
    for (const auto& c : rule.conditions) {
      if (c.kind == kind && nth-- == 0) return c;
    }
    FAIL("no such condition");
    return rule.conditions[0];
  };

  const Condition& stage = find(Condition::Kind::Compare, 0);
  REQUIRE(stage.right.kind == Operand::Kind::Value);
  REQUIRE(stage.right.value.kind == ValueKind::Enum);
  REQUIRE(stage.right.value.number == 1);  // none | staging | archived
  REQUIRE(stage.operand_type.kind == ValueType::Kind::Enum);

  const Condition& size = find(Condition::Kind::Compare, 1);
  REQUIRE(size.op == CompareOp::Ge);
  REQUIRE(size.right.value.kind == ValueKind::Int);
  REQUIRE(size.right.value.number == 10);

  const Condition& created = find(Condition::Kind::Compare, 2);
  REQUIRE(created.right.value.kind == ValueKind::Time);
  REQUIRE(created.right.value.number == 1798761600);

  const Condition& cidr = find(Condition::Kind::InCidr);
  REQUIRE(cidr.right.value.kind == ValueKind::Cidr);
  REQUIRE(cidr.right.value.prefix == 96 + 8);
  REQUIRE(cidr.right.value.ipv4);
  REQUIRE(cidr.right.value.address[12] == 10);
  REQUIRE(cidr.right.value.address[11] == 0xff);

  const Condition& hours = find(Condition::Kind::InHours);
  REQUIRE(hours.right.value.start_minute == 8 * 60);
  REQUIRE(hours.right.value.end_minute == 18 * 60 + 30);

  const Condition& status = find(Condition::Kind::Compare, 3);
  const Path& status_path = rule.paths[status.left.path];
  REQUIRE(status_path.root == Path::Root::Resource);
  REQUIRE(status_path.first.size() == 1);
  REQUIRE(status_path.first[0].type == EntityRef{EntityKind::Resource, *m.find_resource("model")});
  REQUIRE(status_path.rest.size() == 1);
  REQUIRE(status_path.rest[0].type == EntityRef{EntityKind::Principal, *m.find_principal("org")});
  REQUIRE(status_path.rest[0].attribute == 2);

  const Condition& owner = find(Condition::Kind::Compare, 4);
  REQUIRE(owner.left.kind == Operand::Kind::Path);
  REQUIRE(owner.right.kind == Operand::Kind::Path);
  REQUIRE(owner.operand_type.kind == ValueType::Kind::String);
  // principal.id resolves on every principal type
  REQUIRE(rule.paths[owner.right.path].first.size() == 3);

  const Condition& dept = find(Condition::Kind::InList);
  REQUIRE(dept.items.size() == 2);
  REQUIRE(m.str(dept.items[1].value.string) == "research");
  REQUIRE(rule.paths[dept.left.path].first.size() == 1);  // only `user` declares it

  const Condition& sensitive = find(Condition::Kind::Test);
  REQUIRE(sensitive.left.kind == Operand::Kind::Path);

  const Condition& member = find(Condition::Kind::Predicate, 0);
  REQUIRE(member.predicate.kind == Predicate::Kind::Member);
  REQUIRE(member.predicate.in_path != kNone);
  const Condition& grant = find(Condition::Kind::Predicate, 1);
  REQUIRE(grant.predicate.kind == Predicate::Kind::Grant);
  REQUIRE(grant.predicate.id == *m.find_level("write"));

  const Condition& ip = find(Condition::Kind::Compare, 5);
  REQUIRE(ip.right.value.kind == ValueKind::Ip);
  REQUIRE(ip.right.value.address[15] == 1);
}

TEST_CASE("message templates split into literal and placeholder parts") {
  auto r = check_text(kBase + R"(
deny a: anyone to update on model when resource.stage == archived
  code MODEL_ARCHIVED
  message "model {resource.id} of {resource.org} is archived; {action} denied in {tenant}";
)");
  require_clean(*r);
  const auto& m = r->model;
  const Rule& rule = m.rules[0];
  REQUIRE(m.str(rule.code) == "MODEL_ARCHIVED");
  REQUIRE(rule.has_message);
  using K = MessagePart::Kind;
  std::vector<K> kinds;
  for (const auto& p : rule.message) kinds.push_back(p.kind);
  REQUIRE(kinds == std::vector<K>{K::Literal, K::Path, K::Literal, K::Path, K::Literal, K::Action, K::Literal, K::Tenant});
  REQUIRE(m.str(rule.message[0].text) == "model ");
  REQUIRE(r->text(rule.message[1].span) == "{resource.id}");
  REQUIRE(rule.paths[rule.message[3].path].type.kind == ValueType::Kind::Entity);
}

TEST_CASE("subjects resolve to ids") {
  auto r = check_text(kBase + R"(
allow a: role editor in resource.org to read on model;
allow b: scope model:write to update on model;
allow c: grant to read on model;
allow d: grant >= admin in resource.org to read on model;
)");
  require_clean(*r);
  const auto& m = r->model;
  REQUIRE(m.rules[0].subject.kind == Predicate::Kind::Role);
  REQUIRE(m.rules[0].subject.id == *m.find_role("editor"));
  REQUIRE(m.rules[0].subject.in_path != kNone);
  REQUIRE(m.rules[1].subject.id == *m.find_scope("model:write"));
  REQUIRE(m.rules[2].subject.kind == Predicate::Kind::Grant);
  REQUIRE(m.rules[2].subject.id == kNone);
  REQUIRE(m.rules[3].subject.id == *m.find_level("admin"));
}

TEST_CASE("endpoints resolve methods, segments, requirements and id sources") {
  auto r = check_text(kBase + R"(
endpoint GET, HEAD "/api/models/{name}/versions/{version}" {
  requires any(model:read, model:write);
  requires model:read;
  action read on model(version);
}
endpoint ANY "/api/**" { requires model:write; }
endpoint POST "/api/create" { requires model:write; action update on model(header "X-Model"); }
)");
  require_codes(*r, {"W0401", "W0401"});
  const auto& m = r->model;
  const Endpoint& e = m.endpoints[0];
  REQUIRE(e.methods == ((1u << static_cast<int>(Method::Get)) | (1u << static_cast<int>(Method::Head))));
  REQUIRE(e.segments.size() == 5);
  REQUIRE(e.segments[2].kind == Segment::Kind::Param);
  REQUIRE(e.requirements.size() == 2);
  REQUIRE(e.requirements[0].kind == ScopeRequirement::Kind::AnyOf);
  REQUIRE(e.requirements[0].scopes.size() == 2);
  REQUIRE(e.action->id.kind == IdSource::Kind::PathParam);
  REQUIRE(e.action->id.segment == 4);
  REQUIRE(m.endpoints[1].any_method);
  REQUIRE(m.endpoints[1].methods == kAnyMethod);
  REQUIRE(m.endpoints[2].action->id.kind == IdSource::Kind::Header);
  REQUIRE(m.str(m.endpoints[2].action->id.name) == "X-Model");
}

TEST_CASE("the model is deterministic") {
  const std::string text = kBase + R"(
endpoint GET "/models/{name}" { requires model:read; action read on model(name); }
allow a: role viewer to read on model when resource.org.status == active;
)";
  auto a = check_text(text);
  auto b = check_text(text);
  require_clean(*a);
  REQUIRE(a->model == b->model);
  REQUIRE(dump(a->model) == dump(b->model));
  REQUIRE(dump(a->model).find("level write permits {read,list,update}") != std::string::npos);
}

TEST_CASE("declarations may refer to each other across files") {
  auto r = check_files({"role admin inherits viewer;\nallow a: role admin to read on model;\n",
                        "role viewer;\nresource model { actions read; }\n"});
  require_clean(*r);
  REQUIRE(r->model.roles[*r->model.find_role("admin")].holds.size() == 2);
}

// --- E02xx: names -------------------------------------------------------------------

TEST_CASE("E0201 unknown scope, with a suggestion") {
  auto r = check_text(R"(
scope model:read;
scope model:write implies model:reed;
endpoint GET "/x" { requires model:wrte; }
allow a: scope model:rea to read on model;
resource model { actions read; }
)");
  require_codes(*r, {"E0201", "E0201", "E0201"});
  const auto ds = r->with(Code::E0201);
  REQUIRE(r->text(ds[0]->span) == "model:reed");
  REQUIRE(ds[0]->message == "unknown scope `model:reed`");
  REQUIRE(has_note(*ds[0], "help: did you mean `model:read`?"));
  REQUIRE(r->text(ds[1]->span) == "model:wrte");
  REQUIRE(has_note(*ds[1], "help: did you mean `model:write`?"));
  REQUIRE(r->text(ds[2]->span) == "model:rea");
}

TEST_CASE("E0202 unknown role") {
  auto r = check_text(R"(
role viewer;
role editor inherits viewr;
resource model { actions read; }
allow a: role edtor to read on model;
allow b: anyone to read on model when role admin;
)");
  require_codes(*r, {"E0202", "E0202", "E0202"});
  const auto ds = r->with(Code::E0202);
  REQUIRE(r->text(ds[0]->span) == "viewr");
  REQUIRE(has_note(*ds[0], "help: did you mean `viewer`?"));
  REQUIRE(r->text(ds[1]->span) == "edtor");
  REQUIRE(ds[2]->message == "unknown role `admin`");
}

TEST_CASE("E0203 unknown resource type") {
  auto r = check_text(R"(
scope s;
principal user;
resource model { actions read; }
endpoint GET "/x" { requires s; action read on modl; }
allow a: anyone to read on model, modl;
allow b: anyone to read on user;
)");
  require_codes(*r, {"E0203", "E0203", "E0203"});
  const auto ds = r->with(Code::E0203);
  REQUIRE(r->text(ds[0]->span) == "modl");
  REQUIRE(has_note(*ds[0], "help: did you mean `model`?"));
  REQUIRE(r->text(ds[1]->span) == "modl");
  REQUIRE(ds[2]->message == "`user` is a principal type, not a resource type");
}

TEST_CASE("E0204 unknown action and E0310 action not on the type") {
  auto r = check_text(R"(
levels read;
resource model { actions read, update; level read: rad; }
resource dataset { actions read, write; }
allow a: anyone to read, updte on model;
allow b: anyone to write on model, dataset;
allow c: anyone to write, nothing on *;
)");
  require_codes(*r, {"E0204", "E0204", "E0204", "E0310"});
  const auto unknown = r->with(Code::E0204);
  REQUIRE(r->text(unknown[0]->span) == "rad");
  REQUIRE(has_note(*unknown[0], "help: did you mean `read`?"));
  REQUIRE(r->text(unknown[1]->span) == "updte");
  REQUIRE(unknown[1]->message == "unknown action `updte`");
  REQUIRE(has_note(*unknown[1], "help: did you mean `update`?"));
  REQUIRE(r->text(unknown[2]->span) == "nothing");
  const auto& d = r->only(Code::E0310);
  REQUIRE(r->text(d.span) == "write");
  REQUIRE(d.message == "action `write` is not declared on resource type `model`");
  REQUIRE(d.labels.size() == 1);
  REQUIRE(r->text(d.labels[0].span) == "model");
}

TEST_CASE("E0310 in a level map and an endpoint action") {
  auto r = check_text(R"(
scope s;
levels read;
resource model { actions read; level read: write; }
resource dataset { actions read, write; }
endpoint GET "/x" { requires s; action write on model; }
)");
  require_codes(*r, {"E0310", "E0310"});
  for (const auto* d : r->with(Code::E0310)) REQUIRE(r->text(d->span) == "write");
}

TEST_CASE("E0205 unknown level") {
  auto r = check_text(R"(
levels read < write;
resource model { actions read; grants to user; level rea: read; level read: read; }
principal user;
allow a: grant >= wrte to read on model;
)");
  require_codes(*r, {"E0205", "E0205"});
  const auto ds = r->with(Code::E0205);
  REQUIRE(r->text(ds[0]->span) == "rea");
  REQUIRE(has_note(*ds[0], "help: did you mean `read`?"));
  REQUIRE(r->text(ds[1]->span) == "wrte");
  REQUIRE(has_note(*ds[1], "help: did you mean `write`?"));
}

TEST_CASE("E0205 without a level chain says so") {
  auto r = check_text("resource model { actions read; level read: read; }");
  const auto& d = r->only(Code::E0205);
  REQUIRE(has_note(d, "note: no `levels` chain is declared"));
}

TEST_CASE("E0206 unknown attribute") {
  auto r = check_text(kBase + R"(
allow a: anyone to read on model when resource.ownr == principal.id;
allow b: anyone to read on model when resource.stage.name == "x";
allow c: anyone to read on model when resource.org.stats == active;
allow d: anyone to read on model, dataset when resource.owner == principal.id;
allow e: anyone to read on model when principal.departmnt == "ml";
allow f: anyone to read on model when context.tme < "2026-01-01T00:00:00Z";
)");
  require_codes(*r, {"E0206", "E0206", "E0206", "E0206", "E0206", "E0206"});
  const auto ds = r->with(Code::E0206);
  REQUIRE(r->text(ds[0]->span) == "ownr");
  REQUIRE(ds[0]->message == "unknown attribute `ownr` on resource type `model`");
  REQUIRE(has_note(*ds[0], "help: did you mean `owner`?"));
  REQUIRE(r->text(ds[1]->span) == "name");
  REQUIRE(ds[1]->message ==
          "unknown attribute `name`: `resource.stage` has type `none | staging | archived`, which has no attributes");
  REQUIRE(r->text(ds[2]->span) == "stats");
  REQUIRE(ds[2]->message == "unknown attribute `stats` on principal type `org`");
  REQUIRE(has_note(*ds[2], "help: did you mean `status`?"));
  REQUIRE(r->text(ds[3]->span) == "owner");
  REQUIRE(ds[3]->message == "unknown attribute `owner` on resource type `dataset`");
  REQUIRE(r->text(ds[4]->span) == "departmnt");
  REQUIRE(has_note(*ds[4], "help: did you mean `department`?"));
  REQUIRE(r->text(ds[5]->span) == "tme");
  REQUIRE(has_note(*ds[5], "help: did you mean `time`?"));
}

TEST_CASE("E0206 on a path in a message placeholder points inside the string") {
  auto r = check_text(kBase + R"(deny a: anyone to read on model code X message "bad {resource.ownr}";)");
  const auto& d = r->only(Code::E0206);
  REQUIRE(r->text(d.span) == "ownr");
}

TEST_CASE("E0207 unknown principal type") {
  auto r = check_text(R"(
principal org;
principal user member of orgg;
resource model { actions read; grants to usr, model; }
)");
  require_codes(*r, {"E0207", "E0207", "E0207"});
  const auto ds = r->with(Code::E0207);
  REQUIRE(r->text(ds[0]->span) == "orgg");
  REQUIRE(has_note(*ds[0], "help: did you mean `org`?"));
  REQUIRE(r->text(ds[1]->span) == "usr");
  REQUIRE(ds[2]->message == "`model` is a resource type, not a principal type");
}

TEST_CASE("E0208 unknown or repeated path parameter") {
  auto r = check_text(R"(
scope s;
resource model { actions read; }
endpoint GET "/models/{name}" { requires s; action read on model(nme); }
endpoint GET "/a/{id}/b/{id}" { requires s; }
)");
  require_codes(*r, {"E0208", "E0208"});
  const auto ds = r->with(Code::E0208);
  REQUIRE(r->text(ds[0]->span) == "nme");
  REQUIRE(ds[0]->message == "unknown path parameter `nme`");
  REQUIRE(has_note(*ds[0], "help: did you mean `name`?"));
  REQUIRE(ds[1]->message == "path parameter `id` is declared twice");
  REQUIRE(r->text(ds[1]->span) == "{id}");
  REQUIRE(ds[1]->labels.size() == 1);
}

TEST_CASE("E0209 duplicate definitions") {
  auto r = check_text(R"(
scope s;
scope s;
role r;
role r;
levels a < b < a;
principal org { attribute x: string; attribute x: int; attribute id: string; attribute e: p | q | p; }
resource org { actions read; }
resource model { actions read, read; grants to org; level a: read; level a: read; }
allow rule1: anyone to read on model;
deny rule1: anyone to read on model when principal.x == "y";
)");
  require_codes(*r, {"E0209", "E0209", "E0209", "E0209", "E0209", "E0209", "E0209", "E0209", "E0209", "E0209"});
  std::vector<std::string> messages;
  for (const auto* d : r->with(Code::E0209)) messages.push_back(d->message);
  std::sort(messages.begin(), messages.end());
  REQUIRE(messages == std::vector<std::string>{
                          "duplicate action `read` on resource type `model`",
                          "duplicate attribute `id`: it is built in on principal type `org`",
                          "duplicate attribute `x` on principal type `org`",
                          "duplicate enum value `p` in attribute `e`",
                          "duplicate level `a` in the level chain",
                          "duplicate role `r`",
                          "duplicate rule name `rule1`",
                          "duplicate scope `s`",
                          "duplicate type `org`",
                          "level `a` is mapped twice on resource type `model`",
                      });
  for (const auto* d : r->with(Code::E0209)) {
    if (d->message == "duplicate scope `s`") {
      REQUIRE(d->labels.at(0).message == "previous definition here");
      REQUIRE(d->labels.at(0).span.line == 2);
      REQUIRE(r->text(d->span) == "s");
    }
    if (d->message == "duplicate type `org`") {
      REQUIRE(has_note(*d, "note: principal and resource types share one namespace"));
    }
    if (d->message == "duplicate rule name `rule1`") REQUIRE(r->text(d->span) == "rule1");
  }
}

TEST_CASE("E0209 across files labels the other file") {
  auto r = check_files({"role admin;\n", "role admin;\n"});
  const auto& d = r->only(Code::E0209);
  REQUIRE(d.span.file == 1);
  REQUIRE(d.labels.at(0).span.file == 0);
}

TEST_CASE("E0210 unknown attribute type") {
  auto r = check_text(R"(
principal user;
resource model { actions read; attribute owner: usr; attribute count: integer; }
)");
  require_codes(*r, {"E0210", "E0210"});
  const auto ds = r->with(Code::E0210);
  REQUIRE(r->text(ds[0]->span) == "usr");
  REQUIRE(has_note(*ds[0], "help: did you mean `user`?"));
  REQUIRE(ds[1]->message == "unknown type `integer`");
}

// --- E03xx: semantics ---------------------------------------------------------------

TEST_CASE("E0301 role inheritance cycle, reported once and named") {
  auto r = check_text(R"(
role a inherits c;
role b inherits a;
role c inherits b;
role self inherits self;
)");
  require_codes(*r, {"E0301", "E0301"});
  const auto ds = r->with(Code::E0301);
  REQUIRE(ds[0]->message == "cycle in role inheritance: `a` -> `c` -> `b` -> `a`");
  REQUIRE(ds[0]->span.line == 2);
  REQUIRE(r->text(ds[0]->span) == "c");
  REQUIRE(ds[0]->labels.size() == 2);
  REQUIRE(ds[0]->labels[0].message == "cycle goes through here");
  REQUIRE(ds[1]->message == "cycle in role inheritance: `self` -> `self`");
}

TEST_CASE("E0302 scope implication cycle") {
  auto r = check_text(R"(
scope a implies b;
scope b implies a;
)");
  const auto& d = r->only(Code::E0302);
  REQUIRE(d.message == "cycle in scope implication: `a` -> `b` -> `a`");
  require_codes(*r, {"E0302"});
}

TEST_CASE("E0303 membership cycle") {
  auto r = check_text(R"(
principal team member of org;
principal org member of team;
)");
  const auto& d = r->only(Code::E0303);
  REQUIRE(d.message == "cycle in membership: `team` -> `org` -> `team`");
  REQUIRE(r->text(d.span) == "org");
}

TEST_CASE("E0304 endpoint without any guard") {
  auto r = check_text(R"(endpoint GET "/open" { })");
  const auto& d = r->only(Code::E0304);
  REQUIRE(d.message == "endpoint `GET /open` has no requirement and is not public");
  REQUIRE(r->text(d.span) == "\"/open\"");
}

TEST_CASE("E0305 duplicate endpoint by method and shape") {
  auto r = check_text(R"(
scope s;
endpoint GET "/a/{x}" { requires s; }
endpoint GET, POST "/a/{y}" { requires s; }
endpoint ANY "/a/{z}" { requires s; }
endpoint PUT "/b" { requires s; }
endpoint POST "/b" { requires s; }
)");
  require_codes(*r, {"E0305", "E0305", "E0305"});
  const auto ds = r->with(Code::E0305);
  REQUIRE(ds[0]->message == "duplicate endpoint `GET /a/{y}`");
  REQUIRE(ds[0]->labels.at(0).message == "previous definition here");
  REQUIRE(ds[1]->message == "duplicate endpoint `GET /a/{z}`");
  REQUIRE(ds[2]->message == "duplicate endpoint `GET, POST /a/{z}`");
}

TEST_CASE("E0306 type mismatches") {
  auto r = check_text(kBase + R"(
allow a: anyone to read on model when resource.size == "ten";
allow b: anyone to read on model when resource.owner == resource.org;
allow c: anyone to read on model when resource.stage;
allow d: anyone to read on model when principal.department in cidr("10.0.0.0/8");
allow e: anyone to read on model when resource.size in hours("09:00", "10:00");
allow f: anyone to read on model when resource.stage == "archived";
)");
  require_codes(*r, {"E0306", "E0306", "E0306", "E0306", "E0306", "E0306"});
  const auto ds = r->with(Code::E0306);
  REQUIRE(ds[0]->message == "cannot compare `resource.size` (`int`) with the string `\"ten\"`");
  REQUIRE(r->text(ds[0]->span) == "\"ten\"");
  REQUIRE(ds[1]->message == "cannot compare `resource.owner` (`user`) with `resource.org` (`org`)");
  REQUIRE(ds[2]->message ==
          "`resource.stage` has type `none | staging | archived` and cannot be used alone as a condition");
  REQUIRE(ds[3]->message == "`in cidr(…)` needs an `ip` attribute, but `principal.department` has type `string`");
  REQUIRE(ds[4]->message == "`in hours(…)` needs a `time` attribute, but `resource.size` has type `int`");
  REQUIRE(has_note(*ds[5], "help: write the enum value without quotes: `archived`"));
}

TEST_CASE("E0307 enum value not in the enum") {
  auto r = check_text(kBase + "allow a: anyone to read on model when resource.stage in [staging, archivd];");
  const auto& d = r->only(Code::E0307);
  REQUIRE(r->text(d.span) == "archivd");
  REQUIRE(d.message == "`archivd` is not a value of `resource.stage`");
  REQUIRE(has_note(d, "help: did you mean `archived`?"));
}

TEST_CASE("E0308 unsupported operator") {
  auto r = check_text(kBase + R"(
allow a: anyone to read on model when principal.department < "m";
allow b: anyone to read on model when resource.sensitive in [true];
allow c: anyone to read on model when resource.size <= 3 and resource.created >= "2026-01-01T00:00:00Z";
)");
  require_codes(*r, {"E0308", "E0308"});
  const auto ds = r->with(Code::E0308);
  REQUIRE(ds[0]->message == "operator `<` is not supported on type `string`");
  REQUIRE(r->text(ds[0]->span) == "<");
  REQUIRE(r->text(ds[1]->span) == "in");
}

TEST_CASE("E0309 grant on a type without level maps") {
  auto r = check_text(R"(
levels read < write;
principal user;
resource model { actions read; grants to user; }
allow a: grant >= write to read on model;
)");
  const auto& d = r->only(Code::E0309);
  REQUIRE(r->text(d.span) == "write");
  REQUIRE(d.message == "level `write` permits no action on resource type `model`: it has no `level` maps");
}

TEST_CASE("E0311 invalid literals") {
  auto r = check_text(kBase + R"(
allow a: anyone to read on model when context.time < "2026-02-30T00:00:00Z";
allow b: anyone to read on model when context.client_ip == "10.0.0.256";
allow c: anyone to read on model when context.client_ip in cidr("10.0.0.1/8");
allow d: anyone to read on model when context.time in hours("8:00", "25:00");
allow e: anyone to read on model when context.time < "yesterday";
)");
  require_codes(*r, {"E0311", "E0311", "E0311", "E0311", "E0311", "E0311"});
  const auto ds = r->with(Code::E0311);
  REQUIRE(ds[0]->message == "invalid time `\"2026-02-30T00:00:00Z\"`: day out of range for the month");
  REQUIRE(ds[1]->message == "invalid IP address `\"10.0.0.256\"`: expected an IPv4 or IPv6 address");
  REQUIRE(ds[2]->message ==
          "invalid network `\"10.0.0.1/8\"`: the address has bits set beyond the prefix length");
  REQUIRE(has_note(*ds[2], "help: did you mean `\"10.0.0.0/8\"`?"));
  REQUIRE(r->text(ds[3]->span) == "\"8:00\"");
  REQUIRE(r->text(ds[4]->span) == "\"25:00\"");
}

TEST_CASE("E0312 unknown placeholder or unclosed brace") {
  auto r = check_text(kBase + R"(deny a: anyone to read on model message "no {acton} for {principal.id";)");
  require_codes(*r, {"E0312", "E0312"});
  const auto ds = r->with(Code::E0312);
  REQUIRE(ds[0]->message == "unknown placeholder `{acton}` in message template");
  REQUIRE(r->text(ds[0]->span) == "{acton}");
  REQUIRE(has_note(*ds[0], "help: did you mean `action`?"));
  REQUIRE(ds[1]->message == "unclosed `{` in message template");
  REQUIRE(r->text(ds[1]->span) == "{");
}

TEST_CASE("E0313 not a membership collection") {
  auto r = check_text(kBase + R"(
allow a: member of resource.stage to read on model;
allow b: member of resource.owner to read on model;
allow c: role viewer in resource.size to read on model;
allow d: member of resource.org to read on model;
)");
  require_codes(*r, {"E0313", "E0313", "E0313"});
  const auto ds = r->with(Code::E0313);
  REQUIRE(ds[0]->message == "`resource.stage` is not a membership collection");
  REQUIRE(r->text(ds[0]->span) == "resource.stage");
  REQUIRE(ds[1]->message == "`resource.owner` is not a membership collection");
  REQUIRE(has_note(*ds[1], "note: no principal type is declared `member of user`"));
  REQUIRE(r->text(ds[2]->span) == "resource.size");
  REQUIRE(ds[2]->message == "`resource.size` is not a reference to an entity");
}

TEST_CASE("E0314 singleton declared twice") {
  auto r = check_text(R"(
policy a;
policy b;
mode monitor;
mode enforce;
levels x;
levels y;
context { }
context { }
tenancy { isolation on; }
tenancy { isolation off; }
)");
  require_codes(*r, {"E0314", "E0314", "E0314", "E0314", "E0314"});
  const auto ds = r->with(Code::E0314);
  REQUIRE(ds[0]->message == "`policy` is declared more than once");
  REQUIRE(r->text(ds[0]->span) == "policy");
  REQUIRE(ds[0]->span.line == 3);
  REQUIRE(ds[0]->labels.at(0).message == "previous declaration here");
}

TEST_CASE("E0315 public endpoint with requirements") {
  auto r = check_text(R"(
scope s;
endpoint GET "/x" { public; requires s; }
)");
  const auto& d = r->only(Code::E0315);
  REQUIRE(r->text(d.span) == "public;");
  REQUIRE(d.labels.size() == 1);
  REQUIRE(d.message == "public endpoint `GET /x` also has requirements");
}

TEST_CASE("E0316 scope family matching nothing") {
  auto r = check_text(R"(
scope experiment:read;
scope ml:write implies experment:*;
)");
  const auto& d = r->only(Code::E0316);
  REQUIRE(r->text(d.span) == "experment:*");
  REQUIRE(d.message == "scope family `experment:*` matches no declared scope");
  REQUIRE(has_note(d, "help: did you mean `experiment:*`?"));
}

TEST_CASE("E0317 grant on a type without `grants to`") {
  auto r = check_text(R"(
levels read;
resource model { actions read; level read: read; }
allow a: grant to read on model;
)");
  const auto& d = r->only(Code::E0317);
  REQUIRE(r->text(d.span) == "grant");
  REQUIRE(d.message == "resource type `model` accepts no grants");
  REQUIRE(r->text(d.labels.at(0).span) == "model");
}

TEST_CASE("E0317 with `*` types only when no type accepts grants") {
  auto ok = check_text(kBase + "allow a: grant to read on *;");
  require_clean(*ok);
  auto bad = check_text("levels r; resource x { actions read; } allow a: grant to read on *;");
  REQUIRE(bad->only(Code::E0317).message == "no resource type of this rule accepts grants");
}

TEST_CASE("E0318 denial code style") {
  auto r = check_text(kBase + R"(
deny a: anyone to read on model code orgSuspended;
deny b: anyone to update on model code ORG__X;
deny c: anyone to delete on model code ORG_SUSPENDED_2;
)");
  require_codes(*r, {"E0318", "E0318"});
  const auto ds = r->with(Code::E0318);
  REQUIRE(r->text(ds[0]->span) == "orgSuspended");
  REQUIRE(has_note(*ds[0], "help: did you mean `ORG_SUSPENDED`?"));
}

// --- W04xx: warnings ----------------------------------------------------------------

TEST_CASE("W0401 overlapping endpoints name the winner") {
  auto r = check_text(R"(
scope a;
scope b;
endpoint GET "/api/{id}" { requires a; }
endpoint GET "/api/models" { requires b; }
endpoint ANY "/api/**" { requires b; }
endpoint GET "/other/{x}" { requires a; }
endpoint GET "/other/y" { requires a; }
endpoint POST "/api/models" { requires a; }
)");
  require_codes(*r, {"W0401", "W0401", "W0401"});
  const auto ds = r->with(Code::W0401);
  REQUIRE(ds[0]->message ==
          "endpoints `GET /api/{id}` and `GET /api/models` overlap with different requirements; `/api/models` wins "
          "where both match");
  REQUIRE(r->text(ds[0]->span) == "\"/api/{id}\"");
  REQUIRE(r->text(ds[0]->labels.at(0).span) == "\"/api/models\"");
  REQUIRE(ds[1]->message ==
          "endpoints `GET /api/**` and `GET /api/{id}` overlap with different requirements; `/api/{id}` wins where "
          "both match");
}

TEST_CASE("W0401 requirement comparison ignores how requirements are written") {
  auto r = check_text(R"(
scope a;
scope b;
endpoint GET "/x/{id}" { requires all(a, b); }
endpoint GET "/x/y" { requires b; requires a; }
)");
  require_clean(*r);
}

TEST_CASE("W0402 allow shadowed by unconditional denies") {
  auto r = check_text(kBase + R"(
allow a: role viewer to read, list on model;
deny d1: anyone to read on model;
deny d2: anyone to list, update on model;
allow b: role viewer to read, delete on model;
deny conditional: anyone to delete on model when resource.sensitive;
deny monitored: anyone to delete on model monitor;
)");
  const auto& d = r->only(Code::W0402);
  require_codes(*r, {"W0402"});
  REQUIRE(r->text(d.span) == "a");
  REQUIRE(d.labels.size() == 2);
  REQUIRE(r->text(d.labels[0].span) == "d1");
  REQUIRE(r->text(d.labels[1].span) == "d2");
}

TEST_CASE("W0402 is silent in monitor mode") {
  auto r = check_text(kBase + R"(
mode monitor;
allow a: role viewer to read on model;
deny d: anyone to read on model;
)");
  require_clean(*r);
}

TEST_CASE("W0403 cross_tenant without isolation") {
  auto r = check_text(kBase + R"(
tenancy { isolation off; }
allow a: role viewer to read on model cross_tenant;
)");
  const auto& d = r->only(Code::W0403);
  REQUIRE(r->text(d.span) == "cross_tenant");
  REQUIRE(d.message == "`cross_tenant` has no effect: tenant isolation is off");
  auto on = check_text(kBase + "tenancy { isolation on; }\nallow a: role viewer to read on model cross_tenant;");
  require_clean(*on);
}

// --- literals -------------------------------------------------------------------------

TEST_CASE("literal parsing") {
  CHECK(parse_time("1970-01-01T00:00:00Z").unix_seconds == 0);
  CHECK(parse_time("2000-02-29T12:00:00+02:00").unix_seconds == 951818400);
  CHECK(parse_time("2026-01-31T00:00:00.123Z").error.empty());
  CHECK_FALSE(parse_time("2025-02-29T00:00:00Z").error.empty());
  CHECK_FALSE(parse_time("2026-01-31T00:00:00").error.empty());
  CHECK(parse_ip("::1").address[15] == 1);
  CHECK_FALSE(parse_ip("::1").ipv4);
  CHECK_FALSE(parse_ip("01.2.3.4").error.empty());
  CHECK(parse_cidr("2001:db8::/32").prefix == 32);
  CHECK(parse_cidr("0.0.0.0/0").prefix == 96);
  CHECK_FALSE(parse_cidr("10.0.0.0/33").error.empty());
  CHECK(parse_time_of_day("24:00", true).minute == 1440);
  CHECK_FALSE(parse_time_of_day("24:00", false).error.empty());
}

// --- robustness and tooling ---------------------------------------------------------------

TEST_CASE("long inheritance chains are closed without recursion") {
  std::string text = "role r0;\n";
  constexpr int kRoles = 3000;
  for (int i = 1; i < kRoles; ++i) text += "role r" + std::to_string(i) + " inherits r" + std::to_string(i - 1) + ";\n";
  text += "role r0x inherits r" + std::to_string(kRoles - 1) + ";\n";
  auto r = check_text(text);
  require_clean(*r);
  REQUIRE(r->model.roles.back().holds.size() == kRoles + 1);
  REQUIRE(r->model.roles.front().held_by.size() == kRoles + 1);
}

TEST_CASE("closures stay finite on cyclic input") {
  auto r = check_text(R"(
role a inherits b;
role b inherits a;
role c inherits a;
)");
  require_codes(*r, {"E0301"});
  REQUIRE(r->model.roles[*r->model.find_role("c")].holds.size() == 3);
}

TEST_CASE("the pass observer sees every pass in order") {
  SourceSet sources;
  ast::Policy policy;
  DiagnosticSink sink;
  const auto file = sources.add("p.warden", "role viewer;\n");
  grammar::parse_file(sources, file, policy, sink);
  std::vector<std::string_view> seen;
  CheckOptions options;
  options.after_pass = [&](const PassEvent& e) {
    seen.push_back(e.name);
    if (e.name == "collect_declarations") REQUIRE(e.model.roles.size() == 1);
  };
  compiler::check(policy, sources, sink, options);
  REQUIRE(seen == pass_names());
}

TEST_CASE("id sets") {
  IdSet s(130);
  s.insert(0);
  s.insert(64);
  s.insert(129);
  REQUIRE(s.size() == 3);
  REQUIRE(s.ids() == std::vector<Id>{0, 64, 129});
  REQUIRE(s.contains(129));
  REQUIRE_FALSE(s.contains(500));
  IdSet t(130);
  t.insert(64);
  REQUIRE(t.is_subset_of(s));
  REQUIRE_FALSE(s.is_subset_of(t));
  REQUIRE(t.intersects(s));
  REQUIRE(t.insert_all(s));
  REQUIRE_FALSE(t.insert_all(s));
  REQUIRE(t == s);
  s.erase(64);
  REQUIRE(s.size() == 2);
}
