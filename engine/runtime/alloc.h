// Creating runtime objects in a store: shared by the embedding API and instantiation.
#pragma once

#include <string>

#include "engine/runtime/objects.h"

namespace tern::rt {

inline Error limit_error(std::string message) {
  return Error{ErrorKind::Limit, std::move(message), {}, {}};
}

// Whether a memory or table of this type can be created under the store's StoreLimits; checked for
// every definition before instantiation mutates the store.
Result<void> check_memory_limits(const Store& store, const MemoryType& type);
Result<void> check_table_limits(const Store& store, const TableType& type);

Result<MemoryInstance*> alloc_memory(Store& store, const MemoryType& type);
Result<TableInstance*> alloc_table(Store& store, const TableType& type, Ref init);
GlobalInstance* alloc_global(Store& store, const GlobalType& type, const Value& init);
// A host function with its boxed callback or its unboxed entry (used when set).
FuncInstance* alloc_host_func(Store& store, FuncType type, HostCallback callback, HostEntry entry);

}  // namespace tern::rt
