// Helpers for the artifact tests: an independent writer of the documented
// `.wdn` header (so a test can wrap any payload, even a hostile one, with a
// valid checksum), a random-noise Program, and a small JSON syntax checker.
#pragma once

#include <xxhash.h>

#include <cctype>
#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "table/program.hpp"

namespace warden::test {

inline void put_le(std::string& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// The header of artifact.hpp, written from its documentation.
inline std::string wrap_payload(std::string_view payload, std::uint32_t version = table::kFormatVersion,
                                std::string_view compiler = "test") {
  std::string out = "WARDENPT";
  put_le(out, version, 4);
  put_le(out, compiler.size(), 2);
  out.append(compiler);
  put_le(out, 0x1234, 8);
  put_le(out, payload.size(), 8);
  out.append(1 + 8 + 64, '\0');  // unsigned: algorithm 0, key id 0, no signature
  const XXH64_hash_t seed = XXH3_64bits(out.data(), out.size());
  put_le(out, XXH3_64bits_withSeed(payload.data(), payload.size(), seed), 8);
  out.append(payload);
  return out;
}

// The checksum of a (damaged) artifact recomputed from the documented
// layout, as anyone who can write the file can do: what is left to refuse
// it is validation and, for a loader with verify keys, the signature.
inline std::string reseal_checksum(std::string file) {
  const std::size_t compiler = static_cast<unsigned char>(file[12]) | static_cast<std::size_t>(static_cast<unsigned char>(file[13])) << 8;
  const std::size_t checksum_at = 14 + compiler + 8 + 8 + 1 + 8 + 64;
  const std::string_view payload(file.data() + checksum_at + 8, file.size() - checksum_at - 8);
  const XXH64_hash_t seed = XXH3_64bits(file.data(), checksum_at);
  std::string sum;
  put_le(sum, XXH3_64bits_withSeed(payload.data(), payload.size(), seed), 8);
  file.replace(checksum_at, 8, sum);
  return file;
}

// The offset of the payload in an artifact written with `compiler`.
inline std::size_t payload_offset(std::string_view compiler) { return 111 + compiler.size(); }

template <class T>
void noise(std::mt19937_64& rng, T& row) {
  static_assert(std::is_trivially_copyable_v<T>);
  unsigned char bytes[sizeof(T)];
  for (auto& b : bytes) b = static_cast<unsigned char>(rng());
  std::memcpy(&row, bytes, sizeof(T));
}

template <class T>
void noise(std::mt19937_64& rng, std::vector<T>& rows, std::size_t n) {
  rows.resize(n);
  for (auto& r : rows) noise(rng, r);
}

// A Program whose every field of every row holds random bits: meaningless,
// but a field the serializer forgot would not survive a round trip.
inline table::Program noise_program(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  table::Program p;
  noise(rng, p.name);
  noise(rng, p.mode);
  noise(rng, p.tenancy);
  p.files = {"a.warden", "dir/b.warden"};
  p.strings = {"", "x", std::string(300, 'y'), std::string("nul\0inside", 10)};
  noise(rng, p.bit_words, 5);
  noise(rng, p.bit_refs, 3);
  noise(rng, p.ids, 7);
  noise(rng, p.tenant_sources, 2);
  noise(rng, p.scopes, 3);
  noise(rng, p.levels, 2);
  noise(rng, p.roles, 3);
  noise(rng, p.enums, 2);
  noise(rng, p.attributes, 4);
  noise(rng, p.principals, 2);
  noise(rng, p.resources, 2);
  noise(rng, p.context_attributes);
  noise(rng, p.action_names, 3);
  noise(rng, p.endpoints, 3);
  noise(rng, p.segments, 3);
  noise(rng, p.route_nodes, 3);
  noise(rng, p.route_edges, 3);
  noise(rng, p.route_roots);
  noise(rng, p.rules, 3);
  noise(rng, p.rule_lists, 3);
  noise(rng, p.rule_ids, 3);
  noise(rng, p.code, 4);
  noise(rng, p.constants, 3);
  noise(rng, p.paths, 2);
  noise(rng, p.path_steps, 2);
  noise(rng, p.predicates, 2);
  noise(rng, p.message_parts, 2);
  return p;
}

// True when `text` is exactly one JSON value (and trailing whitespace).
class JsonChecker {
 public:
  static bool valid(std::string_view text) {
    JsonChecker c{text};
    if (!c.value(0)) return false;
    c.ws();
    return c.pos_ == text.size();
  }

 private:
  explicit JsonChecker(std::string_view t) : t_(t) {}
  void ws() {
    while (pos_ < t_.size() && (t_[pos_] == ' ' || t_[pos_] == '\n' || t_[pos_] == '\t' || t_[pos_] == '\r')) ++pos_;
  }
  bool eat(char c) {
    ws();
    if (pos_ < t_.size() && t_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool literal(std::string_view word) {
    if (t_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  bool string() {
    if (!eat('"')) return false;
    while (pos_ < t_.size()) {
      const char c = t_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c == '\\') {
        if (pos_ >= t_.size()) return false;
        const char e = t_[pos_++];
        if (e == 'u') {
          for (int i = 0; i < 4; ++i) {
            if (pos_ >= t_.size() || !std::isxdigit(static_cast<unsigned char>(t_[pos_++]))) return false;
          }
        } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
          return false;
        }
      }
    }
    return false;
  }
  bool number() {
    const std::size_t start = pos_;
    if (pos_ < t_.size() && t_[pos_] == '-') ++pos_;
    while (pos_ < t_.size() && std::isdigit(static_cast<unsigned char>(t_[pos_]))) ++pos_;
    return pos_ > start;
  }
  bool value(int depth) {
    if (depth > 64) return false;
    ws();
    if (pos_ >= t_.size()) return false;
    const char c = t_[pos_];
    if (c == '{') {
      ++pos_;
      if (eat('}')) return true;
      do {
        if (!string() || !eat(':') || !value(depth + 1)) return false;
      } while (eat(','));
      return eat('}');
    }
    if (c == '[') {
      ++pos_;
      if (eat(']')) return true;
      do {
        if (!value(depth + 1)) return false;
      } while (eat(','));
      return eat(']');
    }
    if (c == '"') return string();
    if (c == 't') return literal("true");
    if (c == 'f') return literal("false");
    if (c == 'n') return literal("null");
    return number();
  }

  std::string_view t_;
  std::size_t pos_ = 0;
};

}  // namespace warden::test
