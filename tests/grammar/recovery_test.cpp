// Syntax errors: codes, positions, messages and recovery (every independent
// error in one run), plus the limits that protect the parser.
#include <catch2/catch.hpp>

#include "tests/grammar/parse_helpers.hpp"

using namespace warden;
using warden::test::parse;

TEST_CASE("a missing semicolon is reported after the previous token", "[grammar][errors]") {
  auto p = parse("scope model:read\nrole viewer;");
  REQUIRE(p.diagnostics.size() == 1);
  const auto& d = p.diagnostics[0];
  CHECK(code_info(d.code).name == "E0101");
  CHECK(d.message == "expected `;`, found `role`");
  CHECK(d.span.line == 1);
  CHECK(d.span.column == 17);
  // Recovery resumes at `role`, which is parsed.
  CHECK(p.policy.roles.size() == 1);
}

TEST_CASE("one run reports every independent error", "[grammar][errors]") {
  auto p = parse(R"(role a inherits ;
scope ok;
resource r { actions ; }
endpoint FETCH "/x" { public; }
allow x: nobody to read on r;
deny y: anyone to read on r;
)");
  CHECK(p.codes() == std::vector<std::string>{"E0101", "E0101", "E0101", "E0101"});
  CHECK(p.diagnostics[0].span.line == 1);
  CHECK(p.diagnostics[1].span.line == 3);
  CHECK(p.diagnostics[2].span.line == 4);
  CHECK(p.diagnostics[3].span.line == 5);
  CHECK(p.diagnostics[3].message ==
        "expected a subject (`anyone`, `role`, `scope`, `grant`, `member of`, `anonymous`, `session`, `key` or "
        "`authenticated`), found `nobody`");
  // The good declarations between the bad ones survive.
  CHECK(p.policy.scopes.size() == 1);
  CHECK(p.policy.rules.size() == 1);
  CHECK(p.policy.rules[0].name.text == "y");
  // The failed ones leave nothing behind.
  CHECK(p.policy.roles.empty());
  CHECK(p.policy.resources.empty());
  CHECK(p.policy.endpoints.empty());
}

TEST_CASE("garbage at the top level is skipped", "[grammar][errors]") {
  auto p = parse("}}} ;; foo bar;\nrole r;");
  REQUIRE(!p.diagnostics.empty());
  CHECK(p.diagnostics[0].message.rfind("expected a declaration", 0) == 0);
  CHECK(p.policy.roles.size() == 1);
}

TEST_CASE("an unclosed block does not swallow the next top-level declaration", "[grammar][errors]") {
  auto p = parse("resource r {\n  actions a;\n\nrole x;\n");
  CHECK(p.codes() == std::vector<std::string>{"E0101"});
  CHECK(p.policy.roles.size() == 1);
}

TEST_CASE("unterminated strings are E0102", "[grammar][errors]") {
  auto p = parse("tenancy { default \"abc; }\nrole r;");
  REQUIRE(!p.diagnostics.empty());
  CHECK(code_info(p.diagnostics[0].code).name == "E0102");
  CHECK(p.diagnostics[0].span.line == 1);
  CHECK(p.policy.roles.size() == 1);
}

TEST_CASE("invalid escapes are E0103", "[grammar][errors]") {
  auto p = parse(R"(tenancy { default "a\qb"; })");
  CHECK(p.codes() == std::vector<std::string>{"E0103"});
  CHECK(p.diagnostics[0].span.column == 22);
}

TEST_CASE("integers beyond 64 bits are E0104", "[grammar][errors]") {
  auto p = parse("allow a: anyone to r on m when resource.n < 99999999999999999999;");
  CHECK(p.codes() == std::vector<std::string>{"E0104"});
}

TEST_CASE("conditions nested deeper than the limit are E0106, not a crash", "[grammar][errors]") {
  std::string deep = "allow a: anyone to r on m when ";
  for (int i = 0; i < 200; ++i) deep += "not (";
  deep += "resource.x";
  for (int i = 0; i < 200; ++i) deep += ")";
  deep += ";\nrole r;";
  auto p = parse(deep);
  CHECK(p.codes() == std::vector<std::string>{"E0106"});
  CHECK(p.policy.roles.size() == 1);

  std::string ok = "allow a: anyone to r on m when ";
  for (int i = 0; i < 20; ++i) ok += "(";
  ok += "resource.x";
  for (int i = 0; i < 20; ++i) ok += ")";
  ok += ";";
  CHECK(parse(ok).clean());
}

TEST_CASE("errors at end of file point at the end", "[grammar][errors]") {
  auto p = parse("allow a: anyone to read on");
  REQUIRE(p.diagnostics.size() == 1);
  CHECK(p.diagnostics[0].message == "expected a resource type name or `*`, found end of file");
}

TEST_CASE("the number of syntax errors per file is capped", "[grammar][errors]") {
  std::string text;
  for (int i = 0; i < 500; ++i) text += "role ;\n";
  auto p = parse(text);
  CHECK(p.diagnostics.size() == 50);
}

TEST_CASE("binary garbage never crashes the parser", "[grammar][errors]") {
  std::string text;
  for (int i = 0; i < 4096; ++i) text.push_back(static_cast<char>((i * 7919) % 256));
  auto p = parse(text);
  CHECK(!p.diagnostics.empty());
}
