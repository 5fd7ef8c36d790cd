// The simple-record reader (see simple_records.hpp). Each rule here mirrors
// the general reader for the same input: JSON's grammar for the forms taken
// (support/json.cpp), and the field rules of fact_records.cpp /
// json_fields.cpp for grants and memberships. The property test in
// tests/runtime_io/simple_records_test.cpp runs both readers on the same lines.
#include "runtime_io/simple_records.hpp"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "support/literals.hpp"

namespace warden::runtime_io {
namespace {

// The names a simple record may use, found by length and bytes with
// compares of known length (a line has a dozen of them to look up).
enum class Key : std::uint8_t {
  Other, Kind, Id, SubjectType, SubjectId, ResourceType, ResourceId, Level, ExpiresAt, Reason, Active, Revoked,
  MemberType, MemberId, CollectionType, CollectionId
};

Key key_of(std::string_view k) {
  const auto is = [&](std::string_view name) { return k == name; };
  switch (k.size()) {
    case 2: return is("id") ? Key::Id : Key::Other;
    case 4: return is("kind") ? Key::Kind : Key::Other;
    case 5: return is("level") ? Key::Level : Key::Other;
    case 6: return is("active") ? Key::Active : is("reason") ? Key::Reason : Key::Other;
    case 7: return is("revoked") ? Key::Revoked : Key::Other;
    case 9: return is("member_id") ? Key::MemberId : Key::Other;
    case 10: return is("subject_id") ? Key::SubjectId : is("expires_at") ? Key::ExpiresAt : Key::Other;
    case 11:
      return is("resource_id") ? Key::ResourceId : is("member_type") ? Key::MemberType : Key::Other;
    case 12: return is("subject_type") ? Key::SubjectType : Key::Other;
    case 13:
      return is("resource_type") ? Key::ResourceType : is("collection_id") ? Key::CollectionId : Key::Other;
    case 15: return is("collection_type") ? Key::CollectionType : Key::Other;
    default: return Key::Other;
  }
}

// Trivial on purpose: a line's array of them is not initialized as a whole.
struct Field {
  enum class Kind : std::uint8_t { String, Int, Bool, Null } kind;
  Key name;
  bool boolean;
  std::string_view key;
  std::string_view text;
  std::int64_t number;
};

constexpr std::size_t kMaxFields = 16;

class Scanner {
 public:
  explicit Scanner(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}

  void skip_space() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\r' || *p_ == '\n')) ++p_;
  }
  bool eat(char c) {
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  bool at_end() const { return p_ == end_; }

  // A string of printable ASCII without escapes.
  bool string(std::string_view& out) {
    if (!eat('"')) return false;
    const char* start = p_;
    // Many bytes at a time while none of them ends the string or needs a
    // closer look: '"', '\\', a control byte, DEL or a byte >= 0x80.
#if defined(__SSE2__)
    while (end_ - p_ >= 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p_));
      // As signed bytes, < 0x20 also catches every byte >= 0x80.
      const __m128i special = _mm_or_si128(
          _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
          _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)), _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f))));
      const int mask = _mm_movemask_epi8(special);
      if (mask != 0) {
        p_ += std::countr_zero(static_cast<unsigned>(mask));
        if (*p_ != '"') return false;
        out = {start, static_cast<std::size_t>(p_ - start)};
        ++p_;
        return true;
      }
      p_ += 16;
    }
#endif
    while (p_ != end_) {
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        out = {start, static_cast<std::size_t>(p_ - start)};
        ++p_;
        return true;
      }
      if (c == '\\' || c < 0x20 || c > 0x7e) return false;
      ++p_;
    }
    return false;
  }

  bool value(Field& f) {
    f.text = {};
    f.number = 0;
    f.boolean = false;
    if (p_ == end_) return false;
    switch (*p_) {
      case '"':
        f.kind = Field::Kind::String;
        return string(f.text);
      case 't': return word("true", f, Field::Kind::Bool, true);
      case 'f': return word("false", f, Field::Kind::Bool, false);
      case 'n': return word("null", f, Field::Kind::Null, false);
      default: return integer(f);
    }
  }

 private:
  bool word(std::string_view w, Field& f, Field::Kind kind, bool b) {
    if (static_cast<std::size_t>(end_ - p_) < w.size() || std::string_view(p_, w.size()) != w) return false;
    p_ += w.size();
    f.kind = kind;
    f.boolean = b;
    return true;
  }

  // `-`? (0 | [1-9][0-9]*) with at most 18 digits (always an int64), and
  // nothing after it that would make it a fraction or an exponent.
  bool integer(Field& f) {
    bool negative = eat('-');
    if (p_ == end_ || *p_ < '0' || *p_ > '9') return false;
    if (*p_ == '0' && p_ + 1 != end_ && p_[1] >= '0' && p_[1] <= '9') return false;
    std::int64_t n = 0;
    int digits = 0;
    while (p_ != end_ && *p_ >= '0' && *p_ <= '9') {
      if (++digits > 18) return false;
      n = n * 10 + (*p_ - '0');
      ++p_;
    }
    if (p_ != end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) return false;
    f.kind = Field::Kind::Int;
    f.number = negative ? -n : n;
    return true;
  }

  const char* p_;
  const char* end_;
};

