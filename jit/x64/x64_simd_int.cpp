// Integer lane arithmetic, bitwise ops, shifts, widening and narrowing, and the v128 tests
// (any_true, all_true, bitmask) on SSE4.1.
#include <optional>

#include "jit/x64/x64_simd_emitter.h"

namespace tern::jit::x64_simd {

namespace {

using O = Opcode;
using asmjit::imm;

// The ops that are one SSE instruction on (a, b).
std::optional<VecInst> single_instruction(Opcode op) {
  switch (op) {
    case O::V128And:
      return TERN_VEC(Pand, pand);
    case O::V128Or:
      return TERN_VEC(Por, por);
    case O::V128Xor:
      return TERN_VEC(Pxor, pxor);
    case O::I8x16Add:
      return TERN_VEC(Paddb, paddb);
    case O::I16x8Add:
      return TERN_VEC(Paddw, paddw);
    case O::I32x4Add:
      return TERN_VEC(Paddd, paddd);
    case O::I64x2Add:
      return TERN_VEC(Paddq, paddq);
    case O::I8x16Sub:
      return TERN_VEC(Psubb, psubb);
    case O::I16x8Sub:
      return TERN_VEC(Psubw, psubw);
    case O::I32x4Sub:
      return TERN_VEC(Psubd, psubd);
    case O::I64x2Sub:
      return TERN_VEC(Psubq, psubq);
    case O::I16x8Mul:
      return TERN_VEC(Pmullw, pmullw);
    case O::I32x4Mul:
      return TERN_VEC(Pmulld, pmulld);
    case O::I8x16AddSatS:
      return TERN_VEC(Paddsb, paddsb);
    case O::I8x16AddSatU:
      return TERN_VEC(Paddusb, paddusb);
    case O::I16x8AddSatS:
      return TERN_VEC(Paddsw, paddsw);
    case O::I16x8AddSatU:
      return TERN_VEC(Paddusw, paddusw);
    case O::I8x16SubSatS:
      return TERN_VEC(Psubsb, psubsb);
    case O::I8x16SubSatU:
      return TERN_VEC(Psubusb, psubusb);
    case O::I16x8SubSatS:
      return TERN_VEC(Psubsw, psubsw);
    case O::I16x8SubSatU:
      return TERN_VEC(Psubusw, psubusw);
    case O::I8x16MinS:
      return TERN_VEC(Pminsb, pminsb);
    case O::I8x16MinU:
      return TERN_VEC(Pminub, pminub);
    case O::I16x8MinS:
      return TERN_VEC(Pminsw, pminsw);
    case O::I16x8MinU:
      return TERN_VEC(Pminuw, pminuw);
    case O::I32x4MinS:
      return TERN_VEC(Pminsd, pminsd);
    case O::I32x4MinU:
      return TERN_VEC(Pminud, pminud);
    case O::I8x16MaxS:
      return TERN_VEC(Pmaxsb, pmaxsb);
    case O::I8x16MaxU:
      return TERN_VEC(Pmaxub, pmaxub);
    case O::I16x8MaxS:
      return TERN_VEC(Pmaxsw, pmaxsw);
    case O::I16x8MaxU:
      return TERN_VEC(Pmaxuw, pmaxuw);
    case O::I32x4MaxS:
      return TERN_VEC(Pmaxsd, pmaxsd);
    case O::I32x4MaxU:
      return TERN_VEC(Pmaxud, pmaxud);
    // pavg rounds up: (a + b + 1) >> 1 without overflow, as avgr_u.
    case O::I8x16AvgrU:
      return TERN_VEC(Pavgb, pavgb);
    case O::I16x8AvgrU:
      return TERN_VEC(Pavgw, pavgw);
    // pmaddwd wraps the one overflowing sum (-2^15 * -2^15 * 2) to INT32_MIN, as the spec does.
    case O::I32x4DotI16x8S:
      return TERN_VEC(Pmaddwd, pmaddwd);
    case O::I8x16NarrowI16x8S:
      return TERN_VEC(Packsswb, packsswb);
    case O::I8x16NarrowI16x8U:
      return TERN_VEC(Packuswb, packuswb);
    case O::I16x8NarrowI32x4S:
      return TERN_VEC(Packssdw, packssdw);
    case O::I16x8NarrowI32x4U:
      return TERN_VEC(Packusdw, packusdw);
    default:
      return std::nullopt;
  }
}

// Lane widths in bytes of the shifts; 0 for other ops.
int shift_width(Opcode op) {
  switch (op) {
    case O::I8x16Shl:
    case O::I8x16ShrS:
    case O::I8x16ShrU:
      return 1;
    case O::I16x8Shl:
    case O::I16x8ShrS:
    case O::I16x8ShrU:
      return 2;
    case O::I32x4Shl:
    case O::I32x4ShrS:
    case O::I32x4ShrU:
      return 4;
    case O::I64x2Shl:
    case O::I64x2ShrS:
    case O::I64x2ShrU:
      return 8;
    default:
      return 0;
  }
}

// Puts the shift count, taken modulo the lane width (plus `add`), into the low quadword of
// `count` (SSE shifts read all 64 bits of it).
void shift_count(SimdEmitter& e, const Xmm& count, int width, uint32_t add = 0) {
  e.as.mov(e.gt().r32(), e.g(1).r32());
  e.as.and_(e.gt().r32(), width * 8 - 1);
  if (add != 0) e.as.add(e.gt().r32(), add);
  e.as.movd(count, e.gt().r32());
}

// SSE has no byte shifts: shl and shr_u shift words and clear the bits that crossed into the
// neighbouring byte; shr_s shifts each byte arithmetically in the high half of a word.
void byte_shift(SimdEmitter& e, Opcode op) {
  Xmm d = e.d(), a = e.x(0), t0 = e.t0(), t1 = e.t1();
  uint32_t n = e.lane() & 7;  // a constant count
  if (op == O::I8x16ShrS) {
    asmjit::Operand_ count = asmjit::imm(8 + n);
    if (!e.constant_count()) shift_count(e, t1, 1, 8), count = t1;
    e.v(TERN_VEC(Punpckhbw, punpckhbw), t0, a, a);  // byte b becomes word b:b
    e.v(TERN_VEC(Psraw, psraw), t0, t0, count);
    e.v(TERN_VEC(Punpcklbw, punpcklbw), d, a, a);
    e.v(TERN_VEC(Psraw, psraw), d, d, count);
    e.v(TERN_VEC(Packsswb, packsswb), d, d, t0);
    return;
  }
  // The byte mask 0xFF >> n: a constant, or 0xFFFF >> (8 + n) per word, packed to bytes.
  asmjit::Operand_ count = t0, mask = t1;
  if (e.constant_count()) {
    count = asmjit::imm(n);
    mask = e.splat8(uint8_t(0xFF >> n));
  } else {
    shift_count(e, t0, 1, 8);
    e.all_ones(t1);
    e.v(TERN_VEC(Psrlw, psrlw), t1, t1, t0);
    e.v(TERN_VEC(Packuswb, packuswb), t1, t1, t1);
    e.as.sub(e.gt().r32(), 8);
    e.as.movd(t0, e.gt().r32());
  }
  if (op == O::I8x16Shl) {
    e.v(TERN_VEC(Pand, pand), d, a,
        mask);  // clear the top n bits of each byte before they move out
    e.v(TERN_VEC(Psllw, psllw), d, d, count);
  } else {
    e.v(TERN_VEC(Psrlw, psrlw), d, a, count);
    e.v(TERN_VEC(Pand, pand), d, d, mask);  // clear what came in from the byte above
  }
}

void shift(SimdEmitter& e, Opcode op) {
  int width = shift_width(op);
  if (width == 1) return byte_shift(e, op);
  Xmm d = e.d(), a = e.x(0), t0 = e.t0(), t1 = e.t1();
  uint32_t n = e.lane() & (width * 8 - 1);  // a constant count
  asmjit::Operand_ count = asmjit::imm(n);
  if (!e.constant_count()) shift_count(e, t0, width), count = t0;
  switch (op) {
    case O::I16x8Shl:
      return e.v(TERN_VEC(Psllw, psllw), d, a, count);
    case O::I16x8ShrS:
      return e.v(TERN_VEC(Psraw, psraw), d, a, count);
    case O::I16x8ShrU:
      return e.v(TERN_VEC(Psrlw, psrlw), d, a, count);
    case O::I32x4Shl:
      return e.v(TERN_VEC(Pslld, pslld), d, a, count);
    case O::I32x4ShrS:
      return e.v(TERN_VEC(Psrad, psrad), d, a, count);
    case O::I32x4ShrU:
      return e.v(TERN_VEC(Psrld, psrld), d, a, count);
    case O::I64x2Shl:
      return e.v(TERN_VEC(Psllq, psllq), d, a, count);
    case O::I64x2ShrU:
      return e.v(TERN_VEC(Psrlq, psrlq), d, a, count);
    default: {
      // i64x2.shr_s (no psraq before AVX-512): shift logically, then sign-extend from the bit
      // the sign moved to: (x ^ m) - m with m = 2^63 >> n.
      asmjit::Operand_ m = t1;
      if (e.constant_count()) {
        m = e.splat64((uint64_t(1) << 63) >> n);
      } else {
        e.mov(t1, e.splat64(uint64_t(1) << 63));
        e.v(TERN_VEC(Psrlq, psrlq), t1, t1, t0);
      }
      e.v(TERN_VEC(Psrlq, psrlq), d, a, count);
      e.v(TERN_VEC(Pxor, pxor), d, d, m);
      e.v(TERN_VEC(Psubq, psubq), d, d, m);
      return;
    }
  }
}

// Lane i of the result: the product of lanes i of a and b, widened; `high` takes the upper half.
void extmul(SimdEmitter& e, Opcode op) {
  Xmm d = e.d(), a = e.x(0), b = e.x(1), t0 = e.t0(), t1 = e.t1();
  switch (op) {
    case O::I16x8ExtmulLowI8x16S:
    case O::I16x8ExtmulHighI8x16S:
    case O::I16x8ExtmulLowI8x16U:
    case O::I16x8ExtmulHighI8x16U: {
      bool high = op == O::I16x8ExtmulHighI8x16S || op == O::I16x8ExtmulHighI8x16U;
      bool is_signed = op == O::I16x8ExtmulLowI8x16S || op == O::I16x8ExtmulHighI8x16S;
      Xmm sa = a, sb = b;
      if (high) {
        e.as.pshufd(t0, a, imm(0xEE));
        e.as.pshufd(t1, b, imm(0xEE));
        sa = t0, sb = t1;
      }
      is_signed ? e.as.pmovsxbw(t0, sa) : e.as.pmovzxbw(t0, sa);
      is_signed ? e.as.pmovsxbw(t1, sb) : e.as.pmovzxbw(t1, sb);
      return e.v(TERN_VEC(Pmullw, pmullw), d, t0, t1);
    }
    case O::I32x4ExtmulLowI16x8S:
    case O::I32x4ExtmulHighI16x8S:
    case O::I32x4ExtmulLowI16x8U:
    case O::I32x4ExtmulHighI16x8U: {
      // The low and high halves of the 32-bit products, interleaved.
      bool high = op == O::I32x4ExtmulHighI16x8S || op == O::I32x4ExtmulHighI16x8U;
      bool is_signed = op == O::I32x4ExtmulLowI16x8S || op == O::I32x4ExtmulHighI16x8S;
      e.v(TERN_VEC(Pmullw, pmullw), t0, a, b);
      e.v(is_signed ? TERN_VEC(Pmulhw, pmulhw) : TERN_VEC(Pmulhuw, pmulhuw), t1, a, b);
      return e.v(high ? TERN_VEC(Punpckhwd, punpckhwd) : TERN_VEC(Punpcklwd, punpcklwd), d, t0, t1);
    }
    default: {
      // pmuldq / pmuludq multiply the even 32-bit lanes: spread the wanted lanes to them.
      bool high = op == O::I64x2ExtmulHighI32x4S || op == O::I64x2ExtmulHighI32x4U;
      bool is_signed = op == O::I64x2ExtmulLowI32x4S || op == O::I64x2ExtmulHighI32x4S;
      uint32_t spread = high ? 0xFA : 0x50;  // lanes 2,2,3,3 or 0,0,1,1
      e.as.pshufd(t0, a, imm(spread));
      e.as.pshufd(t1, b, imm(spread));
      return e.v(is_signed ? TERN_VEC(Pmuldq, pmuldq) : TERN_VEC(Pmuludq, pmuludq), d, t0, t1);
    }
  }
}

bool is_extmul(Opcode op) {
  return (op >= O::I16x8ExtmulLowI8x16S && op <= O::I16x8ExtmulHighI8x16U) ||
         (op >= O::I32x4ExtmulLowI16x8S && op <= O::I32x4ExtmulHighI16x8U) ||
         (op >= O::I64x2ExtmulLowI32x4S && op <= O::I64x2ExtmulHighI32x4U);
}

// extend_low / extend_high: pmovsx / pmovzx widen the low half; the high half is moved down.
bool extend(SimdEmitter& e, Opcode op) {
  Xmm d = e.d(), a = e.x(0), t0 = e.t0();
  asmjit::InstId inst;
  bool high;
  switch (op) {
    case O::I16x8ExtendLowI8x16S:
      inst = asmjit::x86::Inst::kIdPmovsxbw, high = false;
      break;
    case O::I16x8ExtendHighI8x16S:
      inst = asmjit::x86::Inst::kIdPmovsxbw, high = true;
      break;
    case O::I16x8ExtendLowI8x16U:
      inst = asmjit::x86::Inst::kIdPmovzxbw, high = false;
      break;
    case O::I16x8ExtendHighI8x16U:
      inst = asmjit::x86::Inst::kIdPmovzxbw, high = true;
      break;
    case O::I32x4ExtendLowI16x8S:
      inst = asmjit::x86::Inst::kIdPmovsxwd, high = false;
      break;
    case O::I32x4ExtendHighI16x8S:
      inst = asmjit::x86::Inst::kIdPmovsxwd, high = true;
      break;
    case O::I32x4ExtendLowI16x8U:
      inst = asmjit::x86::Inst::kIdPmovzxwd, high = false;
      break;
    case O::I32x4ExtendHighI16x8U:
      inst = asmjit::x86::Inst::kIdPmovzxwd, high = true;
      break;
    case O::I64x2ExtendLowI32x4S:
      inst = asmjit::x86::Inst::kIdPmovsxdq, high = false;
      break;
    case O::I64x2ExtendHighI32x4S:
      inst = asmjit::x86::Inst::kIdPmovsxdq, high = true;
      break;
    case O::I64x2ExtendLowI32x4U:
      inst = asmjit::x86::Inst::kIdPmovzxdq, high = false;
      break;
    case O::I64x2ExtendHighI32x4U:
      inst = asmjit::x86::Inst::kIdPmovzxdq, high = true;
      break;
    default:
      return false;
  }
  if (high) {
    e.as.pshufd(t0, a, imm(0xEE));
    e.as.emit(inst, d, t0);
  } else {
    e.as.emit(inst, d, a);
  }
  return true;
}

void extadd_pairwise(SimdEmitter& e, Opcode op) {
  Xmm d = e.d(), a = e.x(0), t0 = e.t0();
  switch (op) {
    case O::I16x8ExtaddPairwiseI8x16S:
      // pmaddubsw multiplies unsigned bytes of its first operand by signed ones of the second.
      e.mov(t0, e.splat8(1));
      e.v(TERN_VEC(Pmaddubsw, pmaddubsw), t0, t0, a);
      return e.mov(d, t0);
    case O::I16x8ExtaddPairwiseI8x16U:
      return e.v(TERN_VEC(Pmaddubsw, pmaddubsw), d, a, e.splat8(1));
    case O::I32x4ExtaddPairwiseI16x8S:
      return e.v(TERN_VEC(Pmaddwd, pmaddwd), d, a, e.splat16(1));
    default:
      // pmaddwd is signed: bias the lanes by -2^15 and add 2 * 2^15 back to each sum.
      e.v(TERN_VEC(Pxor, pxor), d, a, e.splat16(0x8000));
      e.v(TERN_VEC(Pmaddwd, pmaddwd), d, d, e.splat16(1));
      e.v(TERN_VEC(Paddd, paddd), d, d, e.splat32(0x10000));
      return;
  }
}

// Per byte: two lookups of a 16-entry table of nibble popcounts.
void popcnt(SimdEmitter& e) {
  Xmm d = e.d(), a = e.x(0), t0 = e.t0(), t1 = e.t1();
  const V128 nibble_counts{{0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4}};
  e.v(TERN_VEC(Psrlw, psrlw), t1, a, imm(4));
  e.v(TERN_VEC(Pand, pand), t1, t1, e.splat8(0x0F));
  e.mov(t0, e.constant(nibble_counts));
  e.v(TERN_VEC(Pshufb, pshufb), t0, t0, t1);
  e.v(TERN_VEC(Pand, pand), t1, a, e.splat8(0x0F));
  e.mov(d, e.constant(nibble_counts));
  e.v(TERN_VEC(Pshufb, pshufb), d, d, t1);
  e.v(TERN_VEC(Paddb, paddb), d, d, t0);
}

// (a_hi * b_lo + a_lo * b_hi) << 32 + a_lo * b_lo, from 32x32->64 multiplies (no pmullq).
void i64_mul(SimdEmitter& e) {
  Xmm d = e.d(), a = e.x(0), b = e.x(1), t0 = e.t0(), t1 = e.t1();
  e.v(TERN_VEC(Psrlq, psrlq), t0, a, imm(32));
  e.v(TERN_VEC(Pmuludq, pmuludq), t0, t0, b);
  e.v(TERN_VEC(Psrlq, psrlq), t1, b, imm(32));
  e.v(TERN_VEC(Pmuludq, pmuludq), t1, t1, a);
  e.v(TERN_VEC(Paddq, paddq), t0, t0, t1);
  e.v(TERN_VEC(Psllq, psllq), t0, t0, imm(32));
  e.v(TERN_VEC(Pmuludq, pmuludq), d, a, b);
  e.v(TERN_VEC(Paddq, paddq), d, d, t0);
}

// abs(x) = (x ^ s) - s with s = x >> 63 (arithmetic), built from the high dwords' psrad.
void i64_abs(SimdEmitter& e) {
  Xmm d = e.d(), a = e.x(0), t0 = e.t0();
  e.v(TERN_VEC(Psrad, psrad), t0, a, imm(31));
  e.as.pshufd(t0, t0, imm(0xF5));  // each high dword's sign to both dwords
  e.v(TERN_VEC(Pxor, pxor), d, a, t0);
  e.v(TERN_VEC(Psubq, psubq), d, d, t0);
}

// pmulhrsw is (a * b + 2^14) >> 15; only -2^15 * -2^15 overflows, to 0x8000: flip it to 0x7FFF.
void q15mulr_sat(SimdEmitter& e) {
  Xmm d = e.d(), t0 = e.t0();
  e.v(TERN_VEC(Pmulhrsw, pmulhrsw), d, e.x(0), e.x(1));
  e.v(TERN_VEC(Pcmpeqw, pcmpeqw), t0, d, e.splat16(0x8000));
  e.v(TERN_VEC(Pxor, pxor), d, d, t0);
}

void any_all_true(SimdEmitter& e, Opcode op) {
  Gp r = e.gd().r32();
  Xmm a = e.x(0), t0 = e.t0();
  e.as.xor_(r, r);
  if (op == O::V128AnyTrue) {
    e.as.ptest(a, a);
    e.as.setnz(r.r8());
    return;
  }
  // The lanes equal to zero become all-ones: all_true when there are none.
  e.zero(t0);
  switch (op) {
    case O::I8x16AllTrue:
      e.v(TERN_VEC(Pcmpeqb, pcmpeqb), t0, t0, a);
      break;
    case O::I16x8AllTrue:
      e.v(TERN_VEC(Pcmpeqw, pcmpeqw), t0, t0, a);
      break;
    case O::I32x4AllTrue:
      e.v(TERN_VEC(Pcmpeqd, pcmpeqd), t0, t0, a);
      break;
    default:
      e.v(TERN_VEC(Pcmpeqq, pcmpeqq), t0, t0, a);
      break;
  }
  e.as.ptest(t0, t0);
  e.as.setz(r.r8());
}

void bitmask(SimdEmitter& e, Opcode op) {
  Gp r = e.gd().r32();
  Xmm a = e.x(0), t0 = e.t0();
  switch (op) {
    case O::I8x16Bitmask:
      e.as.pmovmskb(r, a);
      return;
    case O::I16x8Bitmask:
      // Signed saturation keeps each word's sign in a byte.
      e.v(TERN_VEC(Packsswb, packsswb), t0, a, a);
      e.as.pmovmskb(r, t0);
      e.as.movzx(r, r.r8());
      return;
    case O::I32x4Bitmask:
      e.as.movmskps(r, a);
      return;
    default:
      e.as.movmskpd(r, a);
      return;
  }
}

}  // namespace

bool emit_int_op(SimdEmitter& e, Opcode op) {
  Xmm d = e.d(), t0 = e.t0();
  if (auto inst = single_instruction(op)) {
    e.v(*inst, d, e.x(0), e.x(1));
    return true;
  }
  if (shift_width(op) != 0) {
    shift(e, op);
    return true;
  }
  if (is_extmul(op)) {
    extmul(e, op);
    return true;
  }
  if (extend(e, op)) return true;
  switch (op) {
    case O::V128Not:
      e.all_ones(t0);
      e.v(TERN_VEC(Pxor, pxor), d, e.x(0), t0);
      return true;
    case O::V128Andnot:  // pandn computes ~first & second
      e.v_into_second(TERN_VEC(Pandn, pandn), d, e.x(1), e.x(0));
      return true;
    case O::V128Bitselect: {
      // ((a ^ b) & mask) ^ b
      Xmm a = e.x(0), b = e.x(1), mask = e.x(2);
      e.v(TERN_VEC(Pxor, pxor), t0, a, b);
      e.v(TERN_VEC(Pand, pand), t0, t0, mask);
      e.v(TERN_VEC(Pxor, pxor), d, t0, b);
      return true;
    }
    case O::I8x16Neg:
    case O::I16x8Neg:
    case O::I32x4Neg:
    case O::I64x2Neg: {
      VecInst sub = op == O::I8x16Neg   ? TERN_VEC(Psubb, psubb)
                    : op == O::I16x8Neg ? TERN_VEC(Psubw, psubw)
                    : op == O::I32x4Neg ? TERN_VEC(Psubd, psubd)
                                        : TERN_VEC(Psubq, psubq);
      e.zero(t0);
      e.v(sub, t0, t0, e.x(0));
      e.mov(d, t0);
      return true;
    }
    case O::I8x16Abs:
      e.as.pabsb(d, e.x(0));
      return true;
    case O::I16x8Abs:
      e.as.pabsw(d, e.x(0));
      return true;
    case O::I32x4Abs:
      e.as.pabsd(d, e.x(0));
      return true;
    case O::I64x2Abs:
      i64_abs(e);
      return true;
    case O::I64x2Mul:
      i64_mul(e);
      return true;
    case O::I16x8Q15mulrSatS:
      q15mulr_sat(e);
      return true;
    case O::I8x16Popcnt:
      popcnt(e);
      return true;
    case O::I16x8ExtaddPairwiseI8x16S:
    case O::I16x8ExtaddPairwiseI8x16U:
    case O::I32x4ExtaddPairwiseI16x8S:
    case O::I32x4ExtaddPairwiseI16x8U:
      extadd_pairwise(e, op);
      return true;
    case O::V128AnyTrue:
    case O::I8x16AllTrue:
    case O::I16x8AllTrue:
    case O::I32x4AllTrue:
    case O::I64x2AllTrue:
      any_all_true(e, op);
      return true;
    case O::I8x16Bitmask:
    case O::I16x8Bitmask:
    case O::I32x4Bitmask:
    case O::I64x2Bitmask:
      bitmask(e, op);
      return true;
    default:
      return false;
  }
}

}  // namespace tern::jit::x64_simd

namespace tern::jit {

bool x64_simd_shift(Opcode op) {
  return x64_simd::shift_width(op) != 0;
}

}  // namespace tern::jit
