// The x86-64 code of each computational SIMD instruction (SimdAssembler::op): SSE4.1 as the
// baseline, VEX three-operand forms where the host has AVX. The plumbing around it (slots,
// registers, constants in memory) is the x64 SimdAssembler's.
#pragma once

#include <asmjit/core.h>
#include <asmjit/x86.h>

#include <cstdint>

#include "engine/opcodes.h"
#include "tern/value.h"

namespace tern::jit {

// 16-byte constants the code reads from memory (masks, NaN patterns, shuffle tables), kept
// beside the code and addressed RIP-relative.
class X64ConstantPool {
 public:
  virtual ~X64ConstantPool() = default;
  virtual asmjit::x86::Mem constant(const V128& bits) = 0;
};

// The registers one SIMD op is emitted with. v128, f32 and f64 operands are xmm registers;
// i32 and i64 operands 64-bit general-purpose registers (an i32 in the low half, the high half
// ignored on input and zero on output). Aliasing follows SimdAssembler::op: dst is srcs[0] (same
// class) or distinct from every source.
struct X64SimdOperands {
  asmjit::x86::Reg dst;
  asmjit::x86::Reg srcs[3];
  uint32_t num_srcs = 0;
  V128 imm;  // byte 0: the lane of extract/replace_lane; i8x16.shuffle: its 16 lane indices
  // A shift by a constant: its count (modulo 64) is imm's byte 0 and srcs holds only the v128.
  bool constant_count = false;
  // Free for the op, distinct from every operand and from each other.
  asmjit::x86::Xmm scratch[2];
  asmjit::x86::Gp gp_scratch;
  bool avx = false;  // the host has AVX: VEX forms may be used
  X64ConstantPool* constants = nullptr;
};

// Whether emit_x64_simd_op compiles `op` (a 0xFD-prefixed opcode other than the memory ones
// and v128.const), given SSE4.1.
bool x64_emits_simd_op(Opcode op);
void emit_x64_simd_op(asmjit::x86::Assembler& as, Opcode op, const X64SimdOperands& o);
// Whether `op` is one of the shifts (i8x16.shl ... i64x2.shr_u), which emit_x64_simd_op also
// compiles with a constant count (X64SimdOperands::constant_count).
bool x64_simd_shift(Opcode op);

}  // namespace tern::jit
