// The instruction-set boundary of the baseline JIT: everything the single-pass compiler
// (FuncCompiler) needs from a target, in target-neutral terms. x64/ implements it on
// asmjit's x86 assembler; an AArch64 backend implements the same interface.
//
// The frame model every backend provides:
//  - Values are 64-bit: i32/f32 in the low half (the high half is ignored), i64/f64/references
//    in full. Integers and references live in general-purpose registers, f32/f64 in
//    floating-point registers; a `Reg` is an index into the backend's allocatable registers of
//    one class, [0, num_regs(class)). Functions below take general-purpose registers unless
//    their name or comment says floating-point ("fp").
//  - A frame has operand slots (`Slot::Kind::Operand`, locals first, then the operand stack)
//    and spare slots (`Slot::Kind::Spare`, scratch the compiler allocates). Both counts are only
//    known at the end of the body: displacements must not depend on them, and finish_frame()
//    fixes the frame size afterwards.
//  - Frames are chained: the frame pointer points at the caller's frame pointer, with the
//    return address above it. With F the frame size finish_frame() returns, operand slot k is
//    at fp - F + 8k and spare slot j at fp - 16 - 8j (the garbage collector finds references
//    there, frame_roots.h).
//  - A function is entered with a pointer to a value area holding its arguments in the layout
//    of engine/runtime/slots.h (8 bytes each, 16 for a v128, which takes two slots); it leaves
//    its results in the same area. A direct call passes a run of the caller's operand slots as
//    that area. The prologue copies the arguments into the first operand slots (the first
//    locals). Counts of arguments, results and locals below are of slots.
//  - Context, instance, memory base and globals live in pinned registers the backend manages.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "engine/opcodes.h"
#include "jit/common/runtime.h"
#include "jit/common/simd_assembler.h"
#include "tern/error.h"

namespace tern::jit {

using Reg = uint8_t;

struct Label {
  uint32_t id = 0;
};

// A try or try_table body of the function being compiled, for its handler table
// (handler_table.h): its code from `begin` to `end`, and its clauses' landing pads.
struct TryRegionLabels {
  Label begin, end;
  int32_t parent = -1;
  std::vector<std::pair<uint32_t, Label>> clauses;  // tag index (CatchClause::kAnyTag), pad
};

// The operand and spare slots a frame may have at most: displacements stay 32-bit (a frame this
// large could never fit on a native stack anyway).
constexpr uint64_t kMaxFrameSlots = uint64_t(1) << 24;

struct Slot {
  enum class Kind : uint8_t { Operand, Spare };
  Kind kind = Kind::Operand;
  uint32_t index = 0;
};

enum class Width : uint8_t { W32, W64 };

enum class RegClass : uint8_t { Gp, Fp };

enum class DivOp : uint8_t { DivS, DivU, RemS, RemU };
enum class BitCount : uint8_t { Clz, Ctz, Popcnt };

// Floating-point operations with wasm semantics (NaN in => a NaN out, -0 < +0 for min/max).
enum class FpOp : uint8_t { Add, Sub, Mul, Div, Min, Max, Copysign };
enum class FpUnaryOp : uint8_t { Abs, Neg, Sqrt, Ceil, Floor, Trunc, Nearest };
// Ordered comparisons: false when either side is NaN, except Ne.
enum class FpCond : uint8_t { Eq, Ne, Lt, Gt, Le, Ge };

// A conversion between an integer and a float: their widths and the integer's signedness.
struct IntFp {
  Width int_width = Width::W32;
  Width fp_width = Width::W32;
  bool is_signed = true;
};

enum class AluOp : uint8_t { Add, Sub, Mul, And, Or, Xor, Shl, ShrS, ShrU, Rotl, Rotr };

// The integer compares of engine/compare_ops.def.
enum class Cond : uint8_t {
#define INT_COMPARE(cond, negated, op, T32, T64) cond,
#include "engine/compare_ops.def"
};

// The condition that holds exactly when `c` does not.
constexpr Cond negate(Cond c) {
  constexpr Cond kNegated[] = {
#define INT_COMPARE(cond, negated, op, T32, T64) Cond::negated,
#include "engine/compare_ops.def"
  };
  return kNegated[uint8_t(c)];
}

// call_indirect and call_ref, inline: the callee from a table element (its bounds, null and
// type checks) or from a function reference (a null check only: validation proved its type),
// then a call of its code when it is a function of the calling instance. Other callees (host
// functions, functions of other instances or of modules the JIT did not compile) go to
// `generic`, which the compiler emits out of line as the helper call; the traps go to their
// stubs.
struct IndirectCall {
  enum class Source : uint8_t { TableElement, Reference };
  Source source = Source::TableElement;
  uint32_t table = 0;  // TableElement: the index in the instance's tables
  // TableElement: the cell of CompiledModule::type_ids holding the canonical type id the element
  // must have, read at run time, not an immediate: ids are per engine and a cached module's code
  // runs in another engine (the cache relocates the cell's address).
  const uint32_t* type_id = nullptr;
  // The arguments, then the element index (an i32) or the reference (a FuncInstance*).
  Slot values;
  uint32_t num_params = 0;  // the arguments' slots
  // This module's code table, JitModule::entries, and its first function's index.
  const std::atomic<const void*>* entries = nullptr;
  uint32_t num_imported_funcs = 0;
  Label undefined_element, type_mismatch;  // TableElement only
  Label null_callee;                       // an uninitialized element, a null reference
  Label generic;
  // return_call_indirect, return_call_ref: the call of same-instance code is a tail call, made
  // as tail_call_direct makes one.
  bool tail = false;
};

// A load or store: access size, and for loads the extension to the destination width (for
// load_fp/store_fp: f32 at W32, f64 at W64).
struct MemAccess {
  uint8_t bytes = 4;
  bool sign_extend = false;
  Width width = Width::W32;
  // Where the memory starts: memory 0's pinned base register, or (multi-memory) a register
  // holding another memory's base, which load_memory_base put there.
  bool base_in_reg = false;
  Reg base = 0;
};

class MacroAssembler {
 public:
  virtual ~MacroAssembler() = default;
  virtual uint32_t num_regs(RegClass c) const = 0;
  // Optional instructions: without them the compiler calls helpers instead.
  virtual bool can_round_fp() const = 0;    // ceil, floor, trunc, nearest
  virtual bool can_count_ones() const = 0;  // popcnt
  // v128 values and SIMD instructions (simd_assembler.h); null where the backend has none yet.
  virtual SimdAssembler* simd() { return nullptr; }

