// The checking pipeline: one table listing every pass in order.
//
// Each pass lives in its own file under compiler/passes/ and states what it
// must run after; the order below satisfies those constraints. All passes
// run even after errors (each skips what failed to resolve), so one run
// reports every independent problem.
#include "compiler/check.hpp"

#include "compiler/passes/pass.hpp"

namespace warden::compiler {
namespace {

struct PassInfo {
  std::string_view name;
  std::string_view runs_after;  // the pass whose output it needs ("" for none)
  void (*run)(passes::State&);
};

constexpr PassInfo kPipeline[] = {
    {"collect_declarations", "", &passes::collect_declarations},
    {"resolve_names", "collect_declarations", &passes::resolve_names},
    {"close_hierarchies", "resolve_names", &passes::close_hierarchies},
    {"check_http", "collect_declarations", &passes::check_http},
    {"check_endpoints", "check_http", &passes::check_endpoints},
    {"resolve_rules", "close_hierarchies", &passes::resolve_rules},
    {"check_types", "resolve_rules", &passes::check_types},
    {"check_endpoint_rules", "check_endpoints", &passes::check_endpoint_rules},
    {"check_rules", "resolve_rules", &passes::check_rules},
};

}  // namespace

CheckedPolicy check(const ast::Policy& policy, const SourceSet& sources, DiagnosticSink& sink,
                    const CheckOptions& options) {
  CheckedPolicy model;
  passes::State state(policy, sources, sink, model);
  for (const PassInfo& pass : kPipeline) {
    const auto start = std::chrono::steady_clock::now();
    pass.run(state);
    if (options.after_pass) {
      options.after_pass(PassEvent{pass.name, std::chrono::steady_clock::now() - start, model});
    }
  }
  return model;
}

CheckedPolicy check(const ast::Policy& policy, const SourceSet& sources, DiagnosticSink& sink) {
  return check(policy, sources, sink, CheckOptions{});
}

std::vector<std::string_view> pass_names() {
  std::vector<std::string_view> out;
  for (const PassInfo& pass : kPipeline) out.push_back(pass.name);
  return out;
}

}  // namespace warden::compiler
