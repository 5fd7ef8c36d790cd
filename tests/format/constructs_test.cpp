// The canonical layout of every construct of docs/language.md, one small
// input each with its exact expected output, plus the rules for blank lines,
// wrapping and parentheses. Every expected output is also checked to be a
// fixed point (formatting it again changes nothing).
#include <catch2/catch.hpp>

#include "tests/format/format_helpers.hpp"

using warden::test::fmt;

namespace {

// The formatted text must be `expected`, and formatting it again must not change it.
void check(const std::string& input, const std::string& expected, std::size_t width = 100) {
  const std::string once = fmt(input, width);
  CHECK(once == expected);
  CHECK(fmt(once, width) == once);
}

}  // namespace

TEST_CASE("policy, mode and tenancy", "[format]") {
  check("policy   p ;mode monitor;", "policy p;\nmode monitor;\n");
  check("mode enforce;", "mode enforce;\n");
  check("tenancy{isolation off;tenant from principal,header \"X-T\";default \"d\";}",
        "tenancy {\n  isolation off;\n  tenant from principal, header \"X-T\";\n  default \"d\";\n}\n");
  // Items keep their source order.
  check("tenancy { default \"d\"; isolation on; }", "tenancy {\n  default \"d\";\n  isolation on;\n}\n");
  check("tenancy{}", "tenancy {}\n");
}

TEST_CASE("scopes, levels and roles", "[format]") {
  check("scope  a:b ;scope a:c implies a:b,x:*,*;", "scope a:b;\nscope a:c implies a:b, x:*, *;\n");
  check("levels r<w  < x;", "levels r < w < x;\n");
  check("role v; role d inherits v,w ;", "role v;\nrole d inherits v, w;\n");
}

TEST_CASE("principals, attributes and types", "[format]") {
  check("principal org;principal team member of org ;", "principal org;\nprincipal team member of org;\n");
  // An empty body is the same declaration as `;`.
  check("principal org {}", "principal org;\n");
  check("principal user member of team,org{attribute a:string;attribute b :int;attribute c: bool;"
        "attribute d:time;attribute e:ip;attribute f: x|y |z;attribute g:org;}",
        "principal user member of team, org {\n  attribute a: string;\n  attribute b: int;\n  attribute c: bool;\n"
        "  attribute d: time;\n  attribute e: ip;\n  attribute f: x | y | z;\n  attribute g: org;\n}\n");
}

TEST_CASE("resources keep their statements and their order", "[format]") {
  check("resource m{actions a,b;actions c;attribute o:org;grants to user;grants to team, org;level r:a;level w:b,c;}",
        "resource m {\n  actions a, b;\n  actions c;\n  attribute o: org;\n  grants to user;\n  grants to team, org;\n"
        "  level r: a;\n  level w: b, c;\n}\n");
  check("resource m { level r: a; actions a; }", "resource m {\n  level r: a;\n  actions a;\n}\n");
  check("resource m {}", "resource m {}\n");
}

TEST_CASE("context", "[format]") {
  check("context{attribute c:string;}", "context {\n  attribute c: string;\n}\n");
  check("context { }", "context {}\n");
}

TEST_CASE("endpoints", "[format]") {
  check("endpoint GET,HEAD \"/a/{id}\" {requires x;action read on m(id);}",
        "endpoint GET, HEAD \"/a/{id}\" {\n  requires x;\n  action read on m(id);\n}\n");
  // `all` of one scope is the scope itself; `any` of one stays (it is another requirement kind).
  check("endpoint POST \"/b\" {requires all(x);requires any(y);requires all(x,y);requires any(x , y);}",
        "endpoint POST \"/b\" {\n  requires x;\n  requires any(y);\n  requires all(x, y);\n  requires any(x, y);\n}\n");
  check("endpoint ANY \"/q/**\" {action read on m(query \"n\");}", "endpoint ANY \"/q/**\" {\n  action read on m(query \"n\");\n}\n");
  check("endpoint PUT \"/h/*\" {action read on m( header \"X-H\" ) ;}", "endpoint PUT \"/h/*\" {\n  action read on m(header \"X-H\");\n}\n");
  check("endpoint GET \"/\" {public;}", "endpoint GET \"/\" {\n  public;\n}\n");
  check("endpoint OPTIONS \"/\" {}", "endpoint OPTIONS \"/\" {}\n");
  check("endpoint PATCH, DELETE \"/x\" {action a on m;}", "endpoint PATCH, DELETE \"/x\" {\n  action a on m;\n}\n");
}

