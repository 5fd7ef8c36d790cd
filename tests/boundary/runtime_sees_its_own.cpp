// Must compile (tests/boundary/): the control for the probes that must not.
// Against warden_runtime only, its own headers, the table format, support and
// the public API resolve — so a probe that fails, fails for the layer it
// names and not for a broken include setup.
#include "runtime/evaluation.hpp"
#include "support/diagnostic.hpp"
#include "table/program.hpp"
#include "warden/engine.hpp"
#include "warden/explain.hpp"
