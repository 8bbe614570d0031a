// Integer lane comparisons. SSE has eq and signed gt; lt swaps the operands, le/ge compare with
// the lane-wise min/max (which exist unsigned too), ne and the unsigned gt/lt negate those.
// i64x2 gt has no instruction before SSE4.2 (pcmpgtq): it is built from 32-bit compares.
#include "jit/x64/x64_simd_emitter.h"

namespace tern::jit::x64_simd {

namespace {

using O = Opcode;
using asmjit::imm;

enum class Cmp { Eq, Ne, LtS, LtU, GtS, GtU, LeS, LeU, GeS, GeU };

struct LaneInsts {
  VecInst eq, gt_s, min_s, min_u, max_s, max_u;
};
const LaneInsts kI8{TERN_VEC(Pcmpeqb, pcmpeqb), TERN_VEC(Pcmpgtb, pcmpgtb),
                    TERN_VEC(Pminsb, pminsb),   TERN_VEC(Pminub, pminub),
                    TERN_VEC(Pmaxsb, pmaxsb),   TERN_VEC(Pmaxub, pmaxub)};
const LaneInsts kI16{TERN_VEC(Pcmpeqw, pcmpeqw), TERN_VEC(Pcmpgtw, pcmpgtw),
                     TERN_VEC(Pminsw, pminsw),   TERN_VEC(Pminuw, pminuw),
                     TERN_VEC(Pmaxsw, pmaxsw),   TERN_VEC(Pmaxuw, pmaxuw)};
const LaneInsts kI32{TERN_VEC(Pcmpeqd, pcmpeqd), TERN_VEC(Pcmpgtd, pcmpgtd),
                     TERN_VEC(Pminsd, pminsd),   TERN_VEC(Pminud, pminud),
                     TERN_VEC(Pmaxsd, pmaxsd),   TERN_VEC(Pmaxud, pmaxud)};

// The lane width (1, 2, 4, 8 bytes) and condition of an integer compare; width 0 if `op` is not.
struct Compare {
  int width = 0;
  Cmp cmp = Cmp::Eq;
};
Compare compare_of(Opcode op) {
  constexpr Cmp kOrder[] = {Cmp::Eq,  Cmp::Ne,  Cmp::LtS, Cmp::LtU, Cmp::GtS,
                            Cmp::GtU, Cmp::LeS, Cmp::LeU, Cmp::GeS, Cmp::GeU};
  // i8x16, i16x8 and i32x4 list eq ... ge_u consecutively in opcodes.def.
  if (op >= O::I8x16Eq && op <= O::I8x16GeU) return {1, kOrder[int(op) - int(O::I8x16Eq)]};
  if (op >= O::I16x8Eq && op <= O::I16x8GeU) return {2, kOrder[int(op) - int(O::I16x8Eq)]};
  if (op >= O::I32x4Eq && op <= O::I32x4GeU) return {4, kOrder[int(op) - int(O::I32x4Eq)]};
  switch (op) {
    case O::I64x2Eq:
      return {8, Cmp::Eq};
    case O::I64x2Ne:
      return {8, Cmp::Ne};
    case O::I64x2LtS:
      return {8, Cmp::LtS};
    case O::I64x2GtS:
      return {8, Cmp::GtS};
    case O::I64x2LeS:
      return {8, Cmp::LeS};
    case O::I64x2GeS:
      return {8, Cmp::GeS};
    default:
      return {};
  }
}

void negate(SimdEmitter& e, const Xmm& r, const Xmm& scratch) {
  e.all_ones(scratch);
  e.v(TERN_VEC(Pxor, pxor), r, r, scratch);
}

// dst = a > b on signed 64-bit lanes (dst may be a or b). Where the high dwords differ, their
// signed compare decides; where they are equal, the borrow of b - a does (b - a is then negative
// exactly when a_lo > b_lo unsigned, and its high dword all-ones or zero).
void i64_gt_s(SimdEmitter& e, const Xmm& dst, const Xmm& a, const Xmm& b) {
  Xmm t0 = e.t0(), t1 = e.t1();
  if (e.avx()) {  // every AVX host has SSE4.2's pcmpgtq
    e.as.vpcmpgtq(dst, a, b);
    return;
  }
  e.v(TERN_VEC(Psubq, psubq), t0, b, a);
  e.v(TERN_VEC(Pcmpeqd, pcmpeqd), t1, a, b);
  e.v(TERN_VEC(Pand, pand), t0, t0, t1);
  e.v(TERN_VEC(Pcmpgtd, pcmpgtd), t1, a, b);
  e.v(TERN_VEC(Por, por), t0, t0, t1);
  e.as.pshufd(dst, t0, imm(0xF5));  // each high dword to both halves of its lane
}

void i64_compare(SimdEmitter& e, Cmp cmp) {
  Xmm d = e.d(), a = e.x(0), b = e.x(1);
  switch (cmp) {
    case Cmp::Eq:
      return e.v(TERN_VEC(Pcmpeqq, pcmpeqq), d, a, b);
    case Cmp::Ne:
      e.v(TERN_VEC(Pcmpeqq, pcmpeqq), d, a, b);
      return negate(e, d, e.t0());
    case Cmp::GtS:
      return i64_gt_s(e, d, a, b);
    case Cmp::LtS:
      return i64_gt_s(e, d, b, a);
    case Cmp::LeS:
      i64_gt_s(e, d, a, b);
      return negate(e, d, e.t0());
    default:  // GeS
      i64_gt_s(e, d, b, a);
      return negate(e, d, e.t0());
  }
}

void compare(SimdEmitter& e, const LaneInsts& k, Cmp cmp) {
  Xmm d = e.d(), a = e.x(0), b = e.x(1), t0 = e.t0(), t1 = e.t1();
  // a <= b exactly when min(a, b) == a; a >= b when max(a, b) == a.
  auto min_max_eq = [&](VecInst min_or_max) {
    e.v(min_or_max, t0, a, b);
    e.v(k.eq, t0, t0, a);
  };
  switch (cmp) {
    case Cmp::Eq:
      return e.v(k.eq, d, a, b);
    case Cmp::Ne:
      e.v(k.eq, d, a, b);
      return negate(e, d, t0);
    case Cmp::GtS:
      return e.v(k.gt_s, d, a, b);
    case Cmp::LtS:
      return e.v_into_second(k.gt_s, d, b, a);
    case Cmp::LeS:
      min_max_eq(k.min_s);
      break;
    case Cmp::LeU:
      min_max_eq(k.min_u);
      break;
    case Cmp::GeS:
      min_max_eq(k.max_s);
      break;
    case Cmp::GeU:
      min_max_eq(k.max_u);
      break;
    case Cmp::GtU:
      min_max_eq(k.min_u);
      negate(e, t0, t1);
      break;
    case Cmp::LtU:
      min_max_eq(k.max_u);
      negate(e, t0, t1);
      break;
  }
  e.mov(d, t0);
}

}  // namespace

bool emit_int_compare(SimdEmitter& e, Opcode op) {
  Compare c = compare_of(op);
  switch (c.width) {
    case 1:
      compare(e, kI8, c.cmp);
      return true;
    case 2:
      compare(e, kI16, c.cmp);
      return true;
    case 4:
      compare(e, kI32, c.cmp);
      return true;
    case 8:
      i64_compare(e, c.cmp);
      return true;
    default:
      return false;
  }
}

}  // namespace tern::jit::x64_simd