  virtual Label new_label() = 0;
  virtual void bind(Label label) = 0;
  // A line in the listing, when there is one: `tern inspect --native` finds functions by it.
  virtual void comment(const std::string& text) = 0;

  // Function boundaries. begin_function binds `entry`, builds the frame, jumps to
  // `stack_exhausted` when the native stack or the context's call depth is used up, copies
  // the `num_params` arguments to operand slots 0.. and zeroes the other locals up to
  // `num_locals`.
  virtual void begin_function(Label entry, uint32_t num_params, uint32_t num_locals,
                              Label stack_exhausted) = 0;
  // Fixes the frame size once the body is done; returns the frame pointer minus the stack
  // pointer inside the body.
  virtual uint32_t finish_frame(uint32_t operand_slots, uint32_t spare_slots) = 0;
  // The exception handlers of the function just finished (after finish_frame).
  virtual void add_handler_table(uint32_t frame_bytes, std::vector<TryRegionLabels> regions) = 0;
  // Copies `num_results` results from the operand slots from `results` on to the value area,
  // and returns.
  virtual void return_from_function(Slot results, uint32_t num_results) = 0;

  // Moves.
  virtual void load_slot(Reg dst, Slot src) = 0;
  virtual void store_slot(Slot dst, Reg src) = 0;
  virtual void store_slot_imm(Slot dst, uint64_t bits) = 0;
  virtual void copy_slot(Slot dst, Slot src) = 0;
  virtual void mov_imm(Reg dst, uint64_t bits) = 0;
  virtual void mov(Reg dst, Reg src) = 0;
  // Floating-point moves; slots and globals hold the bits as above.
  virtual void load_slot_fp(Reg dst, Slot src) = 0;
  virtual void store_slot_fp(Slot dst, Reg src) = 0;
  virtual void mov_imm_fp(Reg dst, uint64_t bits) = 0;
  virtual void mov_fp(Reg dst, Reg src) = 0;
  virtual void move_to_fp(Reg fp_dst, Reg gp_src) = 0;    // the same 64 bits
  virtual void move_from_fp(Reg gp_dst, Reg fp_src) = 0;  // the same 64 bits

  // Immediates. The compiler passes a constant operand as an immediate only where the backend
  // says it encodes it (else it puts the constant in a register): encodes_imm(op, ...) for
  // alu_imm, encodes_imm(cond, ...) for compare_imm and branch_if_imm. `imm` is the operand's
  // value: at W64 all 64 bits, at W32 the low 32 bits sign-extended (only those 32 count).
  // Shift and rotate counts arrive reduced modulo the width, in [0, 32) or [0, 64). Answers
  // depend on nothing but the arguments.
  virtual bool encodes_imm(AluOp op, Width w, int64_t imm) const = 0;
  virtual bool encodes_imm(Cond c, Width w, int64_t imm) const = 0;

