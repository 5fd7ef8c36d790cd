// One decision-log record: a JSON line an audit store can keep as it is.
//
// Pipeline position: server/, after Engine::decide(): the handlers build a
// record from the Decision and what the HTTP exchange adds (endpoint, user
// agent, session, latency) and hand it to the DecisionLog. The field names
// follow the model access log of the model-permissions scenario (user_id,
// access_type, access_result, permission_source, permission_id, session_id,
// ip_address, user_agent, details) so a service can insert a record into its
// `model_access_logs` table without renaming; docs/server.md maps every
// field. Key order is fixed and every key is always present.
#pragma once

#include <bitset>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "warden/decision.hpp"
#include "warden/request.hpp"

namespace warden::server {

// What the service knows about a decision besides the Decision itself.
struct DecisionContext {
  std::string_view endpoint;  // "decide", "decide_batch", "authz", "ext_authz"
  const Request* request = nullptr;
  std::string_view user_agent;
  std::string_view session_id;
  std::chrono::nanoseconds latency{};
  std::int64_t unix_millis = 0;
};

// Which fields to write as "***" (maskable_fields() order, options.hpp).
class FieldMask {
 public:
  FieldMask() = default;
  explicit FieldMask(const std::vector<std::string>& fields);
  bool masked(std::string_view field) const;
  bool any() const { return bits_.any(); }

 private:
  std::bitset<32> bits_;
};

// Append one record (no newline) to `out`.
void append_decision_record(std::string& out, const Decision& d, const DecisionContext& c, const FieldMask& mask);

}  // namespace warden::server
