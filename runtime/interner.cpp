// The string arena behind the fact store's interners (interner.hpp).
#include "runtime/interner.hpp"

#include <algorithm>

namespace warden::runtime {

const char* StringArena::add(std::string_view s) {
  unsigned char prefix[5];
  std::size_t prefix_size = 0;
  if (s.size() < 0x80) {
    prefix[prefix_size++] = static_cast<unsigned char>(s.size());
  } else {
    std::uint32_t n = static_cast<std::uint32_t>(s.size());
    while (n >= 0x80) {
      prefix[prefix_size++] = static_cast<unsigned char>(0x80 | (n & 0x7f));
      n >>= 7;
    }
    prefix[prefix_size++] = static_cast<unsigned char>(n);
  }
  const std::size_t need = prefix_size + s.size();
  std::lock_guard<std::mutex> lock(mutex_);
  if (capacity_ - used_ < need) {
    capacity_ = std::max(kChunk, need);
    chunks_.push_back(std::make_unique<char[]>(capacity_));
    used_ = 0;
  }
  char* out = chunks_.back().get() + used_;
  std::memcpy(out, prefix, prefix_size);
  if (!s.empty()) std::memcpy(out + prefix_size, s.data(), s.size());
  used_ += need;
  return out;
}

}  // namespace warden::runtime