  // Integer arithmetic: dst = lhs op rhs. dst may be lhs, rhs, both or neither; lhs and rhs
  // are left unchanged unless one of them is dst.
  virtual void alu(AluOp op, Width w, Reg dst, Reg lhs, Reg rhs) = 0;
  // dst = lhs op imm, where encodes_imm(op, w, imm); dst may be lhs.
  virtual void alu_imm(AluOp op, Width w, Reg dst, Reg lhs, int64_t imm) = 0;
  // dst = (lhs cond rhs) as 0/1; dst may equal lhs. compare_imm: encodes_imm(c, w, imm).
  virtual void compare(Cond c, Width w, Reg dst, Reg lhs, Reg rhs) = 0;
  virtual void compare_imm(Cond c, Width w, Reg dst, Reg lhs, int64_t imm) = 0;
  virtual void zero_extend_32(Reg r) = 0;  // i64.extend_i32_u, i32.wrap_i64
  // Sign-extends the low `from_bytes` bytes of r to width w (extend8_s, extend_i32_s, ...).
  virtual void sign_extend(uint8_t from_bytes, Width w, Reg r) = 0;
  // dst = dst op src, jumping to `div_by_zero` when src is 0 and to `overflow` for a signed
  // division of the minimum by -1.
  virtual void divide(DivOp op, Width w, Reg dst, Reg src, Label div_by_zero, Label overflow) = 0;
  virtual void count_bits(BitCount op, Width w, Reg r) = 0;  // in place
  // dst = cond != 0 ? dst : other (cond is an i32); dst and other floating-point in select_fp.
  virtual void select(Reg dst, Reg other, Reg cond) = 0;
  virtual void select_fp(Reg dst, Reg other, Reg cond) = 0;

  // Floating-point arithmetic on fp registers (w: W32 = f32, W64 = f64).
  virtual void fp_binary(FpOp op, Width w, Reg dst, Reg src) = 0;  // dst = dst op src
  virtual void fp_unary(FpUnaryOp op, Width w, Reg r) = 0;         // in place
  // dst (general-purpose) = (lhs cond rhs) as 0/1.
  virtual void fp_compare(FpCond c, Width w, Reg dst, Reg lhs, Reg rhs) = 0;
  // f32.demote_f64 (to W32) or f64.promote_f32 (to W64), in place.
  virtual void convert_fp(Width to, Reg r) = 0;
  // fp dst = integer src converted, rounding to nearest.
  virtual void convert_int_to_fp(IntFp c, Reg fp_dst, Reg gp_src) = 0;
  // gp dst = fp src truncated toward zero; jumps to `invalid` for NaN and to `overflow` when
  // the result does not fit. The _sat form saturates instead (NaN gives 0).
  virtual void truncate_fp_to_int(IntFp c, Reg gp_dst, Reg fp_src, Label invalid,
                                  Label overflow) = 0;
  virtual void truncate_fp_to_int_sat(IntFp c, Reg gp_dst, Reg fp_src) = 0;

  // Linear memory (memory 0, or the one at `a.base`) at the 32-bit address in the low half of
  // `addr`, plus `offset` (below 2^32). Every memory lies in a reservation that covers any such
  // address plus offset: an access out of bounds faults and becomes the MemoryOutOfBounds trap.
  virtual void load(MemAccess a, Reg dst, Reg addr, uint64_t offset) = 0;
  virtual void store(MemAccess a, Reg addr, uint64_t offset, Reg value) = 0;
  virtual void load_fp(MemAccess a, Reg fp_dst, Reg addr, uint64_t offset) = 0;
  virtual void store_fp(MemAccess a, Reg addr, uint64_t offset, Reg fp_value) = 0;

  // Multi-memory and memory64 (jit/<isa>/<isa>_memory.cpp).
  // dst = the base of the instance's memory `memory`. A base never moves (a memory grows inside
  // its reservation), so memory.grow leaves it valid.
  virtual void load_memory_base(Reg dst, uint32_t memory) = 0;
  // memory64's explicit check: jumps to `out_of_bounds` unless addr + `end` <= the current byte
  // length of memory `memory`, with `addr` all 64 bits and an addr + end past 2^64 out of
  // bounds too. `end` (the static offset plus the access size) is at most 2^32. Once it
  // passes, addr + offset lies below 4 GiB, so the access above reaches the same byte.
  virtual void check_memory_bounds(uint32_t memory, Reg addr, uint64_t end,
                                   Label out_of_bounds) = 0;

  virtual void load_global(Reg dst, uint32_t index) = 0;
  virtual void store_global(uint32_t index, Reg src) = 0;
  virtual void load_global_fp(Reg fp_dst, uint32_t index) = 0;
  virtual void store_global_fp(uint32_t index, Reg fp_src) = 0;

