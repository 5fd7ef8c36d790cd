// What the subcommands share (see commands.hpp).
#include "cli/commands.hpp"

#include <ostream>

namespace warden::cli {

int report_failure(const compiler::Compilation& c, std::ostream& err) {
  err << c.error_report();
  return c.failure == compiler::Failure::Policy ? kExitFindings : kExitUsage;
}

}  // namespace warden::cli
