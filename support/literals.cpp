// Typed literal parsing for conditions (see literals.hpp).
#include "support/literals.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace warden {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` digits at `pos`.
bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!is_digit(s[pos + i])) return false;
    out = out * 10 + (s[pos + i] - '0');
  }
  return true;
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace

TimeResult parse_time(std::string_view s) {
  TimeResult r;
  int year, month, day, hour, minute, second;
  if (!digits(s, 0, 4, year) || s.size() < 5 || s[4] != '-' || !digits(s, 5, 2, month) || s.size() < 8 ||
      s[7] != '-' || !digits(s, 8, 2, day)) {
    r.error = "expected an RFC 3339 time such as `2026-01-31T00:00:00Z`";
    return r;
  }
  if (s.size() < 11 || (s[10] != 'T' && s[10] != 't') || !digits(s, 11, 2, hour) || s.size() < 14 || s[13] != ':' ||
      !digits(s, 14, 2, minute) || s.size() < 17 || s[16] != ':' || !digits(s, 17, 2, second)) {
    r.error = "expected an RFC 3339 time such as `2026-01-31T00:00:00Z`";
    return r;
  }
  std::size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    while (pos < s.size() && is_digit(s[pos])) ++pos;
    if (pos == start) {
      r.error = "expected digits after `.` in the seconds";
      return r;
    }
  }
  std::int64_t offset_seconds = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const int sign = s[pos] == '-' ? -1 : 1;
    int oh, om;
    if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digits(s, pos + 4, 2, om) ||
        oh > 23 || om > 59) {
      r.error = "invalid time zone offset (expected `Z` or `±HH:MM`)";
      return r;
    }
    offset_seconds = std::int64_t{sign} * (std::int64_t{oh} * 3600 + std::int64_t{om} * 60);
    pos += 6;
  } else {
    r.error = "missing time zone (add `Z` for UTC)";
    return r;
  }
  if (pos != s.size()) {
    r.error = "unexpected text after the time";
    return r;
  }
  if (month < 1 || month > 12) {
    r.error = "month out of range";
    return r;
  }
  if (day < 1 || day > days_in_month(year, month)) {
    r.error = "day out of range for the month";
    return r;
  }
  if (hour > 23 || minute > 59 || second > 59) {
    r.error = "time of day out of range";
    return r;
  }
  r.unix_seconds = days_from_civil(year, month, day) * 86400 + std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 +
                  second - offset_seconds;
  return r;
}

bool parse_ip_into(std::string_view text, std::array<std::uint8_t, 16>& address, bool& ipv4) noexcept {
  // inet_pton wants a terminated string: copy into a stack buffer (the
  // longest address text, an IPv4-mapped IPv6 one, is 45 characters).
  char buf[64];
  if (text.empty() || text.size() >= sizeof buf) return false;
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  address = {};
  if (text.find(':') == std::string_view::npos) {
    in_addr v4{};
    if (inet_pton(AF_INET, buf, &v4) != 1) return false;
    ipv4 = true;
    address[10] = 0xff;
    address[11] = 0xff;
    std::memcpy(address.data() + 12, &v4, 4);
    return true;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, buf, &v6) != 1) return false;
  ipv4 = false;
  std::memcpy(address.data(), &v6, 16);
  return true;
}

IpResult parse_ip(std::string_view text) {
  IpResult r;
  if (!parse_ip_into(text, r.address, r.ipv4)) r.error = "expected an IPv4 or IPv6 address";
  return r;
}

CidrResult parse_cidr(std::string_view text) {
  CidrResult r;
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) {
    r.error = "expected a network such as `10.0.0.0/8`";
    return r;
  }
  const IpResult ip = parse_ip(text.substr(0, slash));
  if (!ip.error.empty()) {
    r.error = "expected an IPv4 or IPv6 network address before `/`";
    return r;
  }
  const std::string_view len = text.substr(slash + 1);
  int prefix = 0;
  if (len.empty() || len.size() > 3 || !digits(len, 0, len.size(), prefix) || (len.size() > 1 && len[0] == '0')) {
    r.error = "expected a prefix length after `/`";
    return r;
  }
  const int max = ip.ipv4 ? 32 : 128;
  if (prefix > max) {
    r.error = "prefix length is larger than " + std::to_string(max);
    return r;
  }
  r.ipv4 = ip.ipv4;
  r.prefix = static_cast<std::uint8_t>(ip.ipv4 ? prefix + 96 : prefix);
  r.address = ip.address;
  bool host_bits = false;
  for (int bit = r.prefix; bit < 128; ++bit) {
    const auto mask = static_cast<std::uint8_t>(0x80u >> (bit % 8));
    if (r.address[bit / 8] & mask) {
      host_bits = true;
      r.address[bit / 8] = static_cast<std::uint8_t>(r.address[bit / 8] & ~mask);
    }
  }
  if (host_bits) {
    r.suggestion = format_ip(r.address, r.ipv4) + "/" + std::to_string(prefix);
    r.error = "the address has bits set beyond the prefix length";
  }
  return r;
}

MinuteResult parse_time_of_day(std::string_view s, bool allow_24) {
  MinuteResult r;
  int h, m;
  if (s.size() != 5 || !digits(s, 0, 2, h) || s[2] != ':' || !digits(s, 3, 2, m)) {
    r.error = "expected a time of day as `HH:MM`";
    return r;
  }
  if (allow_24 && h == 24 && m == 0) {
    r.minute = 1440;
    return r;
  }
  if (h > 23 || m > 59) {
    r.error = allow_24 ? "time of day out of range (00:00 to 24:00)" : "time of day out of range (00:00 to 23:59)";
    return r;
  }
  r.minute = static_cast<std::uint16_t>(h * 60 + m);
  return r;
}

std::string format_ip(const std::array<std::uint8_t, 16>& address, bool ipv4) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (ipv4) {
    inet_ntop(AF_INET, address.data() + 12, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, address.data(), buf, sizeof buf);
  }
  return buf;
}

}  // namespace warden
