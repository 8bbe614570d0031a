// Creating runtime objects in a store: shared by the embedding API and instantiation.
#pragma once

#include <new>
#include <stdexcept>
#include <string>
#include <string_view>

#include "engine/runtime/objects.h"

namespace tern::rt {

inline Error limit_error(std::string message) {
  return Error{ErrorKind::Limit, std::move(message), {}, {}};
}

// Runs `work`, which returns a Result, at an API boundary: a failed allocation inside it (the
// heap is exhausted, or a size from a module or config is past what a container can hold)
// becomes a Limit error saying it was `what` that could not be allocated, never an exception
// escaping to the embedder. Code called from wasm catches its own: nothing may unwind through
// a tier's frames.
template <class Work>
auto guard_allocation(std::string_view what, Work&& work) -> decltype(work()) {
  try {
    return work();
  } catch (const std::bad_alloc&) {
  } catch (const std::length_error&) {
  }
  std::string message = "out of memory: cannot allocate ";
  message += what;
  return limit_error(std::move(message));
}

// Whether a memory or table of this type can be created under the store's StoreLimits; checked for
// every definition before instantiation mutates the store.
Result<void> check_memory_limits(const Store& store, const MemoryType& type);
Result<void> check_table_limits(const Store& store, const TableType& type);

Result<MemoryInstance*> alloc_memory(Store& store, const MemoryType& type);
Result<TableInstance*> alloc_table(Store& store, const TableType& type, Ref init);
GlobalInstance* alloc_global(Store& store, const GlobalType& type, const Value& init);
// A tag of the function type with canonical id `type_id` (no results), named `name` in messages.
TagInstance* alloc_tag(Store& store, uint32_t type_id, std::string name);
// An exception of `tag` whose payload is copied from `slots` (the tag's params in slot layout).
ExnInstance* alloc_exn(Store& store, TagInstance* tag, const uint8_t* slots);
// The Trap that carries `exn` up through the tiers until a handler catches it.
Trap exception_trap(ExnInstance* exn);
// A host function with its boxed callback or its unboxed entry (used when set).
FuncInstance* alloc_host_func(Store& store, FuncType type, HostCallback callback, HostEntry entry);

}  // namespace tern::rt
