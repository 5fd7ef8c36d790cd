// Pass: check_http — the policy-wide `http` block.
//
// Must run after collect_declarations (E0314 for a second block is reported
// there) and before check_endpoints, which takes the default callers from
// here. Fills CheckedPolicy::http: how paths are normalized before routing,
// where the client address comes from and which proxies are trusted, and
// the callers an endpoint admits when neither it nor its group says.
//   E0311  a trusted proxy that is not a network (`"10.0.0.0/8"`)
//   W0404  a client address setting that cannot have an effect: headers
//          named without a trusted proxy (never read), or trusted proxies
//          while the address comes from the connection (never consulted)
#include "compiler/passes/pass.hpp"
#include "support/literals.hpp"

namespace warden::compiler::passes {

void check_http(State& s) {
  CheckedPolicy& m = s.model;
  Http& h = m.http;
  if (s.ast.https.empty()) return;
  const ast::HttpDecl& d = s.ast.https[0];
  h.declared = true;
  h.span = d.span;
  if (d.callers) h.callers = caller_mask(*d.callers);
  if (d.dot_segments) h.dot_segments = static_cast<Http::DotSegments>(*d.dot_segments);
  if (d.empty_segments) h.empty_segments = static_cast<Http::EmptySegments>(*d.empty_segments);
  if (d.encoded_slash) h.encoded_slash = static_cast<Http::EncodedSlash>(*d.encoded_slash);
  if (d.trailing_slash) h.trailing_slash = static_cast<Http::TrailingSlash>(*d.trailing_slash);
  if (d.semicolons) h.semicolons = static_cast<Http::Semicolons>(*d.semicolons);
  if (d.client_ip) {
    h.client_ip = static_cast<Http::ClientIp>(*d.client_ip);
    if (h.client_ip == Http::ClientIp::Header) {
      if (d.client_ip_header.value.empty()) {
        s.report(Code::E0311, d.client_ip_header.span, "empty header name");
      } else {
        h.client_ip_header = m.strings.intern(d.client_ip_header.value);
      }
    }
  }
  for (const auto& lit : d.trusted_proxies) {
    const CidrResult r = parse_cidr(lit.value);
    if (!r.error.empty()) {
      Diagnostic& diag = s.report(Code::E0311, lit.span, "invalid network " + quoted("\"" + lit.value + "\"") + ": " + r.error);
      if (!r.suggestion.empty()) diag.notes.push_back("help: did you mean " + quoted("\"" + r.suggestion + "\"") + "?");
      continue;
    }
    Value v;
    v.kind = ValueKind::Cidr;
    v.address = r.address;
    v.prefix = r.prefix;
    v.ipv4 = r.ipv4;
    v.span = lit.span;
    h.trusted_proxies.push_back(v);
  }

  const Span client_ip_span = d.item_spans[7];
  const Span proxies_span = d.item_spans[6];
  const bool from_headers = h.client_ip != Http::ClientIp::Peer;
  if (from_headers && d.trusted_proxies.empty()) {
    Diagnostic& w = s.report(Code::W0404, client_ip_span,
                             "the client address is never taken from a header: no proxy is trusted");
    w.notes.push_back(
        "note: a forwarded address is believed only from a peer in `trusted_proxies`; without any, the connection's "
        "address is used");
    w.notes.push_back("help: add `trusted_proxies \"10.0.0.0/8\";` with the networks of your proxies");
  } else if (!from_headers && !d.trusted_proxies.empty()) {
    Diagnostic& w = s.report(Code::W0404, proxies_span,
                             "`trusted_proxies` has no effect: the client address is the connection's");
    if (client_ip_span.valid()) w.labels.push_back({client_ip_span, "the address comes from the peer here"});
    w.notes.push_back("help: add `client_ip from header \"X-Forwarded-For\";` or `client_ip from forwarded;`");
  }
}

}  // namespace warden::compiler::passes
