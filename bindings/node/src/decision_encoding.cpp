// The compact decision string (see decision_encoding.hpp).
#include "decision_encoding.hpp"

#include <charconv>
#include <cstdint>
#include <cstring>

namespace warden::node {
namespace {

// Whether `s` holds a byte that is NUL or not ASCII, eight bytes at a time:
// in (w - 0x01…) | w a byte's high bit is set when the byte is 0 or >= 0x80
// (a borrow only comes out of a lower byte that is 0, already counted).
bool plain_ascii(std::string_view s) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  std::uint64_t bad = 0;
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    bad |= ((w - kOnes) | w) & kHigh;
  }
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    bad |= c == 0 || c >= 0x80;
  }
  return bad == 0;
}

// Appends fields, each followed by a NUL separator, and records whether any
// text was not plain ASCII.
struct Fields {
  std::string& out;
  bool bad = false;

  void text(std::string_view s) {
    bad |= !plain_ascii(s);
    out.append(s);
    out.push_back('\0');
  }
  void number(std::uint64_t n) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, n);
    out.append(buf, r.ptr);
    out.push_back('\0');
  }
  void hex16(std::uint64_t n) {
    static constexpr char kHex[] = "0123456789abcdef";
    char buf[16];
    for (int i = 15; i >= 0; --i, n >>= 4) buf[i] = kHex[n & 0xF];
    out.append(buf, sizeof buf);
    out.push_back('\0');
  }
};

}  // namespace

bool encode_compact(const Decision& d, std::string& out) {
  out.clear();
  out.push_back(d.outcome == Outcome::Allow ? 'a' : d.outcome == Outcome::Deny ? 'd' : 'w');
  Fields f{out};
  f.text(d.code.view());
  f.text(d.message.view());
  f.text(d.hint.view());
  f.text(d.required.view());
  f.text(d.present.view());
  f.text(source_kind_name(d.source));
  f.text(d.source_detail.view());
  f.text(d.grant_id.view());
  f.text(d.endpoint.view());
  f.text(d.raw_path.view());
  f.text(d.path.view());
  f.text(d.action.view());
  f.text(d.resource_type.view());
  f.text(d.resource_id.view());
  f.text(d.principal.view());
  f.text(caller_kind_name(d.caller));
  f.text(d.client_ip.view());
  f.text(d.tenant.view());
  f.text(d.request_id.view());
  f.hex16(d.policy_fingerprint);
  f.number(d.facts_version);
  const std::uint8_t rules = d.rule_count < Decision::kMaxRules ? d.rule_count : Decision::kMaxRules;
  f.number(rules);
  for (std::uint8_t i = 0; i < rules; ++i) {
    const RuleRef& r = d.rules[i];
    f.text(r.name.view());
    const char flags[2] = {r.deny ? 'd' : 'a', r.monitor ? 'm' : '-'};
    f.text({flags, 2});
    f.text(r.file.view());
    f.number(r.line);
    f.number(r.column);
  }
  return !f.bad;
}

}  // namespace warden::node
