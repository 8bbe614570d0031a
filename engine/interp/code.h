// The interpreter's code format.
//
// A function is lowered once into an array of 32-bit units. Each instruction is one unit naming
// its handler (the handler's address as an offset from a base label inside `execute`, so the
// loop dispatches with one add and an indirect jump: computed goto, see execute.cpp) followed
// by its operands. Operands are:
//   - slots: byte offsets from the frame pointer. Every local and every operand-stack position
//     of a function has a fixed 8-byte slot in its frame (v128 takes two), so `i32.add` becomes
//     `I32Add_ss dst, a, b` and `local.get` emits nothing: later operands name the local's slot.
//   - immediates: 1 unit (i32, f32, indices) or 2 units (i64, f64), 4 units for v128.
//   - code positions: absolute unit indices into the function's code, resolved at lowering.
//
// Frame layout: [params | other locals | operand stack homes]. A call passes its arguments in
// consecutive operand slots of the caller, which become the callee's first slots; results are
// returned in the callee's slots 0.., i.e. where the arguments were.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/opcodes.h"

namespace tern::interp {

using Unit = uint32_t;
constexpr uint32_t kSlotBytes = 8;

// Ops with hand-written handlers. Operand layouts (d = destination slot, s = source slot,
// i = immediate, p = code position):
#define TERN_INTERP_FIXED_OPS(X)                                                            \
  X(Unreachable)   /* */                                                                    \
  X(Check)         /* interrupt check at loop headers (calls check on their own) */         \
  X(Fuel)          /* i:cost of the basic block that follows */                             \
  X(Jmp)           /* p */                                                                  \
  X(BrIf)          /* s:cond p */                                                           \
  X(BrUnless)      /* s:cond p */                                                           \
  X(BrTable)       /* s:index i:count p*(count+1), the last the default */                  \
  X(Return)        /* results already in slots 0.. */                                       \
  X(Call)          /* i:func s:args */                                                      \
  X(CallIndirect)  /* i:type i:table s:elem_index s:args */                                 \
  X(Copy64)        /* d s */                                                                \
  X(Copy128)       /* d s */                                                                \
  X(Const32)       /* d i */                                                                \
  X(Const64)       /* d i i */                                                              \
  X(Const128)      /* d i i i i */                                                          \
  X(Select64)      /* d s:a s:b s:cond */                                                   \
  X(Select128)     /* d s:a s:b s:cond */                                                   \
  X(GlobalGet64)   /* d i:global */                                                         \
  X(GlobalGet128)  /* d i:global */                                                         \
  X(GlobalSet64)   /* s i:global */                                                         \
  X(GlobalSet128)  /* s i:global */                                                         \
  X(MemorySize)    /* d */                                                                  \
  X(MemoryGrow)    /* d s:delta */                                                          \
  X(MemoryInit)    /* i:data s:dst s:src s:len */                                           \
  X(DataDrop)      /* i:data */                                                             \
  X(MemoryCopy)    /* s:dst s:src s:len */                                                  \
  X(MemoryFill)    /* s:dst s:value s:len */                                                \
  X(TableGet)      /* d i:table s:index */                                                  \
  X(TableSet)      /* i:table s:index s:value */                                            \
  X(TableSize)     /* d i:table */                                                          \
  X(TableGrow)     /* d i:table s:init s:delta */                                           \
  X(TableFill)     /* i:table s:index s:value s:len */                                      \
  X(TableCopy)     /* i:dst_table i:src_table s:dst s:src s:len */                          \
  X(TableInit)     /* i:elem i:table s:dst s:src s:len */                                   \
  X(ElemDrop)      /* i:elem */                                                             \
  X(RefIsNull)     /* d s */                                                                \
  X(RefFunc)       /* d i:func */                                                           \
  X(V128Load)      /* d s:addr i:offset i:bytes i:fn(2): all but the lane loads */          \
  X(V128Store)     /* s:addr s:value i:offset */                                            \
  X(V128LoadLane)  /* d s:addr s:vec i:offset i:bytes i:lane */                             \
  X(V128StoreLane) /* s:addr s:vec i:offset i:bytes i:lane */                               \
  X(SimdUnary)     /* d s i:fn(2) */                                                        \
  X(SimdBinary)    /* d s s i:fn(2) */                                                      \
  X(SimdTernary)   /* d s s s i:fn(2) */                                                    \
  X(SimdTest)      /* d:i32 s i:fn(2) */                                                    \
  X(SimdShift)     /* d s:vec s:i32 i:fn(2) */                                              \
  X(SimdSplat)     /* d s:scalar i:fn(2) */                                                 \
  X(SimdExtract)   /* d s:vec i:lane i:fn(2) */                                             \
  X(SimdReplace)   /* d s:vec s:scalar i:lane i:fn(2) */                                    \
  X(SimdShuffle)   /* d s s i:lanes(4) */

// Compare-and-branch, fused from an integer compare followed by br_if / if: `_ss` is
// `s:a s:b p`, `_si` is `s:a i:b p` (b as wide as the operands). Jumps when `a OP b`.
#define TERN_INTERP_BRANCH_COMPARES(X) \
  X(I32Eq, uint32_t, ==)               \
  X(I32Ne, uint32_t, !=)               \
  X(I32LtS, int32_t, <)                \
  X(I32LtU, uint32_t, <)               \
  X(I32GtS, int32_t, >)                \
  X(I32GtU, uint32_t, >)               \
  X(I32LeS, int32_t, <=)               \
  X(I32LeU, uint32_t, <=)              \
  X(I32GeS, int32_t, >=)               \
  X(I32GeU, uint32_t, >=)              \
  X(I64Eq, uint64_t, ==)               \
  X(I64Ne, uint64_t, !=)               \
  X(I64LtS, int64_t, <)                \
  X(I64LtU, uint64_t, <)               \
  X(I64GtS, int64_t, >)                \
  X(I64GtU, uint64_t, >)               \
  X(I64LeS, int64_t, <=)               \
  X(I64LeU, uint64_t, <=)              \
  X(I64GeS, int64_t, >=)               \
  X(I64GeU, uint64_t, >=)

// Handlers generated from numeric_ops.def: UNARY ops take `d s`; BINARY ops come as `_ss`
// (d s s) and `_si` (d s i, the right operand an immediate of the operand's width); loads are
// `d s:addr i:offset`, stores `s:addr s:value i:offset`. Each load also comes fused with the
// i32.add computing its address (clang's `base + index` and `p + const` patterns): `_add_ss` is
// `d s:base s:index i:offset`, `_add_si` is `d s:base i:addend i:offset`; stores likewise, as
// `s:base s:index s:value i:offset` and `s:base i:addend s:value i:offset`.
enum class Op : uint16_t {
#define TERN_X(name) name,
  TERN_INTERP_FIXED_OPS(TERN_X)
#undef TERN_X
#define TERN_X(cmp, T, op) Br##cmp##_ss, Br##cmp##_si,
  TERN_INTERP_BRANCH_COMPARES(TERN_X)
#undef TERN_X
#define UNARY(id, T, R, expr) id,
#define BINARY(id, T, R, expr) id##_ss, id##_si,
#define LOAD(id, M, R) id, id##_add_ss, id##_add_si,
#define STORE(id, T, M) id, id##_add_ss, id##_add_si,
#include "engine/interp/numeric_ops.def"
  Count_
};
constexpr size_t kOpCount = size_t(Op::Count_);

// The interpreter op for a numeric wasm opcode (the `_ss` form for binary ops), or Count_.
Op numeric_op(Opcode op);
bool is_binary_numeric(Opcode op);

// Handler addresses as offsets from `execute`'s base label, indexed by Op.
const int32_t* handler_offsets();

}  // namespace tern::interp

namespace tern::interp {

// One lowered function.
struct FuncCode {
  std::vector<Unit> code;
  uint32_t func_index = 0;
  uint32_t param_bytes = 0;   // parameters occupy [0, param_bytes)
  uint32_t locals_bytes = 0;  // zero-initialised at entry: [param_bytes, locals_bytes)
  uint32_t frame_bytes = 0;   // locals + the deepest operand stack (+ room for the results)
};

}  // namespace tern::interp
