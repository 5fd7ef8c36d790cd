// Formatting decision-log records (see decision_record.hpp).
#include "server/decision_record.hpp"

#include <algorithm>

#include "server/options.hpp"
#include "server/service_log.hpp"
#include "runtime_io/rule_refs_json.hpp"
#include "support/json_writer.hpp"
#include "warden/explain.hpp"

namespace warden::server {
namespace {

std::size_t field_index(std::string_view field) {
  const auto& fields = maskable_fields();
  return static_cast<std::size_t>(std::find(fields.begin(), fields.end(), field) - fields.begin());
}

// utc_timestamp() for every record would format the date each time; the
// part down to the second changes once a second, so each thread keeps it.
std::string_view record_time(std::int64_t unix_millis) {
  thread_local std::int64_t second = -1;
  thread_local std::string text;
  if (unix_millis / 1000 != second) {
    second = unix_millis / 1000;
    text = utc_timestamp(second * 1000);  // "…:SS.000Z"
  }
  const auto ms = static_cast<int>(unix_millis % 1000);
  text[text.size() - 4] = static_cast<char>('0' + ms / 100);
  text[text.size() - 3] = static_cast<char>('0' + ms / 10 % 10);
  text[text.size() - 2] = static_cast<char>('0' + ms % 10);
  return text;
}

}  // namespace

FieldMask::FieldMask(const std::vector<std::string>& fields) {
  for (const auto& f : fields) {
    const std::size_t i = field_index(f);
    if (i < bits_.size()) bits_.set(i);
  }
}

bool FieldMask::masked(std::string_view field) const {
  const std::size_t i = field_index(field);
  return i < bits_.size() && bits_.test(i);
}

void append_decision_record(std::string& out, const Decision& d, const DecisionContext& c, const FieldMask& mask) {
  json::Writer w(out);
  const Request empty_request;
  const Request& q = c.request ? *c.request : empty_request;
  const bool any_mask = mask.any();
  auto text = [&](std::string_view key, std::string_view value) {
    w.key(key);
    if (any_mask && !value.empty() && mask.masked(key)) {
      w.string("***");
    } else {
      w.string(value);
    }
  };
  w.begin_object();
  text("time", record_time(c.unix_millis));
  text("request_id", d.request_id.view());
  text("endpoint", c.endpoint);
  text("tenant", d.tenant.view());
  text("principal", d.principal.view());
  text("user_id", d.principal_id.view());
  text("key_id", q.api_key);
  text("method", q.method);
  text("path", q.path);
  text("access_type", d.action.view());
  text("resource_type", d.resource_type.view());
  text("resource_id", d.resource_id.view());
  text("access_result", outcome_name(d.outcome));
  w.field("allowed", d.allowed());
  text("code", d.code.view());
  text("details", d.message.view());
  text("required", d.required.view());
  write_rule_refs(w, d);
  text("permission_source", source_kind_name(d.source));
  text("permission_source_detail", d.source_detail.view());
  text("permission_id", d.grant_id.view());
  text("policy_fingerprint", fingerprint_hex(d.policy_fingerprint));
  w.key("facts_version").unsigned_integer(d.facts_version);
  text("ip_address", q.client_ip);
  text("user_agent", c.user_agent);
  text("session_id", c.session_id);
  w.key("latency_us").unsigned_integer(static_cast<std::uint64_t>(c.latency.count() / 1000));
  w.end_object();
}

}  // namespace warden::server
