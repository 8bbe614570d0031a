// f32x4 and f64x2 arithmetic, comparisons, rounding, min/max and pmin/pmax on SSE4.1.
//
// NaN results match the interpreter's (engine/numerics.h): the sign ops are pure bit operations;
// the others give a NaN operand quieted, the first one when both are NaN, which is what SSE
// arithmetic does with its first operand on the left.
#include <optional>

#include "jit/x64/x64_simd_emitter.h"

namespace tern::jit::x64_simd {

namespace {

using O = Opcode;
using asmjit::imm;

// cmpps / cmppd predicates (the SSE ones, 0-7).
constexpr uint32_t kCmpEq = 0, kCmpLt = 1, kCmpLe = 2, kCmpUnord = 3, kCmpNeq = 4;

struct FloatInsts {
  VecInst add, min, max, cmp, and_, andn, or_;
};
const FloatInsts kF32{TERN_VEC(Addps, addps), TERN_VEC(Minps, minps), TERN_VEC(Maxps, maxps),
                      TERN_VEC(Cmpps, cmpps), TERN_VEC(Andps, andps), TERN_VEC(Andnps, andnps),
                      TERN_VEC(Orps, orps)};
const FloatInsts kF64{TERN_VEC(Addpd, addpd), TERN_VEC(Minpd, minpd), TERN_VEC(Maxpd, maxpd),
                      TERN_VEC(Cmppd, cmppd), TERN_VEC(Andpd, andpd), TERN_VEC(Andnpd, andnpd),
                      TERN_VEC(Orpd, orpd)};

std::optional<VecInst> single_instruction(Opcode op) {
  switch (op) {
    case O::F32x4Add:
      return TERN_VEC(Addps, addps);
    case O::F64x2Add:
      return TERN_VEC(Addpd, addpd);
    case O::F32x4Sub:
      return TERN_VEC(Subps, subps);
    case O::F64x2Sub:
      return TERN_VEC(Subpd, subpd);
    case O::F32x4Mul:
      return TERN_VEC(Mulps, mulps);
    case O::F64x2Mul:
      return TERN_VEC(Mulpd, mulpd);
    case O::F32x4Div:
      return TERN_VEC(Divps, divps);
    case O::F64x2Div:
      return TERN_VEC(Divpd, divpd);
    default:
      return std::nullopt;
  }
}

// min/max as wasm wants them. minps(x, y) returns y when either is NaN and when x == y (so for
// ±0 too): computing it both ways round and OR-ing the results (AND for max) gives -0 for
// min(-0, +0) (+0 for max) and the right value elsewhere. NaN lanes then take a + b, which is
// the first NaN operand quieted.
void min_max(SimdEmitter& e, const FloatInsts& k, bool is_min) {
  Xmm d = e.d(), a = e.x(0), b = e.x(1), t0 = e.t0(), t1 = e.t1();
  VecInst inst = is_min ? k.min : k.max;
  e.v(inst, t0, a, b);
  e.v(inst, t1, b, a);
  e.v(is_min ? k.or_ : k.and_, t0, t0, t1);
  e.v(k.cmp, t1, a, b, kCmpUnord);
  e.v(k.add, d, a, b);
  e.v(k.and_, d, d, t1);
  e.v(k.andn, t1, t1, t0);
  e.v(k.or_, d, d, t1);
}

// pmin(a, b) = b < a ? b : a and pmax(a, b) = a < b ? b : a: exactly minps / maxps with b first
// (they return their second operand for NaNs and equal lanes).
void pmin_pmax(SimdEmitter& e, const FloatInsts& k, bool is_min) {
  e.v_into_second(is_min ? k.min : k.max, e.d(), e.x(1), e.x(0));
}

void compare(SimdEmitter& e, const FloatInsts& k, Opcode op) {
  Xmm d = e.d(), a = e.x(0), b = e.x(1);
  switch (op) {
    case O::F32x4Eq:
    case O::F64x2Eq:
      return e.v(k.cmp, d, a, b, kCmpEq);
    case O::F32x4Ne:
    case O::F64x2Ne:
      return e.v(k.cmp, d, a, b, kCmpNeq);  // true for NaNs, as wasm's ne
    case O::F32x4Lt:
    case O::F64x2Lt:
      return e.v(k.cmp, d, a, b, kCmpLt);
    case O::F32x4Le:
    case O::F64x2Le:
      return e.v(k.cmp, d, a, b, kCmpLe);
    case O::F32x4Gt:
    case O::F64x2Gt:
      return e.v_into_second(k.cmp, d, b, a, kCmpLt);
    default:
      return e.v_into_second(k.cmp, d, b, a, kCmpLe);  // ge
  }
}

bool is_compare(Opcode op) {
  return (op >= O::F32x4Eq && op <= O::F32x4Ge) || (op >= O::F64x2Eq && op <= O::F64x2Ge);
}

// SSE4.1 rounding-control immediates: nearest-even, down, up, toward zero; bit 3 suppresses the
// inexact exception. A NaN comes out quieted, signs of zero are kept.
void round(SimdEmitter& e, Opcode op) {
  uint32_t mode;
  switch (op) {
    case O::F32x4Nearest:
    case O::F64x2Nearest:
      mode = 0;
      break;
    case O::F32x4Floor:
    case O::F64x2Floor:
      mode = 1;
      break;
    case O::F32x4Ceil:
    case O::F64x2Ceil:
      mode = 2;
      break;
    default:
      mode = 3;
      break;
  }
  bool f32 =
      op == O::F32x4Nearest || op == O::F32x4Floor || op == O::F32x4Ceil || op == O::F32x4Trunc;
  f32 ? e.as.roundps(e.d(), e.x(0), imm(mode | 8)) : e.as.roundpd(e.d(), e.x(0), imm(mode | 8));
}

}  // namespace

bool emit_float_op(SimdEmitter& e, Opcode op) {
  Xmm d = e.d(), a = e.x(0);
  if (auto inst = single_instruction(op)) {
    e.v(*inst, d, a, e.x(1));
    return true;
  }
  if (is_compare(op)) {
    compare(e, op <= O::F32x4Ge ? kF32 : kF64, op);
    return true;
  }
  switch (op) {
    // The sign operations touch the sign bit only (NaN payloads pass through).
    case O::F32x4Abs:
      e.v(TERN_VEC(Andps, andps), d, a, e.splat32(0x7FFF'FFFF));
      return true;
    case O::F64x2Abs:
      e.v(TERN_VEC(Andpd, andpd), d, a, e.splat64(~(uint64_t(1) << 63)));
      return true;
    case O::F32x4Neg:
      e.v(TERN_VEC(Xorps, xorps), d, a, e.splat32(0x8000'0000));
      return true;
    case O::F64x2Neg:
      e.v(TERN_VEC(Xorpd, xorpd), d, a, e.splat64(uint64_t(1) << 63));
      return true;
    case O::F32x4Sqrt:
      e.as.sqrtps(d, a);
      return true;
    case O::F64x2Sqrt:
      e.as.sqrtpd(d, a);
      return true;
    case O::F32x4Ceil:
    case O::F32x4Floor:
    case O::F32x4Trunc:
    case O::F32x4Nearest:
    case O::F64x2Ceil:
    case O::F64x2Floor:
    case O::F64x2Trunc:
    case O::F64x2Nearest:
      round(e, op);
      return true;
    case O::F32x4Min:
      min_max(e, kF32, true);
      return true;
    case O::F32x4Max:
      min_max(e, kF32, false);
      return true;
    case O::F64x2Min:
      min_max(e, kF64, true);
      return true;
    case O::F64x2Max:
      min_max(e, kF64, false);
      return true;
    case O::F32x4Pmin:
      pmin_pmax(e, kF32, true);
      return true;
    case O::F32x4Pmax:
      pmin_pmax(e, kF32, false);
      return true;
    case O::F64x2Pmin:
      pmin_pmax(e, kF64, true);
      return true;
    case O::F64x2Pmax:
      pmin_pmax(e, kF64, false);
      return true;
    default:
      return false;
  }
}

}  // namespace tern::jit::x64_simd