TEST_CASE("rules: subjects, lists and clauses", "[format]") {
  check("allow a:anyone to * on *;", "allow a: anyone to * on *;\n");
  check("allow a : role r in resource.org to x,y on m , n ;", "allow a: role r in resource.org to x, y on m, n;\n");
  check("deny a: scope s:t to x on m;", "deny a: scope s:t to x on m;\n");
  check("allow a: grant to x on m; allow b: grant>=w to x on m; allow c: grant >= w in resource.f to x on m;"
        "allow d: grant in resource.f to x on m;",
        "allow a: grant to x on m;\nallow b: grant >= w to x on m;\nallow c: grant >= w in resource.f to x on m;\n"
        "allow d: grant in resource.f to x on m;\n");
  check("allow a: member of resource.org to x on m;", "allow a: member of resource.org to x on m;\n");
  // Every clause on its own line, in source order.
  check("deny a: anyone to x on m monitor code C message \"m {action}\" unless role r when resource.s cross_tenant;",
        "deny a: anyone to x on m\n  monitor\n  code C\n  message \"m {action}\"\n  unless role r\n  when resource.s\n"
        "  cross_tenant;\n");
}

TEST_CASE("conditions: operators, literals and sets", "[format]") {
  check("allow a: anyone to x on m when principal.n>=-3 and principal.n<=7 and principal.n<1 and principal.n>0"
        " and principal.n!=2;",
        "allow a: anyone to x on m\n  when principal.n >= -3\n    and principal.n <= 7\n    and principal.n < 1\n"
        "    and principal.n > 0\n    and principal.n != 2;\n");
  check("allow a: anyone to x on m when resource.l in [a,b] or context.c in [\"x\",\"y\"] or principal.n in [];",
        "allow a: anyone to x on m\n  when resource.l in [a, b] or context.c in [\"x\", \"y\"] or principal.n in [];\n");
  check("allow a: anyone to x on m when context.time in hours(\"08:00\",\"18:00\") and context.client_ip in cidr(\"10.0.0.0/8\");",
        "allow a: anyone to x on m\n  when context.time in hours(\"08:00\", \"18:00\") and context.client_ip in cidr(\"10.0.0.0/8\");\n");
  check("allow a: anyone to x on m when principal.ok == true or principal.ok == false or resource.o.status == active;",
        "allow a: anyone to x on m\n  when principal.ok == true or principal.ok == false or resource.o.status == active;\n");
  check("allow a: anyone to x on m when member of resource.org and grant >= r and role b in resource.org and scope s;",
        "allow a: anyone to x on m\n  when member of resource.org and grant >= r and role b in resource.org and scope s;\n");
  // Strings are re-escaped canonically; integers printed in decimal.
  check("deny a: anyone to x on m when principal.n == 007 message \"tab\\there \\\"q\\\" \\\\ \\n\";",
        "deny a: anyone to x on m\n  when principal.n == 7\n  message \"tab\\there \\\"q\\\" \\\\ \\n\";\n");
}

