// Wasm GC's out-of-line operations for compiled code (docs/gc.md): allocations, field and
// element accesses, the array bulk operations, casts and the extern/any conversions, each a
// Helper (runtime.h) over the interpreter's own operations (engine/runtime/gc_ops.h), so both
// tiers share one definition of every GC semantics.
//
// An allocating helper reads its operands only from the value area it is given and returns the
// new reference in the result register: a collection while it runs sees every operand in its
// slot, which the call's safepoint lists (frame_roots.h), and no reference waits anywhere else.
#pragma once

#include "jit/common/runtime.h"

namespace tern::jit::helpers {

// Each GC helper, by name. The module cache (module_cache.cpp) relocates calls to these as it
// does TERN_JIT_HELPERS'. `type` below is a module type index (its GcType is looked up through
// the instance: cached code runs in another engine), packed in imm's low half; values are the
// operand slots from the instruction's first operand on (a v128 takes two).
//   struct_new: imm = type; values = the fields. struct_new_default: imm = type.
//   array_new: imm = type; values = the initial value, the length. array_new_default: the
//     length. array_new_fixed: imm = type | count << 32; values = the elements.
//   array_new_data, array_new_elem: imm = type | segment << 32; values = offset, length.
//   struct_get: imm = field offset | FieldAccess << 32; values = the reference. array_get:
//     imm = FieldAccess; values = reference, index. Both return the value; a v128 is written to
//     values[0..1] instead.
//   struct_set: imm = field offset | FieldAccess << 32; values = reference, value. array_set:
//     imm = FieldAccess; values = reference, index, value. Both store as rt::store_field.
//   array_len: values = the reference. array_fill: imm = type; values = reference, offset,
//     value, length. array_copy: values = destination, offset, source, offset, length.
//   array_init_data, array_init_elem: imm = segment; values = reference, offset, source
//     offset, length.
//   ref_test: imm = rt::cast_target | type << 32 (the type when the target is concrete);
//     values = the reference; returns 1 when it is of the target type, else 0.
//   any_convert_extern, extern_convert_any: values = the reference; return the converted one.
// clang-format off
#define TERN_JIT_GC_HELPERS(X)                                                                \
  X(struct_new) X(struct_new_default) X(array_new) X(array_new_default) X(array_new_fixed)   \
  X(array_new_data) X(array_new_elem) X(struct_get) X(struct_set) X(array_get) X(array_set) \
  X(array_len) X(array_fill) X(array_copy) X(array_init_data) X(array_init_elem)            \
  X(ref_test) X(any_convert_extern) X(extern_convert_any)
// clang-format on
#define TERN_DECLARE_JIT_GC_HELPER(name) \
  uint64_t name(JitContext*, rt::Instance*, uint64_t*, uint64_t);
TERN_JIT_GC_HELPERS(TERN_DECLARE_JIT_GC_HELPER)
#undef TERN_DECLARE_JIT_GC_HELPER

}  // namespace tern::jit::helpers
