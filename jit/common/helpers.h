// Out-of-line paths of compiled code: every operation the compiler does not inline is a call
// to one of these (see Helper in runtime.h for the calling convention). A helper that traps
// leaves the trap in the context, sets `pending` and returns; the code then raises it.
#pragma once

#include <optional>

#include "engine/opcodes.h"
#include "jit/common/runtime.h"

namespace tern::jit {

struct NumericHelper {
  Helper fn = nullptr;
  uint8_t arity = 0;
  bool may_trap = false;
};
// The helper for a numeric opcode the compiler may leave out of line (rounding, popcnt: see
// MacroAssembler::can_round_fp/can_count_ones), or empty for any other opcode.
std::optional<NumericHelper> numeric_helper(Opcode op);

namespace helpers {
// Every helper, by name, each a Helper (runtime.h). Compiled code calls only these, the GC
// helpers (gc_helpers.h) and the numeric helpers, and the module cache (module_cache.cpp)
// relocates calls by these lists: a helper declared in one is relocatable by construction.
//   call_import: imm is the function index.
//   call_indirect: imm is the module's type index | table index << 32; values are the arguments,
//     then the element index (an i64 for a 64-bit table). A callee of a declared subtype of the
//     expected type is accepted.
//   call_ref: imm is the slot of the function reference, after the arguments' slots. No type
//     id: validation proved the reference's type, so the code holds nothing engine-specific.
//   consume_fuel: imm is the address of the fuel cell holding the block's cost.
//   memory_* to ref_func: imm holds their Instr index immediates (index | index2 << 32).
//   Exception handling (exception_helpers.cpp) leaves the exception pending, always: imm is
//   the tag index of throw_exception, whose values are the payload; throw_ref's value is the
//   exnref. catch_exception is a landing pad's: it takes the pending exception, writes its
//   payload (kCatchPayload) and then the exnref (kCatchExnRef) to the values, and returns the
//   exnref.
// clang-format off
#define TERN_JIT_HELPERS(X)                                                                 \
  X(call_import) X(call_indirect) X(call_ref) X(consume_fuel) X(memory_size)               \
  X(memory_grow) X(memory_init) X(memory_copy) X(memory_fill) X(data_drop) X(table_get)     \
  X(table_set) X(table_size) X(table_grow) X(table_fill) X(table_copy) X(table_init)        \
  X(elem_drop) X(ref_func) X(throw_exception) X(throw_ref) X(catch_exception)
// clang-format on
#define TERN_DECLARE_JIT_HELPER(name) \
  uint64_t name(JitContext*, rt::Instance*, uint64_t*, uint64_t);
TERN_JIT_HELPERS(TERN_DECLARE_JIT_HELPER)
#undef TERN_DECLARE_JIT_HELPER
constexpr uint64_t kCatchPayload = 1, kCatchExnRef = 2;
}  // namespace helpers

}  // namespace tern::jit
