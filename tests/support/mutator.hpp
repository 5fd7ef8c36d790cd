// Deterministic input mutation for the "mini-fuzz" tests that run in every
// CI job (tests/support/json_mini_fuzz_test.cpp, tests/runtime_io/): byte
// flips, truncations, insertions of JSON's structural characters, deletions,
// duplicated chunks and random bytes, from a fixed pseudo-random sequence.
#pragma once

#include <cstdint>
#include <string>

namespace warden::test {

// splitmix64: a fixed, portable sequence (std:: distributions are not).
struct Rng {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
};

inline std::string mutate(std::string s, Rng& rng) {
  static constexpr char kInsert[] = "[{\"\\]},:0-e.u";
  const std::size_t rounds = 1 + rng.below(4);
  for (std::size_t r = 0; r < rounds; ++r) {
    switch (rng.below(6)) {
      case 0:  // flip a bit
        if (!s.empty()) s[rng.below(s.size())] ^= static_cast<char>(1u << rng.below(8));
        break;
      case 1:  // truncate
        s.resize(rng.below(s.size() + 1));
        break;
      case 2:  // insert structural characters
        s.insert(rng.below(s.size() + 1), 1 + rng.below(8), kInsert[rng.below(sizeof kInsert - 1)]);
        break;
      case 3:  // delete a range
        if (!s.empty()) {
          const std::size_t at = rng.below(s.size());
          s.erase(at, 1 + rng.below(8));
        }
        break;
      case 4:  // duplicate a chunk
        if (!s.empty()) {
          const std::size_t at = rng.below(s.size());
          const std::string chunk = s.substr(at, 1 + rng.below(16));
          s.insert(rng.below(s.size() + 1), chunk);
        }
        break;
      default:  // a random byte
        s.insert(rng.below(s.size() + 1), 1, static_cast<char>(rng.below(256)));
    }
  }
  return s;
}

}  // namespace warden::test
