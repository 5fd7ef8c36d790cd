// bindings/core: what the Python and Node modules share.
//
// The request builder is walked here by a host written over the JSON DOM
// (as the bindings walk dicts and objects) and must produce exactly the
// Request the runtime's JSON reader produces, for every request of the
// fixture suites, and the same error code for malformed ones. Also: the HTTP
// status of decisions, compile_policy() and the fact inputs.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "bindings/core/compile_policy.hpp"
#include "bindings/core/facts_input.hpp"
#include "bindings/core/host_engine.hpp"
#include "bindings/core/http_status.hpp"
#include "bindings/core/request_builder.hpp"
#include "policy_test/suite.hpp"
#include "warden/request_json.hpp"
#include "support/json.hpp"

using namespace warden;
using bindings::RequestBuilder;

namespace {

// A host over json::Value, in the shape of bindings/python/src/py_request.cpp.
bool walk_attributes(RequestBuilder& b, RequestBuilder::Owner owner, const json::Value& v, std::string_view of) {
  if (!v.is_object()) return b.wrong_type("attributes", of, "an object", json::Value::kind_name(v.kind()));
  for (const auto& a : v.members()) {
    if (a.value.is_string()) b.attribute(owner, a.key, std::string_view(a.value.as_string()));
    else if (a.value.is_int()) b.attribute(owner, a.key, a.value.as_int());
    else if (a.value.is_bool()) b.attribute_flag(owner, a.key, a.value.as_bool());
    else return b.fail(Code::F0203, "attribute of the wrong type");
  }
  return true;
}

bool walk(RequestBuilder& b, const json::Value& o) {
  using bindings::RequestField;
  for (const auto& m : o.members()) {
    const RequestField f = bindings::request_field(m.key);
    const json::Value& v = m.value;
    bool ok = true;
    switch (f) {
      case RequestField::Unknown: return b.unknown_field(m.key, "request");
      case RequestField::Principal:
      case RequestField::Resource: {
        const bool principal = f == RequestField::Principal;
        b.entity_seen(principal);
        for (const auto& e : v.members()) {
          const auto ef = bindings::entity_field(e.key);
          if (ef == bindings::EntityField::Unknown) return b.unknown_field(e.key, principal ? "principal" : "resource");
          if (ef == bindings::EntityField::Attributes) {
            ok = walk_attributes(b, principal ? RequestBuilder::Owner::Principal : RequestBuilder::Owner::Resource,
                                 e.value, "entity");
          } else {
            ok = b.entity_text(principal, ef, e.value.as_string());
          }
          if (!ok) return false;
        }
        break;
      }
      case RequestField::Headers:
        for (const auto& h : v.members()) b.header(h.key, h.value.as_string());
        break;
      case RequestField::Query:
        for (const auto& q : v.members()) b.query(q.key, q.value.as_string());
        break;
      case RequestField::Body:
        if (!v.is_object()) return b.wrong_type("body", "request", "an object", json::Value::kind_name(v.kind()));
        if (!b.body(v.members().size())) return false;
        for (const auto& field : v.members()) {
          const json::Value& x = field.value;
          if (x.is_string()) b.body_field(field.key, AttributeValue::string(x.as_string()));
          else if (x.is_bool()) b.body_field(field.key, AttributeValue::flag(x.as_bool()));
          else if (x.is_int()) b.body_field(field.key, AttributeValue::integer(x.as_int()));
        }
        break;
      case RequestField::Context:
        for (const auto& c : v.members()) {
          if (c.key == "time") ok = c.value.is_int() ? b.time(c.value.as_int()) : b.time(c.value.as_string());
          else if (c.key == "client_ip") ok = b.client_ip(c.value.as_string());
          else ok = walk_attributes(b, RequestBuilder::Owner::Context, json::parse("{\"" + c.key + "\":" +
                    (c.value.is_string() ? "\"" + c.value.as_string() + "\"" : c.value.is_bool() ? (c.value.as_bool() ? "true" : "false") : std::to_string(c.value.as_int())) + "}").value.value(), "context");
          if (!ok) return false;
        }
        break;
      default:
        if (!v.is_string()) return b.wrong_type(m.key, "request", "a string", json::Value::kind_name(v.kind()));
        ok = b.text(f, v.as_string());
    }
    if (!ok) return false;
  }
  return true;
}

std::string describe(std::span<const NamedValue> values) {
  std::string s;
  for (const auto& v : values) {
    s += std::string(v.name) + "=" + std::to_string(static_cast<int>(v.value.kind)) + ":" + std::string(v.value.text) +
         "/" + std::to_string(v.value.number) + "/" + (v.value.boolean ? "t" : "f") + ";";
  }
  return s;
}

std::string describe(std::span<const KeyValue> values) {
  std::string s;
  for (const auto& v : values) s += std::string(v.name) + "=" + std::string(v.value) + ";";
  return s;
}

// Every field of a Request, as text.
std::string describe(const Request& r) {
  std::ostringstream o;
  o << "id=" << r.request_id << " tenant=" << r.tenant << " principal=" << r.principal_type << "/" << r.principal_id
    << " key=" << r.api_key << " pattrs=" << describe(r.principal_attributes) << " action=" << r.action
    << " resource=" << r.resource_type << "/" << r.resource_id << " rattrs=" << describe(r.resource_attributes)
    << " method=" << r.method << " path=" << r.path << " headers=" << describe(r.headers)
    << " query=" << describe(r.query) << " time=" << (r.time ? std::to_string(*r.time) : "-")
    << " ip=" << r.client_ip << " peer=" << r.peer_address << " body=" << describe(r.body)
    << " context=" << describe(r.context);
  return o.str();
}

// The builder's answer for a request text: the request described, or the error code.
std::string built(const std::string& text) {
  const json::Result parsed = json::parse(text);
  REQUIRE(parsed.ok());
  RequestBuilder b;
  b.reset();
  if (!walk(b, *parsed.value)) return "error " + b.error().code;
  const Request* r = b.finish();
  return r ? describe(*r) : "error " + b.error().code;
}

std::string read(const std::string& text) {
  OwnedRequest r;
  if (auto e = parse_request(text, r)) return "error " + e->code;
  return describe(r.request);
}

}  // namespace

