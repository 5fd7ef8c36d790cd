// Must not compile (tests/boundary/): the compiler never evaluates a request,
// so it does not see the evaluator. CTest expects "No such file".
#include "runtime/evaluation.hpp"
