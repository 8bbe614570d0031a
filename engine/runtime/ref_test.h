// ref.test and ref.cast against an abstract heap type, for the references Tern has while no GC
// heap exists (docs/gc.md): null, i31 values (the only non-null values of the any hierarchy:
// struct and array types and any.convert_extern are still refused), functions, host references
// and exceptions. With a heap this learns the objects' headers and concrete types.
#pragma once

#include <cstdint>

#include "engine/runtime/i31.h"
#include "tern/types.h"

namespace tern::rt {

// A cast target as one immediate: the heap type's byte, and bit 8 when it is nullable.
constexpr uint32_t cast_target(HeapKind h, bool nullable) {
  return uint32_t(h) | (nullable ? 0x100u : 0u);
}

// Whether a reference with slot bits `ref` is of the abstract reference type `target`
// (cast_target); validation proved it is of the target's hierarchy.
constexpr bool ref_test_abstract(uint64_t ref, uint32_t target) {
  if (ref == 0) return (target & 0x100u) != 0;
  switch (HeapKind(target & 0xffu)) {
    case HeapKind::Any:
    case HeapKind::Eq:
    case HeapKind::I31:
      return is_i31(ref);
    case HeapKind::Func:
    case HeapKind::Extern:
    case HeapKind::Exn:
      return true;
    default:  // struct, array (no objects yet), and the bottom types, which only null is of
      return false;
  }
}

}  // namespace tern::rt