TEST_CASE("the request builder gives the JSON reader's request for every suite case", "[bindings]") {
  const policy_test::SuiteFiles found = policy_test::discover_suites({"fixtures/suites"});
  REQUIRE(found.files.size() >= 5);
  std::size_t n = 0;
  for (const auto& file : found.files) {
    policy_test::Suite suite;
    REQUIRE_FALSE(policy_test::read_suite(file, suite).has_value());
    for (const auto& c : suite.cases) {
      INFO(file.generic_string() << ": " << c.name);
      CHECK(built(c.request) == read(c.request));
      ++n;
    }
  }
  CHECK(n > 50);
}

TEST_CASE("the request builder reuses its buffers across requests", "[bindings]") {
  RequestBuilder b;
  for (int i = 0; i < 3; ++i) {
    b.reset();
    REQUIRE(b.text(bindings::RequestField::Method, "GET"));
    REQUIRE(b.text(bindings::RequestField::Path, "/api/models/m" + std::to_string(i) + "?x=" + std::to_string(i)));
    b.query("y", "2");
    const Request* r = b.finish();
    REQUIRE(r);
    CHECK(r->path == "/api/models/m" + std::to_string(i));
    CHECK(describe(r->query) == "x=" + std::to_string(i) + ";y=2;");
  }
}

TEST_CASE("malformed requests get the JSON reader's codes", "[bindings]") {
  const char* cases[] = {
      R"({"method":"GET"})",                                            // F0202 missing path
      R"({"path":"/x"})",                                               // F0202 missing method
      R"({"action":"read"})",                                           // F0202 missing resource
      R"({"resource":{"type":"model"}})",                               // F0202 missing action
      R"({})",                                                          // F0202
      R"({"method":"GET","path":"/x","action":"read","resource":{"type":"m"}})",  // F0209
      R"({"method":"GET","path":"x"})",                                 // F0208 bad path
      R"({"method":"GET","path":"/x?a=%zz"})",                          // F0208 bad encoding
      R"({"method":"","path":"/x"})",                                   // F0208 empty
      R"({"method":"GET","path":"/x","context":{"time":"yesterday"}})",  // F0206
      R"({"method":"GET","path":"/x","context":{"client_ip":"1.2.3"}})",  // F0208
      R"({"method":"GET","path":"/x","colour":"red"})",                 // F0204
      R"({"method":"GET","path":"/x","principal":{"name":"a"}})",       // F0204
      R"({"method":3,"path":"/x"})",                                    // F0203
      R"({"action":"read","resource":{"id":"m1"}})",                    // F0202 resource type
  };
  for (const char* c : cases) {
    INFO(c);
    const std::string expected = read(c);
    REQUIRE(expected.rfind("error ", 0) == 0);
    CHECK(built(c) == expected);
  }
}

