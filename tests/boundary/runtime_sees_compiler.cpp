// Must not compile (tests/boundary/): the runtime does not see the compiler.
// Built against warden_runtime only; CTest expects "No such file".
#include "compiler/model.hpp"
