// Internal to table/: the cereal archives the artifact payload is written
// with. A compact binary archive over memory, like cereal's own binary one,
// but explicitly little-endian (an artifact moves between machines), with no
// std::stream in the way (loading a 10k-rule table is on the reload path), and
// with a reader that always knows how many bytes remain, so that a length
// read from a damaged or hostile file is refused before anything is
// allocated for it.
//
// Both archives throw cereal::Exception on failure, as cereal's own do;
// serialize.cpp catches it and no exception leaves the table library.
#pragma once

#include <bit>
#include <cereal/cereal.hpp>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>

namespace warden::table::detail {

class ByteWriter : public cereal::OutputArchive<ByteWriter, cereal::AllowEmptyClassElision> {
 public:
  explicit ByteWriter(std::string& out)
      : cereal::OutputArchive<ByteWriter, cereal::AllowEmptyClassElision>(this), out_(out) {}

  template <class T>
  void write_scalar(T value) {
    static_assert(std::is_integral_v<T>);
    using U = std::make_unsigned_t<T>;
    U u = static_cast<U>(value);
    char bytes[sizeof(T)];
    for (std::size_t i = 0; i < sizeof(T); ++i) {
      bytes[i] = static_cast<char>(static_cast<unsigned char>(u & 0xffu));
      if constexpr (sizeof(T) > 1) u = static_cast<U>(u >> 8);
    }
    out_.append(bytes, sizeof(T));
  }
  void write_bytes(const char* data, std::size_t size) { out_.append(data, size); }

 private:
  std::string& out_;
};

class ByteReader : public cereal::InputArchive<ByteReader, cereal::AllowEmptyClassElision> {
 public:
  ByteReader(const char* data, std::size_t size)
      : cereal::InputArchive<ByteReader, cereal::AllowEmptyClassElision>(this), pos_(data), end_(data + size) {}

  std::size_t remaining() const { return static_cast<std::size_t>(end_ - pos_); }

  template <class T>
  void read_scalar(T& value) {
    static_assert(std::is_integral_v<T>);
    need(sizeof(T));
    using U = std::make_unsigned_t<T>;
    U u = 0;
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(&u, pos_, sizeof(T));
    } else {
      for (std::size_t i = sizeof(T); i-- > 0;) {
        u = static_cast<U>((u << 8) | static_cast<unsigned char>(pos_[i]));
      }
    }
    pos_ += sizeof(T);
    value = static_cast<T>(u);
  }
  void read_bytes(char* data, std::size_t size) {
    need(size);
    std::memcpy(data, pos_, size);
    pos_ += size;
  }

 private:
  void need(std::size_t n) const {
    if (remaining() < n) throw cereal::Exception("payload ends inside a value");
  }

  const char* pos_;
  const char* end_;
};

// Integers and bools go through the archives above; enums reach them as their
// underlying type through cereal/types/common.hpp.
template <class T>
std::enable_if_t<std::is_integral_v<T>> CEREAL_SAVE_FUNCTION_NAME(ByteWriter& ar, const T& t) {
  if constexpr (std::is_same_v<T, bool>) {
    ar.write_scalar<std::uint8_t>(t ? 1 : 0);
  } else {
    ar.write_scalar(t);
  }
}

template <class T>
std::enable_if_t<std::is_integral_v<T>> CEREAL_LOAD_FUNCTION_NAME(ByteReader& ar, T& t) {
  if constexpr (std::is_same_v<T, bool>) {
    std::uint8_t b = 0;
    ar.read_scalar(b);
    if (b > 1) throw cereal::Exception("invalid boolean");
    t = b != 0;
  } else {
    ar.read_scalar(t);
  }
}

}  // namespace warden::table::detail

CEREAL_SETUP_ARCHIVE_TRAITS(warden::table::detail::ByteReader, warden::table::detail::ByteWriter)
