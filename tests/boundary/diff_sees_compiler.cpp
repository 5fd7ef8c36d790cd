// Must not compile (tests/boundary/): the access diff works on tables, never
// on the checked model. CTest expects "No such file".
#include "compiler/model.hpp"
