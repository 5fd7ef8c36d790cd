// Formatting audit rows (see audit_row.hpp).
#include "server/audit_row.hpp"

#include <arpa/inet.h>

#include <optional>

#include "postgres/pg.hpp"
#include "support/printable.hpp"
#include "warden/explain.hpp"

namespace warden::server {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// `s` as text PostgreSQL accepts in a UTF-8 database: well-formed UTF-8
// without NUL. Most values are plain ASCII and are not copied.
std::string_view database_text(std::string_view s, std::string& storage) {
  bool ascii = true;
  for (const char c : s) ascii = ascii && c != 0 && static_cast<unsigned char>(c) < 0x80;
  if (ascii) return s;
  storage.clear();
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    const std::size_t n = utf8_char(s, i, cp);
    if (n == 0 || cp == 0) {
      storage += kReplacement;
      i += n == 0 ? 1 : n;
    } else {
      storage.append(s.substr(i, n));
      i += n;
    }
  }
  return storage;
}

// The JSON record as a COPY field for a jsonb column, in one pass. The
// writer's JSON has no raw tab, newline or carriage return (it escapes
// control characters) and is valid UTF-8, so only its backslashes need
// COPY's doubling; and jsonb refuses the escape \u0000 that JSON allows,
// which becomes \ufffd.
void append_json_field(std::string& out, std::string_view json) {
  for (;;) {
    const std::size_t slash = json.find('\\');
    if (slash == std::string_view::npos) {
      out.append(json);
      return;
    }
    out.append(json.substr(0, slash));
    if (slash + 1 == json.size()) {  // not the writer's JSON; kept, and still a well-formed field
      out += "\\\\";
      return;
    }
    if (json.substr(slash, 6) == "\\u0000") {
      out += "\\\\ufffd";
      json.remove_prefix(slash + 6);
      continue;
    }
    // The escape and the character it escapes (an escaped backslash does
    // not start another escape).
    out += "\\\\";
    if (json[slash + 1] == '\\') {
      out += "\\\\";
    } else {
      out += json[slash + 1];
    }
    json.remove_prefix(slash + 2);
  }
}

bool is_ip_address(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return false;
  char buffer[INET6_ADDRSTRLEN] = {};
  text.copy(buffer, text.size());
  unsigned char address[sizeof(in6_addr)];
  return inet_pton(AF_INET, buffer, address) == 1 || inet_pton(AF_INET6, buffer, address) == 1;
}

}  // namespace

void append_audit_row(std::string& out, const Decision& d, const DecisionContext& c, const FieldMask& mask,
                      std::string_view resource_type, std::string_view record) {
  const Request empty_request;
  const Request& q = c.request ? *c.request : empty_request;
  std::string storage;
  bool first = true;
  // A column: NULL when empty, "***" when masked (as in the decision log).
  auto column = [&](std::string_view mask_name, std::string_view value) {
    if (!first) out += '\t';
    first = false;
    if (value.empty()) {
      postgres::append_copy_field(out, std::nullopt);
    } else if (!mask_name.empty() && mask.masked(mask_name)) {
      postgres::append_copy_field(out, std::string_view("***"));
    } else {
      postgres::append_copy_field(out, database_text(value, storage));
    }
  };
  const bool model = resource_type == "*" || d.resource_type.view() == resource_type;
  column("resource_id", model ? d.resource_id.view() : std::string_view());
  column("user_id", d.principal_id.view());
  // access_type is NOT NULL in the model access log: a gateway check whose
  // route names no action is written with its endpoint ("authz", …).
  column("", d.action.view().empty() ? c.endpoint : d.action.view());
  column("", outcome_name(d.outcome));
  column("", source_kind_name(d.source));
  column("", d.grant_id.view());
  column("session_id", c.session_id);
  // inet has no room for "***" or for a value that is not an address: both
  // are NULL here; the record in `details` keeps what was given.
  // The address the decision used (the policy's trusted proxies applied to a
  // forwarded one), else what the request gave: as in the decision log.
  const std::string_view client = !d.client_ip.empty()   ? d.client_ip.view()
                                  : !q.client_ip.empty() ? q.client_ip
                                                         : q.peer_address;
  const bool address = is_ip_address(client) && !mask.masked("ip_address");
  column("", address ? client : std::string_view());
  column("user_agent", c.user_agent);
  out += '\t';
  append_json_field(out, record);
  out += '\n';
}

}  // namespace warden::server
