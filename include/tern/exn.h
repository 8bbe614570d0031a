// An exception object (exception handling): a tag and the payload values thrown with it, what
// an exnref refers to. A host function throws one into Wasm by returning `exn.to_error()`; an
// uncaught Wasm exception reaches the embedder as an Error of kind Exception, from which
// `Exn::from_error` recovers the object. Exception objects belong to their store and live as
// long as it does.
#pragma once

#include <tern/detail.h>
#include <tern/error.h>
#include <tern/tag.h>
#include <tern/value.h>

#include <optional>
#include <span>
#include <vector>

// Exported from libtern.so (cmake/TernInstall.cmake): the library is built with hidden visibility.
#pragma GCC visibility push(default)
namespace tern {

class Exn {
 public:
  Exn() = default;
  // An exception of `tag` carrying `payload`, which must match the tag's parameter types.
  static Result<Exn> create(Store& store, const Tag& tag, std::span<const Value> payload);
  // The exception an Error of kind Exception carries; empty for any other error.
  static std::optional<Exn> from_error(const Error& error);
  // The exception an exnref value refers to; empty for null or for other types.
  static std::optional<Exn> from_value(const Value& value);

  Tag tag() const;
  std::vector<Value> payload() const;
  // The error a host function returns to throw this exception to its Wasm caller.
  Error to_error() const;
  Value to_value() const;  // as an exnref
  explicit operator bool() const { return e_ != nullptr; }
  friend bool operator==(const Exn&, const Exn&) = default;

 private:
  friend struct detail::Access;
  explicit Exn(rt::ExnInstance* e) : e_(e) {}
  rt::ExnInstance* e_ = nullptr;
};

}  // namespace tern

#pragma GCC visibility pop
