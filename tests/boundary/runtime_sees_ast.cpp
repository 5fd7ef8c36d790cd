// Must not compile (tests/boundary/): the runtime does not see the AST.
// Built against warden_runtime only; CTest expects "No such file".
#include "grammar/ast.hpp"
