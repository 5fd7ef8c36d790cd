// `warden doc POLICY [--format markdown|html] [-o FILE]` — the endpoint
// reference of a policy (views/endpoint_doc.hpp), generated from its compiled
// table.
#include <iostream>

#include "cli/commands.hpp"
#include "compiler/driver.hpp"
#include "support/file_io.hpp"
#include "views/endpoint_doc.hpp"

namespace warden::cli {
namespace {

constexpr Option kOptions[] = {
    {"--format", "", "markdown|html", "output format (default: markdown)", false, "", "md"},
    {"--output", "-o", "FILE", "write to FILE instead of standard output"},
};

int run(const Command& self, const ParsedArgs& args, std::ostream& out, std::ostream& err) {
  const bool html = args.value("--format") == "html";
  const std::string output = args.value("--output").value_or("");
  const std::vector<std::string>& operands = args.operands();
  if (operands.empty()) return usage_error(self, "no policy given", err);
  if (operands.size() > 1) {
    return usage_error(self, "more than one policy given (`" + operands[0] + "`, `" + operands[1] + "`)", err);
  }
  const std::string& policy = operands[0];

  const compiler::Compilation c = compiler::compile_path(policy);
  if (!c.ok()) return report_failure(c, err);
  const views::PolicyDoc doc = views::build_endpoint_doc(*c.program);
  const std::string text = html ? views::render_html(doc) : views::render_markdown(doc);
  if (output.empty()) {
    out << text;
    return kExitOk;
  }
  if (const std::string failure = write_file_atomically(output, text); !failure.empty()) {
    print_error(err, Code::E0004, "cannot write `" + output + "`: " + failure);
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

const Command kDocCommand{
    "doc", "[--format markdown|html] [-o FILE] POLICY",
    "document the endpoints: scopes, action, roles (Markdown, HTML)",
    "Print the endpoint reference of a policy: for every endpoint its method,\n"
    "path, required scopes, action and resource type, the roles that may\n"
    "perform it (through the role hierarchy), what else allows or denies it,\n"
    "and whether it is public; then which keys hold each scope. Generated from\n"
    "the compiled table, so it always matches what is enforced. POLICY is a\n"
    "policy file or directory (compiled in memory) or an artifact (.wdn).\n",
    kOptions,
    "0 printed, 1 errors in the policy or a refused artifact,\n"
    "             2 usage or I/O failure",
    run};

}  // namespace warden::cli
