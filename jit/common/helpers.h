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
// imm: function index.
uint64_t call_import(JitContext*, rt::Instance*, uint64_t*, uint64_t);
// imm: canonical type id | table index << 32. values: arguments, then the element index (an
// i64 for a 64-bit table).
uint64_t call_indirect(JitContext*, rt::Instance*, uint64_t*, uint64_t);
// imm: address of the fuel cell holding the block's cost.
uint64_t consume_fuel(JitContext*, rt::Instance*, uint64_t*, uint64_t);
// The rest take their Instr index immediates in imm (index | index2 << 32).
uint64_t memory_size(JitContext*, rt::Instance*, uint64_t*, uint64_t);
uint64_t memory_grow(JitContext*, rt::Instance*, uint64_t*, uint64_t);
uint64_t memory_init(JitContext*, rt::Instance*, uint64_t*, uint64_t);
uint64_t memory_copy(JitContext*, rt::Instance*, uint64_t*, uint64_t);
uint64_t memory_fill(JitContext*, rt::Instance*, uint64_t*, uint64_t);
uint64_t data_drop(JitContext*, rt::Instance*, uint64_t*, uint64_t);
uint64_t table_get(JitContext*, rt::Instance*, uint64_t*, uint64_t);
uint64_t table_set(JitContext*, rt::Instance*, uint64_t*, uint64_t);
uint64_t table_size(JitContext*, rt::Instance*, uint64_t*, uint64_t);
uint64_t table_grow(JitContext*, rt::Instance*, uint64_t*, uint64_t);
uint64_t table_fill(JitContext*, rt::Instance*, uint64_t*, uint64_t);
uint64_t table_copy(JitContext*, rt::Instance*, uint64_t*, uint64_t);
uint64_t table_init(JitContext*, rt::Instance*, uint64_t*, uint64_t);
uint64_t elem_drop(JitContext*, rt::Instance*, uint64_t*, uint64_t);
uint64_t ref_func(JitContext*, rt::Instance*, uint64_t*, uint64_t);

// Exception handling (exception_helpers.cpp). They leave the exception pending, always: imm
// is the tag index of throw, whose values are the payload; throw_ref's value is the exnref.
uint64_t throw_exception(JitContext*, rt::Instance*, uint64_t*, uint64_t);
uint64_t throw_ref(JitContext*, rt::Instance*, uint64_t*, uint64_t);
// A landing pad's: takes the pending exception, writes its payload (kCatchPayload) and then
// the exnref (kCatchExnRef) to the values, and returns the exnref.
constexpr uint64_t kCatchPayload = 1, kCatchExnRef = 2;
uint64_t catch_exception(JitContext*, rt::Instance*, uint64_t*, uint64_t);
}  // namespace helpers

}  // namespace tern::jit
