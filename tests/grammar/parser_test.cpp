// Parser tests: one section per construct of docs/language.md, checking the
// AST the parser builds and the spans it records.
#include <catch2/catch.hpp>
#include <tao/pegtl/contrib/analyze.hpp>

#include "grammar/grammar.hpp"
#include "tests/grammar/parse_helpers.hpp"

using namespace warden;
using warden::test::parse;

TEST_CASE("the grammar has no infinite loops or left recursion", "[grammar]") {
  CHECK(tao::pegtl::analyze<grammar::rules::declarations>() == 0);
}

TEST_CASE("empty input and comments parse to an empty policy", "[grammar]") {
  for (const char* text : {"", "   \n\t", "# just a comment", "# a\n# b\n"}) {
    auto p = parse(text);
    CHECK(p.clean());
    CHECK(p.policy.rules.empty());
  }
}

TEST_CASE("policy name and mode", "[grammar]") {
  auto p = parse("policy gateway;\nmode monitor;\nmode enforce;");
  REQUIRE(p.clean());
  REQUIRE(p.policy.names.size() == 1);
  CHECK(p.policy.names[0].name.text == "gateway");
  CHECK(p.policy.names[0].name.span.line == 1);
  CHECK(p.policy.names[0].name.span.column == 8);
  CHECK(p.policy.names[0].name.span.length == 7);
  REQUIRE(p.policy.modes.size() == 2);
  CHECK(p.policy.modes[0].mode == ast::Mode::Monitor);
  CHECK(p.policy.modes[1].mode == ast::Mode::Enforce);
}

TEST_CASE("tenancy block", "[grammar]") {
  auto p = parse(R"(tenancy {
  isolation on;
  tenant from header "X-Tenant-ID", principal;
  default "acme";
})");
  REQUIRE(p.clean());
  REQUIRE(p.policy.tenancies.size() == 1);
  const auto& t = p.policy.tenancies[0];
  CHECK(t.isolation == true);
  REQUIRE(t.sources.size() == 2);
  CHECK(t.sources[0].kind == ast::TenantSource::Kind::Header);
  CHECK(t.sources[0].header.value == "X-Tenant-ID");
  CHECK(t.sources[1].kind == ast::TenantSource::Kind::Principal);
  REQUIRE(t.default_tenant);
  CHECK(t.default_tenant->value == "acme");
}

TEST_CASE("tenancy items given twice are reported", "[grammar]") {
  auto p = parse("tenancy { isolation on; isolation off; default \"a\"; default \"b\"; }");
  CHECK(p.codes() == std::vector<std::string>{"E0314", "E0314"});
  REQUIRE(p.policy.tenancies.size() == 1);
  CHECK(p.policy.tenancies[0].isolation == true);
}

TEST_CASE("scopes with implications, families and the catch-all", "[grammar]") {
  auto p = parse("scope model:read;\nscope mlflow:write implies model:write, experiment:*;\nscope admin implies *;");
  REQUIRE(p.clean());
  REQUIRE(p.policy.scopes.size() == 3);
  CHECK(p.policy.scopes[0].name.text == "model:read");
  const auto& w = p.policy.scopes[1];
  REQUIRE(w.implies.size() == 2);
  CHECK(w.implies[0].kind == ast::ScopeRef::Kind::Exact);
  CHECK(w.implies[0].text == "model:write");
  CHECK(w.implies[1].kind == ast::ScopeRef::Kind::Family);
  CHECK(w.implies[1].text == "experiment");
  CHECK(w.implies[1].span.length == 12);
  CHECK(p.policy.scopes[2].implies[0].kind == ast::ScopeRef::Kind::All);
}

TEST_CASE("a scope family cannot be declared", "[grammar]") {
  auto p = parse("scope experiment:*;");
  CHECK(p.codes() == std::vector<std::string>{"E0101"});
}

TEST_CASE("levels chain and roles with several parents", "[grammar]") {
  auto p = parse("levels read < write < execute < admin;\nrole viewer;\nrole auditor inherits viewer, billing;");
  REQUIRE(p.clean());
  REQUIRE(p.policy.levels.size() == 1);
  REQUIRE(p.policy.levels[0].levels.size() == 4);
  CHECK(p.policy.levels[0].levels[3].text == "admin");
  REQUIRE(p.policy.roles.size() == 2);
  CHECK(p.policy.roles[1].inherits.size() == 2);
  CHECK(p.policy.roles[1].inherits[1].text == "billing");
}

