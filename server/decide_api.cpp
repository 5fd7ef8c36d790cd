// POST /v1/decide, /v1/decide/batch and /v1/authorized (see service.hpp).
//
// Request bodies are read by the runtime's request reader
// (runtime_io/request_reader.hpp): the same JSON as `warden eval --request`, with
// the same strictness (unknown fields refused, F02xx codes with line and
// column). Decisions are rendered by warden/explain.hpp, so a decision from
// the service and from `warden eval --format json` are the same object.
#include <chrono>
#include <deque>

#include "runtime_io/json_fields.hpp"
#include "runtime_io/request_reader.hpp"
#include "server/endpoints.hpp"
#include "server/responses.hpp"
#include "support/json.hpp"
#include "support/json_writer.hpp"
#include "warden/explain.hpp"

namespace warden::server {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::string_view kBody = "request body";

// ?explain=full (the trace), ?explain=summary (the default).
bool wants_trace(const Exchange& x, bool& bad) {
  bad = false;
  bool full = false;
  std::string_view q = x.query;
  while (!q.empty()) {
    const auto amp = q.find('&');
    const std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
    if (pair == "explain=full") full = true;
    else if (pair == "explain=summary" || pair.empty()) continue;
    else bad = true;
  }
  return full;
}

json::Result parse_body(const Exchange& x) {
  json::Limits limits;
  limits.max_depth = x.service.options().limits.max_json_depth;
  limits.max_size = x.service.options().limits.max_body;
  return json::parse(x.req.body(), limits);
}

void input_error(const Exchange& x, const InputError& e, const std::string& request_id) {
  x.service.metrics().count_error(x.peer.worker, e.code, 400);
  set_error(x.res, 400,
            {e.code, e.message, "fix the request body at the line and column given (docs/server.md)", {}, request_id,
             e.line, e.column});
}

void json_error(const Exchange& x, const json::Error& e, const std::string& request_id) {
  InputError error;
  runtime_io::FieldReader(runtime_io::kRequestCodes, kBody, 0, error).fail_json(e);
  input_error(x, error, request_id);
}

// The batch envelope: {"requests": [...]} and nothing else, read with the
// request reader's field rules and codes.
std::optional<InputError> batch_requests(const json::Value& root, const json::Value*& requests) {
  InputError error;
  runtime_io::FieldReader r(runtime_io::kRequestCodes, kBody, 0, error);
  if (!r.object(root, "a batch")) return error;
  for (const auto& m : root.members()) {
    if (m.key != "requests") {
      r.unknown(m, "batch", {"requests"});
      return error;
    }
    if (!m.value.is_array()) {
      r.wrong_type(m, "batch", "an array of requests");
      return error;
    }
    requests = &m.value;
  }
  if (!requests) {
    r.require(root, "batch", "requests");
    return error;
  }
  return std::nullopt;
}

// The request id: the body's, else the header's, else a new one.
void settle_request_id(const Exchange& x, OwnedRequest& owned) {
  if (!owned.request.request_id.empty()) return;
  owned.request.request_id = owned.keep(request_id_for(x));
}


}  // namespace

void decide_endpoint(const Exchange& x) {
  const auto start = Clock::now();
  bool bad_query = false;
  const bool full = wants_trace(x, bad_query);
  if (bad_query) {
    return refuse(x, 400, "S0103", "unknown query parameter in `" + std::string(x.query) + "`",
                  "the only parameter is `explain=full` or `explain=summary`");
  }
  // Per-thread scratch: once grown, a decision reuses their buffers.
  thread_local OwnedRequest owned;
  thread_local Decision decision;
  const auto parsed = parse_body(x);
  if (!parsed.ok()) return json_error(x, parsed.error, request_id_for(x));
  if (auto e = runtime_io::read_request(*parsed.value, owned, kBody)) return input_error(x, *e, request_id_for(x));
  settle_request_id(x, owned);
  std::string body;
  body.reserve(1024);
  if (x.service.deny_if_stale(decision, owned.request.request_id)) {
    append_decision_json(body, decision);
  } else if (full) {
    Trace trace;
    x.service.engine().decide(owned.request, decision, trace);
    append_decision_json(body, decision, &trace);
  } else {
    x.service.engine().decide(owned.request, decision);
    append_decision_json(body, decision);
  }
  set_json(x.res, 200, std::move(body));
  x.res.set("X-Request-ID", header_safe(decision.request_id.view()));
  x.service.record(decision, decision_context(x, owned.request, "decide", start), DecisionEndpoint::Decide, x.peer.worker);
}

