// The oracle's path normalization and client address (reference_http.hpp).
#include "tests/runtime/reference_http.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace warden::test {
namespace {

using Http = ast::HttpDecl;

bool unreserved(unsigned char c) { return std::isalnum(c) || std::strchr("-._~", c) != nullptr; }

bool allowed_in_raw_path(unsigned char c) {
  if (c == 0 || c >= 0x80) return false;
  return std::isalnum(c) || std::strchr("-._~!$&'()*+,;=:@/%", c) != nullptr;
}

int hex_digit(char c) {
  const char* digits = "0123456789abcdef";
  const char* at = std::strchr(digits, std::tolower(static_cast<unsigned char>(c)));
  return c != 0 && at ? static_cast<int>(at - digits) : -1;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out(1);
  for (const char c : s) {
    if (c == sep) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

// Decodes UTF-8 code point by code point and re-checks each against the
// shortest encoding of its value; control characters (C0, DEL, C1) fail.
bool valid_decoded(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto lead = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = 0;
    std::size_t len = 0;
    if (lead < 0x80) {
      cp = lead;
      len = 1;
    } else if ((lead & 0xe0) == 0xc0) {
      cp = lead & 0x1f;
      len = 2;
    } else if ((lead & 0xf0) == 0xe0) {
      cp = lead & 0x0f;
      len = 3;
    } else if ((lead & 0xf8) == 0xf0) {
      cp = lead & 0x07;
      len = 4;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3f);
    }
    const std::size_t shortest = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (shortest != len || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return false;
    i += len;
  }
  return true;
}

RefPath fail(const std::string& why) {
  RefPath r;
  r.error = why;
  return r;
}

std::string trim(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return s.substr(b, e - b);
}

bool lower_equal(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

// `a.b.c.d`, `a.b.c.d:port`, an IPv6 address, `[v6]` or `[v6]:port`.
std::optional<RefAddress> hop_address(const std::string& hop) {
  std::string host = hop;
  auto digits = [](const std::string& s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
  };
  if (!hop.empty() && hop[0] == '[') {
    const auto close = hop.find(']');
    if (close == std::string::npos) return std::nullopt;
    host = hop.substr(1, close - 1);
    const std::string rest = hop.substr(close + 1);
    if (!rest.empty() && !(rest[0] == ':' && digits(rest.substr(1)))) return std::nullopt;
  } else if (std::count(hop.begin(), hop.end(), ':') == 1) {
    const auto colon = hop.find(':');
    if (!digits(hop.substr(colon + 1))) return std::nullopt;
    host = hop.substr(0, colon);
    in_addr v4{};
    if (inet_pton(AF_INET, host.c_str(), &v4) != 1) return std::nullopt;
  }
  const auto a = reference_address(host);
  if (!a) return std::nullopt;
  return RefAddress{*a, host};
}

bool in_network(const std::array<std::uint8_t, 16>& a, const std::string& cidr) {
  const auto slash = cidr.find('/');
  const auto net = reference_address(cidr.substr(0, slash));
  if (!net) return false;
  int prefix = std::stoi(cidr.substr(slash + 1));
  if (cidr.find(':') == std::string::npos) prefix += 96;
  for (int bit = 0; bit < prefix; ++bit) {
    const int mask = 0x80 >> (bit % 8);
    if ((a[bit / 8] & mask) != ((*net)[bit / 8] & mask)) return false;
  }
  return true;
}

// Forwarded: `for=` of each element, or nothing when an element has not
// exactly one, a pair has no `=`, or quoting is broken.
std::optional<std::vector<std::string>> forwarded_for(const std::string& value) {
  // Split at commas and semicolons outside quotes, remembering which.
  std::vector<std::vector<std::string>> elements(1, std::vector<std::string>(1));
  bool quoted = false;
  for (const char c : value) {
    if (quoted && c == '\\') return std::nullopt;
    if (c == '"') quoted = !quoted;
    if (!quoted && c == ',') {
      elements.emplace_back(1);
    } else if (!quoted && c == ';') {
      elements.back().emplace_back();
    } else {
      elements.back().back() += c;
    }
  }
  if (quoted) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& pairs : elements) {
    std::vector<std::string> fors;
    for (const auto& raw_pair : pairs) {
      const std::string pair = trim(raw_pair);
      if (pair.empty()) continue;
      const auto eq = pair.find('=');
      if (eq == std::string::npos) return std::nullopt;
      if (!lower_equal(trim(pair.substr(0, eq)), "for")) continue;
      std::string v = trim(pair.substr(eq + 1));
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      fors.push_back(v);
    }
    if (fors.size() != 1) return std::nullopt;
    out.push_back(fors[0]);
  }
  return out;
}

}  // namespace

std::optional<std::array<std::uint8_t, 16>> reference_address(const std::string& text) {
  std::array<std::uint8_t, 16> out{};
  in_addr v4{};
  in6_addr v6{};
  if (text.find(':') == std::string::npos && inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    return out;
  }
  if (text.find(':') != std::string::npos && inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

RefPath reference_normalize(const std::string& raw, const ast::HttpDecl* http) {
  const auto dots = http && http->dot_segments ? *http->dot_segments : Http::DotSegments::Resolve;
  const auto empties = http && http->empty_segments ? *http->empty_segments : Http::EmptySegments::Merge;
  const auto slashes = http && http->encoded_slash ? *http->encoded_slash : Http::EncodedSlash::Reject;
  const auto trailing_rule = http && http->trailing_slash ? *http->trailing_slash : Http::TrailingSlash::Strict;
  const auto semicolons = http && http->semicolons ? *http->semicolons : Http::Semicolons::Reject;

  if (raw.empty() || raw[0] != '/') return fail("not absolute");
  if (raw.size() > 4096) return fail("too long");
  for (const char c : raw) {
    if (!allowed_in_raw_path(static_cast<unsigned char>(c))) return fail("bad character");
  }
  struct Piece {
    std::string normal, decoded;
  };
  std::vector<Piece> pieces;
  for (std::string segment : split(raw.substr(1), '/')) {
    if (segment.find(';') != std::string::npos) {
      if (semicolons == Http::Semicolons::Reject) return fail("semicolon");
      if (semicolons == Http::Semicolons::Strip) segment.erase(segment.find(';'));
    }
    Piece piece;
    for (std::size_t i = 0; i < segment.size(); ++i) {
      if (segment[i] != '%') {
        piece.normal += segment[i];
        piece.decoded += segment[i];
        continue;
      }
      if (i + 2 >= segment.size()) return fail("bad escape");
      const int hi = hex_digit(segment[i + 1]), lo = hex_digit(segment[i + 2]);
      if (hi < 0 || lo < 0) return fail("bad escape");
      const auto byte = static_cast<unsigned char>(hi * 16 + lo);
      i += 2;
      if (byte == '/' || byte == '\\') {
        if (slashes == Http::EncodedSlash::Reject) return fail("encoded slash");
        if (slashes == Http::EncodedSlash::Decode) {
          pieces.push_back(piece);
          piece = {};
          continue;
        }
      }
      if (unreserved(byte)) {
        piece.normal += static_cast<char>(byte);
      } else {
        static const char* hex = "0123456789ABCDEF";
        piece.normal += '%';
        piece.normal += hex[byte / 16];
        piece.normal += hex[byte % 16];
      }
      piece.decoded += static_cast<char>(byte);
    }
    pieces.push_back(piece);
  }
  for (const auto& piece : pieces) {
    if (!valid_decoded(piece.decoded)) return fail("bad utf-8 or control character");
  }
  if (pieces.size() > 256) return fail("too many segments");

  std::vector<Piece> kept;
  bool trailing = false;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    const bool last = i + 1 == pieces.size();
    const Piece& piece = pieces[i];
    if (piece.normal.empty()) {
      if (last) {
        trailing = true;
      } else if (empties == Http::EmptySegments::Reject) {
        return fail("empty segment");
      } else if (empties == Http::EmptySegments::Keep) {
        kept.push_back(piece);
      }
      continue;
    }
    if (piece.normal == "." || piece.normal == "..") {
      if (dots == Http::DotSegments::Reject) return fail("dot segment");
      if (piece.normal == "..") {
        if (kept.empty()) return fail("above the root");
        kept.pop_back();
      }
      trailing = last;
      continue;
    }
    kept.push_back(piece);
  }
  if (trailing && trailing_rule == Http::TrailingSlash::Ignore) {
    while (!kept.empty() && kept.back().normal.empty()) kept.pop_back();
  }
  if (trailing && !kept.empty() && trailing_rule == Http::TrailingSlash::Strict) kept.push_back({});
  if (kept.size() > 32) return fail("too many segments");
  RefPath out;
  out.ok = true;
  out.text.push_back('/');  // the root, or the first slash
  for (std::size_t i = 0; i < kept.size(); ++i) {
    out.segments.push_back(kept[i].normal);
    out.values.push_back(kept[i].decoded);
    if (i) out.text.push_back('/');
    out.text.append(kept[i].normal);
  }
  return out;
}

std::optional<RefAddress> reference_client_address(const Request& request, const ast::HttpDecl* http) {
  if (!request.client_ip.empty()) {
    const auto a = reference_address(std::string(request.client_ip));
    if (!a) return std::nullopt;
    return RefAddress{*a, std::string(request.client_ip)};
  }
  if (request.peer_address.empty()) return std::nullopt;
  const auto peer = hop_address(std::string(request.peer_address));
  if (!peer) return std::nullopt;
  const auto source = http && http->client_ip ? *http->client_ip : Http::ClientIp::Peer;
  auto trusted = [&](const std::array<std::uint8_t, 16>& a) {
    if (!http) return false;
    for (const auto& net : http->trusted_proxies) {
      if (in_network(a, net.value)) return true;
    }
    return false;
  };
  if (source == Http::ClientIp::Peer || !trusted(peer->address)) return peer;
  const std::string name = source == Http::ClientIp::Forwarded ? "Forwarded" : http->client_ip_header.value;
  std::vector<std::string> hops;
  for (const auto& h : request.headers) {
    if (!lower_equal(std::string(h.name), name)) continue;
    if (source == Http::ClientIp::Forwarded) {
      const auto fors = forwarded_for(std::string(h.value));
      if (!fors) return std::nullopt;
      hops.insert(hops.end(), fors->begin(), fors->end());
    } else {
      for (const auto& hop : split(std::string(h.value), ',')) hops.push_back(trim(hop));
    }
  }
  if (hops.size() > 64) return std::nullopt;
  if (hops.empty()) return peer;
  for (std::size_t k = hops.size(); k-- > 0;) {
    const auto hop = hop_address(hops[k]);
    if (!hop) return std::nullopt;
    if (k == 0 || !trusted(hop->address)) return hop;
  }
  return std::nullopt;
}

}  // namespace warden::test