TEST_CASE("decisions map to HTTP statuses", "[bindings]") {
  Decision d;
  d.outcome = Outcome::Allow;
  CHECK(bindings::http_status(d, true) == 200);
  d.outcome = Outcome::WouldDeny;
  CHECK(bindings::http_status(d, true) == 200);
  d.outcome = Outcome::Deny;
  d.code.assign("SCOPE_MISSING");
  CHECK(bindings::http_status(d, true) == 403);
  CHECK(bindings::http_status(d, false) == 401);
  for (const char* code : {"KEY_UNKNOWN", "KEY_REVOKED", "KEY_EXPIRED"}) {
    d.code.assign(code);
    CHECK(bindings::http_status(d, true) == 401);
  }
  d.code.assign("NO_POLICY");
  CHECK(bindings::http_status(d, true) == 503);
  d.code.assign("ORG_SUSPENDED");
  CHECK(bindings::http_status(d, true) == 403);
}

TEST_CASE("compile_policy gives the artifact or the diagnostics", "[bindings]") {
  const auto ok = bindings::compile_policy("policies/gateway");
  CHECK(ok.ok);
  CHECK(ok.name == "gateway");
  CHECK_FALSE(ok.artifact.empty());
  Engine e;
  CHECK(e.load_policy(ok.artifact).ok);
  CHECK(e.policy_fingerprint() == ok.fingerprint);

  const auto bad = bindings::compile_policy("fixtures/diagnostics/E0204");
  CHECK_FALSE(bad.ok);
  CHECK(bad.failure == "policy");
  CHECK(bad.artifact.empty());
  REQUIRE_FALSE(bad.diagnostics.empty());
  CHECK(bad.diagnostics[0].code == "E0204");
  CHECK(bad.diagnostics[0].severity == "error");
  CHECK(bad.diagnostics[0].line > 0);
  CHECK(bad.diagnostics[0].text.find("error[E0204]") != std::string::npos);
  CHECK(bad.diagnostics[0].json.find("\"code\":\"E0204\"") != std::string::npos);

  const auto missing = bindings::compile_policy("/nonexistent/policy");
  CHECK(missing.failure == "input");
}

TEST_CASE("fact inputs: records, documents, files and updates, errors at their line", "[bindings]") {
  Engine e;
  REQUIRE(e.load_policy(bindings::compile_policy("policies/gateway").artifact).ok);
  using Kind = bindings::FactsSource::Kind;
  const auto warn = FactsCheck::Warn;
  CHECK_FALSE(bindings::replace_facts(e, {{Kind::File, "fixtures/facts/gateway.jsonl", ""}}, warn).error.has_value());
  const auto v1 = e.facts_version();
  const auto bad = bindings::replace_facts(
      e, {{Kind::Lines, R"({"kind":"key","id":"k1","principal_id":"a","scopes":[]})" "\n" R"({"kind":"key","id":"k2"})", "facts"}},
      warn).error;
  REQUIRE(bad.has_value());
  CHECK(bad->code == "F0102");
  CHECK(bad->file == "facts");
  CHECK(bad->line == 2);
  CHECK(bad->record == 1);  // the second record of the host's list
  CHECK(e.facts_version() == v1);  // nothing published
  const auto dup = bindings::replace_facts(e, {{Kind::File, "fixtures/facts/gateway.jsonl", ""},
                                               {Kind::Document, "{\n\"keys\":[\n{\"id\":\"k-read\",\"principal_id\":\"x\"}\n]\n}", "facts[1]"}},
                                           warn).error;
  REQUIRE(dup.has_value());
  CHECK(dup->code == "F0107");
  CHECK(dup->section == "keys");
  CHECK(dup->record == 0);

  CHECK_FALSE(bindings::apply_update(e, R"({"op":"remove","kind":"key","id":"k-read"})", "updates", warn).error.has_value());
  CHECK(e.facts_version() == v1 + 1);
  const auto gone = bindings::apply_update(e, "\n" R"({"op":"remove","kind":"key","id":"k-read"})", "updates", warn).error;
  REQUIRE(gone.has_value());
  CHECK(gone->code.rfind("F03", 0) == 0);
  CHECK(gone->line == 2);
  CHECK(gone->record == 1);
  const auto unreadable = bindings::apply_update_file(e, "/nonexistent/updates.jsonl", warn).error;
  REQUIRE(unreadable.has_value());
  CHECK(unreadable->code == "F0100");
}

