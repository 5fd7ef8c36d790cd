// Must not compile (tests/boundary/): the decision service is a front end
// beside the command line, over the same libraries; it never reaches into
// the `warden` commands. CTest expects "No such file".
#include "cli/commands.hpp"
