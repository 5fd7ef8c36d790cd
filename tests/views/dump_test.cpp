// The dump behind `warden inspect`: closures spelled out with names,
// conditions decompiled to policy expressions, routes in precedence order,
// source locations on every row, and JSON that is well formed.
#include <catch2/catch.hpp>

#include "table/artifact.hpp"
#include "views/dump.hpp"
#include "views/render.hpp"
#include "tests/table/artifact_helpers.hpp"
#include "tests/table/sample_program.hpp"

using namespace warden;
using namespace warden::table;
using namespace warden::views;

namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.rfind(line + "\n", 0) == 0;
}

}  // namespace

TEST_CASE("conditions decompile to policy expressions", "[table][dump]") {
  const Program p = test::sample_program();
  CHECK(condition_text(p, p.rules[0].when) == "resource.org.status == suspended");
  CHECK(condition_text(p, p.rules[1].unless) == "resource.stage in [archived] and not role admin in resource.org");
  CHECK(condition_text(p, p.rules[2].when) ==
        "context.time in hours(\"08:00\", \"18:00\") or context.client_ip in cidr(\"10.0.0.0/8\")");
  CHECK(condition_text(p, p.rules[3].when) ==
        "principal.department == \"ml\" and context.time < \"2026-01-01T00:00:00Z\" and principal.verified");
  CHECK(condition_text(p, p.rules[4].when) == "");
}

TEST_CASE("precedence is parenthesized where needed", "[table][dump]") {
  Program p = test::sample_program();
  // (a or b) and not (c and d), over predicates.
  using enum Op;
  const auto begin = static_cast<std::uint32_t>(p.code.size());
  p.code.insert(p.code.end(), {{Predicate, 0, 0, 1}, {JumpIfTrue, 0, 0, 1}, {Predicate, 0, 0, 5}, {JumpIfFalse, 0, 0, 4},
                               {Predicate, 0, 0, 3}, {JumpIfFalse, 0, 0, 1}, {Predicate, 0, 0, 4}, {Not, 0, 0, 0}});
  CHECK(condition_text(p, Range{begin, 8}) ==
        "(role viewer or scope model:read) and not (grant >= write and member of resource.org)");
}

TEST_CASE("code the decompiler does not recognise is disassembled", "[table][dump]") {
  Program p = test::sample_program();
  const auto begin = static_cast<std::uint32_t>(p.code.size());
  p.code.push_back({Op::LoadConst, 0, 0, 7});
  p.code.push_back({Op::LoadConst, 0, 0, 5});
  CHECK(condition_text(p, Range{begin, 2}) == "load_const true; load_const 42");
  CHECK(disassemble(p, p.rules[0].when) ==
        std::vector<std::string>{"load_path resource.org.status", "load_const #1", "compare == enum"});
}

TEST_CASE("the text dump shows hierarchies, endpoints, routes and rules", "[table][dump]") {
  const Program p = test::sample_program();
  const std::string bytes = write_artifact(p, ArtifactInfo{"warden 0.0.1", 0xabcdef});
  const ArtifactLoad r = load_artifact(std::span<const char>(bytes.data(), bytes.size()));
  REQUIRE(r.ok());
  const std::string text = dump_text(*r.program, &r.header);
  INFO(text);
  CHECK(text.rfind("policy sample\n  mode            monitor\n  format version  2\n  compiler        warden 0.0.1\n"
                   "  fingerprint     0000000000abcdef\n",
                   0) == 0);
  CHECK(has_line(text, "  tenant from  header \"X-Tenant-ID\", principal"));
  CHECK(has_line(text, "  model:write  types.warden:4:7  model:read, model:write"));
  CHECK(has_line(text, "  admin   types.warden:10:6  inherits viewer  holds viewer, admin"));
  CHECK(has_line(text, "    collections  org"));
  CHECK(has_line(text, "    attributes   id: string, tenant: string, org: org, stage: draft | live | archived, size: int"));
  CHECK(has_line(text, "    level write  read, update"));
  CHECK(has_line(text, "  #1  DELETE /models/{id}  rules.warden:5:10"));
  CHECK(has_line(text, "        requires  model:write; any(model:write, admin)"));
  CHECK(has_line(text, "        action    delete on model, id from header \"X-Model\""));
  CHECK(has_line(text, "        requires  public"));
  CHECK(text.find("  GET\n    #3  /files/**\n    #2  /health\n    #0  /models/{id}\n") != std::string::npos);
  CHECK(has_line(text, "  r0  deny suspended  rules.warden:20:6"));
  CHECK(has_line(text, "        message  \"organization {resource.org} is suspended for {action}\""));
  CHECK(has_line(text, "        flags    monitor, cross_tenant"));
  CHECK(text.find("  model.delete\n    r0  deny   suspended\n    r2  allow  office_hours\n") != std::string::npos);
}

TEST_CASE("the JSON dump is one well-formed object", "[table][dump]") {
  const Program p = test::sample_program();
  const std::string json = dump_json(p, nullptr);
  INFO(json);
  CHECK(test::JsonChecker::valid(json));
  CHECK(json.rfind("{\"policy\":\"sample\",\"mode\":\"monitor\",\"format_version\":2,\"compiler\":null", 0) == 0);
  CHECK(json.find("\"routes\":{\"GET\":[3,2,0],\"HEAD\":[2],\"DELETE\":[1]}") != std::string::npos);
  CHECK(json.find("\"when\":{\"expr\":\"resource.org.status == suspended\",\"code\":[") != std::string::npos);
  CHECK(json.find("{\"resource_type\":\"model\",\"action\":\"delete\",\"rules\":[0,2]}") != std::string::npos);
}
