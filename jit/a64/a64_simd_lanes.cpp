// Whole-vector and lane-structured SIMD on NEON (a64_simd_ops.h): bitwise ops, splat,
// extract/replace_lane, swizzle and shuffle (tbl gives 0 for an index past its table, which is
// what swizzle wants), any/all_true and bitmask.
#include "jit/a64/a64_simd_ops.h"

namespace tern::jit::a64_backend {

using namespace asmjit;
using a64::Inst;
using O = Opcode;

namespace {

uint32_t lane_bytes_of(Opcode op) {
  switch (op) {
    case O::I8x16Splat:
    case O::I8x16ExtractLaneS:
    case O::I8x16ExtractLaneU:
    case O::I8x16ReplaceLane:
    case O::I8x16AllTrue:
    case O::I8x16Bitmask:
      return 1;
    case O::I16x8Splat:
    case O::I16x8ExtractLaneS:
    case O::I16x8ExtractLaneU:
    case O::I16x8ReplaceLane:
    case O::I16x8AllTrue:
    case O::I16x8Bitmask:
      return 2;
    case O::I32x4Splat:
    case O::F32x4Splat:
    case O::I32x4ExtractLane:
    case O::F32x4ExtractLane:
    case O::I32x4ReplaceLane:
    case O::F32x4ReplaceLane:
    case O::I32x4AllTrue:
    case O::I32x4Bitmask:
      return 4;
    default:
      return 8;
  }
}

// x16 != 0 when some bit of the 128-bit `v` is set: unsigned maxima of pairs of 32-bit lanes
// bring every lane into the low 64 bits.
void reduce_to_gp(a64::Assembler& as, const a64::VecV& v) {
  as.umaxp(kVecTmp.s4(), v.s4(), v.s4());
  as.fmov(kGpTmp, kVecTmp.d());
  as.cmp(kGpTmp, 0);
}

// Bit i of the result is the top bit of lane i: lanes become all ones or zeros (cmlt #0), keep
// the bit of their position (an and with 1, 2, 4, ...) and are summed.
void emit_bitmask(a64::Assembler& as, uint32_t lane_bytes, const SimdOperands& o) {
  a64::GpW dst = a64::w(o.dst);
  if (lane_bytes == 8) {
    as.ushr(kVecTmp.d2(), a64::v(o.srcs[0]).d2(), 63);
    as.umov(kGpTmp, kVecTmp.d(1));
    as.fmov(dst.x(), kVecTmp.d());
    as.orr(dst.x(), dst.x(), kGpTmp, arm::lsl(1));
    return;
  }
  V128 weights{};
  uint32_t count = 16 / lane_bytes;
  for (uint32_t i = 0; i < count; ++i) {
    // Byte lanes: 1..128 in each half, summed per half below.
    uint32_t weight = 1u << (lane_bytes == 1 ? i % 8 : i);
    weights.bytes[i * lane_bytes] = uint8_t(weight);
  }
  as.cmlt(lanes(kVecTmp.id(), lane_bytes), lanes(o.srcs[0], lane_bytes), 0);
  load_v128_constant(as, kVecTmp2, weights);
  as.and_(kVecTmp.b16(), kVecTmp.b16(), kVecTmp2.b16());
  switch (lane_bytes) {
    case 1:
      // Three pairwise additions leave the low half's sum in byte 0, the high half's in byte 1.
      for (int i = 0; i < 3; ++i) as.addp(kVecTmp.b16(), kVecTmp.b16(), kVecTmp.b16());
      as.umov(dst, kVecTmp.h(0));
      break;
    case 2:
      as.addv(kVecTmp.h(), kVecTmp.h8());
      as.umov(dst, kVecTmp.h(0));
      break;
    default:
      as.addv(kVecTmp.s(), kVecTmp.s4());
      as.fmov(dst, kVecTmp.s());
      break;
  }
}

void emit_splat(a64::Assembler& as, Opcode op, const SimdOperands& o) {
  uint32_t bytes = lane_bytes_of(op);
  if (op == O::F32x4Splat || op == O::F64x2Splat) {
    as.dup(lanes(o.dst, bytes), element(o.srcs[0], bytes, 0));
  } else if (bytes == 8) {
    as.dup(a64::v(o.dst).d2(), a64::x(o.srcs[0]));
  } else {
    as.dup(lanes(o.dst, bytes), a64::w(o.srcs[0]));
  }
}

void emit_extract(a64::Assembler& as, Opcode op, const SimdOperands& o) {
  uint32_t bytes = lane_bytes_of(op);
  uint32_t lane = o.imm.bytes[0] % (16 / bytes);
  a64::Vec from = element(o.srcs[0], bytes, lane);
  switch (op) {
    case O::I8x16ExtractLaneS:
    case O::I16x8ExtractLaneS:
      as.smov(a64::w(o.dst), from);
      break;
    case O::I64x2ExtractLane:
      as.umov(a64::x(o.dst), from);
      break;
    case O::F32x4ExtractLane:
    case O::F64x2ExtractLane:
      as.ins(element(o.dst, bytes, 0), from);
      break;
    default:
      as.umov(a64::w(o.dst), from);
      break;
  }
}

void emit_replace(a64::Assembler& as, Opcode op, const SimdOperands& o) {
  uint32_t bytes = lane_bytes_of(op);
  a64::Vec to = element(o.dst, bytes, o.imm.bytes[0] % (16 / bytes));
  if (o.dst != o.srcs[0]) as.mov(a64::v(o.dst).b16(), a64::v(o.srcs[0]).b16());
  if (op == O::F32x4ReplaceLane || op == O::F64x2ReplaceLane) {
    as.ins(to, element(o.srcs[1], bytes, 0));
  } else if (bytes == 8) {
    as.ins(to, a64::x(o.srcs[1]));
  } else {
    as.ins(to, a64::w(o.srcs[1]));
  }
}

// tbl over the two-register table {v30, v31} (it must be two consecutive registers): a then b.
void emit_shuffle(a64::Assembler& as, const SimdOperands& o) {
  as.mov(kVecTmp2.b16(), a64::v(o.srcs[0]).b16());
  as.mov(kVecTmp.b16(), a64::v(o.srcs[1]).b16());
  V128 indices = o.imm;
  for (uint8_t& i : indices.bytes) i %= 32;
  a64::VecV dst = a64::v(o.dst);
  load_v128_constant(as, dst, indices);
  as.tbl(dst.b16(), kVecTmp2.b16(), kVecTmp.b16(), dst.b16());
}

}  // namespace

bool emit_simd_lanes(a64::Assembler& as, Opcode op, const SimdOperands& o) {
  a64::VecV dst = a64::v(o.dst), a = a64::v(o.srcs[0]), b = a64::v(o.srcs[1]);
  switch (op) {
    case O::V128Not:
      as.mvn(dst.b16(), a.b16());
      return true;
    case O::V128And:
      as.and_(dst.b16(), a.b16(), b.b16());
      return true;
    case O::V128Andnot:
      as.bic(dst.b16(), a.b16(), b.b16());
      return true;
    case O::V128Or:
      as.orr(dst.b16(), a.b16(), b.b16());
      return true;
    case O::V128Xor:
      as.eor(dst.b16(), a.b16(), b.b16());
      return true;
    case O::V128Bitselect: {
      // a where the mask is set, b elsewhere.
      a64::VecV mask = a64::v(o.srcs[2]);
      if (o.dst == o.srcs[0]) {
        as.bif(dst.b16(), b.b16(), mask.b16());
      } else {
        as.mov(dst.b16(), mask.b16());
        as.bsl(dst.b16(), a.b16(), b.b16());
      }
      return true;
    }
    case O::V128AnyTrue:
      reduce_to_gp(as, a);
      as.cset(a64::w(o.dst), arm::CondCode::kNE);
      return true;
    case O::I8x16AllTrue:
    case O::I16x8AllTrue:
    case O::I32x4AllTrue:
    case O::I64x2AllTrue: {
      // True when no lane equals 0.
      uint32_t bytes = lane_bytes_of(op);
      as.cmeq(lanes(kVecTmp.id(), bytes), lanes(o.srcs[0], bytes), 0);
      reduce_to_gp(as, kVecTmp);
      as.cset(a64::w(o.dst), arm::CondCode::kEQ);
      return true;
    }
    case O::I8x16Bitmask:
    case O::I16x8Bitmask:
    case O::I32x4Bitmask:
    case O::I64x2Bitmask:
      emit_bitmask(as, lane_bytes_of(op), o);
      return true;
    case O::I8x16Splat:
    case O::I16x8Splat:
    case O::I32x4Splat:
    case O::I64x2Splat:
    case O::F32x4Splat:
    case O::F64x2Splat:
      emit_splat(as, op, o);
      return true;
    case O::I8x16ExtractLaneS:
    case O::I8x16ExtractLaneU:
    case O::I16x8ExtractLaneS:
    case O::I16x8ExtractLaneU:
    case O::I32x4ExtractLane:
    case O::I64x2ExtractLane:
    case O::F32x4ExtractLane:
    case O::F64x2ExtractLane:
      emit_extract(as, op, o);
      return true;
    case O::I8x16ReplaceLane:
    case O::I16x8ReplaceLane:
    case O::I32x4ReplaceLane:
    case O::I64x2ReplaceLane:
    case O::F32x4ReplaceLane:
    case O::F64x2ReplaceLane:
      emit_replace(as, op, o);
      return true;
    case O::I8x16Swizzle:
      as.tbl(dst.b16(), a.b16(), b.b16());
      return true;
    case O::I8x16Shuffle:
      emit_shuffle(as, o);
      return true;
    default:
      return false;
  }
}

a64::Vec element(uint32_t id, uint32_t lane_bytes, uint32_t index) {
  a64::VecV v = a64::v(id);
  switch (lane_bytes) {
    case 1:
      return v.b(index);
    case 2:
      return v.h(index);
    case 4:
      return v.s(index);
    default:
      return v.d(index);
  }
}

}  // namespace tern::jit::a64_backend