TEST_CASE("principals with membership and attributes of every type", "[grammar]") {
  auto p = parse(R"(principal org { attribute status: active | suspended | inactive; }
principal team member of org;
principal user member of team, org {
  attribute name: string;
  attribute age: int;
  attribute admin: bool;
  attribute joined: time;
  attribute home: ip;
  attribute manager: user;
})");
  REQUIRE(p.clean());
  REQUIRE(p.policy.principals.size() == 3);
  const auto& org = p.policy.principals[0];
  REQUIRE(org.attributes.size() == 1);
  CHECK(org.attributes[0].type.kind == ast::TypeExpr::Kind::Enum);
  REQUIRE(org.attributes[0].type.enum_values.size() == 3);
  CHECK(org.attributes[0].type.enum_values[0].text == "active");
  CHECK(p.policy.principals[1].member_of.size() == 1);
  const auto& user = p.policy.principals[2];
  CHECK(user.member_of.size() == 2);
  using K = ast::TypeExpr::Kind;
  REQUIRE(user.attributes.size() == 6);
  CHECK(user.attributes[0].type.kind == K::String);
  CHECK(user.attributes[1].type.kind == K::Int);
  CHECK(user.attributes[2].type.kind == K::Bool);
  CHECK(user.attributes[3].type.kind == K::Time);
  CHECK(user.attributes[4].type.kind == K::Ip);
  CHECK(user.attributes[5].type.kind == K::Entity);
  CHECK(user.attributes[5].type.entity.text == "user");
}

TEST_CASE("resource types with actions, attributes, grantees and level maps", "[grammar]") {
  auto p = parse(R"(resource model {
  actions read, update;
  actions delete;
  attribute org: org;
  grants to user, team;
  grants to org;
  level read: read;
  level admin: update, delete;
})");
  REQUIRE(p.clean());
  REQUIRE(p.policy.resources.size() == 1);
  const auto& m = p.policy.resources[0];
  CHECK(m.name.text == "model");
  CHECK(m.actions.size() == 3);
  CHECK(m.grants_to.size() == 3);
  REQUIRE(m.level_maps.size() == 2);
  CHECK(m.level_maps[1].level.text == "admin");
  CHECK(m.level_maps[1].actions.size() == 2);
  CHECK(m.attributes.size() == 1);
}

TEST_CASE("context attributes", "[grammar]") {
  auto p = parse("context { attribute country: string; attribute risk: int; }");
  REQUIRE(p.clean());
  REQUIRE(p.policy.contexts.size() == 1);
  CHECK(p.policy.contexts[0].attributes.size() == 2);
}

TEST_CASE("endpoints: methods, patterns, requirements, actions, id sources, public", "[grammar]") {
  auto p = parse(R"(endpoint GET, HEAD "/api/models/{name}/files/**" {
  requires any(model:read, mlflow:read);
  requires all(a, b);
  requires c;
  action read on model(name);
}
endpoint POST "/api/*/x" { action create on model(query "id"); }
endpoint ANY "/h" { action read on model(header "X-Model"); }
endpoint GET "/health" { public; }
endpoint GET "/" { public; })");
  REQUIRE(p.clean());
  REQUIRE(p.policy.endpoints.size() == 5);
  const auto& e = p.policy.endpoints[0];
  CHECK(e.methods == std::vector<ast::Method>{ast::Method::Get, ast::Method::Head});
  CHECK(e.pattern.value == "/api/models/{name}/files/**");
  using S = ast::PathSegment::Kind;
  REQUIRE(e.segments.size() == 5);
  CHECK(e.segments[0].kind == S::Literal);
  CHECK(e.segments[2].kind == S::Param);
  CHECK(e.segments[2].text == "name");
  CHECK(e.segments[2].span.column == 33);
  CHECK(e.segments[4].kind == S::DoubleStar);
  REQUIRE(e.requirements.size() == 3);
  CHECK(e.requirements[0].kind == ast::Requirement::Kind::AnyOf);
  CHECK(e.requirements[0].scopes.size() == 2);
  CHECK(e.requirements[1].kind == ast::Requirement::Kind::AllOf);
  CHECK(e.requirements[2].scopes[0].text == "c");
  REQUIRE(e.action);
  CHECK(e.action->action.text == "read");
  CHECK(e.action->resource_type.text == "model");
  CHECK(e.action->id.kind == ast::IdSource::Kind::PathParam);
  CHECK(e.action->id.name == "name");
  CHECK(p.policy.endpoints[1].segments[1].kind == S::Star);
  CHECK(p.policy.endpoints[1].action->id.kind == ast::IdSource::Kind::Query);
  CHECK(p.policy.endpoints[2].methods[0] == ast::Method::Any);
  CHECK(p.policy.endpoints[2].action->id.kind == ast::IdSource::Kind::Header);
  CHECK(p.policy.endpoints[2].action->id.name == "X-Model");
  CHECK(p.policy.endpoints[3].public_span.has_value());
  CHECK(p.policy.endpoints[4].segments.empty());
}

