// The operations of Wasm GC on a store's heap (engine/runtime/gc_heap.h), shared by the
// interpreter's handlers and the constant-expression evaluator: allocation with the store's
// limit, field access at the packed widths, the array bulk operations, casts and the
// conversions between the extern and any hierarchies. Each trapping one returns its trap, as
// bulk_ops.h's do.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <vector>

#include "engine/runtime/objects.h"

namespace tern::rt {

// The bytes one access moves (FieldAccess in engine/runtime/gc_type.h).
inline uint32_t access_bytes(FieldAccess a) {
  switch (a) {
    case FieldAccess::I8S:
    case FieldAccess::I8U:
      return 1;
    case FieldAccess::I16S:
    case FieldAccess::I16U:
      return 2;
    case FieldAccess::B32:
      return 4;
    case FieldAccess::B64:
      return 8;
    case FieldAccess::B128:
      return 16;
  }
  return 8;
}

// Writes a slot's value (slots.h) into a field (packed: wrapped). The interpreter's field
// accesses have an op per width instead (engine/interp/gc_field_ops.def).
inline void store_field(uint8_t* field, const uint8_t* slot, FieldAccess a) {
  std::memcpy(field, slot, access_bytes(a));  // little-endian: the low bytes wrap a packed value
}

// A new struct with its fields from consecutive value slots (8 bytes each, v128 16), or with
// zero (default) fields when `slots` is null; null at the store's heap limit.
GcObject* new_struct(Store& store, const GcType& type, const uint8_t* slots);
// A new array of `count` elements from consecutive value slots; null at the limit.
GcObject* new_array_fixed(Store& store, const GcType& type, uint32_t count, const uint8_t* slots);

// The allocations and bulk operations below that take time in proportion to a length charge
// fuel and notice interrupts as memory's do (engine/runtime/bulk_ops.h), so they may also end
// in those traps.

// array.new and array.new_default: a new array of `length` elements, each the value in `init`
// (zero when null).
std::optional<TrapCode> new_array(Store& store, const GcType& type, uint32_t length,
                                  const uint8_t* init, GcObject** out);
// array.new_data and array.new_elem: a new array of `length` elements from a segment at
// `offset` (an out-of-bounds one traps as memory.init and table.init do). Segments are passed
// by reference: the interpreter's dispatch function calls these, and an argument passed on the
// stack (a seventh register's worth) costs that whole function its frame pointer register.
std::optional<TrapCode> new_array_data(Store& store, const GcType& type,
                                       const std::span<const uint8_t>& data, uint32_t offset,
                                       uint32_t length, GcObject** out);
std::optional<TrapCode> new_array_elem(Store& store, const GcType& type,
                                       const std::vector<Ref>& elems, uint32_t offset,
                                       uint32_t length, GcObject** out);

// array.fill, array.copy, array.init_data, array.init_elem on a possibly null array.
std::optional<TrapCode> array_fill(Store& store, GcObject* a, uint32_t offset, const uint8_t* value,
                                   uint32_t n);
std::optional<TrapCode> array_copy(Store& store, GcObject* dst, uint32_t d, GcObject* src,
                                   uint32_t s, uint32_t n);
std::optional<TrapCode> array_init_data(Store& store, GcObject* a, uint32_t d,
                                        const std::span<const uint8_t>& data, uint32_t s,
                                        uint32_t n);
std::optional<TrapCode> array_init_elem(Store& store, GcObject* a, uint32_t d,
                                        const std::vector<Ref>& elems, uint32_t s, uint32_t n);

// A cast target as one immediate: an abstract heap type's byte, or 0 for a concrete type
// (given apart), and bit 8 when the target is nullable.
constexpr uint32_t cast_target(HeapKind h, bool nullable) {
  return uint32_t(h) | (nullable ? 0x100u : 0u);
}
constexpr uint32_t kConcreteTarget = 0;

// Whether a reference with slot bits `ref` is of the reference type `target` (cast_target),
// whose concrete type, if it has one, is `concrete`. Validation proved `ref` is of the target's
// hierarchy, so its bits say what it is: a function instance, a host reference, an exception,
// or of the any hierarchy, an i31 or a heap object.
bool ref_test(const Store& store, uint64_t ref, uint32_t target, const GcType* concrete);

// call_indirect's slow path, after its one compare of ids failed: whether function type `id`
// declares `expected` as a (transitive) supertype.
bool func_subtype(const Store& store, uint32_t id, uint32_t expected);

// any.convert_extern: a host reference gets its box (the same one each time, so identity is
// kept); an externalised i31 or object gets its own bits back. Null when the heap is full.
uint64_t any_convert_extern(Store& store, uint64_t ref);
// extern.convert_any: a box gives back its host reference; anything else keeps its bits.
uint64_t extern_convert_any(uint64_t ref);

}  // namespace tern::rt
