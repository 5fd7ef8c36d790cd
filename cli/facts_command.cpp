// `warden facts check | install-triggers | uninstall-triggers MAPPING` —
// facts from PostgreSQL: validate a mapping file against a policy and the
// live database, and install or remove the triggers that publish changes.
//
// Thin: the mapping reader, the checks and the trigger SQL are the library
// sources/postgres/ (docs/postgres.md); these commands parse options,
// connect, print diagnostics and map the result to an exit status.
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "compiler/driver.hpp"
#include "postgres/mapping_policy.hpp"
#include "postgres/plan.hpp"
#include "postgres/source.hpp"
#include "postgres/triggers.hpp"
#include "support/diagnostic_render.hpp"

namespace warden::cli {
namespace {

constexpr Option kCheckOptions[] = {
    {"--policy", "", "PATH", "check names against this policy (sources or .wdn)"},
    {"--db", "", "URL", "check tables, columns, SQL and types against this database"},
    {"--format", "", "text|json", "output format (default: text)"},
};

constexpr Option kTriggerOptions[] = {
    {"--db", "", "URL", "the database (postgresql://… or a conninfo string); required"},
    {"--print", "", "", "print the SQL instead of running it (for a review or a migration)"},
};

struct Report {
  std::ostream& out;
  std::ostream& err;
  bool json = false;
  bool first = true;
  std::size_t errors = 0, warnings = 0;

  void print(const std::vector<Diagnostic>& ds, const SourceSet& sources) {
    for (const Diagnostic& d : ds) {
      (d.severity == Severity::Error ? errors : warnings) += 1;
      if (json) {
        out << (first ? "" : ",") << render_json(d, sources);
        first = false;
      } else {
        err << render_text(d, sources) << "\n";
      }
    }
  }
};

// Read the mapping file; diagnostics printed. Null when it has errors.
std::shared_ptr<const postgres::MappingFile> read_mapping(const std::string& path, Report& report) {
  postgres::MappingFileResult r = postgres::read_mapping_file(path);
  report.print(r.diagnostics, r.sources);
  return r.file;
}

int run_check(const Command& self, const ParsedArgs& args, std::ostream& out, std::ostream& err) {
  if (args.operands().size() != 1) return usage_error(self, "give exactly one mapping file", err);
  Report report{out, err, args.value("--format") == "json"};
  if (report.json) out << "[";
  auto finish = [&](int status) {
    if (report.json) out << "]\n";
    if (!report.json && (report.errors || report.warnings)) {
      err << report.errors << (report.errors == 1 ? " error" : " errors") << ", " << report.warnings
          << (report.warnings == 1 ? " warning" : " warnings") << "\n";
    }
    return status;
  };
  const auto mapping = read_mapping(args.operands()[0], report);
  if (!mapping) {
    // A file that cannot be read is an I/O failure, not a finding.
    const bool unreadable = report.errors == 1 && std::filesystem::exists(args.operands()[0]) == false;
    return finish(unreadable ? kExitUsage : kExitFindings);
  }
  if (auto policy_path = args.value("--policy")) {
    const compiler::Compilation c = compiler::compile_path(*policy_path);
    if (!c.ok()) {
      if (report.json) out << "]\n";
      return report_failure(c, err);
    }
    report.print(postgres::check_against_policy(mapping->mapping, *c.program), mapping->sources);
  }
  if (auto url = args.value("--db")) {
    postgres::Connection db;
    if (!db.open(*url)) {
      report.print({make_diagnostic(Code::P0301, Span{}, "cannot connect to the database: " + db.error())}, mapping->sources);
      return finish(kExitUsage);
    }
    postgres::PlanResult plan = postgres::plan_mapping(db, mapping->mapping, mapping->sources);
    report.print(plan.diagnostics, mapping->sources);
  }
  return finish(report.errors ? kExitFindings : kExitOk);
}

int run_triggers(const Command& self, const ParsedArgs& args, std::ostream& out, std::ostream& err, bool install) {
  if (args.operands().size() != 1) return usage_error(self, "give exactly one mapping file", err);
  const auto url = args.value("--db");
  if (!url) return usage_error(self, "`--db URL` is required: the tables are looked up in the database", err);
  Report report{out, err, false};
  const auto mapping = read_mapping(args.operands()[0], report);
  if (!mapping) return kExitFindings;
  postgres::Connection db;
  if (!db.open(*url)) {
    print_error(err, Code::P0301, "cannot connect to the database: " + db.error());
    return kExitUsage;
  }
  postgres::PlanResult plan = postgres::plan_mapping(db, mapping->mapping, mapping->sources);
  std::vector<Diagnostic> errors;
  for (auto& d : plan.diagnostics) {
    if (d.severity == Severity::Error) errors.push_back(std::move(d));
  }
  report.print(errors, mapping->sources);
  if (!plan.plan) return kExitFindings;
  if (args.has("--print")) {
    const auto statements = install ? postgres::install_statements(*plan.plan) : postgres::uninstall_statements(*plan.plan);
    out << "BEGIN;\n";
    for (const std::string& s : statements) out << s << ";\n";
    out << "COMMIT;\n";
    return kExitOk;
  }
  const postgres::TriggerResult r =
      install ? postgres::install_triggers(db, *plan.plan) : postgres::uninstall_triggers(db, *plan.plan);
  if (!r.ok) {
    print_error(err, Code::P0308, std::string(install ? "cannot install" : "cannot remove") + " the triggers: " + r.error);
    return kExitFindings;
  }
  for (const std::string& t : r.tables) out << (install ? "installed on " : "removed from ") << t << "\n";
  return kExitOk;
}

int run_install(const Command& self, const ParsedArgs& args, std::ostream& out, std::ostream& err) {
  return run_triggers(self, args, out, err, true);
}

int run_uninstall(const Command& self, const ParsedArgs& args, std::ostream& out, std::ostream& err) {
  return run_triggers(self, args, out, err, false);
}

}  // namespace

const Command kFactsCheckCommand{
    "facts check", "[--policy PATH] [--db URL] [--format text|json] MAPPING",
    "check a PostgreSQL mapping file against a policy and a database",
    "Read a mapping file (docs/postgres.md) and report every problem in it: the\n"
    "file itself; with --policy, every type, level, role, scope, attribute and\n"
    "enum value it writes against the policy; with --db, every table, column,\n"
    "SQL expression, filter, query and column type against the live database,\n"
    "and whether the triggers that publish changes are installed (a warning).\n",
    kCheckOptions, "0 no errors, 1 errors found, 2 usage or I/O failure (cannot connect)", run_check};

const Command kFactsInstallTriggersCommand{
    "facts install-triggers", "--db URL [--print] MAPPING",
    "install the triggers that publish the mapped tables' changes",
    "Create (or replace) the function warden.notify_change() and, on every table\n"
    "the mapping reads or watches, the triggers that notify its channel of each\n"
    "changed row. Idempotent, and in one transaction: all or nothing.\n",
    kTriggerOptions, "0 installed, 1 the mapping does not fit the database or the SQL failed, 2 usage or I/O failure",
    run_install};

const Command kFactsUninstallTriggersCommand{
    "facts uninstall-triggers", "--db URL [--print] MAPPING",
    "remove the triggers install-triggers made",
    "Drop the triggers on every table the mapping reads or watches, then the\n"
    "function (and the `warden` schema) once no trigger uses it. Idempotent,\n"
    "in one transaction.\n",
    kTriggerOptions, "0 removed, 1 the mapping does not fit the database or the SQL failed, 2 usage or I/O failure",
    run_uninstall};

}  // namespace warden::cli
