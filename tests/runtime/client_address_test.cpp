// The client address against spoofing (docs/decisions.md, "The client
// address"): a table of connections and forwarding headers, each with the
// address `context.client_ip` must be — or none, when the headers cannot be
// trusted to say — under the three sources an `http` block can declare:
// the peer alone, X-Forwarded-For, and Forwarded (RFC 7239), behind trusted
// proxies in 10.0.0.0/8 and fd00::/8.
//
// Each row is decided by the Engine over fixtures/http/hostile with a rule
// that reads the address (a deny for 203.0.113.0/24, the attacker's
// network), and read again by the reference (reference_http.hpp).
#include <catch2/catch.hpp>

#include <map>
#include <memory>

#include "tests/runtime/compile_helper.hpp"
#include "tests/runtime/policy_variants.hpp"
#include "tests/runtime/reference_evaluator.hpp"
#include "tests/runtime/reference_http.hpp"
#include "tests/runtime/test_request.hpp"

using namespace warden;
using namespace warden::test;

namespace {

const std::map<std::string, std::string> kSources = {
    {"peer", "http {\n  trusted_proxies \"10.0.0.0/8\", \"fd00::/8\";\n}\n"},
    {"xff", "http {\n  trusted_proxies \"10.0.0.0/8\", \"fd00::/8\";\n  client_ip from header \"X-Forwarded-For\";\n}\n"},
    {"forwarded", "http {\n  trusted_proxies \"10.0.0.0/8\", \"fd00::/8\";\n  client_ip from forwarded;\n}\n"},
};

// A rule that reads the client address, so that every decision resolves
// it; without one the rule cannot be evaluated (EVAL_ERROR).
constexpr const char* kRule =
    "deny attacker_network: anyone to read on doc\n"
    "  when context.client_ip in cidr(\"203.0.113.0/24\")\n"
    "  code BLOCKED;\n";

struct Subject {
  std::unique_ptr<PolicyVariant> variant;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<ReferenceEvaluator> reference;
};

const Subject& subject(const std::string& source) {
  static std::map<std::string, Subject> subjects;
  auto it = subjects.find(source);
  if (it != subjects.end()) return it->second;
  Subject s;
  s.variant = std::make_unique<PolicyVariant>("fixtures/http/hostile", kSources.at(source) + kRule);
  s.engine = std::make_unique<Engine>();
  load_policy(*s.engine, s.variant->dir());
  s.reference = std::make_unique<ReferenceEvaluator>(s.variant->dir());
  return subjects.emplace(source, std::move(s)).first->second;
}

struct Row {
  const char* source;
  const char* what;
  std::string client_ip;  // given by the caller
  std::string peer;
  TestPairs headers;
  const char* expected;  // the client address, "" for none
};

const std::vector<Row>& rows() {
  static const std::vector<Row> table = {
      // The caller's own decision wins; without it, the peer.
      {"xff", "an explicit client_ip is used as given", "198.51.100.1", "10.0.0.1", {{"X-Forwarded-For", "1.1.1.1"}}, "198.51.100.1"},
      {"xff", "an explicit client_ip that is not an address gives none", "nope", "10.0.0.1", {}, ""},
      {"peer", "the peer, when the policy reads no header", "", "203.0.113.9", {}, "203.0.113.9"},
      {"peer", "headers are ignored when the policy reads none", "", "10.0.0.1", {{"X-Forwarded-For", "198.51.100.1"}}, "10.0.0.1"},
      {"peer", "a peer with a port", "", "203.0.113.9:51234", {}, "203.0.113.9"},
      {"peer", "an IPv6 peer in brackets with a port", "", "[2001:db8::7]:443", {}, "2001:db8::7"},
      {"xff", "no client_ip and no peer: none", "", "", {{"X-Forwarded-For", "198.51.100.1"}}, ""},
      {"xff", "a peer that is not an address: none", "", "proxy.internal", {}, ""},
      // Spoofing: a client that is not a trusted proxy cannot name another
      // address, whatever it sends.
      {"xff", "an untrusted peer's X-Forwarded-For is ignored", "", "203.0.113.9", {{"X-Forwarded-For", "10.1.2.3"}}, "203.0.113.9"},
      {"forwarded", "an untrusted peer's Forwarded is ignored", "", "203.0.113.9", {{"Forwarded", "for=10.1.2.3"}}, "203.0.113.9"},
      {"xff", "a forged leftmost hop is not the client: the rightmost untrusted one is", "", "10.0.0.1",
       {{"X-Forwarded-For", "10.1.2.3, 203.0.113.9"}}, "203.0.113.9"},
      {"xff", "trusted hops are skipped from the right", "", "10.0.0.1",
       {{"X-Forwarded-For", "198.51.100.1, 203.0.113.9, 10.0.0.2, 10.0.0.3"}}, "203.0.113.9"},
      {"xff", "every hop trusted: the leftmost is the client", "", "10.0.0.1", {{"X-Forwarded-For", "10.0.0.9, 10.0.0.2"}}, "10.0.0.9"},
      {"xff", "a trusted peer without the header is the client", "", "10.0.0.1", {}, "10.0.0.1"},
      {"xff", "header names are case-insensitive", "", "10.0.0.1", {{"x-forwarded-for", "198.51.100.1"}}, "198.51.100.1"},
      {"xff", "several header lines are one list, in order", "", "10.0.0.1",
       {{"X-Forwarded-For", "198.51.100.1"}, {"X-Forwarded-For", "203.0.113.9, 10.0.0.2"}}, "203.0.113.9"},
      {"xff", "a hop with a port", "", "10.0.0.1", {{"X-Forwarded-For", "203.0.113.9:4711"}}, "203.0.113.9"},
      {"xff", "an IPv6 hop, and a trusted IPv6 proxy", "", "fd00::1", {{"X-Forwarded-For", "2001:db8::5, fd00::2"}}, "2001:db8::5"},
      {"xff", "an IPv4-mapped proxy is trusted like its IPv4 address", "", "::ffff:10.0.0.1",
       {{"X-Forwarded-For", "203.0.113.9"}}, "203.0.113.9"},
      // What cannot be read fails closed: no address, so conditions on it
      // cannot allow.
      {"xff", "`unknown` as the nearest untrusted hop: none", "", "10.0.0.1", {{"X-Forwarded-For", "198.51.100.1, unknown"}}, ""},
      {"xff", "garbage between hops: none", "", "10.0.0.1", {{"X-Forwarded-For", "198.51.100.1, , 10.0.0.2"}}, ""},
      {"xff", "an address out of range: none", "", "10.0.0.1", {{"X-Forwarded-For", "203.0.113.300"}}, ""},
      {"xff", "an untrusted hop ends the walk before garbage further left", "", "10.0.0.1",
       {{"X-Forwarded-For", "garbage, 203.0.113.9"}}, "203.0.113.9"},
      {"xff", "more than 64 hops: none", "", "10.0.0.1",
       {{"X-Forwarded-For", [] {
           std::string s = "203.0.113.9";
           for (int i = 0; i < 64; ++i) s += ", 10.0.0.2";
           return s;
         }()}},
       ""},
      // Forwarded (RFC 7239).
      {"forwarded", "for= of the nearest element", "", "10.0.0.1", {{"Forwarded", "for=198.51.100.1, for=203.0.113.9;proto=https"}}, "203.0.113.9"},
      {"forwarded", "quoted IPv6 with a port", "", "10.0.0.1", {{"Forwarded", "for=\"[2001:db8::5]:4711\""}}, "2001:db8::5"},
      {"forwarded", "parameter names are case-insensitive", "", "10.0.0.1", {{"Forwarded", "proto=https;For=203.0.113.9"}}, "203.0.113.9"},
      {"forwarded", "trusted elements are skipped", "", "10.0.0.1", {{"Forwarded", "for=203.0.113.9, for=10.0.0.2"}}, "203.0.113.9"},
      {"forwarded", "an obfuscated identifier: none", "", "10.0.0.1", {{"Forwarded", "for=_hidden"}}, ""},
      {"forwarded", "`unknown`: none", "", "10.0.0.1", {{"Forwarded", "for=unknown"}}, ""},
      {"forwarded", "an element with two for=: none", "", "10.0.0.1", {{"Forwarded", "for=203.0.113.9;for=198.51.100.1"}}, ""},
      {"forwarded", "an element without for=: none", "", "10.0.0.1", {{"Forwarded", "proto=https"}}, ""},
      {"forwarded", "an unterminated quote: none", "", "10.0.0.1", {{"Forwarded", "for=\"203.0.113.9"}}, ""},
      {"forwarded", "a pair without `=`: none", "", "10.0.0.1", {{"Forwarded", "for=203.0.113.9;secure"}}, ""},
      {"forwarded", "X-Forwarded-For is not read when the policy reads Forwarded", "", "10.0.0.1",
       {{"X-Forwarded-For", "198.51.100.1"}}, "10.0.0.1"},
  };
  return table;
}

}  // namespace

TEST_CASE("the client address resists spoofing and fails closed", "[runtime][http][client_ip]") {
  for (const Row& row : rows()) {
    INFO(row.source << ": " << row.what);
    const Subject& s = subject(row.source);
    TestRequest r;
    r.method = "GET";
    r.path = "/files/report";
    r.time = 1772409600;
    r.client_ip = row.client_ip;
    r.peer_address = row.peer;
    r.headers = row.headers;
    const Request request = r.view();
    const Decision d = s.engine->decide(request);
    const std::string expected = row.expected;
    CHECK(d.client_ip.view() == expected);
    if (expected.empty()) {
      CHECK(d.code.view() == "EVAL_ERROR");  // the rule cannot read a missing address
    } else {
      CHECK(d.code.view() == (expected.rfind("203.0.113.", 0) == 0 ? "BLOCKED" : "ALLOW"));
    }
    const auto ref = reference_client_address(request, &s.reference->policy().https.front());
    CHECK((ref ? ref->text : std::string()) == expected);
    const RefDecision rd = s.reference->decide(FactSet{}, request);
    CHECK(rd.code == d.code.view());
  }
}
