// `warden doc POLICY [--format markdown|html] [-o FILE]` — the endpoint
// reference of a policy (views/endpoint_doc.hpp), generated from its compiled
// table.
#include <fstream>
#include <iostream>
#include <optional>

#include "cli/commands.hpp"
#include "compiler/driver.hpp"
#include "views/endpoint_doc.hpp"

namespace warden::cli {
namespace {

constexpr const char* kUsage =
    "usage: warden doc [--format markdown|html] [-o FILE] POLICY\n"
    "\n"
    "Print the endpoint reference of a policy: for every endpoint its method,\n"
    "path, required scopes, action and resource type, the roles that may\n"
    "perform it (through the role hierarchy), what else allows or denies it,\n"
    "and whether it is public; then which keys hold each scope. Generated from\n"
    "the compiled table, so it always matches what is enforced. POLICY is a\n"
    "policy file or directory (compiled in memory) or an artifact (.wdn).\n"
    "\n"
    "  --format markdown|html  output format (default: markdown)\n"
    "  -o, --output FILE       write to FILE instead of standard output\n"
    "\n"
    "exit status: 0 printed, 1 errors in the policy or a refused artifact,\n"
    "             2 usage or I/O failure\n";

}  // namespace

int run_doc(const Args& args, std::ostream& out, std::ostream& err) {
  std::string format = "markdown", output, policy;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const char* flag) -> std::optional<std::string> {
      const std::string prefix = std::string(flag) + "=";
      if (a.rfind(prefix, 0) == 0) return a.substr(prefix.size());
      if (i + 1 >= args.size()) {
        err << "error: `" << flag << "` needs a value\n" << kUsage;
        return std::nullopt;
      }
      return args[++i];
    };
    if (a == "--help" || a == "-h") {
      out << kUsage;
      return kExitOk;
    } else if (a == "--format" || a.rfind("--format=", 0) == 0) {
      const auto v = value("--format");
      if (!v) return kExitUsage;
      format = *v;
      if (format == "md") format = "markdown";
      if (format != "markdown" && format != "html") {
        err << "error: unknown format `" << format << "` (expected `markdown` or `html`)\n";
        return kExitUsage;
      }
    } else if (a == "-o" || a == "--output" || a.rfind("--output=", 0) == 0) {
      const auto v = value(a == "-o" ? "-o" : "--output");
      if (!v) return kExitUsage;
      output = *v;
    } else if (!a.empty() && a[0] == '-') {
      err << "error: unknown option `" << a << "`\n" << kUsage;
      return kExitUsage;
    } else if (!policy.empty()) {
      err << "error: more than one policy given (`" << policy << "`, `" << a << "`)\n" << kUsage;
      return kExitUsage;
    } else {
      policy = a;
    }
  }
  if (policy.empty()) {
    err << "error: no policy given\n" << kUsage;
    return kExitUsage;
  }

  const compiler::Compilation c = compiler::compile_path(policy);
  if (!c.ok()) return report_failure(c, err);
  const views::PolicyDoc doc = views::build_endpoint_doc(*c.program);
  const std::string text = format == "html" ? views::render_html(doc) : views::render_markdown(doc);
  if (output.empty()) {
    out << text;
    return kExitOk;
  }
  std::ofstream file(output, std::ios::binary);
  file << text;
  file.close();
  if (!file) {
    err << "error: cannot write `" << output << "`\n";
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace warden::cli
