// Test helpers: parse a source text and inspect the AST and diagnostics.
#pragma once

#include <string>

#include "grammar/parse.hpp"

namespace warden::test {

struct Parsed {
  SourceSet sources;
  ast::Policy policy;
  std::vector<Diagnostic> diagnostics;

  bool clean() const { return diagnostics.empty(); }
  std::vector<std::string> codes() const {
    std::vector<std::string> out;
    for (const auto& d : diagnostics) out.emplace_back(code_info(d.code).name);
    return out;
  }
};

inline Parsed parse(std::string text) {
  Parsed p;
  DiagnosticSink sink;
  const auto id = p.sources.add("test.warden", std::move(text));
  grammar::parse_file(p.sources, id, p.policy, sink);
  p.diagnostics = sink.take();
  return p;
}

}  // namespace warden::test
