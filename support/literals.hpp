// Conversion of typed literals written as strings: RFC 3339 times, IP
// addresses, CIDR networks and `HH:MM` times of day.
//
// Used by the compiler (condition literals become typed values) and by the
// runtime (fact and request values); each parser returns a short reason
// (lowercase, for messages such as E0311) when
// the text is not valid.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace warden {

struct TimeResult {
  std::int64_t unix_seconds = 0;
  std::string error;  // empty when valid
};
// `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`; fractions of a second are dropped.
TimeResult parse_time(std::string_view text);

struct IpResult {
  std::array<std::uint8_t, 16> address{};  // IPv4 mapped as ::ffff:a.b.c.d
  bool ipv4 = false;
  std::string error;
};
IpResult parse_ip(std::string_view text);
// The same without allocating (for the decision path): false when `text` is
// not an address.
bool parse_ip_into(std::string_view text, std::array<std::uint8_t, 16>& address, bool& ipv4) noexcept;

struct CidrResult {
  std::array<std::uint8_t, 16> address{};
  std::uint8_t prefix = 0;  // over 128 bits (IPv4 /n becomes /96+n)
  bool ipv4 = false;
  std::string error;
  std::string suggestion;  // the network with host bits cleared, when they were set
};
CidrResult parse_cidr(std::string_view text);

struct MinuteResult {
  std::uint16_t minute = 0;  // 0..1440
  std::string error;
};
// `HH:MM`, 00:00 to 23:59; `24:00` (= 1440) only when `allow_24` is set.
MinuteResult parse_time_of_day(std::string_view text, bool allow_24);

// Formats an address back to text (IPv4 dotted when `ipv4`).
std::string format_ip(const std::array<std::uint8_t, 16>& address, bool ipv4);

}  // namespace warden
