// The admin API: facts changed at run time (see service.hpp).
//
//   PUT    /v1/facts                 replace every fact: the body is a fact file
//                                    (JSON document or JSONL records, docs/facts.md)
//   PATCH  /v1/facts                 apply an update: JSONL lines with an `op`
//                                    (the update format of docs/facts.md), all or none
//   DELETE /v1/facts/grants/ID, /v1/facts/keys/ID, /v1/facts/entities/TYPE/ID
//   GET    /v1/facts/findings        what of the facts in service the policy in
//                                    service does not declare (F04xx), checked now
//
// Guarded by the admin bearer token (`--admin-token-file`), compared in
// constant time; without a token the admin API is off. Bodies are read by
// the runtime's fact readers and applied through the Engine's checked entry
// points: a bad update changes nothing, is refused with its code and line,
// and is counted (`warden_fact_updates_total{result="failed"}`). Bodies are
// read under the policy in service: what it does not declare (F04xx) is
// loaded with warnings, logged and listed in the answer, or refused
// (`--facts-check`).
#include <boost/beast/core/string.hpp>

#include "server/endpoints.hpp"
#include "server/responses.hpp"
#include "support/diagnostic.hpp"
#include "support/json_writer.hpp"
#include "warden/explain.hpp"
#include "warden/facts_check.hpp"
#include "warden/facts_json.hpp"

namespace warden::server {
namespace beast = boost::beast;
namespace {

constexpr std::string_view kBody = "request body";

// Equal in time independent of where the strings differ: the loop always
// runs over the whole presented token and the comparison accumulates.
bool constant_time_equal(std::string_view presented, std::string_view expected) {
  unsigned char diff = presented.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < presented.size(); ++i) {
    const unsigned char e = expected.empty() ? 0 : static_cast<unsigned char>(expected[i % expected.size()]);
    diff |= static_cast<unsigned char>(static_cast<unsigned char>(presented[i]) ^ e);
  }
  return diff == 0;
}

bool authorized(const Exchange& x) {
  const std::string& token = x.service.admin_token();
  if (token.empty()) {
    refuse(x, 403, "S0108", "the admin API is disabled", "start the service with --admin-token-file");
    return false;
  }
  std::string_view auth = header(x.req, "Authorization");
  std::string_view presented;
  if (auth.size() > 7 && beast::iequals(auth.substr(0, 7), "bearer ")) presented = auth.substr(7);
  if (presented.empty() || !constant_time_equal(presented, token)) {
    x.res.set(http::field::www_authenticate, "Bearer realm=\"warden-admin\"");
    refuse(x, 401, "S0107", "the admin API needs `Authorization: Bearer <admin token>`");
    return false;
  }
  return true;
}

void update_failed(const Exchange& x, unsigned status, const InputError& e) {
  x.service.metrics().count_fact_update(false);
  x.service.metrics().count_error(x.peer.worker, e.code, status);
  x.service.service_log().warn("fact_update_refused", {{"code", e.code}, {"message", e.message},
                                                       {"line", static_cast<std::uint64_t>(e.line)}});
  set_error(x.res, status,
            {e.code, e.message, "nothing was changed; the facts in service are still version " +
                                    std::to_string(x.service.engine().facts_version()),
             {}, request_id_for(x), e.line, e.column});
}

// Facts refused for naming what the policy does not declare (F04xx, with
// `--facts-check refuse`): the first finding answers, every one is logged.
void refused_by_policy(const Exchange& x, const std::optional<InputError>& error,
                       const std::vector<InputError>& findings, std::size_t total) {
  x.service.service_log().warn("fact_update_findings", {{"findings", static_cast<std::uint64_t>(total)},
                                                         {"diagnostics", format_findings(findings, total)}});
  update_failed(x, 400, *error);
}

// `warnings`: facts the policy does not declare, loaded anyway (F04xx with
// `--facts-check warn`), logged and listed in the answer.
void updated(const Exchange& x, std::size_t changes, const std::vector<InputError>& warnings = {},
             std::size_t warnings_total = 0) {
  x.service.metrics().count_fact_update(true);
  x.service.facts_changed();
  const std::uint64_t version = x.service.engine().facts_version();
  x.service.service_log().info("facts_updated", {{"changes", static_cast<std::uint64_t>(changes)},
                                                 {"facts_version", version},
                                                 {"warnings", static_cast<std::uint64_t>(warnings_total)}});
  if (warnings_total > 0) {
    x.service.service_log().warn("fact_update_findings",
                                 {{"findings", static_cast<std::uint64_t>(warnings_total)},
                                  {"diagnostics", format_findings(warnings, warnings_total)}});
  }
  std::string body;
  json::Writer w(body);
  w.begin_object().key("facts_version").unsigned_integer(version).key("changes").unsigned_integer(changes);
  if (warnings_total > 0) {
    w.key("warnings").begin_array();
    for (const InputError& e : warnings) {
      w.begin_object().field("code", e.code).field("message", e.message);
      w.key("line").unsigned_integer(e.line).key("column").unsigned_integer(e.column).end_object();
    }
    w.end_array().key("warnings_total").unsigned_integer(warnings_total);
  }
  w.end_object();
  set_json(x.res, 200, std::move(body));
}

void apply(const Exchange& x, const ParsedUpdate& parsed) {
  const Status s = x.service.engine().apply(parsed.update);
  if (!s.ok) return update_failed(x, 409, update_error(s, parsed, kBody));
  updated(x, parsed.update.changes.size(), parsed.findings, parsed.findings_total);
}

// Percent-decoding of one path segment; false for a malformed escape.
bool decode_segment(std::string_view in, std::string& out) {
  out.clear();
  auto hex = [](char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  };
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size() || hex(in[i + 1]) < 0 || hex(in[i + 2]) < 0) return false;
    out += static_cast<char>(hex(in[i + 1]) * 16 + hex(in[i + 2]));
    i += 2;
  }
  return !out.empty();
}

}  // namespace

