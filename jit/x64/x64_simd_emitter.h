// What the x64 SIMD op families (x64_simd_int.cpp, x64_simd_float.cpp, x64_simd_lanes.cpp,
// x64_simd_relaxed.cpp) share: the operands of one op and three-operand helpers that emit the
// VEX form when the host has AVX and a move plus the destructive SSE form otherwise, so each
// op's code is written once.
#pragma once

#include <asmjit/core.h>
#include <asmjit/x86.h>

#include <cstdint>

#include "engine/opcodes.h"
#include "jit/x64/x64_simd_ops.h"
#include "tern/value.h"

namespace tern::jit::x64_simd {

using asmjit::x86::Gp;
using asmjit::x86::Mem;
using asmjit::x86::Xmm;

// An SSE instruction and its VEX counterpart (same operation, non-destructive destination).
struct VecInst {
  asmjit::InstId sse;
  asmjit::InstId vex;
};
// TERN_VEC(Paddb, paddb): asmjit's ids kIdPaddb and kIdVpaddb.
#define TERN_VEC(Name, name)                                    \
  ::tern::jit::x64_simd::VecInst {                              \
    asmjit::x86::Inst::kId##Name, asmjit::x86::Inst::kIdV##name \
  }

class SimdEmitter {
 public:
  SimdEmitter(asmjit::x86::Assembler& as, const X64SimdOperands& o) : as(as), o_(o) {}

  asmjit::x86::Assembler& as;

  Xmm d() const { return o_.dst.as<Xmm>(); }
  Gp gd() const { return o_.dst.as<Gp>(); }
  Xmm x(int i) const { return o_.srcs[i].as<Xmm>(); }
  Gp g(int i) const { return o_.srcs[i].as<Gp>(); }
  Xmm t0() const { return o_.scratch[0]; }
  Xmm t1() const { return o_.scratch[1]; }
  Gp gt() const { return o_.gp_scratch; }
  uint8_t lane() const { return o_.imm.bytes[0]; }  // also a constant shift count
  bool constant_count() const { return o_.constant_count; }
  const V128& imm() const { return o_.imm; }
  bool avx() const { return o_.avx; }

  // 16-byte constants: given bits, or one lane value repeated.
  Mem constant(const V128& bits) const { return o_.constants->constant(bits); }
  Mem splat8(uint8_t v) const;
  Mem splat16(uint16_t v) const;
  Mem splat32(uint32_t v) const;
  Mem splat64(uint64_t v) const;
  Mem splat_f32(float v) const;
  Mem splat_f64(double v) const;

  void mov(const Xmm& dst, const Xmm& src) {
    if (dst != src) as.movaps(dst, src);
  }
  void mov(const Xmm& dst, const Mem& src) { as.movaps(dst, src); }
  void all_ones(const Xmm& r) { as.pcmpeqd(r, r); }
  void zero(const Xmm& r) { as.xorps(r, r); }

  // dst = a OP b. dst may be a; otherwise it must not be b (the SSE form moves a into dst first).
  void v(VecInst i, const Xmm& dst, const Xmm& a, const asmjit::Operand_& b);
  // The same with an immediate after the operands (cmpps, shufps, insertps, pinsr*).
  void v(VecInst i, const Xmm& dst, const Xmm& a, const asmjit::Operand_& b, uint32_t imm);
  // dst = a OP b where dst may be b: through scratch 0 on SSE when it is.
  void v_into_second(VecInst i, const Xmm& dst, const Xmm& a, const Xmm& b);
  void v_into_second(VecInst i, const Xmm& dst, const Xmm& a, const Xmm& b, uint32_t imm);

 private:
  const X64SimdOperands& o_;
};

// The families: each emits `op` and returns true, or returns false (emitting nothing) when
// `op` is not one of its own.
bool emit_int_op(SimdEmitter& e, Opcode op);
bool emit_int_compare(SimdEmitter& e, Opcode op);
bool emit_float_op(SimdEmitter& e, Opcode op);
bool emit_conversion(SimdEmitter& e, Opcode op);
bool emit_lane_op(SimdEmitter& e, Opcode op);
bool emit_relaxed_op(SimdEmitter& e, Opcode op);

}  // namespace tern::jit::x64_simd