// The fields of one flat object, in document order, keys distinct.
bool fields_of(std::string_view line, std::array<Field, kMaxFields>& fields, std::size_t& count) {
  Scanner s(line);
  s.skip_space();
  if (!s.eat('{')) return false;
  count = 0;
  std::uint32_t seen = 0;
  s.skip_space();
  if (s.eat('}')) return false;  // an empty record is an error: the general reader says which
  for (;;) {
    if (count == kMaxFields) return false;
    Field& f = fields[count];
    s.skip_space();
    if (!s.string(f.key)) return false;
    f.name = key_of(f.key);
    // A name no simple record uses is an error (or another kind): declined.
    // A name given twice is an error: declined.
    if (f.name == Key::Other) return false;
    const std::uint32_t bit = 1u << static_cast<unsigned>(f.name);
    if (seen & bit) return false;
    seen |= bit;
    s.skip_space();
    if (!s.eat(':')) return false;
    s.skip_space();
    if (!s.value(f)) return false;
    ++count;
    s.skip_space();
    if (s.eat(',')) continue;
    if (!s.eat('}')) return false;
    break;
  }
  s.skip_space();
  return s.at_end();
}

// A string field that must not be empty (json_fields.cpp: string(…, true)).
bool text(const Field& f, std::string& out) {
  if (f.kind != Field::Kind::String || f.text.empty()) return false;
  out.assign(f.text);
  return true;
}

bool membership(std::span<const Field> fields, Membership& m) {
  bool member = false, type = false, id = false;
  for (const Field& f : fields) {
    switch (f.name) {
      case Key::Kind: break;
      case Key::MemberType:
        if (!text(f, m.member_type)) return false;
        break;
      case Key::MemberId:
        if (!text(f, m.member_id)) return false;
        member = true;
        break;
      case Key::CollectionType:
        if (!text(f, m.collection_type)) return false;
        type = true;
        break;
      case Key::CollectionId:
        if (!text(f, m.collection_id)) return false;
        id = true;
        break;
      default: return false;
    }
  }
  return member && type && id;
}

bool grant(std::span<const Field> fields, Grant& g) {
  // The texts first, the strings made once at the end (fewer string calls).
  std::string_view id, subject_type = "user", subject_id, resource_type, resource_id, level, reason;
  std::optional<std::int64_t> expires_at;
  bool active_value = true;
  const Field* active = nullptr;
  const Field* revoked = nullptr;
  const auto text_of = [](const Field& f, std::string_view& out) {
    out = f.text;
    return f.kind == Field::Kind::String && !f.text.empty();  // json_fields.cpp: string(…, true)
  };
  for (const Field& f : fields) {
    bool ok = true;
    switch (f.name) {
      case Key::Kind: break;
      case Key::Id: ok = text_of(f, id); break;
      case Key::SubjectType: ok = text_of(f, subject_type); break;
      case Key::SubjectId: ok = text_of(f, subject_id); break;
      case Key::ResourceType: ok = text_of(f, resource_type); break;
      case Key::ResourceId: ok = text_of(f, resource_id); break;
      case Key::Level: ok = text_of(f, level); break;
      case Key::Reason:
        ok = f.kind == Field::Kind::String;
        reason = f.text;
        break;
      case Key::ExpiresAt:
        if (f.kind == Field::Kind::Null) {
          expires_at.reset();
        } else if (f.kind == Field::Kind::Int) {
          expires_at = f.number;
        } else if (f.kind == Field::Kind::String) {
          const TimeResult t = parse_time(f.text);
          ok = t.error.empty();
          expires_at = t.unix_seconds;
        } else {
          ok = false;
        }
        break;
      case Key::Active:
        ok = f.kind == Field::Kind::Bool;
        active_value = f.boolean;
        active = &f;
        break;
      case Key::Revoked:
        ok = f.kind == Field::Kind::Bool;
        revoked = &f;
        if (!active) active_value = !f.boolean;
        break;
      default: return false;
    }
    if (!ok) return false;
  }
  if (active && revoked && active->boolean == revoked->boolean) return false;  // they disagree
  // Required: id, subject_id, resource_type, resource_id, level.
  if (id.empty() || subject_id.empty() || resource_type.empty() || resource_id.empty() || level.empty()) return false;
  g = Grant{std::string(id),          std::string(subject_type), std::string(subject_id), std::string(resource_type),
            std::string(resource_id), std::string(level),        expires_at,              active_value,
            std::string(reason)};
  return true;
}

}  // namespace

bool read_simple_record(std::string_view line, FactChange& out) {
  std::array<Field, kMaxFields> fields;
  std::size_t count = 0;
  if (!fields_of(line, fields, count)) return false;
  const std::span<const Field> all(fields.data(), count);
  const Field* kind = nullptr;
  for (const Field& f : all) {
    if (f.name == Key::Kind) kind = &f;
  }
  if (!kind || kind->kind != Field::Kind::String) return false;
  out.op = FactChange::Op::Upsert;
  if (kind->text == "grant") {
    out.kind = FactChange::Kind::Grant;
    return grant(all, out.grant);
  }
  if (kind->text == "membership") {
    out.kind = FactChange::Kind::Membership;
    out.membership = Membership{};
    return membership(all, out.membership);
  }
  return false;
}

}  // namespace warden::runtime_io
