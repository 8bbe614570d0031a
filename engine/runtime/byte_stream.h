// Little-endian fixed-width fields in a byte vector, and a bounds-checked reader of them: the
// compiled-module cache's format (engine/module_cache.cpp, jit/common/module_cache.cpp). The
// reader never reads past its span; once a read fails it stays failed and returns zeros, so a
// parser checks ok() once after a group of reads.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace tern::rt {

class ByteWriter {
 public:
  explicit ByteWriter(std::vector<uint8_t>& out) : out_(out) {}
  template <typename T>
  void put(T value) {
    static_assert(std::is_integral_v<T> || std::is_enum_v<T>);
    uint8_t bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));  // the targets (x86-64, AArch64) are little-endian
    out_.insert(out_.end(), bytes, bytes + sizeof(T));
  }
  void put_bytes(std::span<const uint8_t> bytes) {
    put(uint64_t(bytes.size()));
    out_.insert(out_.end(), bytes.begin(), bytes.end());
  }
  void put_u32s(std::span<const uint32_t> values) {
    put(uint64_t(values.size()));
    for (uint32_t v : values) put(v);
  }
  size_t size() const { return out_.size(); }

 private:
  std::vector<uint8_t>& out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::span<const uint8_t> in) : in_(in) {}
  template <typename T>
  T get() {
    T value{};
    if (!take(sizeof(T))) return value;
    std::memcpy(&value, in_.data() + pos_ - sizeof(T), sizeof(T));
    return value;
  }
  // A length-prefixed run of bytes (a view into the input), empty once failed.
  std::span<const uint8_t> get_bytes() {
    uint64_t n = get<uint64_t>();
    if (!ok_ || n > remaining()) {
      ok_ = false;
      return {};
    }
    take(size_t(n));
    return in_.subspan(pos_ - size_t(n), size_t(n));
  }
  // A length-prefixed run of u32s; the count is checked against the input before allocating.
  std::vector<uint32_t> get_u32s() {
    uint64_t n = get<uint64_t>();
    if (!ok_ || n > remaining() / 4) {
      ok_ = false;
      return {};
    }
    std::vector<uint32_t> out(static_cast<size_t>(n));
    for (uint32_t& v : out) v = get<uint32_t>();
    return out;
  }
  // A count of items of at least `min_item_bytes` each: fails when the input cannot hold them.
  uint64_t get_count(size_t min_item_bytes) {
    uint64_t n = get<uint64_t>();
    if (ok_ && min_item_bytes && n > remaining() / min_item_bytes) ok_ = false;
    return ok_ ? n : 0;
  }
  void fail() { ok_ = false; }
  bool ok() const { return ok_; }
  size_t remaining() const { return in_.size() - pos_; }
  size_t position() const { return pos_; }

 private:
  bool take(size_t n) {
    if (!ok_ || n > remaining()) {
      ok_ = false;
      return false;
    }
    pos_ += n;
    return true;
  }

  std::span<const uint8_t> in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace tern::rt
