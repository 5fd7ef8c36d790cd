// Helpers for the formatter's tests: format a text, collect its comments,
// and compile policy texts in memory to a decision table whose source
// locations are zeroed, so that tables of a file before and after formatting
// can be compared.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "compiler/driver.hpp"
#include "format/format.hpp"
#include "grammar/comments.hpp"
#include "table/program.hpp"

namespace warden::test {

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The formatted text; fails the test when the input does not format.
inline std::string fmt(const std::string& text, std::size_t width = 100) {
  const format::Result r = format::format_source("test.warden", text, {width});
  INFO("internal error: " << r.internal_error);
  for (const auto& d : r.diagnostics) INFO("diagnostic: " << d.message);
  REQUIRE(r.ok());
  return r.text;
}

// Comment texts of a policy text, sorted.
inline std::vector<std::string> comments_of(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& c : grammar::scan_comments(text)) out.emplace_back(c.text(text));
  std::sort(out.begin(), out.end());
  return out;
}

// Every `*.warden` file below `dir`, except under `skip` (a path prefix).
inline std::vector<std::filesystem::path> warden_files(const std::filesystem::path& dir, const std::string& skip = "") {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().extension() != ".warden") continue;
    if (!skip.empty() && e.path().generic_string().rfind(skip, 0) == 0) continue;
    out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct Compiled {
  std::optional<table::Program> program;  // set when the policy has no errors
  std::string errors;                     // messages of the errors, one per line
};

// Compile the files of one policy, given as (name, text), in memory, with
// the compiler driver.
inline Compiled compile_texts(const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<compiler::SourceText> sources;
  for (const auto& [name, text] : files) sources.push_back({name, text});
  const compiler::Compilation c = compiler::compile_sources("policy", std::move(sources));
  Compiled out;
  if (c.ok()) out.program = *c.program;
  for (const auto& d : c.diagnostics) {
    if (d.severity == Severity::Error) out.errors += d.message + "\n";
  }
  return out;
}

// The table with every source location zeroed: formatting moves lines and
// columns and nothing else.
inline table::Program without_locations(table::Program p) {
  auto clear = [](auto& rows) {
    for (auto& r : rows) r.loc = {};
  };
  p.tenancy.loc = {};
  clear(p.scopes);
  clear(p.levels);
  clear(p.roles);
  clear(p.principals);
  clear(p.resources);
  clear(p.endpoints);
  clear(p.rules);
  return p;
}

}  // namespace warden::test
