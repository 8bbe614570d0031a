// Relaxed SIMD. Tern gives every relaxed instruction one deterministic result on every tier
// (engine/interp/simd.cpp, docs/conformance.md): most are their 2.0 counterparts; madd/nmadd
// round twice (no FMA, whatever the host has) and the i8x16 dots treat both operands as signed.
#include "jit/x64/x64_simd_emitter.h"

namespace tern::jit::x64_simd {

namespace {

using O = Opcode;
using asmjit::imm;

// Lane i: the saturated sum of the products of signed byte lanes 2i and 2i+1. Each half is
// widened to words and multiplied and pair-added by pmaddwd (exact in 32 bits); packssdw then
// saturates the sums to 16 bits. The result is left in scratch 0.
void dot_i8x16_i7x16_to_t0(SimdEmitter& e) {
  Xmm d = e.d(), a = e.x(0), b = e.x(1), t0 = e.t0(), t1 = e.t1();
  e.as.pmovsxbw(t0, a);
  e.as.pmovsxbw(t1, b);
  e.v(TERN_VEC(Pmaddwd, pmaddwd), t0, t0, t1);
  e.as.pshufd(t1, a, imm(0xEE));
  e.as.pmovsxbw(t1, t1);
  // dst is free now: a was read for the last time above, and dst is a or no source at all.
  e.as.pshufd(d, b, imm(0xEE));
  e.as.pmovsxbw(d, d);
  e.v(TERN_VEC(Pmaddwd, pmaddwd), d, d, t1);
  e.v(TERN_VEC(Packssdw, packssdw), t0, t0, d);
}

// a * b + c rounded after the multiply and after the add; nmadd negates a first.
void madd(SimdEmitter& e, bool f32, bool negate) {
  Xmm t0 = e.t0();
  Xmm a = e.x(0);
  if (negate) {
    if (f32)
      e.v(TERN_VEC(Xorps, xorps), t0, a, e.splat32(0x8000'0000));
    else
      e.v(TERN_VEC(Xorpd, xorpd), t0, a, e.splat64(uint64_t(1) << 63));
    a = t0;
  }
  e.v(f32 ? TERN_VEC(Mulps, mulps) : TERN_VEC(Mulpd, mulpd), t0, a, e.x(1));
  e.v(f32 ? TERN_VEC(Addps, addps) : TERN_VEC(Addpd, addpd), e.d(), t0, e.x(2));
}

}  // namespace

bool emit_relaxed_op(SimdEmitter& e, Opcode op) {
  switch (op) {
    case O::F32x4RelaxedMadd:
      madd(e, true, false);
      return true;
    case O::F32x4RelaxedNmadd:
      madd(e, true, true);
      return true;
    case O::F64x2RelaxedMadd:
      madd(e, false, false);
      return true;
    case O::F64x2RelaxedNmadd:
      madd(e, false, true);
      return true;
    case O::I16x8RelaxedDotI8x16I7x16S:
      dot_i8x16_i7x16_to_t0(e);
      e.mov(e.d(), e.t0());
      return true;
    case O::I32x4RelaxedDotI8x16I7x16AddS:
      // The i16 dot's lane pairs added into i32 lanes, then c (wrapping).
      dot_i8x16_i7x16_to_t0(e);
      e.v(TERN_VEC(Pmaddwd, pmaddwd), e.t0(), e.t0(), e.splat16(1));
      e.v(TERN_VEC(Paddd, paddd), e.d(), e.t0(), e.x(2));
      return true;
    default:
      return false;
  }
}

}  // namespace tern::jit::x64_simd
