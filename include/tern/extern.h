// Extern: any of the five things a module imports and exports.
#pragma once

#include <tern/global.h>
#include <tern/memory.h>
#include <tern/table.h>
#include <tern/tag.h>
#include <tern/types.h>

#include <variant>

// Exported from libtern.so (cmake/TernInstall.cmake): the library is built with hidden visibility.
#pragma GCC visibility push(default)
namespace tern {

class Func;  // tern/func.h, included below, completes it
using Extern = std::variant<Func, Table, Memory, Global, Tag>;  // in ExternKind order
ExternKind kind_of(const Extern& e);

}  // namespace tern

#include <tern/func.h>

#pragma GCC visibility pop
