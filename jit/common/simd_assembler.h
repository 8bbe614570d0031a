// The SIMD part of the instruction-set boundary (masm.h): what FuncCompiler needs from a target
// to compile v128 values and the SIMD instructions of Wasm 2.0 and relaxed SIMD inline.
//
// The frame model adds one rule to masm.h's: a v128 value lives in a floating-point register
// (the whole 128-bit register: an xmm register, a NEON q register) or in two consecutive
// operand slots (Slot s covers s.index and s.index + 1; 16 bytes, lane 0 at the lowest
// address), which is the value-area layout of engine/runtime/slots.h. Reg is an index into the
// Fp class, as for f32/f64.
//
// Lane semantics are engine/interp/simd.h's: every op there computes exactly what the
// interpreter computes, relaxed ops included (docs/conformance.md names the choices).
#pragma once

#include <cstdint>
#include <span>

#include "engine/opcodes.h"
#include "tern/value.h"

namespace tern::jit {

struct Slot;
struct MemAccess;
using Reg = uint8_t;

class SimdAssembler {
 public:
  virtual ~SimdAssembler() = default;

  // Moves of whole v128 values.
  virtual void load_slot(Reg dst, Slot src) = 0;
  virtual void store_slot(Slot dst, Reg src) = 0;
  virtual void mov(Reg dst, Reg src) = 0;
  virtual void mov_imm(Reg dst, const V128& bits) = 0;  // v128.const
  virtual void load_global(Reg dst, uint32_t index) = 0;
  virtual void store_global(uint32_t index, Reg src) = 0;
  // dst = cond != 0 ? dst : other; cond is a general-purpose register holding an i32.
  virtual void select(Reg dst, Reg other, Reg cond) = 0;

  // Every SIMD instruction that does not touch memory and is not v128.const. `srcs` are the
  // operands in Wasm order: v128, f32 and f64 operands in Fp registers, i32 and i64 operands in
  // general-purpose registers; `dst` is in the class of the result type. `dst` is either
  // srcs[0] (when both are of one class) or distinct from every source; sources are left
  // unchanged unless one is dst. `imm`: byte 0 is the lane of extract_lane and replace_lane;
  // for i8x16.shuffle all 16 bytes are its lane indices.
  virtual void op(Opcode op, Reg dst, std::span<const Reg> srcs, const V128& imm) = 0;
  // A shift (i8x16.shl ... i64x2.shr_u) of `src` by the constant `count` (taken modulo the lane
  // width, as by op()), dst being src or distinct from it. Returns false, emitting nothing, when
  // the backend has no better code for it than op() with the count in a register.
  virtual bool shift_by_constant(Opcode /*op*/, Reg /*dst*/, Reg /*src*/, uint32_t /*count*/) {
    return false;
  }

  // v128 loads and stores, every form: v128.load, the extending, splat and zero loads,
  // load_lane and store_lane, addressed as MacroAssembler::load and store are (`a` says which
  // memory; its width and size fields are not used: the opcode says them). `lane_src` is
  // load_lane's v128 operand (dst may equal it; other loads ignore it); `lane` is the lane of
  // load_lane and store_lane. Out-of-bounds accesses fault as the scalar ones do. A store
  // leaves `value` unchanged (it may be a cached local's register).
  virtual void load(Opcode op, const MemAccess& a, Reg dst, Reg addr, uint64_t offset, Reg lane_src,
                    uint8_t lane) = 0;
  virtual void store(Opcode op, const MemAccess& a, Reg addr, uint64_t offset, Reg value,
                     uint8_t lane) = 0;
};

// Whether the linked backend compiles `op` (a 0xFD-prefixed opcode) inline on this host. A
// module using an op it does not is refused by the JIT, with a message naming the op, and runs
// on the interpreter under Tier::Auto. It is true for every op or for none once a backend is
// complete; none on an x86-64 host without SSE4.1.
bool backend_compiles_simd(Opcode op);

}  // namespace tern::jit
