// The formatter on every reference policy and fixture policy: formatting is
// idempotent, keeps every comment, and never changes the compiled decision
// table — the Program compiled from the formatted files equals the one from
// the originals once source locations (which move) are zeroed, with the same
// rules under the same names. Also over the messy golden input.
//
// Runs from the source root (CTest sets the working directory).
#include <catch2/catch.hpp>
#include <map>

#include "tests/format/format_helpers.hpp"

using namespace warden;
namespace fs = std::filesystem;

namespace {

// Every policy file the repository formats: policies/ and fixtures/, except
// the deliberately broken fixtures/diagnostics.
std::vector<fs::path> formatted_files() {
  auto files = test::warden_files("policies");
  for (auto& f : test::warden_files("fixtures", "fixtures/diagnostics")) files.push_back(f);
  return files;
}

// The rule names of a table, in table order, with their effects.
std::vector<std::string> rule_names(const table::Program& p) {
  std::vector<std::string> out;
  for (const auto& r : p.rules) out.push_back((r.effect == table::Effect::Allow ? "allow " : "deny ") + p.str(r.name));
  return out;
}

void check_same_table(const std::vector<std::pair<std::string, std::string>>& original) {
  std::vector<std::pair<std::string, std::string>> formatted;
  for (const auto& [name, text] : original) formatted.emplace_back(name, test::fmt(text));
  const test::Compiled before = test::compile_texts(original);
  const test::Compiled after = test::compile_texts(formatted);
  INFO("errors before: " << before.errors << "errors after: " << after.errors);
  REQUIRE(before.program.has_value());
  REQUIRE(after.program.has_value());
  CHECK(rule_names(*before.program) == rule_names(*after.program));
  CHECK(before.program->rules.size() == after.program->rules.size());
  CHECK(before.program->endpoints.size() == after.program->endpoints.size());
  CHECK(test::without_locations(*before.program) == test::without_locations(*after.program));
}

}  // namespace

TEST_CASE("formatting every policy and fixture is idempotent and keeps comments", "[format][policies]") {
  const auto files = formatted_files();
  REQUIRE(files.size() >= 12);
  for (const auto& f : files) {
    INFO(f.generic_string());
    const std::string text = test::read_file(f);
    const std::string once = test::fmt(text);
    CHECK(test::fmt(once) == once);
    CHECK(test::comments_of(once) == test::comments_of(text));
  }
}

TEST_CASE("the repository's policies are formatted", "[format][policies]") {
  for (const auto& f : formatted_files()) {
    INFO(f.generic_string() << " is not formatted: run `warden fmt` on it");
    const std::string text = test::read_file(f);
    CHECK(test::fmt(text) == text);
  }
}

TEST_CASE("formatting never changes the compiled table", "[format][policies]") {
  // Policies are the directories that hold the files.
  std::map<fs::path, std::vector<std::pair<std::string, std::string>>> policies;
  for (const auto& f : formatted_files()) {
    policies[f.parent_path()].emplace_back(f.filename().string(), test::read_file(f));
  }
  REQUIRE(policies.size() >= 6);
  for (const auto& [dir, files] : policies) {
    INFO("policy " << dir.generic_string());
    check_same_table(files);
  }
}

TEST_CASE("formatting the messy input keeps its table", "[format][policies]") {
  check_same_table({{"messy.warden", test::read_file("tests/format/data/messy.warden")}});
}

TEST_CASE("the table check notices a change", "[format][policies]") {
  // The comparison is not vacuous: a real edit changes the zeroed table.
  const auto a = test::compile_texts({{"p.warden", "resource m { actions a, b; }\nallow r: anyone to a on m;"}});
  const auto b = test::compile_texts({{"p.warden", "resource m { actions a, b; }\nallow r: anyone to b on m;"}});
  REQUIRE(a.program);
  REQUIRE(b.program);
  CHECK_FALSE(test::without_locations(*a.program) == test::without_locations(*b.program));
  // And moving lines alone does not.
  const auto c = test::compile_texts({{"p.warden", "\n\nresource m {\n  actions a, b;\n}\n\nallow r: anyone to a on m;\n"}});
  REQUIRE(c.program);
  CHECK_FALSE(*a.program == *c.program);
  CHECK(test::without_locations(*a.program) == test::without_locations(*c.program));
}
