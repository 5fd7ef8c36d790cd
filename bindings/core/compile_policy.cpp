// The compiler driver for the bindings (see compile_policy.hpp).
#include "bindings/core/compile_policy.hpp"

#include "compiler/driver.hpp"
#include "support/diagnostic_render.hpp"

namespace warden::bindings {
namespace {

const char* failure_name(compiler::Failure f) {
  switch (f) {
    case compiler::Failure::None: return "";
    case compiler::Failure::Input: return "input";
    case compiler::Failure::Policy: return "policy";
    case compiler::Failure::Internal: return "internal";
  }
  return "internal";
}

}  // namespace

CompiledPolicy compile_policy(const std::string& path, bool warnings_as_errors) {
  compiler::Options options;
  options.warnings_as_errors = warnings_as_errors;
  compiler::Compilation c = compiler::compile_path(path, options);
  CompiledPolicy out;
  out.ok = c.ok();
  out.failure = failure_name(c.failure);
  out.name = c.name;
  out.fingerprint = c.fingerprint;
  if (c.ok()) out.artifact = std::move(c.artifact);
  for (const Diagnostic& d : c.diagnostics) {
    CompiledDiagnostic cd;
    cd.code = std::string(code_info(d.code).name);
    cd.severity = d.severity == Severity::Error ? "error" : "warning";
    cd.message = d.message;
    if (d.span.valid() && d.span.file < c.sources.size()) cd.file = c.sources.file(d.span.file).path();
    cd.line = d.span.line;
    cd.column = d.span.column;
    cd.text = render_text(d, c.sources);
    cd.json = render_json(d, c.sources);
    out.diagnostics.push_back(std::move(cd));
  }
  return out;
}

}  // namespace warden::bindings
