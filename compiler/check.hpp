// The semantic front half of the compiler: AST in, checked model and
// diagnostics out.
//
// Pipeline position: grammar::parse_file -> ast::Policy -> check() ->
// CheckedPolicy -> lowering to the decision table. check() runs the named
// passes of compiler/passes/ in the order of the pipeline table in check.cpp;
// it never throws for bad input, never prints, and reports every independent
// problem into the sink. The returned model is meaningful only when the sink
// holds no errors afterwards.
#pragma once

#include <chrono>
#include <functional>
#include <string_view>
#include <vector>

#include "compiler/model.hpp"
#include "grammar/ast.hpp"
#include "support/diagnostic.hpp"
#include "support/source.hpp"

namespace warden::compiler {

CheckedPolicy check(const ast::Policy& policy, const SourceSet& sources, DiagnosticSink& sink);

// Observation hooks for tools: called after each pass with its name, its
// running time and the model so far (for `--time-passes` / `--dump-after`).
struct PassEvent {
  std::string_view name;
  std::chrono::nanoseconds elapsed;
  const CheckedPolicy& model;
};

struct CheckOptions {
  std::function<void(const PassEvent&)> after_pass;
};

CheckedPolicy check(const ast::Policy& policy, const SourceSet& sources, DiagnosticSink& sink,
                    const CheckOptions& options);

// The pass names, in the order they run.
std::vector<std::string_view> pass_names();

}  // namespace warden::compiler
