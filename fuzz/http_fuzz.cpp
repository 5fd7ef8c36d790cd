// libFuzzer target for what the runtime reads from an HTTP request before
// any rule: path normalization (runtime/path_normalize.hpp) and the client
// address from the peer and forwarding headers (runtime/client_address.hpp).
//
// Run with scripts/fuzz.sh http_fuzz SECONDS (seeds: the suites' paths,
// peers and forwarding headers).
// The first byte picks the normalization options and the client address
// source; the rest is a path, and — after a NUL — a peer address and a
// forwarding header value. Checks that nothing crashes, that a normalized
// path has at most kMaxSegments segments, starts with `/` and normalizes to
// itself, and that a client address found is one of the inputs' addresses.
// tests/runtime/hostile_paths_test.cpp and client_address_test.cpp run the
// same properties deterministically under gcc.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.hpp"
#include "runtime/client_address.hpp"
#include "runtime/path_normalize.hpp"
#include "support/literals.hpp"

namespace {

using warden::table::HttpRow;

warden::table::Program make_program(std::uint8_t selector) {
  warden::table::Program p;
  HttpRow& h = p.http;
  h.dot_segments = static_cast<HttpRow::DotSegments>(selector & 1);
  h.empty_segments = static_cast<HttpRow::EmptySegments>((selector >> 1) % 3);
  h.encoded_slash = static_cast<HttpRow::EncodedSlash>((selector >> 3) % 3);
  h.trailing_slash = static_cast<HttpRow::TrailingSlash>((selector >> 5) & 1);
  h.semicolons = static_cast<HttpRow::Semicolons>((selector >> 6) % 3);
  h.client_ip = static_cast<HttpRow::ClientIp>((selector >> 1) % 3);
  p.strings.push_back("X-Forwarded-For");
  h.client_ip_header = 0;
  for (const char* net : {"10.0.0.0/8", "fd00::/8"}) {
    const warden::CidrResult c = warden::parse_cidr(net);
    warden::table::ConstRow row;
    row.type = warden::table::ValueType::Ip;
    row.extra = warden::table::ConstRow::Extra::Cidr;
    row.ipv4 = c.ipv4;
    row.prefix = c.prefix;
    row.address = c.address;
    p.constants.push_back(row);
  }
  h.trusted_proxies = {0, 2};
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0 || size > 8192) return 0;
  const warden::table::Program program = make_program(data[0]);
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::size_t nul = rest.find('\0');
  const std::string_view path = rest.substr(0, nul);

  static warden::runtime::NormalizedPath n, again;  // large: not on the stack
  if (n.normalize(path, program.http) == warden::runtime::PathError::None) {
    WARDEN_FUZZ_CHECK(n.count() <= warden::runtime::NormalizedPath::kMaxSegments);
    const std::string text = n.str();
    WARDEN_FUZZ_CHECK(!text.empty() && text.front() == '/');
    WARDEN_FUZZ_CHECK(again.normalize(text, program.http) == warden::runtime::PathError::None);
    WARDEN_FUZZ_CHECK(again.str() == text);
  }

  if (nul == std::string_view::npos) return 0;
  const std::string_view tail = rest.substr(nul + 1);
  const std::size_t split = tail.find('\0');
  warden::Request r;
  r.peer_address = tail.substr(0, split);
  warden::KeyValue header{program.http.client_ip == HttpRow::ClientIp::Forwarded ? "Forwarded" : "X-Forwarded-For",
                          split == std::string_view::npos ? std::string_view() : tail.substr(split + 1)};
  r.headers = {&header, 1};
  const warden::runtime::ClientAddress a = warden::runtime::resolve_client_address(program, r);
  if (a.found) {
    // The address is text of the request, never made up.
    const auto* begin = reinterpret_cast<const char*>(data);
    WARDEN_FUZZ_CHECK(a.text.data() >= begin && a.text.data() + a.text.size() <= begin + size);
  }
  return 0;
}