TEST_CASE("a host's fact document: each record's line names its section and index", "[bindings]") {
  const std::string text = "{\n\"entities\":[\n{\"type\":\"org\",\"id\":\"a\"},\n{\"type\":\"org\",\"id\":\"b\"}\n],\n"
                           "\"tenant\":\"x\",\n\"gr\\u0061nts\":[\n{\"id\":\"g1\"}\n],\n\"keys\":[\n]\n}";
  const auto places = bindings::document_places(text);
  REQUIRE(places.size() == 12);
  CHECK(places[0].record == -1);  // {
  CHECK(places[1].record == -1);  // "entities":[
  CHECK(places[2].section == "entities");
  CHECK(places[2].record == 0);
  CHECK(places[3].record == 1);
  CHECK(places[4].record == -1);  // ],
  CHECK(places[5].record == -1);  // "tenant": not a list
  CHECK(places[7].section == "grants");  // the key decoded
  CHECK(places[7].record == 0);
  CHECK(places[10].record == -1);
}

TEST_CASE("facts handed to a host's engine are checked against its policy: warnings, or refused", "[bindings]") {
  using Kind = bindings::FactsSource::Kind;
  bindings::HostEngine h;
  CHECK(h.facts_check() == FactsCheck::Warn);  // the default: a service keeps taking updates
  bindings::HostFindings loaded;
  REQUIRE(h.load_policy(bindings::compile_policy("policies/gateway").artifact, loaded).ok);
  CHECK(loaded.total == 0);
  const std::vector<bindings::FactsSource> typo{
      {Kind::Lines,
       R"({"kind":"entity","type":"user","id":"eve","tenant":"acme"})" "\n"
       R"({"kind":"key","id":"k-typo","principal_id":"eve","scopes":["model:read","model:wirte"]})",
       "facts"}};

  // Warn: loaded, the finding placed at its record.
  const bindings::FactsOutcome warned = h.replace_facts(typo);
  REQUIRE_FALSE(warned.error.has_value());
  CHECK(h.engine().facts_version() == 1);
  REQUIRE(warned.findings.total == 1);
  const bindings::HostFinding& w = warned.findings.items.at(0);
  CHECK(w.code == "F0403");
  CHECK(w.message == "unknown scope `model:wirte` in key `k-typo` (did you mean `model:write`?)");
  CHECK(w.file == "facts");
  CHECK(w.record == 1);
  CHECK(w.warning);
  CHECK(h.last_findings().total == 1);
  CHECK(bindings::finding_json(w) ==
        R"j({"code":"F0403","message":"unknown scope `model:wirte` in key `k-typo` (did you mean `model:write`?)",)j"
        R"j("file":"facts","line":2,"column":73,"section":null,"record":1,"warning":true})j");

  // Refuse (for the call, or the engine's): refused with the F04xx code, the
  // facts in service kept.
  const bindings::FactsOutcome refused = h.replace_facts(
      {{Kind::File, "fixtures/facts/gateway.jsonl", ""}, typo[0]}, FactsCheck::Refuse);
  REQUIRE(refused.error.has_value());
  CHECK(refused.error->code == "F0403");
  CHECK(refused.error->record == 1);
  CHECK(!refused.error->warning);
  CHECK(refused.findings.total == 1);
  CHECK(h.engine().facts_version() == 1);
  h.set_facts_check(FactsCheck::Refuse);
  const bindings::FactsOutcome update = h.apply_update(
      R"({"op":"remove","kind":"key","id":"k-typo"})" "\n"
      R"({"op":"upsert","kind":"grant","id":"g1","subject_id":"eve","resource_type":"modle","resource_id":"m","level":"read"})",
      "updates");
  REQUIRE(update.error.has_value());
  CHECK(update.error->code == "F0401");
  CHECK(update.error->record == 1);
  CHECK(h.engine().facts_version() == 1);
  CHECK(update.findings.total >= 1);
  CHECK(h.last_findings().total == update.findings.total);
  CHECK(h.last_findings().items.at(0).code == "F0401");
  // An error of its own checks nothing: the last findings stay.
  CHECK(h.apply_update("{", "updates").error->code == "F0101");
  CHECK(h.last_findings().items.at(0).code == "F0401");
  // Clean: nothing to report.
  CHECK(h.apply_update(R"({"op":"remove","kind":"key","id":"k-typo"})", "updates").findings.total == 0);
  CHECK(h.last_findings().total == 0);
  CHECK(h.engine().facts_version() == 2);
  CHECK(bindings::outcome_json({}) == R"({"error":null,"findings":[],"total":0})");
}

