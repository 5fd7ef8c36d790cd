// Must not compile (tests/boundary/): what an enforcement service links — the
// runtime, its JSON I/O and the watcher (the installed package) — does not
// see the AST. CTest expects "No such file".
#include "grammar/ast.hpp"
