// Conversions between float and integer lanes and between f32 and f64. SSE converts signed
// 32-bit integers only, and its truncations give 0x80000000 for NaN and every out-of-range
// lane: the unsigned forms and the saturation (NaN -> 0, out of range -> the nearest bound) are
// built around that.
#include "jit/x64/x64_simd_emitter.h"

namespace tern::jit::x64_simd {

namespace {

using O = Opcode;
using asmjit::imm;

constexpr uint32_t kCmpEq = 0, kCmpNlt = 5;
constexpr double kTwoPow52 = 4503599627370496.0;

// NaN lanes are zeroed before cvttps2dq; afterwards the lanes that overflowed upwards (positive
// input, 0x80000000 result) are flipped to 0x7FFFFFFF. Negative overflow is already INT32_MIN.
void f32_to_i32_sat(SimdEmitter& e) {
  Xmm d = e.d(), a = e.x(0), t0 = e.t0(), t1 = e.t1();
  e.v(TERN_VEC(Cmpps, cmpps), t0, a, a, kCmpEq);  // all-ones where not NaN
  e.v(TERN_VEC(Andps, andps), t1, a, t0);
  e.v(TERN_VEC(Pxor, pxor), t0, t0, t1);  // sign bit set where the input is >= +0
  e.as.cvttps2dq(d, t1);
  e.v(TERN_VEC(Pand, pand), t0, t0, d);
  e.v(TERN_VEC(Psrad, psrad), t0, t0, imm(31));
  e.v(TERN_VEC(Pxor, pxor), d, d, t0);
}

// Clamp NaN and negatives to +0 (maxps returns its second operand for NaN). Lanes below 2^31
// convert directly; from 2^31 on, cvttps2dq gives 0x80000000 and x - 2^31 converted is added;
// from 2^32 on, that part saturates to 0x7FFFFFFF so the sum is UINT32_MAX.
void f32_to_u32_sat(SimdEmitter& e) {
  Xmm d = e.d(), a = e.x(0), t0 = e.t0(), t1 = e.t1();
  e.zero(t0);
  e.v(TERN_VEC(Maxps, maxps), t1, a, t0);
  e.v(TERN_VEC(Subps, subps), t0, t1, e.splat_f32(2147483648.0f));
  e.v(TERN_VEC(Cmpps, cmpps), d, t0, e.splat_f32(2147483648.0f), kCmpNlt);  // x >= 2^32
  e.as.cvttps2dq(t0, t0);
  e.v(TERN_VEC(Pxor, pxor), t0, t0, d);
  e.zero(d);
  e.v(TERN_VEC(Pmaxsd, pmaxsd), t0, t0, d);  // lanes below 2^31 add nothing
  e.as.cvttps2dq(d, t1);
  e.v(TERN_VEC(Paddd, paddd), d, d, t0);
}

// NaN lanes become 0 and the rest are clamped to INT32_MAX before truncating; cvttpd2dq gives
// INT32_MIN for what is below and zeroes the upper two lanes.
void f64_to_i32_sat_zero(SimdEmitter& e) {
  Xmm d = e.d(), a = e.x(0), t0 = e.t0();
  e.v(TERN_VEC(Cmppd, cmppd), t0, a, a, kCmpEq);
  e.v(TERN_VEC(Andpd, andpd), t0, t0, e.splat_f64(2147483647.0));
  e.v(TERN_VEC(Minpd, minpd), d, a, t0);  // minpd returns its second operand (0) for NaN
  e.as.cvttpd2dq(d, d);
}

// Clamp to [0, UINT32_MAX] (NaN to 0), truncate, then add 2^52: the low dword of each double is
// the integer, and shufps gathers the two into lanes 0 and 1 beside zeros.
void f64_to_u32_sat_zero(SimdEmitter& e) {
  Xmm d = e.d(), a = e.x(0), t0 = e.t0();
  e.zero(t0);
  e.v(TERN_VEC(Maxpd, maxpd), d, a, t0);
  e.v(TERN_VEC(Minpd, minpd), d, d, e.splat_f64(4294967295.0));
  e.as.roundpd(d, d, imm(3 | 8));
  e.v(TERN_VEC(Addpd, addpd), d, d, e.splat_f64(kTwoPow52));
  e.v(TERN_VEC(Shufps, shufps), d, d, t0, 0x88);
}

// The low 16 bits and the rest convert exactly; one addition rounds the sum once. The high part
// is halved first so that it converts as a signed integer, then doubled (exactly).
void u32_to_f32(SimdEmitter& e) {
  Xmm d = e.d(), a = e.x(0), t0 = e.t0(), t1 = e.t1();
  e.v(TERN_VEC(Pslld, pslld), t0, a, imm(16));
  e.v(TERN_VEC(Psrld, psrld), t0, t0, imm(16));
  e.v(TERN_VEC(Psubd, psubd), t1, a, t0);
  e.as.cvtdq2ps(t0, t0);
  e.v(TERN_VEC(Psrld, psrld), t1, t1, imm(1));
  e.as.cvtdq2ps(t1, t1);
  e.v(TERN_VEC(Addps, addps), t1, t1, t1);
  e.v(TERN_VEC(Addps, addps), d, t1, t0);
}

}  // namespace

bool emit_conversion(SimdEmitter& e, Opcode op) {
  Xmm d = e.d(), a = e.x(0);
  switch (op) {
    case O::I32x4TruncSatF32x4S:
      f32_to_i32_sat(e);
      return true;
    case O::I32x4TruncSatF32x4U:
      f32_to_u32_sat(e);
      return true;
    case O::I32x4TruncSatF64x2SZero:
      f64_to_i32_sat_zero(e);
      return true;
    case O::I32x4TruncSatF64x2UZero:
      f64_to_u32_sat_zero(e);
      return true;
    case O::F32x4ConvertI32x4S:
      e.as.cvtdq2ps(d, a);
      return true;
    case O::F32x4ConvertI32x4U:
      u32_to_f32(e);
      return true;
    case O::F64x2ConvertLowI32x4S:
      e.as.cvtdq2pd(d, a);
      return true;
    case O::F64x2ConvertLowI32x4U:
      // 0x43300000:x as a double is 2^52 + x, exactly.
      e.v(TERN_VEC(Unpcklps, unpcklps), d, a, e.splat32(0x4330'0000));
      e.v(TERN_VEC(Subpd, subpd), d, d, e.splat_f64(kTwoPow52));
      return true;
    // Rounded to nearest-even; NaNs keep sign and top payload bits, quieted (numerics.h).
    case O::F32x4DemoteF64x2Zero:
      e.as.cvtpd2ps(d, a);
      return true;
    case O::F64x2PromoteLowF32x4:
      e.as.cvtps2pd(d, a);
      return true;
    default:
      return false;
  }
}

}  // namespace tern::jit::x64_simd
