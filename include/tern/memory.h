// A linear memory: bytes the embedder can read and write directly.
#pragma once

#include <tern/detail.h>
#include <tern/error.h>
#include <tern/types.h>

#include <cstdint>

// Exported from libtern.so (cmake/TernInstall.cmake): the library is built with hidden visibility.
#pragma GCC visibility push(default)
namespace tern {

class Store;

class Memory {
 public:
  Memory() = default;
  static Result<Memory> create(Store& store, MemoryType type);
  uint8_t* data() const;
  uint64_t size_bytes() const;
  uint64_t pages() const;
  // Old size in pages, or an error when the maximum or the store's limits forbid it.
  Result<uint64_t> grow(uint64_t delta_pages) const;
  MemoryType type() const;
  explicit operator bool() const { return m_ != nullptr; }

 private:
  friend struct detail::Access;
  explicit Memory(rt::MemoryInstance* m) : m_(m) {}
  rt::MemoryInstance* m_ = nullptr;
};

}  // namespace tern

#pragma GCC visibility pop
