// The instruction-set boundary of the baseline JIT: everything the single-pass compiler
// (func_compiler.cpp) needs from a target, in target-neutral terms. x64/ implements it on
// asmjit's x86 assembler; an AArch64 backend implements the same interface.
//
// The frame model every backend provides:
//  - Values are 64-bit: i32/f32 in the low half (the high half is ignored), i64/f64/references
//    in full. A `Reg` is an index into the backend's allocatable registers, [0, num_regs()).
//  - A frame has operand slots (`Slot::Kind::Operand`, locals first, then the operand stack)
//    and spare slots (`Slot::Kind::Spare`, scratch the compiler allocates). Both counts are only
//    known at the end of the body: displacements must not depend on them, and finish_frame()
//    fixes the frame size afterwards.
//  - A function is entered with a pointer to a value area holding its arguments (value i at
//    8*i bytes); it leaves its results in the same area. A direct call passes a run of the
//    caller's operand slots as that area.
//  - Context, instance, memory base and globals live in pinned registers the backend manages.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "engine/opcodes.h"
#include "jit/common/runtime.h"
#include "tern/error.h"

namespace tern::jit {

using Reg = uint8_t;

struct Label {
  uint32_t id = 0;
};

struct Slot {
  enum class Kind : uint8_t { Operand, Spare };
  Kind kind = Kind::Operand;
  uint32_t index = 0;
};

enum class Width : uint8_t { W32, W64 };

enum class AluOp : uint8_t { Add, Sub, Mul, And, Or, Xor, Shl, ShrS, ShrU, Rotl, Rotr };

enum class Cond : uint8_t { Eq, Ne, LtS, LtU, GtS, GtU, LeS, LeU, GeS, GeU };

// A load or store: access size, and for loads the extension to the destination width.
struct MemAccess {
  uint8_t bytes = 4;
  bool sign_extend = false;
  Width width = Width::W32;
};

class MacroAssembler {
 public:
  virtual ~MacroAssembler() = default;
  virtual uint32_t num_regs() const = 0;

  virtual Label new_label() = 0;
  virtual void bind(Label label) = 0;

  // Function boundaries. begin_function binds `entry`, builds the frame and jumps to
  // `stack_exhausted` when the native stack or the context's call depth is used up.
  virtual void begin_function(Label entry, uint32_t defined_index, Label stack_exhausted) = 0;
  // Fixes the frame size once the body is done.
  virtual void finish_frame(uint32_t operand_slots, uint32_t spare_slots) = 0;
  virtual void load_param(Reg dst, uint32_t index) = 0;    // from the value area
  virtual void store_result(uint32_t index, Reg src) = 0;  // to the value area
  virtual void return_from_function() = 0;

  // Moves.
  virtual void load_slot(Reg dst, Slot src) = 0;
  virtual void store_slot(Slot dst, Reg src) = 0;
  virtual void store_slot_imm(Slot dst, uint64_t bits) = 0;
  virtual void copy_slot(Slot dst, Slot src) = 0;
  virtual void mov_imm(Reg dst, uint64_t bits) = 0;
  virtual void mov(Reg dst, Reg src) = 0;

  // Integer arithmetic: dst = dst op src.
  virtual void alu(AluOp op, Width w, Reg dst, Reg src) = 0;
  virtual void alu_imm(AluOp op, Width w, Reg dst, int32_t imm) = 0;
  // dst = (lhs cond rhs) as 0/1; dst may equal lhs.
  virtual void compare(Cond c, Width w, Reg dst, Reg lhs, Reg rhs) = 0;
  virtual void compare_imm(Cond c, Width w, Reg dst, Reg lhs, int32_t imm) = 0;
  virtual void zero_extend_32(Reg r) = 0;  // i64.extend_i32_u, i32.wrap_i64
  virtual void sign_extend_32(Reg r) = 0;  // i64.extend_i32_s
  // dst = cond != 0 ? dst : other (cond is an i32).
  virtual void select(Reg dst, Reg other, Reg cond) = 0;

  // Linear memory 0 at the 32-bit address in `addr`, plus `offset`. An access out of bounds
  // faults and becomes the MemoryOutOfBounds trap.
  virtual void load(MemAccess a, Reg dst, Reg addr, uint64_t offset) = 0;
  virtual void store(MemAccess a, Reg addr, uint64_t offset, Reg value) = 0;

  virtual void load_global(Reg dst, uint32_t index) = 0;
  virtual void store_global(uint32_t index, Reg src) = 0;

  // Control.
  virtual void jump(Label target) = 0;
  virtual void branch_if_zero(Reg cond, Label target) = 0;                  // i32 test
  virtual void branch_if_nonzero(Reg cond, Label target) = 0;               // i32 test
  virtual void branch_if_equal(Reg value, uint32_t imm, Label target) = 0;  // i32 compare

  // Calls. Every register is dead across a call (the compiler spills them first).
  virtual void call_direct(Label callee, Slot values) = 0;
  // Calls `fn(ctx, instance, &values, imm)`; its return value lands in `result` if given.
  virtual void call_helper(Helper fn, Slot values, uint64_t imm) = 0;
  virtual void move_helper_result(Reg dst) = 0;
  virtual void branch_if_trap_pending(Label target) = 0;
  virtual void branch_if_interrupted(Label target) = 0;

  // Out-of-line trap stubs: raise `code` (or the trap a helper left pending) and never return.
  virtual void raise_trap(TrapCode code) = 0;
  virtual void raise_pending_trap() = 0;
};

// A MacroAssembler for a whole module: the entry trampoline first, then every function, then
// placement in executable memory.
class ModuleAssembler : public MacroAssembler {
 public:
  // Copies the code into executable memory and fills `out`'s code, entry, function offsets
  // (in begin_function order) and fault sites.
  virtual Result<void> finalize(JitModule& out) = 0;
  // The assembly text so far, when created with logging on (for tests and debugging).
  virtual std::string listing() const = 0;
};

// The target's assembler (x64/ or a64/, whichever is linked in).
std::unique_ptr<ModuleAssembler> make_module_assembler(bool with_listing);

}  // namespace tern::jit
