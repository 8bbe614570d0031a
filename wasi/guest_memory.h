// Bounds-checked access to the guest's linear memory. Every guest pointer and length goes
// through here; a range that does not fit is reported (the caller answers `fault`) and host
// memory outside the linear memory is never touched.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

namespace tern::wasi {

class GuestMemory {
 public:
  GuestMemory() = default;
  GuestMemory(uint8_t* base, uint64_t size) : base_(base), size_(size) {}

  // True when [ptr, ptr + len) lies inside the memory. 64-bit sums of 32-bit values cannot
  // overflow.
  bool fits(uint32_t ptr, uint64_t len) const { return uint64_t(ptr) + len <= size_; }

  // The bytes [ptr, ptr + len), or nullptr when out of range.
  uint8_t* range(uint32_t ptr, uint64_t len) const {
    return fits(ptr, len) ? base_ + ptr : nullptr;
  }

  template <class T>
  bool load(uint32_t ptr, T& out) const {
    static_assert(std::is_trivially_copyable_v<T>);
    if (!fits(ptr, sizeof(T))) return false;
    std::memcpy(&out, base_ + ptr, sizeof(T));  // wasm memory is little-endian, like the host
    return true;
  }
  template <class T>
  bool store(uint32_t ptr, T value) const {
    static_assert(std::is_trivially_copyable_v<T>);
    if (!fits(ptr, sizeof(T))) return false;
    std::memcpy(base_ + ptr, &value, sizeof(T));
    return true;
  }
  bool write_bytes(uint32_t ptr, const void* src, uint64_t len) const {
    if (!fits(ptr, len)) return false;
    if (len) std::memcpy(base_ + ptr, src, len);
    return true;
  }
  // A guest string (pointer and length, not NUL-terminated).
  bool string(uint32_t ptr, uint32_t len, std::string_view& out) const {
    if (!fits(ptr, len)) return false;
    out = std::string_view(reinterpret_cast<const char*>(base_ + ptr), len);
    return true;
  }

 private:
  uint8_t* base_ = nullptr;
  uint64_t size_ = 0;
};

static_assert(std::endian::native == std::endian::little, "guest layouts assume little-endian");

}  // namespace tern::wasi
