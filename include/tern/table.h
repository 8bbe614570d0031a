// A table of references.
#pragma once

#include <tern/detail.h>
#include <tern/error.h>
#include <tern/types.h>
#include <tern/value.h>

#include <cstdint>
#include <optional>

// Exported from libtern.so (cmake/TernInstall.cmake): the library is built with hidden visibility.
#pragma GCC visibility push(default)
namespace tern {

class Store;

class Table {
 public:
  Table() = default;
  static Result<Table> create(Store& store, TableType type, Ref init = nullptr);
  uint64_t size() const;
  std::optional<Value> get(uint64_t index) const;
  bool set(uint64_t index, const Value& v) const;
  // Old size, or an error when the maximum or the store's limits forbid it.
  Result<uint64_t> grow(uint64_t delta, Ref init = nullptr) const;
  TableType type() const;
  explicit operator bool() const { return t_ != nullptr; }

 private:
  friend struct detail::Access;
  explicit Table(rt::TableInstance* t) : t_(t) {}
  rt::TableInstance* t_ = nullptr;
};

}  // namespace tern

#pragma GCC visibility pop
