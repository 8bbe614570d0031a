// A global variable, mutable or not.
#pragma once

#include <tern/detail.h>
#include <tern/error.h>
#include <tern/types.h>
#include <tern/value.h>

// Exported from libtern.so (cmake/TernInstall.cmake): the library is built with hidden visibility.
#pragma GCC visibility push(default)
namespace tern {

class Store;

class Global {
 public:
  Global() = default;
  static Result<Global> create(Store& store, GlobalType type, Value init);
  Value get() const;
  Result<void> set(const Value& v) const;  // fails for immutable globals and type mismatches
  GlobalType type() const;
  explicit operator bool() const { return g_ != nullptr; }

 private:
  friend struct detail::Access;
  explicit Global(rt::GlobalInstance* g) : g_(g) {}
  rt::GlobalInstance* g_ = nullptr;
};

}  // namespace tern

#pragma GCC visibility pop