TEST_CASE("malformed path patterns are E0105", "[grammar]") {
  for (const char* pattern : {"api/x", "/a//b", "/a/**/b", "/a/{}", "/a/{1x}", "/a/x{y}", "/a/"}) {
    auto p = parse(std::string("endpoint GET \"") + pattern + "\" { public; }");
    INFO(pattern);
    CHECK(p.codes() == std::vector<std::string>{"E0105"});
  }
}

TEST_CASE("rules: effects, subjects, action and type lists", "[grammar]") {
  auto p = parse(R"(allow a: anyone to * on *;
deny b: role admin to read, write on model, dataset;
allow c: role admin in resource.org to read on model;
allow d: scope model:read to read on model;
allow e: grant to read on model;
allow f: grant >= write to update on model;
allow g: grant >= manage in resource.org to update on api_server;
allow h: member of resource.org to test on api_server;)");
  REQUIRE(p.clean());
  REQUIRE(p.policy.rules.size() == 8);
  using K = ast::Predicate::Kind;
  const auto& r = p.policy.rules;
  CHECK(r[0].effect == ast::Effect::Allow);
  CHECK(r[0].subject.kind == K::Anyone);
  CHECK(r[0].actions.all);
  CHECK(r[0].types.all);
  CHECK(r[1].effect == ast::Effect::Deny);
  CHECK(r[1].subject.kind == K::Role);
  CHECK(r[1].subject.name.text == "admin");
  CHECK(r[1].actions.names.size() == 2);
  CHECK(r[1].types.names[1].text == "dataset");
  REQUIRE(r[2].subject.in);
  CHECK(r[2].subject.in->root == ast::AttrPath::Root::Resource);
  CHECK(r[2].subject.in->attrs[0].text == "org");
  CHECK(r[3].subject.kind == K::Scope);
  CHECK(r[3].subject.name.text == "model:read");
  CHECK(r[4].subject.kind == K::Grant);
  CHECK(r[4].subject.name.text.empty());
  CHECK(r[5].subject.name.text == "write");
  CHECK(r[6].subject.name.text == "manage");
  CHECK(r[6].subject.in.has_value());
  CHECK(r[7].subject.kind == K::Member);
  REQUIRE(r[7].subject.in);
  CHECK(r[7].subject.in->span.column == 20);
  CHECK(r[7].subject.in->span.length == 12);
  CHECK(r[7].name.span.line == 8);
}

TEST_CASE("rule clauses", "[grammar]") {
  auto p = parse(R"(deny s: anyone to create on api_server
  when resource.org.status == suspended
  unless role admin
  code ORG_SUSPENDED
  message "organization {resource.org} is suspended"
  monitor
  cross_tenant;)");
  REQUIRE(p.clean());
  const auto& r = p.policy.rules.at(0);
  REQUIRE(r.when);
  REQUIRE(r.unless);
  const auto& w = r.exprs.at(*r.when);
  CHECK(w.kind == ast::Expr::Kind::Compare);
  CHECK(w.left.path.attrs.size() == 2);
  CHECK(w.right.literal.kind == ast::Literal::Kind::Ident);
  CHECK(w.right.literal.text == "suspended");
  CHECK(r.exprs.at(*r.unless).kind == ast::Expr::Kind::Predicate);
  REQUIRE(r.code);
  CHECK(r.code->text == "ORG_SUSPENDED");
  REQUIRE(r.message);
  CHECK(r.message->value == "organization {resource.org} is suspended");
  CHECK(r.monitor_span.has_value());
  CHECK(r.cross_tenant_span.has_value());
}

TEST_CASE("clauses given twice are E0319", "[grammar]") {
  auto p = parse("allow a: anyone to read on m when resource.x when resource.y monitor monitor;");
  CHECK(p.codes() == std::vector<std::string>{"E0319", "E0319"});
}

