// A tag (exception handling): the identity and payload type of a kind of Wasm exception. A
// module defines, imports and exports tags; `catch $t` catches exceptions of exactly that tag
// object, so two instances share an exception kind only by sharing the tag.
#pragma once

#include <tern/detail.h>
#include <tern/error.h>
#include <tern/types.h>

// Exported from libtern.so (cmake/TernInstall.cmake): the library is built with hidden visibility.
#pragma GCC visibility push(default)
namespace tern {

class Store;

class Tag {
 public:
  Tag() = default;
  // A new tag whose exceptions carry `type.params`; `type.results` must be empty.
  static Result<Tag> create(Store& store, FuncType type);
  const FuncType& type() const;
  explicit operator bool() const { return t_ != nullptr; }
  // Identity: the same tag object, not an equal type.
  friend bool operator==(const Tag&, const Tag&) = default;

 private:
  friend struct detail::Access;
  explicit Tag(rt::TagInstance* t) : t_(t) {}
  rt::TagInstance* t_ = nullptr;
};

}  // namespace tern

#pragma GCC visibility pop
