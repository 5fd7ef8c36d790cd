// The `warden` executable: the command line to the command table
// (commands.hpp), the exit status back to the shell.
#include <iostream>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  return warden::cli::run_warden(warden::cli::Args(argv + 1, argv + argc), std::cout, std::cerr);
}
