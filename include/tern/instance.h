// An instance of a module in a store: its exports.
#pragma once

#include <tern/detail.h>
#include <tern/extern.h>
#include <tern/func.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Exported from libtern.so (cmake/TernInstall.cmake): the library is built with hidden visibility.
#pragma GCC visibility push(default)
namespace tern {

class Instance {
 public:
  Instance() = default;
  std::optional<Extern> get_export(std::string_view name) const;
  std::optional<Func> get_func(std::string_view name) const;
  std::optional<Memory> get_memory(std::string_view name) const;
  std::optional<Global> get_global(std::string_view name) const;
  std::optional<Table> get_table(std::string_view name) const;
  std::optional<Tag> get_tag(std::string_view name) const;
  std::vector<std::pair<std::string, Extern>> exports() const;  // in module order
  explicit operator bool() const { return i_ != nullptr; }

 private:
  friend struct detail::Access;
  explicit Instance(rt::Instance* i) : i_(i) {}
  rt::Instance* i_ = nullptr;
};

}  // namespace tern

#pragma GCC visibility pop
