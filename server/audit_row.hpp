// One audit row: a decision as a line of PostgreSQL's COPY text format, for
// a table shaped like the model access log of the model-permissions
// scenario.
//
// Pipeline position: server/, beside decision_record.hpp: Service::record()
// formats the row on the deciding thread (a few hundred nanoseconds, no
// I/O) and hands it to the AuditSink, whose thread sends rows in batches.
// Columns, in kAuditColumns order: model_id (the resource's id when its
// type is the sink's resource type), user_id, access_type, access_result,
// permission_source, permission_id, session_id, ip_address (NULL unless an
// IPv4 or IPv6 address), user_agent, details (the whole decision record as
// JSON, for a jsonb column). Text is made safe for the database: bytes that
// are not UTF-8 and NUL characters become U+FFFD, so no request can make a
// row the server refuses.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "server/decision_record.hpp"

namespace warden::server {

inline constexpr std::array<std::string_view, 10> kAuditColumns = {
    "model_id",     "user_id",    "access_type", "access_result", "permission_source",
    "permission_id", "session_id", "ip_address",  "user_agent",    "details"};

// Append one row (with its newline) to `out`. `resource_type`: "*" puts
// every resource id in model_id; otherwise only ids of that type do.
// `record` is the decision's record (append_decision_record() with the same
// mask), formatted once by the caller for the decision log too.
void append_audit_row(std::string& out, const Decision& d, const DecisionContext& c, const FieldMask& mask,
                      std::string_view resource_type, std::string_view record);

}  // namespace warden::server
