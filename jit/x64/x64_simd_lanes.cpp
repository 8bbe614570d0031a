// Lane moves: splat, extract_lane, replace_lane, shuffle and swizzle.
#include "jit/x64/x64_simd_emitter.h"

namespace tern::jit::x64_simd {

namespace {

using O = Opcode;
using asmjit::imm;

// pshufb writes zero where the index byte has its top bit set.
constexpr uint8_t kZeroLane = 0x80;

void splat(SimdEmitter& e, Opcode op) {
  Xmm d = e.d();
  switch (op) {
    case O::I8x16Splat:
      e.as.movd(d, e.g(0).r32());
      e.zero(e.t0());
      e.v(TERN_VEC(Pshufb, pshufb), d, d, e.t0());
      return;
    case O::I16x8Splat:
      e.as.movd(d, e.g(0).r32());
      e.as.pshuflw(d, d, imm(0));
      e.as.pshufd(d, d, imm(0));
      return;
    case O::I32x4Splat:
      e.as.movd(d, e.g(0).r32());
      e.as.pshufd(d, d, imm(0));
      return;
    case O::I64x2Splat:
      e.as.movq(d, e.g(0));
      e.as.pshufd(d, d, imm(0x44));
      return;
    case O::F32x4Splat:
      e.as.pshufd(d, e.x(0), imm(0));
      return;
    default:
      e.as.pshufd(d, e.x(0), imm(0x44));
      return;  // f64x2
  }
}

// Integer results go to a general-purpose register, zero-extended from 32 bits (sign-extended
// to 32 first for the _s forms).
void extract(SimdEmitter& e, Opcode op) {
  Xmm a = e.x(0);
  uint8_t lane = e.lane();
  switch (op) {
    case O::I8x16ExtractLaneS:
    case O::I8x16ExtractLaneU: {
      Gp r = e.gd().r32();
      e.as.pextrb(r, a, imm(lane & 15));
      if (op == O::I8x16ExtractLaneS) e.as.movsx(r, r.r8());
      return;
    }
    case O::I16x8ExtractLaneS:
    case O::I16x8ExtractLaneU: {
      Gp r = e.gd().r32();
      e.as.pextrw(r, a, imm(lane & 7));
      if (op == O::I16x8ExtractLaneS) e.as.movsx(r, r.r16());
      return;
    }
    case O::I32x4ExtractLane:
      e.as.pextrd(e.gd().r32(), a, imm(lane & 3));
      return;
    case O::I64x2ExtractLane:
      e.as.pextrq(e.gd(), a, imm(lane & 1));
      return;
    case O::F32x4ExtractLane:
      // The f32 is the low lane of dst; the rest of the register does not matter.
      if ((lane & 3) == 0)
        e.mov(e.d(), a);
      else
        e.as.pshufd(e.d(), a, imm(lane & 3));
      return;
    default:  // f64x2
      if ((lane & 1) == 0)
        e.mov(e.d(), a);
      else
        e.as.pshufd(e.d(), a, imm(0xEE));
      return;
  }
}

void replace(SimdEmitter& e, Opcode op) {
  Xmm d = e.d(), a = e.x(0);
  uint8_t lane = e.lane();
  switch (op) {
    case O::I8x16ReplaceLane:
      return e.v(TERN_VEC(Pinsrb, pinsrb), d, a, e.g(1).r32(), lane & 15);
    case O::I16x8ReplaceLane:
      return e.v(TERN_VEC(Pinsrw, pinsrw), d, a, e.g(1).r32(), lane & 7);
    case O::I32x4ReplaceLane:
      return e.v(TERN_VEC(Pinsrd, pinsrd), d, a, e.g(1).r32(), lane & 3);
    case O::I64x2ReplaceLane:
      return e.v(TERN_VEC(Pinsrq, pinsrq), d, a, e.g(1), lane & 1);
    // insertps: source lane 0 into lane `lane` (bits 5:4), nothing zeroed.
    case O::F32x4ReplaceLane:
      return e.v(TERN_VEC(Insertps, insertps), d, a, e.x(1), (lane & 3) << 4);
    default:  // f64x2: movsd keeps the high lane, movlhps the low one
      if ((lane & 1) == 0) return e.v(TERN_VEC(Movsd, movsd), d, a, e.x(1));
      return e.v(TERN_VEC(Movlhps, movlhps), d, a, e.x(1));
  }
}

// Two pshufb lookups, one per source, each zeroing the lanes the other provides; a shuffle that
// reads one source (or the same register twice) needs one.
void shuffle(SimdEmitter& e) {
  Xmm d = e.d(), a = e.x(0), b = e.x(1), t0 = e.t0(), t1 = e.t1();
  V128 from_a, from_b;
  bool uses_a = false, uses_b = false;
  for (int i = 0; i < 16; ++i) {
    uint8_t k = e.imm().bytes[i] % 32;
    if (a == b) k %= 16;
    from_a.bytes[i] = k < 16 ? k : kZeroLane;
    from_b.bytes[i] = k < 16 ? kZeroLane : uint8_t(k - 16);
    (k < 16 ? uses_a : uses_b) = true;
  }
  if (!uses_b) return e.v(TERN_VEC(Pshufb, pshufb), d, a, e.constant(from_a));
  if (!uses_a) {
    e.v(TERN_VEC(Pshufb, pshufb), t0, b, e.constant(from_b));
    return e.mov(d, t0);
  }
  e.v(TERN_VEC(Pshufb, pshufb), t0, a, e.constant(from_a));
  e.v(TERN_VEC(Pshufb, pshufb), t1, b, e.constant(from_b));
  e.v(TERN_VEC(Por, por), d, t0, t1);
}

}  // namespace

bool emit_lane_op(SimdEmitter& e, Opcode op) {
  switch (op) {
    case O::I8x16Splat:
    case O::I16x8Splat:
    case O::I32x4Splat:
    case O::I64x2Splat:
    case O::F32x4Splat:
    case O::F64x2Splat:
      splat(e, op);
      return true;
    case O::I8x16ExtractLaneS:
    case O::I8x16ExtractLaneU:
    case O::I16x8ExtractLaneS:
    case O::I16x8ExtractLaneU:
    case O::I32x4ExtractLane:
    case O::I64x2ExtractLane:
    case O::F32x4ExtractLane:
    case O::F64x2ExtractLane:
      extract(e, op);
      return true;
    case O::I8x16ReplaceLane:
    case O::I16x8ReplaceLane:
    case O::I32x4ReplaceLane:
    case O::I64x2ReplaceLane:
    case O::F32x4ReplaceLane:
    case O::F64x2ReplaceLane:
      replace(e, op);
      return true;
    case O::I8x16Shuffle:
      shuffle(e);
      return true;
    case O::I8x16Swizzle: {
      // Indices from 16 up saturate to 0x80 and above, which pshufb turns into 0.
      Xmm t0 = e.t0();
      e.v(TERN_VEC(Paddusb, paddusb), t0, e.x(1), e.splat8(0x70));
      e.v(TERN_VEC(Pshufb, pshufb), e.d(), e.x(0), t0);
      return true;
    }
    default:
      return false;
  }
}

}  // namespace tern::jit::x64_simd
