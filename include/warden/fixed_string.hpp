// Fixed-capacity inline text: what a Decision's fields are made of.
//
// Part of the public API (include/warden/). A FixedString<N> holds at most N
// bytes inline, so filling a Decision never allocates and a Decision is a
// plain value that stays valid after the policy or facts it was made from
// have been replaced. Text longer than the capacity is cut and ends in "...".
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace warden {

template <std::size_t N>
class FixedString {
 public:
  std::string_view view() const { return {data_.data(), size_}; }
  operator std::string_view() const { return view(); }
  bool empty() const { return size_ == 0; }
  void clear() {
    size_ = 0;
    truncated_ = false;
  }
  void assign(std::string_view s) {
    clear();
    append(s);
  }
  void append(std::string_view s) {
    // An empty view may have a null data(), which memcpy must not be given
    // even for zero bytes.
    if (s.empty() || (truncated_ && size_ == N)) return;
    const std::size_t room = N - size_;
    if (s.size() <= room) {
      copy(data_.data() + size_, s.data(), s.size());
      size_ = static_cast<std::uint16_t>(size_ + s.size());
      return;
    }
    // Cut, marking the cut with "..." (on a byte boundary).
    std::memcpy(data_.data() + size_, s.data(), room);
    size_ = static_cast<std::uint16_t>(N);
    std::memcpy(data_.data() + N - 3, "...", 3);
    truncated_ = true;
  }
  void append_number(std::uint64_t n) {
    char buf[24];
    std::size_t len = 0;
    do {
      buf[len++] = static_cast<char>('0' + n % 10);
      n /= 10;
    } while (n);
    std::reverse(buf, buf + len);
    append({buf, len});
  }
  std::string str() const { return std::string(view()); }

 private:
  // Most pieces of an explanation are a few bytes: copied inline with
  // fixed-size moves (two overlapping ones) rather than through a call.
  static void copy(char* to, const char* from, std::size_t n) {
    if (n >= 8 && n <= 16) {
      std::uint64_t a, b;
      std::memcpy(&a, from, 8);
      std::memcpy(&b, from + n - 8, 8);
      std::memcpy(to, &a, 8);
      std::memcpy(to + n - 8, &b, 8);
    } else if (n >= 4 && n < 8) {
      std::uint32_t a, b;
      std::memcpy(&a, from, 4);
      std::memcpy(&b, from + n - 4, 4);
      std::memcpy(to, &a, 4);
      std::memcpy(to + n - 4, &b, 4);
    } else if (n < 4) {
      for (std::size_t i = 0; i < n; ++i) to[i] = from[i];
    } else {
      std::memcpy(to, from, n);
    }
  }

  std::array<char, N> data_;  // only [0, size_) is meaningful: left uninitialized so a Decision is cheap to reset
  std::uint16_t size_ = 0;
  bool truncated_ = false;
  static_assert(N < 65535 && N > 3);
};

}  // namespace warden