  // Control.
  virtual void jump(Label target) = 0;
  virtual void branch_if_zero(Reg cond, Label target) = 0;                  // i32 test
  virtual void branch_if_nonzero(Reg cond, Label target) = 0;               // i32 test
  virtual void branch_if_equal(Reg value, uint32_t imm, Label target) = 0;  // i32 compare
  // Jumps to targets[index] when the i32 `index` is below targets.size(), else to `otherwise`:
  // br_table, through a table of 32-bit offsets from the table placed after the jump (position-
  // independent, so the compiled-module cache needs no address site for it), filled in by
  // finish_frame.
  virtual void jump_table(Reg index, std::span<const Label> targets, Label otherwise) = 0;
  // Jumps when `lhs cond rhs` (or `lhs cond imm`, where encodes_imm(c, w, imm)) holds.
  virtual void branch_if(Cond c, Width w, Reg lhs, Reg rhs, Label target) = 0;
  virtual void branch_if_imm(Cond c, Width w, Reg lhs, int64_t imm, Label target) = 0;

  // Calls. Every register is dead across a call (the compiler spills them first).
  virtual void call_direct(Label callee, Slot values) = 0;
  // Calls the code `*entry` points to (a JitModule::entries cell) when it is read.
  virtual void call_entry(const std::atomic<const void*>* entry, Slot values) = 0;
  virtual void call_indirect(const IndirectCall& call) = 0;
  // Tail calls: copy `num_args` arguments from the operand slots from `args` on into this
  // function's own value area (the compiler makes sure they fit: at most as many as its
  // parameters or results), remove the frame as return_from_function does, and jump to the
  // callee with that value area: the callee returns to this function's caller.
  virtual void tail_call_direct(Label callee, Slot args, uint32_t num_args) = 0;
  virtual void tail_call_entry(const std::atomic<const void*>* entry, Slot args,
                               uint32_t num_args) = 0;
  // Calls `fn(ctx, instance, &values, imm)`; its return value lands in `result` if given.
  // First writes the frame pointer and the call's return address to JitContext::exit, where
  // the garbage collector starts its walk of the frames.
  virtual void call_helper(Helper fn, Slot values, uint64_t imm) = 0;
  // The slots that hold GC references at the return address of the call just emitted
  // (call_direct, call_entry, call_indirect, call_helper), for the garbage collector.
  virtual void record_safepoint(std::span<const Slot> gc_slots) = 0;
  virtual void move_helper_result(Reg dst) = 0;
  virtual void branch_if_trap_pending(Label target) = 0;
  virtual void branch_if_interrupted(Label target) = 0;

  // Backtraces (CodeBlock::wasm_offsets): the module byte offset of the wasm instruction the
  // code emitted from now on belongs to (kUnknownWasmOffset: none), and a mark of it at the
  // current position.
  virtual void set_wasm_offset(uint32_t wasm_offset) = 0;
  virtual void mark_wasm_offset() = 0;

  // Out-of-line trap stubs: raise `code` (or the trap a helper left pending) and never return.
  virtual void raise_trap(TrapCode code) = 0;
  virtual void raise_pending_trap() = 0;
  // The same, raised as if from `site` (a label bound just after a call in the body): an
  // exception is looked up in the handlers covering the call, not the stub.
  virtual void raise_pending_trap_at(Label site) = 0;
};

// What a lazy stub calls: compiles defined function `imm` of the instance's module and
// returns its code, or null with a trap pending in `ctx`.
using LazyCompile = const void* (*)(JitContext* ctx, rt::Instance* inst, uint64_t* values,
                                    uint64_t imm);

// A MacroAssembler for one block of code (CodeBlock): the entry trampoline, lazy stubs and
// functions, then placement in executable memory.
class ModuleAssembler : public MacroAssembler {
 public:
  // The trampoline JitModule::Entry points to, and beside it the unwinder's routines
  // JitModule::resume and JitModule::leave_activation.
  virtual void entry_trampoline(Label at, Label resume, Label leave_activation) = 0;
  // A stub that stands for defined function `defined_index` until it is compiled: calls
  // `compile` and continues in the code it returns as if that had been called; jumps to
  // `failed` (with the trap pending) if it returns null.
  virtual void lazy_stub(Label at, uint32_t defined_index, LazyCompile compile, Label failed) = 0;
  // Copies the code into executable memory and fills `out`'s code, function offsets (in
  // begin_function order) and fault sites.
  virtual Result<void> finalize(CodeBlock& out) = 0;
  // The address of a bound label, once finalized.
  virtual const void* address_of(Label label) const = 0;
  // The assembly text so far, when created with logging on (for tests and debugging).
  virtual std::string listing() const = 0;
};

// The target's assembler (x64/ or a64/, whichever is linked in).
// `code_size_hint`: the bytes of native code expected, reserved up front so the buffer is not
// regrown and copied as a large module's code accumulates.
std::unique_ptr<ModuleAssembler> make_module_assembler(bool with_listing,
                                                       size_t code_size_hint = 0);

}  // namespace tern::jit