TEST_CASE("conditions: parentheses only where the tree needs them", "[format]") {
  const std::string head = "allow a: anyone to x on m\n  when ";
  check("allow a: anyone to x on m when ((resource.a) and (resource.b));", head + "resource.a and resource.b;\n");
  check("allow a: anyone to x on m when (resource.a and resource.b) or resource.c;", head + "resource.a and resource.b or resource.c;\n");
  check("allow a: anyone to x on m when resource.a and (resource.b or resource.c);", head + "resource.a and (resource.b or resource.c);\n");
  // A right operand of the same operator keeps its parentheses: the tree is kept as parsed.
  check("allow a: anyone to x on m when resource.a or (resource.b or resource.c);", head + "resource.a or (resource.b or resource.c);\n");
  check("allow a: anyone to x on m when (resource.a or resource.b) or resource.c;", head + "resource.a or resource.b or resource.c;\n");
  check("allow a: anyone to x on m when not (resource.a or resource.b) and not not resource.c;",
        head + "not (resource.a or resource.b) and not not resource.c;\n");
  check("allow a: anyone to x on m when not resource.a == b;", head + "not resource.a == b;\n");
}

TEST_CASE("long lines wrap canonically", "[format]") {
  // A rule head fills to the width and continues with an indent of 4.
  check("allow a: anyone to read, list, update on model, dataset, experiment;",
        "allow a: anyone to read, list, update on model,\n    dataset, experiment;\n", 50);
  // A long condition breaks before each operator of its top-level chain.
  check("allow a: anyone to x on m when resource.aaaa == bbbb and (resource.c or resource.d) and resource.eeee;",
        "allow a: anyone to x on m\n  when resource.aaaa == bbbb\n    and (resource.c or resource.d)\n    and resource.eeee;\n", 50);
  check("scope s implies aaaa:bbbb, cccc:dddd, eeee:ffff, gggg:hhhh;",
        "scope s implies aaaa:bbbb, cccc:dddd, eeee:ffff,\n    gggg:hhhh;\n", 50);
  check("resource m { actions aaaaaaaa, bbbbbbbb, cccccccc, dddddddd, eeeeeeee; }",
        "resource m {\n  actions aaaaaaaa, bbbbbbbb, cccccccc, dddddddd,\n      eeeeeeee;\n}\n", 50);
}

TEST_CASE("blank lines: between groups always, elsewhere as in the source", "[format]") {
  check("role a;\n\n\n\nrole b;\nrole c;", "role a;\n\nrole b;\nrole c;\n");
  check("role a;scope s;allow r: anyone to x on m;", "role a;\n\nscope s;\n\nallow r: anyone to x on m;\n");
  check("resource a {}\nresource b {}", "resource a {}\n\nresource b {}\n");
  check("endpoint GET \"/a\" {public;}\nendpoint GET \"/b\" {public;}",
        "endpoint GET \"/a\" {\n  public;\n}\n\nendpoint GET \"/b\" {\n  public;\n}\n");
  // Never right after `{` or before `}`.
  check("resource m {\n\n  actions a;\n\n  actions b;\n\n}\n", "resource m {\n  actions a;\n\n  actions b;\n}\n");
  // Not at the start or the end of the file.
  check("\n\n\nrole a;\n\n\n", "role a;\n");
  check("", "");
  check("\n \n\t\n", "");
}

TEST_CASE("syntax errors are reported, not formatted", "[format]") {
  const auto r = warden::format::format_source("bad.warden", "role a\nrole b;");
  CHECK_FALSE(r.ok());
  CHECK(r.text.empty());
  REQUIRE_FALSE(r.diagnostics.empty());
  CHECK(r.diagnostics.front().message.find("expected `;`") != std::string::npos);
  // Errors the parser reports about a construct (a tenancy item given twice) also stop formatting.
  CHECK_FALSE(warden::format::format_source("bad.warden", "tenancy { isolation on; isolation off; }").ok());
}

TEST_CASE("line endings and trailing whitespace are normalized", "[format]") {
  check("role a;   \r\nrole b;\r\n", "role a;\nrole b;\n");
  check("role a;", "role a;\n");
}
