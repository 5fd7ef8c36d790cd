// runtime_io/: the rules of a decision as a JSON array, written the same
// way by the decision JSON here and by the service's decision log
// (server/decision_record.cpp), so both name a rule alike.
#pragma once

#include "support/json_writer.hpp"
#include "warden/decision.hpp"

namespace warden {

// Writes `"rules": [{name, effect, monitor, file, line, column}, …]` into the
// object `w` is in.
void write_rule_refs(json::Writer& w, const Decision& d);

}  // namespace warden