void facts_replace_endpoint(const Exchange& x) {
  if (!authorized(x)) return;
  const auto schema = x.service.engine().fact_schema();
  FactsResult parsed = parse_facts(x.req.body(), kBody, FactsFormat::Auto, schema.get(), x.service.options().facts_check);
  if (!parsed.ok() && parsed.findings_total > 0) {
    return refused_by_policy(x, parsed.error, parsed.findings, parsed.findings_total);
  }
  if (!parsed.ok()) return update_failed(x, 400, *parsed.error);
  const std::size_t records = parsed.facts.entities.size() + parsed.facts.memberships.size() +
                              parsed.facts.roles.size() + parsed.facts.grants.size() + parsed.facts.keys.size();
  const Status s = x.service.engine().replace_facts(parsed.facts);
  if (!s.ok) return update_failed(x, 409, {s.code, s.message, std::string(kBody), s.line, 0});
  updated(x, records, parsed.findings, parsed.findings_total);
}

void facts_patch_endpoint(const Exchange& x) {
  if (!authorized(x)) return;
  const auto schema = x.service.engine().fact_schema();
  const ParsedUpdate parsed = parse_update(x.req.body(), kBody, schema.get(), x.service.options().facts_check);
  if (!parsed.ok() && parsed.findings_total > 0) {
    return refused_by_policy(x, parsed.error, parsed.findings, parsed.findings_total);
  }
  if (!parsed.ok()) return update_failed(x, 400, *parsed.error);
  if (parsed.update.changes.empty()) {
    return update_failed(x, 400, {std::string(code_name(Code::F0102)), "the update holds no change", std::string(kBody), 0, 0});
  }
  apply(x, parsed);
}

void facts_delete_endpoint(const Exchange& x, std::string_view record_path) {
  if (!authorized(x)) return;
  std::vector<std::string> segments;
  std::string_view rest = record_path;
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    std::string decoded;
    if (!decode_segment(rest.substr(0, slash), decoded)) {
      return refuse(x, 404, "S0105", "no fact record at `/v1/facts/" + std::string(record_path) + "`");
    }
    segments.push_back(std::move(decoded));
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
  }
  ParsedUpdate parsed;
  if (segments.size() == 2 && segments[0] == "grants") {
    Grant g;
    g.id = segments[1];
    parsed.update.remove(std::move(g));
  } else if (segments.size() == 2 && segments[0] == "keys") {
    ApiKey k;
    k.id = segments[1];
    parsed.update.remove(std::move(k));
  } else if (segments.size() == 3 && segments[0] == "entities") {
    Entity e;
    e.type = segments[1];
    e.id = segments[2];
    parsed.update.remove(std::move(e));
  } else {
    return refuse(x, 404, "S0105", "no fact record at `/v1/facts/" + std::string(record_path) + "`",
                  "DELETE /v1/facts/grants/ID, /v1/facts/keys/ID or /v1/facts/entities/TYPE/ID; other changes: PATCH");
  }
  parsed.lines.push_back(1);
  apply(x, parsed);
}

// Checked at the call against one consistent (policy, facts) pair, so the
// answer is what is in service now, whichever way the facts or the policy
// came (files, this API, a database, a reload). Admin only: messages name
// records, API key ids among them.
void facts_findings_endpoint(const Exchange& x) {
  if (!authorized(x)) return;
  const FactsInServiceCheck c = check_facts_in_service(x.service.engine());
  std::string body;
  json::Writer w(body);
  w.begin_object();
  w.field("policy_fingerprint", c.has_policy ? fingerprint_hex(c.policy_fingerprint) : std::string());
  w.key("facts_version").unsigned_integer(c.facts_version);
  w.key("findings").begin_array();
  for (const InputError& e : c.findings) w.begin_object().field("code", e.code).field("message", e.message).end_object();
  w.end_array().key("findings_total").unsigned_integer(c.findings_total);
  w.end_object();
  set_json(x.res, 200, std::move(body));
}

void facts_version_endpoint(const Exchange& x) {
  std::string body;
  json::Writer w(body);
  w.begin_object().key("facts_version").unsigned_integer(x.service.engine().facts_version());
  const std::int64_t at = x.service.facts_loaded_at_ms();
  w.field("loaded_at", at > 0 ? utc_timestamp(at) : std::string());
  if (const postgres::PostgresFactSource* source = x.service.facts_source()) {
    // The database position the facts in service reflect: `snapshot …`
    // after a full load, `xid N` after changes (docs/postgres.md).
    const postgres::SourceStatus s = source->status();
    w.key("source").begin_object();
    w.field("state", postgres::source_state_name(s.state));
    w.field("position", source->position_of(x.service.engine().facts_version()));
    w.end_object();
  }
  w.end_object();
  set_json(x.res, 200, std::move(body));
}

}  // namespace warden::server
