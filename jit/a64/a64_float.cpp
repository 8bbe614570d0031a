// The AArch64 backend's floating point (a64_masm.h). A64's arithmetic already has wasm's
// semantics: fmin/fmax propagate NaN and order -0 below +0, NaN results are quiet (arithmetic)
// NaNs, frintn rounds to nearest even, and fcvtz* saturate (NaN gives 0), which is the _sat
// forms; only the trapping conversions need checks.
#include <bit>
#include <cmath>

#include "jit/a64/a64_masm.h"

namespace tern::jit::a64_backend {

using namespace asmjit;
using arm::CondCode;

void A64Assembler::fp_binary(FpOp op, Width width, Reg dst, Reg src) {
  a64::Vec a = fp(dst, width), b = fp(src, width);
  switch (op) {
    case FpOp::Add:
      a_.fadd(a, a, b);
      break;
    case FpOp::Sub:
      a_.fsub(a, a, b);
      break;
    case FpOp::Mul:
      a_.fmul(a, a, b);
      break;
    case FpOp::Div:
      a_.fdiv(a, a, b);
      break;
    case FpOp::Min:
      a_.fmin(a, a, b);
      break;
    case FpOp::Max:
      a_.fmax(a, a, b);
      break;
    case FpOp::Copysign: {
      // On the bits in general-purpose registers: NaN payloads pass through untouched.
      bool f32 = width == Width::W32;
      a64::Gp magnitude = f32 ? a64::Gp(kTmp.w()) : a64::Gp(kTmp);
      a64::Gp sign = f32 ? a64::Gp(kTmp2.w()) : a64::Gp(kTmp2);
      uint32_t top = f32 ? 31 : 63;
      a_.fmov(magnitude, a);
      a_.fmov(sign, b);
      a_.lsr(sign, sign, top);
      a_.bfi(magnitude, sign, top, 1);
      a_.fmov(a, magnitude);
      break;
    }
  }
}

void A64Assembler::fp_unary(FpUnaryOp op, Width width, Reg r) {
  a64::Vec v = fp(r, width);
  switch (op) {
    case FpUnaryOp::Abs:  // sign-bit operations: NaN payloads pass through
      a_.fabs(v, v);
      break;
    case FpUnaryOp::Neg:
      a_.fneg(v, v);
      break;
    case FpUnaryOp::Sqrt:
      a_.fsqrt(v, v);
      break;
    case FpUnaryOp::Ceil:
      a_.frintp(v, v);
      break;
    case FpUnaryOp::Floor:
      a_.frintm(v, v);
      break;
    case FpUnaryOp::Trunc:
      a_.frintz(v, v);
      break;
    case FpUnaryOp::Nearest:
      a_.frintn(v, v);
      break;
  }
}

void A64Assembler::fp_compare(FpCond c, Width width, Reg dst, Reg lhs, Reg rhs) {
  a_.fcmp(fp(lhs, width), fp(rhs, width));
  // Unordered sets C and V: these conditions are false for it, except ne.
  CondCode cc = CondCode::kEQ;
  switch (c) {
    case FpCond::Eq:
      cc = CondCode::kEQ;
      break;
    case FpCond::Ne:
      cc = CondCode::kNE;
      break;
    case FpCond::Lt:
      cc = CondCode::kMI;
      break;
    case FpCond::Gt:
      cc = CondCode::kGT;
      break;
    case FpCond::Le:
      cc = CondCode::kLS;
      break;
    case FpCond::Ge:
      cc = CondCode::kGE;
      break;
  }
  a_.cset(w(dst), cc);
}

void A64Assembler::convert_fp(Width to, Reg r) {
  if (to == Width::W32)
    a_.fcvt(s(r), d(r));
  else
    a_.fcvt(d(r), s(r));
}

void A64Assembler::convert_int_to_fp(IntFp c, Reg dst, Reg src) {
  a64::Vec f = fp(dst, c.fp_width);
  a64::Gp g = gp(src, c.int_width);
  c.is_signed ? a_.scvtf(f, g) : a_.ucvtf(f, g);
}

void A64Assembler::fp_const(const a64::Vec& dst, bool f32, double value) {
  if (f32) {
    move_imm(kTmp, std::bit_cast<uint32_t>(float(value)));
    a_.fmov(dst, kTmp.w());
  } else {
    move_imm(kTmp, std::bit_cast<uint64_t>(value));
    a_.fmov(dst, kTmp);
  }
}

// NaN traps as invalid; outside (min - 1, max + 1) as overflow, with the bounds exact in the
// source type: -2^31 - 1 is an f64 but rounds to -2^31 as an f32, so there the bound is -2^31
// itself and compared with <.
void A64Assembler::truncate_checked(IntFp c, Reg dst, Reg src, asmjit::Label invalid,
                                    asmjit::Label overflow) {
  bool f32 = c.fp_width == Width::W32;
  a64::Vec f = fp(src, c.fp_width);
  a64::Vec bound = f32 ? a64::Vec(kFpTmp.s()) : a64::Vec(kFpTmp);
  uint32_t bits = c.int_width == Width::W32 ? 32 : 64;
  a_.fcmp(f, f);
  a_.b(CondCode::kVS, invalid);
  double lower = c.is_signed ? -std::ldexp(1.0, int(bits) - 1) : 0.0;
  bool lower_inclusive = !c.is_signed || (!f32 && bits == 32);  // trap at f <= lower - 1
  fp_const(bound, f32, lower_inclusive ? lower - 1 : lower);
  a_.fcmp(f, bound);
  a_.b(lower_inclusive ? CondCode::kLS : CondCode::kMI, overflow);
  fp_const(bound, f32, std::ldexp(1.0, int(c.is_signed ? bits - 1 : bits)));
  a_.fcmp(f, bound);
  a_.b(CondCode::kGE, overflow);
  a64::Gp g = gp(dst, c.int_width);
  c.is_signed ? a_.fcvtzs(g, f) : a_.fcvtzu(g, f);
}

void A64Assembler::truncate_fp_to_int(IntFp c, Reg dst, Reg src, Label invalid, Label overflow) {
  truncate_checked(c, dst, src, lbl(invalid), lbl(overflow));
}

void A64Assembler::truncate_fp_to_int_sat(IntFp c, Reg dst, Reg src) {
  a64::Vec f = fp(src, c.fp_width);
  a64::Gp g = gp(dst, c.int_width);
  c.is_signed ? a_.fcvtzs(g, f) : a_.fcvtzu(g, f);
}

}  // namespace tern::jit::a64_backend
