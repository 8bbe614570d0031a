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
//   - code positions: signed unit offsets from the start (the handler unit) of the instruction
//     holding them, resolved at lowering; a handler jumps with `ip += offset`.
//
// Frame layout: [params | other locals | operand stack homes]. A call passes its arguments in
// consecutive operand slots of the caller, which become the callee's first slots; results are
// returned in the callee's slots 0.., i.e. where the arguments were.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "engine/opcodes.h"

namespace tern::interp {

using Unit = uint32_t;
constexpr uint32_t kSlotBytes = 8;

// TERN_FOR_EACH_OPERAND(M, operands...) expands to `M(kind, name...)` for each operand.
#define TERN_FOR_EACH_OPERAND(M, ...) __VA_OPT__(TERN_OPERAND_1(M, __VA_ARGS__))
#define TERN_OPERAND_1(M, a, ...) M a __VA_OPT__(TERN_OPERAND_2(M, __VA_ARGS__))
#define TERN_OPERAND_2(M, a, ...) M a __VA_OPT__(TERN_OPERAND_3(M, __VA_ARGS__))
#define TERN_OPERAND_3(M, a, ...) M a __VA_OPT__(TERN_OPERAND_4(M, __VA_ARGS__))
#define TERN_OPERAND_4(M, a, ...) M a __VA_OPT__(TERN_OPERAND_5(M, __VA_ARGS__))
#define TERN_OPERAND_5(M, a, ...) M a __VA_OPT__(TERN_OPERAND_6(M, __VA_ARGS__))
#define TERN_OPERAND_6(M, a, ...) M a __VA_OPT__(TERN_OPERAND_7(M, __VA_ARGS__))
#define TERN_OPERAND_7(M, a, ...) M a __VA_OPT__(TERN_OPERAND_TOO_MANY)

// Every instruction's operand layout, one line per op: X(Name, operands...), the operands in
// order after the handler unit, each a (kind, name) pair of one of these kinds:
//   DST       destination slot (1 unit)
//   SRC       source slot (1 unit)
//   U32       32-bit immediate (1 unit)
//   U64       64-bit immediate (2 units, low first)
//   FN        function pointer immediate (2 units): the lane arithmetic of SIMD ops
//   BYTES16   16 immediate bytes (4 units): a v128 constant, shuffle lanes
//   POS       code position (1 unit): a signed unit offset from the first unit (the handler
//             unit) of the instruction holding it
//   POS_TABLE (POS_TABLE, name, count): `count` + 1 code positions ending the instruction
// Consumers go through the operands with TERN_FOR_EACH_OPERAND: instr_views.h (a struct per
// layout, read by execute.cpp), emit.h (the emitters lowering calls), disassemble.cpp.
//
// Ops with hand-written handlers, each its own layout:
// clang-format off
#define TERN_INTERP_FIXED_OPS(X)                                                             \
  X(Unreachable)                                                                             \
  X(Check) /* interrupt check at loop headers */                                             \
  X(Fuel, (U32, cost)) /* the cost of the basic block that follows */                        \
  X(Jmp, (POS, target))                                                                      \
  X(BrIf, (SRC, cond), (POS, target))                                                        \
  X(BrUnless, (SRC, cond), (POS, target))                                                    \
  X(BrTable, (SRC, index), (U32, count), (POS_TABLE, targets, count)) /* last: default */      \
  X(Return) /* results already in slots 0.. */                                               \
  X(Call, (U32, func), (SRC, args))                                                          \
  X(CallIndirect, (U32, type), (U32, table), (SRC, elem), (SRC, args))                       \
  /* Tail calls: the arguments (arg_bytes) move to slot 0, the callee takes the frame; */    \
  /* a host callee is called and its results (result_bytes) returned. */                     \
  X(ReturnCall, (U32, func), (SRC, args), (U32, arg_bytes), (U32, result_bytes))             \
  X(ReturnCallIndirect, (U32, type), (U32, table), (SRC, elem), (SRC, args),                 \
    (U32, arg_bytes), (U32, result_bytes))                                                   \
  X(Copy64, (DST, dst), (SRC, src))                                                          \
  X(Copy128, (DST, dst), (SRC, src))                                                         \
  X(Const32, (DST, dst), (U32, value))                                                       \
  X(Const64, (DST, dst), (U64, value))                                                       \
  X(Const128, (DST, dst), (BYTES16, value))                                                  \
  X(Select64, (DST, dst), (SRC, a), (SRC, b), (SRC, cond))                                   \
  X(Select128, (DST, dst), (SRC, a), (SRC, b), (SRC, cond))                                  \
  X(GlobalGet64, (DST, dst), (U32, global))                                                  \
  X(GlobalGet128, (DST, dst), (U32, global))                                                 \
  X(GlobalSet64, (SRC, value), (U32, global))                                                \
  X(GlobalSet128, (SRC, value), (U32, global))                                               \
  X(MemorySize, (DST, dst), (U32, memory))                                                  \
  X(MemoryGrow, (DST, dst), (U32, memory), (SRC, delta))                                     \
  X(MemoryInit, (U32, data), (U32, memory), (SRC, dst), (SRC, src), (SRC, len))              \
  X(DataDrop, (U32, data))                                                                   \
  X(MemoryCopy, (U32, dst_memory), (U32, src_memory), (SRC, dst), (SRC, src), (SRC, len))    \
  X(MemoryFill, (U32, memory), (SRC, dst), (SRC, value), (SRC, len))                         \
  /* A scalar load or store (`op`, its numeric_ops.def op) on any memory: the ones other */  \
  /* than a 32-bit memory 0 (multi-memory, memory64), with a 64-bit offset. */               \
  X(LoadAny, (DST, dst), (SRC, addr), (U32, memory), (U32, op), (U64, offset))               \
  X(StoreAny, (SRC, addr), (SRC, value), (U32, memory), (U32, op), (U64, offset))            \
  X(TableGet, (DST, dst), (U32, table), (SRC, index))                                        \
  X(TableSet, (U32, table), (SRC, index), (SRC, value))                                      \
  X(TableSize, (DST, dst), (U32, table))                                                     \
  X(TableGrow, (DST, dst), (U32, table), (SRC, init), (SRC, delta))                          \
  X(TableFill, (U32, table), (SRC, index), (SRC, value), (SRC, len))                         \
  X(TableCopy, (U32, dst_table), (U32, src_table), (SRC, dst), (SRC, src), (SRC, len))       \
  X(TableInit, (U32, elem), (U32, table), (SRC, dst), (SRC, src), (SRC, len))                \
  X(ElemDrop, (U32, elem))                                                                   \
  X(RefIsNull, (DST, dst), (SRC, ref))                                                       \
  /* Typed function references: a call through a reference (null traps), its tail-call */   \
  /* form, the null check of ref.as_non_null, and the two branches on null. */               \
  X(CallRef, (SRC, ref), (SRC, args))                                                        \
  X(ReturnCallRef, (SRC, ref), (SRC, args), (U32, arg_bytes), (U32, result_bytes))           \
  X(RefAsNonNull, (SRC, ref))                                                                \
  X(BrOnNull, (SRC, ref), (POS, target))                                                     \
  X(BrOnNonNull, (SRC, ref), (POS, target))                                                  \
  X(RefFunc, (DST, dst), (U32, func))                                                        \
  /* GC's i31 (engine/runtime/i31.h): boxing, and the unboxings, which trap on null. */     \
  X(RefI31, (DST, dst), (SRC, value))                                                        \
  X(I31GetS, (DST, dst), (SRC, ref))                                                         \
  X(I31GetU, (DST, dst), (SRC, ref))                                                         \
  /* Casts: `cast` is rt::cast_target's; `type` the module's type index of a concrete */    \
  /* target. br_on_cast jumps when the test holds, br_on_cast_fail when it does not. */      \
  X(RefTest, (DST, dst), (SRC, ref), (U32, cast), (U32, type))                               \
  X(RefCast, (SRC, ref), (U32, cast), (U32, type))                                           \
  X(BrOnCast, (SRC, ref), (U32, cast), (U32, type), (POS, target))                           \
  X(BrOnCastFail, (SRC, ref), (U32, cast), (U32, type), (POS, target))                       \
  X(AnyConvertExtern, (DST, dst), (SRC, ref))                                                \
  X(ExternConvertAny, (DST, dst), (SRC, ref))                                                \
  /* Structs and arrays on the store's heap (engine/runtime/gc_heap.h). `type` is the */     \
  /* module's type index; `access` an rt::FieldAccess; a struct field's `offset` is from */  \
  /* its first field. A new object's operands are in consecutive slots, as a call's. */      \
  X(StructNew, (DST, dst), (U32, type), (SRC, args))                                         \
  X(StructNewDefault, (DST, dst), (U32, type))                                               \
  X(ArrayNew, (DST, dst), (U32, type), (SRC, init), (SRC, len))                              \
  X(ArrayNewDefault, (DST, dst), (U32, type), (SRC, len))                                    \
  X(ArrayNewFixed, (DST, dst), (U32, type), (SRC, args), (U32, count))                       \
  X(ArrayNewData, (DST, dst), (U32, type), (U32, data), (SRC, offset), (SRC, len))           \
  X(ArrayNewElem, (DST, dst), (U32, type), (U32, elem), (SRC, offset), (SRC, len))           \
  X(ArrayLen, (DST, dst), (SRC, ref))                                                        \
  X(ArrayFill, (SRC, ref), (SRC, offset), (SRC, value), (SRC, len))                          \
  X(ArrayCopy, (SRC, dst), (SRC, dst_offset), (SRC, src), (SRC, src_offset), (SRC, len))     \
  X(ArrayInitData, (U32, data), (SRC, ref), (SRC, dst), (SRC, src), (SRC, len))              \
  X(ArrayInitElem, (U32, elem), (SRC, ref), (SRC, dst), (SRC, src), (SRC, len))              \
  X(V128Load, (DST, dst), (SRC, addr), (U32, offset), (U32, bytes), (FN, fn)) /* no lanes */  \
  X(V128Store, (SRC, addr), (SRC, value), (U32, offset))                                     \
  X(V128LoadLane, (DST, dst), (SRC, addr), (SRC, vec), (U32, offset), (U32, bytes),          \
    (U32, lane))                                                                             \
  X(V128StoreLane, (SRC, addr), (SRC, vec), (U32, offset), (U32, bytes), (U32, lane))        \
  /* The v128 accesses on any memory (as LoadAny and StoreAny are for scalars). */           \
  X(V128LoadAny, (DST, dst), (SRC, addr), (U32, memory), (U64, offset), (U32, bytes),         \
    (FN, fn))                                                                                \
  X(V128StoreAny, (SRC, addr), (SRC, value), (U32, memory), (U64, offset))                   \
  X(V128LoadLaneAny, (DST, dst), (SRC, addr), (SRC, vec), (U32, memory), (U64, offset),      \
    (U32, bytes), (U32, lane))                                                               \
  X(V128StoreLaneAny, (SRC, addr), (SRC, vec), (U32, memory), (U64, offset), (U32, bytes),   \
    (U32, lane))                                                                             \
  X(SimdUnary, (DST, dst), (SRC, a), (FN, fn))                                               \
  X(SimdBinary, (DST, dst), (SRC, a), (SRC, b), (FN, fn))                                    \
  X(SimdTernary, (DST, dst), (SRC, a), (SRC, b), (SRC, c), (FN, fn))                         \
  X(SimdTest, (DST, dst), (SRC, a), (FN, fn)) /* an i32 result */                            \
  X(SimdShift, (DST, dst), (SRC, vec), (SRC, count), (FN, fn))                               \
  X(SimdSplat, (DST, dst), (SRC, scalar), (FN, fn))                                          \
  X(SimdExtract, (DST, dst), (SRC, vec), (U32, lane), (FN, fn))                              \
  X(SimdReplace, (DST, dst), (SRC, vec), (SRC, scalar), (U32, lane), (FN, fn))               \
  X(SimdShuffle, (DST, dst), (SRC, a), (SRC, b), (BYTES16, lanes))                          \
  X(Throw, (U32, tag), (SRC, args)) /* the payload in consecutive slots */                   \
  X(ThrowRef, (SRC, exn)) /* also the legacy rethrow */

// The layouts shared by the generated ops (numeric_ops.def and the fused compare-and-branch
// ops of engine/compare_ops.def). An immediate is as wide as the operands it stands for.
#define TERN_INTERP_SHARED_LAYOUTS(X)                                                        \
  X(Unary, (DST, dst), (SRC, a))                                                             \
  X(Binary, (DST, dst), (SRC, a), (SRC, b))                                                  \
  X(BinaryImm32, (DST, dst), (SRC, a), (U32, b))                                             \
  X(BinaryImm64, (DST, dst), (SRC, a), (U64, b))                                             \
  X(Load, (DST, dst), (SRC, addr), (U32, offset))                                            \
  X(LoadAdd, (DST, dst), (SRC, base), (SRC, index), (U32, offset)) /* at base + index */     \
  X(LoadAddImm, (DST, dst), (SRC, base), (U32, addend), (U32, offset))                       \
  X(Store, (SRC, addr), (SRC, value), (U32, offset))                                         \
  X(StoreAdd, (SRC, base), (SRC, index), (SRC, value), (U32, offset))                        \
  X(StoreAddImm, (SRC, base), (U32, addend), (SRC, value), (U32, offset))                    \
  X(BrCompare, (SRC, a), (SRC, b), (POS, target)) /* jumps when `a OP b` */                  \
  X(BrCompareImm32, (SRC, a), (U32, b), (POS, target))                                       \
  X(BrCompareImm64, (SRC, a), (U64, b), (POS, target))                                      \
  X(StructField, (DST, dst), (SRC, ref), (U32, offset))                                      \
  X(StructFieldSet, (SRC, ref), (SRC, value), (U32, offset))                                 \
  X(ArrayElem, (DST, dst), (SRC, ref), (SRC, index))                                         \
  X(ArrayElemSet, (SRC, ref), (SRC, index), (SRC, value))
// clang-format on

// Generated ops and their layouts: every numeric_ops.def UNARY is Unary; a BINARY comes as `_ss`
// (Binary) and `_si` (BinaryImm32/64); a LOAD or STORE also comes fused with the i32.add
// computing its address (clang's `base + index` and `p + const` patterns) as `_add_ss` and
// `_add_si`. Each integer compare of compare_ops.def also has a compare-and-branch op, fused
// from the compare and a following br_if / if: `Br<compare>_ss` and `Br<compare>_si`. Wasm GC's
// field accesses come one op per width (gc_field_ops.def): StructField, StructFieldSet,
// ArrayElem and ArrayElemSet.
enum class Op : uint16_t {
#define TERN_X(name, ...) name,
  TERN_INTERP_FIXED_OPS(TERN_X)
#undef TERN_X
#define INT_COMPARE(cond, negated, op, T32, T64) \
  BrI32##cond##_ss, BrI32##cond##_si, BrI64##cond##_ss, BrI64##cond##_si,
#include "engine/compare_ops.def"
#define UNARY(id, T, R, expr) id,
#define BINARY(id, T, R, expr) id##_ss, id##_si,
#define LOAD(id, M, R) id, id##_add_ss, id##_add_si,
#define STORE(id, T, M) id, id##_add_ss, id##_add_si,
#include "engine/interp/numeric_ops.def"
#define GC_LOAD(id, M, R) StructGet##id, ArrayGet##id,
#define GC_STORE(id, M) StructSet##id, ArraySet##id,
#include "engine/interp/gc_field_ops.def"
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

// Exception handlers (exception handling). A handler covers the code positions [start, end) of
// a try_table's or a legacy try's body. When an exception reaches a position, the innermost
// handler covering it (the last opened: ranges nest) tries its clauses in order; without a
// match the search goes on at `parent`, then in the caller.
struct CatchClause {
  static constexpr uint32_t kAnyTag = UINT32_MAX;  // catch_all
  static constexpr uint32_t kNoSlot = UINT32_MAX;
  uint32_t tag = kAnyTag;  // tag index in the module
  uint32_t pad = 0;        // code position to continue at
  uint32_t payload = 0;    // slot of the first payload value (consecutive slots)
  uint32_t exn = kNoSlot;  // slot for the exnref, if the clause keeps one
};
struct Handler {
  uint32_t start = 0, end = 0;
  int32_t parent = -1;  // the handler searched next; -1: none in this function
  std::vector<CatchClause> clauses;
};

// Where an instruction came from: the code position of its handler unit and the byte offset
// of its wasm instruction in the module.
struct CodeOffset {
  uint32_t code_pos = 0;
  uint32_t wasm_offset = 0;
};

// One lowered function.
struct FuncCode {
  std::vector<Unit> code;
  uint32_t func_index = 0;
  uint32_t param_bytes = 0;       // parameters occupy [0, param_bytes)
  uint32_t locals_bytes = 0;      // zero-initialised at entry: [param_bytes, locals_bytes)
  uint32_t frame_bytes = 0;       // locals + the deepest operand stack (+ room for the results)
  std::vector<Handler> handlers;  // in the order their blocks open
  // The instructions that can trap or call (is_trap_or_call_site), ascending: what a trap's
  // backtrace reports for a frame stopped at one of them. Only read when a trap is raised.
  std::vector<CodeOffset> wasm_offsets;
  // The collector's map of this function's frames (engine/runtime/gc_collector.h): the slots
  // that may hold a GC reference. [n, n local slots] first, which hold one throughout, then per
  // safepoint (the end of an instruction that calls or allocates, ascending) [pos, n, n operand
  // slots], all after one unit giving the length. Null when the function has no such slot: a
  // pointer rather than a vector, since every function has a FuncCode (docs/limits.md).
  std::unique_ptr<uint32_t[]> gc_map;
};

// Whether an instruction of `op` can trap or call, i.e. be where a frame of a backtrace stopped.
bool is_trap_or_call_site(Op op);
// The module byte offset of the wasm instruction that code position `pos` (the first unit of
// an instruction, or any unit inside one) of `code` belongs to, if it is recorded.
std::optional<uint32_t> wasm_offset_at(const FuncCode& code, uint32_t pos);

}  // namespace tern::interp
