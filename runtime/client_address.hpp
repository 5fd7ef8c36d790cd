// The client address of a request: what `context.client_ip` is.
//
// Internal to runtime/. In order:
//   1. the request's explicit `client_ip` (an enforcement point, or an
//      in-process caller, that has already decided), used as given;
//   2. else the connection's peer address (`peer_address`), unless the
//      policy's `http` block names a forwarding header (`client_ip from
//      forwarded` or `from header "X-Forwarded-For"`) and the peer is one of
//      its `trusted_proxies`: then the header's hops are read from the right
//      (the hop nearest to us first), skipping trusted proxies, and the first
//      untrusted hop is the client — the rightmost untrusted hop. A hop that
//      is not an address (`unknown`, an obfuscated `_id`, garbage) ends the
//      walk with no client address, so conditions on it fail closed; if every
//      hop is trusted, the leftmost is the client. Several header lines of
//      that name count as one list, in order. A peer that is not trusted is
//      the client whatever the headers say: a client cannot forge its
//      address by sending them.
//   3. else nothing: `context.client_ip` is missing.
// Nothing allocates; the result points into the request.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "table/program.hpp"
#include "warden/request.hpp"

namespace warden::runtime {

struct ClientAddress {
  bool found = false;
  std::array<std::uint8_t, 16> address{};  // IPv4 mapped as ::ffff:a.b.c.d
  bool ipv4 = false;
  std::string_view text;  // the address as the request wrote it
  // Where it came from, for explanations: "client_ip", "peer", "forwarded",
  // "header", or why there is none.
  std::string_view source;
};

ClientAddress resolve_client_address(const table::Program& p, const Request& r) noexcept;

// Most hops read from a forwarding header; a longer chain has no client
// address (fail closed).
inline constexpr std::size_t kMaxForwardedHops = 64;

}  // namespace warden::runtime