TEST_CASE("condition operators, precedence and literals", "[grammar]") {
  auto p = parse(R"(allow a: anyone to read on m
  when principal.age >= 18 and not resource.x or context.client_ip in cidr("10.0.0.0/8")
  unless context.time in hours("09:00", "17:30") or principal.dept in ["a", "b"] or resource.n != -3 or resource.f == false;)");
  REQUIRE(p.clean());
  const auto& r = p.policy.rules.at(0);
  using K = ast::Expr::Kind;
  // (age >= 18 and not x) or (ip in cidr)
  const auto& top = r.exprs.at(*r.when);
  REQUIRE(top.kind == K::Or);
  const auto& conj = r.exprs.at(top.lhs);
  REQUIRE(conj.kind == K::And);
  CHECK(r.exprs.at(conj.lhs).kind == K::Compare);
  CHECK(r.exprs.at(conj.lhs).op == ast::CompareOp::Ge);
  CHECK(r.exprs.at(conj.lhs).right.literal.int_value == 18);
  CHECK(r.exprs.at(conj.rhs).kind == K::Not);
  CHECK(r.exprs.at(r.exprs.at(conj.rhs).lhs).kind == K::Truthy);
  const auto& in = r.exprs.at(top.rhs);
  CHECK(in.kind == K::In);
  CHECK(in.set.kind == ast::SetExpr::Kind::Cidr);
  CHECK(in.set.first.value == "10.0.0.0/8");

  // Left-associative or-chain: ((hours or list) or ne) or eq.
  const auto* e = &r.exprs.at(*r.unless);
  REQUIRE(e->kind == K::Or);
  CHECK(r.exprs.at(e->rhs).op == ast::CompareOp::Eq);
  CHECK(r.exprs.at(e->rhs).right.literal.kind == ast::Literal::Kind::Bool);
  e = &r.exprs.at(e->lhs);
  CHECK(r.exprs.at(e->rhs).right.literal.int_value == -3);
  e = &r.exprs.at(e->lhs);
  const auto& hours = r.exprs.at(e->lhs);
  CHECK(hours.set.kind == ast::SetExpr::Kind::Hours);
  CHECK(hours.set.first.value == "09:00");
  CHECK(hours.set.second.value == "17:30");
  const auto& list = r.exprs.at(e->rhs);
  CHECK(list.set.kind == ast::SetExpr::Kind::List);
  REQUIRE(list.set.items.size() == 2);
  CHECK(list.set.items[1].literal.text == "b");
}

TEST_CASE("comparison operators", "[grammar]") {
  const std::pair<const char*, ast::CompareOp> ops[] = {{"==", ast::CompareOp::Eq}, {"!=", ast::CompareOp::Ne},
                                                        {"<", ast::CompareOp::Lt},  {"<=", ast::CompareOp::Le},
                                                        {">", ast::CompareOp::Gt},  {">=", ast::CompareOp::Ge}};
  for (const auto& [text, op] : ops) {
    auto p = parse(std::string("allow a: anyone to r on m when resource.n ") + text + " 1;");
    INFO(text);
    REQUIRE(p.clean());
    CHECK(p.policy.rules[0].exprs.back().op == op);
  }
}

TEST_CASE("parentheses group and path-to-path comparisons", "[grammar]") {
  auto p = parse("allow a: anyone to r on m when (resource.owner == principal.id or role admin) and scope x:y;");
  REQUIRE(p.clean());
  const auto& r = p.policy.rules[0];
  const auto& top = r.exprs.at(*r.when);
  REQUIRE(top.kind == ast::Expr::Kind::And);
  CHECK(r.exprs.at(top.lhs).kind == ast::Expr::Kind::Or);
  const auto& cmp = r.exprs.at(r.exprs.at(top.lhs).lhs);
  CHECK(cmp.right.kind == ast::Operand::Kind::Path);
  CHECK(cmp.right.path.root == ast::AttrPath::Root::Principal);
  CHECK(r.exprs.at(top.rhs).predicate.kind == ast::Predicate::Kind::Scope);
}

TEST_CASE("string escapes", "[grammar]") {
  auto p = parse(R"(allow a: anyone to r on m message "say \"hi\"\n\\ok\t";)");
  REQUIRE(p.clean());
  CHECK(p.policy.rules[0].message->value == "say \"hi\"\n\\ok\t");
}

TEST_CASE("keywords are positional: declared names may be keywords", "[grammar]") {
  auto p = parse("role admin;\nresource test { actions test, delete, action, level; }\nallow a: role admin to test, action on test;");
  CHECK(p.clean());
}