void decide_batch_endpoint(const Exchange& x) {
  const auto parsed = parse_body(x);
  const std::string batch_id = request_id_for(x);
  if (!parsed.ok()) return json_error(x, parsed.error, batch_id);
  const json::Value* requests = nullptr;
  if (auto e = batch_requests(*parsed.value, requests)) return input_error(x, *e, batch_id);
  const std::size_t max = x.service.options().limits.max_batch;
  if (requests->items().size() > max) {
    return refuse(x, 413, "S0110",
                  "a batch holds at most " + std::to_string(max) + " requests, not " +
                      std::to_string(requests->items().size()),
                  "split the batch (--max-batch)");
  }
  thread_local OwnedRequest owned;
  thread_local Decision decision;
  std::string body = "{\"decisions\":[";
  bool first = true;
  std::size_t index = 0;
  for (const auto& item : requests->items()) {
    if (!first) body += ',';
    first = false;
    const auto item_start = Clock::now();
    if (auto e = runtime_io::read_request(item, owned, kBody)) {
      body += "{\"error\":";
      body += error_json({e->code, e->message, {}, {}, batch_id + "/" + std::to_string(index), e->line, e->column});
      body += '}';
      x.service.metrics().count_error(x.peer.worker, e->code, 400);
    } else {
      // Items without an id get the batch's, numbered.
      if (owned.request.request_id.empty()) owned.request.request_id = owned.keep(batch_id + "/" + std::to_string(index));
      if (!x.service.deny_if_stale(decision, owned.request.request_id)) x.service.engine().decide(owned.request, decision);
      append_decision_json(body, decision);
      x.service.record(decision, decision_context(x, owned.request, "decide_batch", item_start), DecisionEndpoint::Batch,
                       x.peer.worker);
    }
    ++index;
  }
  body += "]}";
  set_json(x.res, 200, std::move(body));
  x.res.set("X-Request-ID", header_safe(batch_id));
}

void authorized_endpoint(const Exchange& x) {
  const auto start = Clock::now();
  thread_local OwnedRequest owned;
  const auto parsed = parse_body(x);
  if (!parsed.ok()) return json_error(x, parsed.error, request_id_for(x));
  if (auto e = runtime_io::read_request(*parsed.value, owned, kBody)) return input_error(x, *e, request_id_for(x));
  settle_request_id(x, owned);
  const Request& q = owned.request;
  if (q.action.empty() || q.resource_type.empty() || !q.resource_id.empty() || !q.method.empty()) {
    return refuse(x, 400, "S0111",
                  "a list query names an `action` and a `resource` with a `type` and no `id`",
                  "e.g. {\"api_key\":\"k1\",\"action\":\"read\",\"resource\":{\"type\":\"model\"}}");
  }
  const auto ids = x.service.engine().authorized_resources(q, q.action, q.resource_type);
  std::string body;
  json::Writer w(body);
  w.begin_object().field("action", q.action).field("resource_type", q.resource_type);
  w.key("ids").begin_array();
  for (const auto& id : ids) w.string(id);
  w.end_array();
  w.field("request_id", q.request_id);
  w.field("policy_fingerprint", fingerprint_hex(x.service.engine().policy_fingerprint()));
  w.key("facts_version").unsigned_integer(x.service.engine().facts_version());
  w.end_object();
  set_json(x.res, 200, std::move(body));
  x.res.set("X-Request-ID", header_safe(q.request_id));
  x.service.metrics().count_decision(x.peer.worker, DecisionEndpoint::Authorized, Outcome::Allow, "LIST",
                                     Clock::now() - start);
}

}  // namespace warden::server