TEST_CASE("a policy loaded into a host's engine is checked against the facts in service", "[bindings]") {
  using Kind = bindings::FactsSource::Kind;
  bindings::HostEngine h;
  // Without a policy nothing is checked: the facts load as they are.
  const auto read = h.replace_facts({{Kind::File, "fixtures/facts_check/names/facts.jsonl", ""}}, FactsCheck::Refuse);
  REQUIRE_FALSE(read.error.has_value());
  CHECK(read.findings.total == 0);
  const std::uint64_t version = h.engine().facts_version();

  const std::string artifact = bindings::compile_policy("fixtures/facts_check/names").artifact;
  REQUIRE(!artifact.empty());
  h.set_facts_check(FactsCheck::Refuse);  // a policy load is never refused for the facts
  bindings::HostFindings found;
  REQUIRE(h.load_policy(artifact, found).ok);
  CHECK(found.total == 18);  // every line of fixtures/facts_check/names/expected.txt
  REQUIRE(!found.items.empty());
  for (const auto& f : found.items) {
    CHECK(f.code.rfind("F04", 0) == 0);
    CHECK(f.file.empty());
    CHECK(f.record == -1);
    CHECK(f.warning);
  }
  CHECK(h.engine().facts_version() == version);  // the facts stay
  CHECK(h.engine().has_policy());
  CHECK(h.last_findings().total == 18);
  CHECK(h.check_facts().total == 18);
  // A failed load leaves everything as it was.
  bindings::HostFindings untouched;
  CHECK(!h.load_policy_file("/nonexistent/policy.wdn", untouched).ok);
  CHECK(untouched.total == 0);
  CHECK(h.last_findings().total == 18);
}

TEST_CASE("a host's watcher reports the findings of its loads as the last findings", "[bindings]") {
  bindings::HostEngine h;
  bindings::HostFindings none;
  REQUIRE(h.load_policy(bindings::compile_policy("policies/gateway").artifact, none).ok);
  const std::string dir = std::string(TEST_BINARY_DIR) + "/host_watch";
  std::filesystem::create_directories(dir);
  const std::string facts = dir + "/facts.jsonl";
  std::ofstream(facts, std::ios::trunc) << R"({"kind":"key","id":"k1","principal_id":"a","scopes":["model:raed"]})" << "\n";
  bindings::WatchSpec spec;
  spec.facts = {facts};
  Status s;
  {
    auto w = h.watch(spec, std::nullopt, s);
    REQUIRE(w);
    const auto last = h.last_findings();
    REQUIRE(last.total == 1);
    CHECK(last.items.at(0).file == facts);
    CHECK(last.items.at(0).line == 1);
    CHECK(last.items.at(0).record == -1);
    w->stop();
  }
  CHECK(h.engine().facts_version() == 1);
  // Refuse: the initial load fails with the finding.
  auto refused = h.watch(spec, FactsCheck::Refuse, s);
  CHECK(!refused);
  CHECK(s.code == "F0403");
  // The reasons are the last findings.
  REQUIRE(h.last_findings().total == 1);
  CHECK(!h.last_findings().items.at(0).warning);
}
