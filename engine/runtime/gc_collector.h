// The collector of a store's GC heap (docs/gc.md): when to collect, the roots, marking.
//
// Roots are the store's globals, tables, instances' element segments and exceptions, the
// references handed to the embedder (Store::host_roots, scoped by tern::RootScope), a running
// host function's arguments, and what each tier reports of its frames (TierState::trace_roots:
// the interpreter's and the JIT's precise per-safepoint maps). A collection starts only inside
// an allocation, or when the embedder asks (Store::gc); the interpreter records its safepoint
// before each allocation and each call out of it, and compiled code calls out only through
// helpers, whose every call site has its map, so every frame is at one. Instantiation blocks
// collections (GcBlock): its constant expressions hold values no root lists.
#pragma once

#include <cstdint>
#include <span>

#include "engine/runtime/objects.h"

namespace tern::rt {

// A zeroed object of `bytes` (its header still to be set), collecting first when the policy
// says so, and once more before giving up at the store's limit; null when there is no room.
GcObject* gc_allocate(Store& store, uint64_t bytes);
// Whether a collection may start now: not blocked, and every tier's frames at safepoints.
bool can_collect(const Store& store);
// A full collection now, if one may start.
void collect(Store& store);

// Keeps collections from starting while it lives.
class GcBlock {
 public:
  explicit GcBlock(Store& store) : store_(store) { ++store_.gc_blocked; }
  ~GcBlock() { --store_.gc_blocked; }
  GcBlock(const GcBlock&) = delete;
  GcBlock& operator=(const GcBlock&) = delete;

 private:
  Store& store_;
};

// Whether a reference of type `t` (canonical, or of the module `types` describe) may point at
// a heap object: the any and extern hierarchies, not functions or exceptions.
bool may_hold_gc_object(ValType t);

// A reference handed to the embedder: rooted until the innermost RootScope ends (store.h).
void root_for_host(Store& store, uint64_t ref);
// The references among values of `types` in consecutive slots.
void root_for_host(Store& store, std::span<const ValType> types, const uint8_t* slots);

}  // namespace tern::rt
