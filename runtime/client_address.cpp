// The client address of a request (see client_address.hpp).
#include "runtime/client_address.hpp"

#include "support/ascii.hpp"
#include "support/literals.hpp"

namespace warden::runtime {
namespace {

using table::HttpRow;


std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// A hop as a proxy writes it: an address, `a.b.c.d:port`, `[v6]` or
// `[v6]:port`. Sets `host` to the address text.
bool parse_hop(std::string_view hop, ClientAddress& out) {
  std::string_view host = hop;
  if (!hop.empty() && hop.front() == '[') {
    const auto close = hop.find(']');
    if (close == std::string_view::npos) return false;
    host = hop.substr(1, close - 1);
    const std::string_view rest = hop.substr(close + 1);
    if (!rest.empty() && !(rest.front() == ':' && all_digits(rest.substr(1)))) return false;
  } else if (const auto colon = hop.find(':'); colon != std::string_view::npos && hop.find(':', colon + 1) == std::string_view::npos) {
    // One colon: IPv4 with a port (an IPv6 address has at least two).
    if (!all_digits(hop.substr(colon + 1))) return false;
    host = hop.substr(0, colon);
    bool ipv4 = false;
    std::array<std::uint8_t, 16> address{};
    if (!parse_ip_into(host, address, ipv4) || !ipv4) return false;
  }
  if (!parse_ip_into(host, out.address, out.ipv4)) return false;
  out.text = host;
  out.found = true;
  return true;
}

bool in_network(const std::array<std::uint8_t, 16>& a, const table::ConstRow& net) {
  for (unsigned bit = 0; bit < net.prefix; ++bit) {
    const unsigned byte = bit / 8, mask = 0x80u >> (bit % 8);
    if ((a[byte] & mask) != (net.address[byte] & mask)) return false;
  }
  return true;
}

bool trusted(const table::Program& p, const std::array<std::uint8_t, 16>& a) {
  const table::Range r = p.http.trusted_proxies;
  for (std::uint32_t i = 0; i < r.count; ++i) {
    if (in_network(a, p.constants[r.begin + i])) return true;
  }
  return false;
}

struct Hops {
  std::string_view items[kMaxForwardedHops];
  std::size_t count = 0;
  bool overflow = false;
  bool malformed = false;
  void add(std::string_view hop) {
    if (count == kMaxForwardedHops) {
      overflow = true;
      return;
    }
    items[count++] = hop;
  }
};

// X-Forwarded-For (and the like): comma-separated hops.
void list_hops(std::string_view value, Hops& hops) {
  while (true) {
    const auto comma = value.find(',');
    hops.add(trim(value.substr(0, comma)));
    if (comma == std::string_view::npos) return;
    value.remove_prefix(comma + 1);
  }
}

// Forwarded (RFC 7239): elements separated by `,`, pairs by `;`, values
// tokens or quoted strings. Each element's `for=` is one hop; an element
// without exactly one `for` is malformed.
void forwarded_hops(std::string_view value, Hops& hops) {
  std::size_t i = 0;
  while (i <= value.size()) {
    std::string_view for_value;
    int fors = 0;
    bool element_done = false;
    while (!element_done) {
      // One pair: up to `;`, `,` or the end, outside quotes.
      const std::size_t start = i;
      bool quoted = false;
      while (i < value.size() && (quoted || (value[i] != ';' && value[i] != ','))) {
        if (value[i] == '"') quoted = !quoted;
        if (value[i] == '\\' && quoted) {
          hops.malformed = true;  // escapes never occur in an address
          return;
        }
        ++i;
      }
      if (quoted) {
        hops.malformed = true;
        return;
      }
      const std::string_view pair = trim(value.substr(start, i - start));
      element_done = i >= value.size() || value[i] == ',';
      ++i;
      if (pair.empty()) continue;
      const auto eq = pair.find('=');
      if (eq == std::string_view::npos) {
        hops.malformed = true;
        return;
      }
      if (!iequals(trim(pair.substr(0, eq)), "for")) continue;
      std::string_view v = trim(pair.substr(eq + 1));
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      for_value = v;
      ++fors;
    }
    if (fors != 1) {
      hops.malformed = true;
      return;
    }
    hops.add(for_value);
  }
}

}  // namespace

ClientAddress resolve_client_address(const table::Program& p, const Request& r) noexcept {
  ClientAddress out;
  if (!r.client_ip.empty()) {
    out.source = "client_ip";
    if (parse_ip_into(r.client_ip, out.address, out.ipv4)) {
      out.found = true;
      out.text = r.client_ip;
    } else {
      out.source = "client_ip is not an address";
    }
    return out;
  }
  if (r.peer_address.empty()) {
    out.source = "no client_ip and no peer address";
    return out;
  }
  ClientAddress peer;
  if (!parse_hop(r.peer_address, peer)) {
    out.source = "the peer address is not an address";
    return out;
  }
  peer.source = "peer";
  if (p.http.client_ip == HttpRow::ClientIp::Peer || !trusted(p, peer.address)) return peer;

  const bool forwarded = p.http.client_ip == HttpRow::ClientIp::Forwarded;
  const std::string_view header = forwarded ? std::string_view("Forwarded") : std::string_view(p.strings[p.http.client_ip_header]);
  Hops hops;
  for (const KeyValue& h : r.headers) {
    if (!iequals(h.name, header)) continue;
    if (forwarded) {
      forwarded_hops(h.value, hops);
    } else {
      list_hops(h.value, hops);
    }
    if (hops.malformed) break;
  }
  if (hops.malformed || hops.overflow) {
    out.source = hops.overflow ? "too many forwarded hops" : "a malformed forwarding header";
    return out;
  }
  if (hops.count == 0) return peer;  // the trusted proxy itself is the client
  const std::string_view source = forwarded ? "forwarded" : "header";
  for (std::size_t k = hops.count; k-- > 0;) {
    ClientAddress hop;
    if (!parse_hop(hops.items[k], hop)) {
      out.source = "a forwarded hop is not an address";
      return out;
    }
    hop.source = source;
    if (k == 0 || !trusted(p, hop.address)) return hop;
  }
  return out;  // unreachable: the loop returns at k == 0
}

}  // namespace warden::runtime
