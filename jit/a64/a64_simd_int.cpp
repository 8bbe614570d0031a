// Integer-lane SIMD on NEON (a64_simd_ops.h). Most ops are one instruction with wasm's exact
// semantics: add/sub/mul wrap, sq*/uq* saturate, abs wraps INT_MIN to itself, urhadd is avgr_u,
// sqrdmulh is q15mulr_sat_s ((a*b + 2^14) >> 15, with -2^15 squared saturating), cnt is popcnt.
#include "jit/a64/a64_simd_ops.h"

namespace tern::jit::a64_backend {

using namespace asmjit;
using a64::Inst;
using O = Opcode;

namespace {

// Ops that are one instruction over three registers of one arrangement.
struct Lanewise {
  InstId inst;
  uint8_t lane_bytes;
  bool swapped = false;  // the instruction takes (b, a): lt/le as gt/ge reversed
};

std::optional<Lanewise> lanewise_binary(Opcode op) {
  switch (op) {
    case O::I8x16Add:
      return Lanewise{Inst::kIdAdd_v, 1};
    case O::I16x8Add:
      return Lanewise{Inst::kIdAdd_v, 2};
    case O::I32x4Add:
      return Lanewise{Inst::kIdAdd_v, 4};
    case O::I64x2Add:
      return Lanewise{Inst::kIdAdd_v, 8};
    case O::I8x16Sub:
      return Lanewise{Inst::kIdSub_v, 1};
    case O::I16x8Sub:
      return Lanewise{Inst::kIdSub_v, 2};
    case O::I32x4Sub:
      return Lanewise{Inst::kIdSub_v, 4};
    case O::I64x2Sub:
      return Lanewise{Inst::kIdSub_v, 8};
    case O::I16x8Mul:
      return Lanewise{Inst::kIdMul_v, 2};
    case O::I32x4Mul:
      return Lanewise{Inst::kIdMul_v, 4};
    case O::I8x16AddSatS:
      return Lanewise{Inst::kIdSqadd_v, 1};
    case O::I16x8AddSatS:
      return Lanewise{Inst::kIdSqadd_v, 2};
    case O::I8x16AddSatU:
      return Lanewise{Inst::kIdUqadd_v, 1};
    case O::I16x8AddSatU:
      return Lanewise{Inst::kIdUqadd_v, 2};
    case O::I8x16SubSatS:
      return Lanewise{Inst::kIdSqsub_v, 1};
    case O::I16x8SubSatS:
      return Lanewise{Inst::kIdSqsub_v, 2};
    case O::I8x16SubSatU:
      return Lanewise{Inst::kIdUqsub_v, 1};
    case O::I16x8SubSatU:
      return Lanewise{Inst::kIdUqsub_v, 2};
    case O::I8x16MinS:
      return Lanewise{Inst::kIdSmin_v, 1};
    case O::I16x8MinS:
      return Lanewise{Inst::kIdSmin_v, 2};
    case O::I32x4MinS:
      return Lanewise{Inst::kIdSmin_v, 4};
    case O::I8x16MinU:
      return Lanewise{Inst::kIdUmin_v, 1};
    case O::I16x8MinU:
      return Lanewise{Inst::kIdUmin_v, 2};
    case O::I32x4MinU:
      return Lanewise{Inst::kIdUmin_v, 4};
    case O::I8x16MaxS:
      return Lanewise{Inst::kIdSmax_v, 1};
    case O::I16x8MaxS:
      return Lanewise{Inst::kIdSmax_v, 2};
    case O::I32x4MaxS:
      return Lanewise{Inst::kIdSmax_v, 4};
    case O::I8x16MaxU:
      return Lanewise{Inst::kIdUmax_v, 1};
    case O::I16x8MaxU:
      return Lanewise{Inst::kIdUmax_v, 2};
    case O::I32x4MaxU:
      return Lanewise{Inst::kIdUmax_v, 4};
    case O::I8x16AvgrU:
      return Lanewise{Inst::kIdUrhadd_v, 1};
    case O::I16x8AvgrU:
      return Lanewise{Inst::kIdUrhadd_v, 2};
    case O::I16x8Q15mulrSatS:
      return Lanewise{Inst::kIdSqrdmulh_v, 2};

    case O::I8x16Eq:
      return Lanewise{Inst::kIdCmeq_v, 1};
    case O::I16x8Eq:
      return Lanewise{Inst::kIdCmeq_v, 2};
    case O::I32x4Eq:
      return Lanewise{Inst::kIdCmeq_v, 4};
    case O::I64x2Eq:
      return Lanewise{Inst::kIdCmeq_v, 8};
    case O::I8x16GtS:
      return Lanewise{Inst::kIdCmgt_v, 1};
    case O::I16x8GtS:
      return Lanewise{Inst::kIdCmgt_v, 2};
    case O::I32x4GtS:
      return Lanewise{Inst::kIdCmgt_v, 4};
    case O::I64x2GtS:
      return Lanewise{Inst::kIdCmgt_v, 8};
    case O::I8x16GeS:
      return Lanewise{Inst::kIdCmge_v, 1};
    case O::I16x8GeS:
      return Lanewise{Inst::kIdCmge_v, 2};
    case O::I32x4GeS:
      return Lanewise{Inst::kIdCmge_v, 4};
    case O::I64x2GeS:
      return Lanewise{Inst::kIdCmge_v, 8};
    case O::I8x16GtU:
      return Lanewise{Inst::kIdCmhi_v, 1};
    case O::I16x8GtU:
      return Lanewise{Inst::kIdCmhi_v, 2};
    case O::I32x4GtU:
      return Lanewise{Inst::kIdCmhi_v, 4};
    case O::I8x16GeU:
      return Lanewise{Inst::kIdCmhs_v, 1};
    case O::I16x8GeU:
      return Lanewise{Inst::kIdCmhs_v, 2};
    case O::I32x4GeU:
      return Lanewise{Inst::kIdCmhs_v, 4};
    case O::I8x16LtS:
      return Lanewise{Inst::kIdCmgt_v, 1, true};
    case O::I16x8LtS:
      return Lanewise{Inst::kIdCmgt_v, 2, true};
    case O::I32x4LtS:
      return Lanewise{Inst::kIdCmgt_v, 4, true};
    case O::I64x2LtS:
      return Lanewise{Inst::kIdCmgt_v, 8, true};
    case O::I8x16LeS:
      return Lanewise{Inst::kIdCmge_v, 1, true};
    case O::I16x8LeS:
      return Lanewise{Inst::kIdCmge_v, 2, true};
    case O::I32x4LeS:
      return Lanewise{Inst::kIdCmge_v, 4, true};
    case O::I64x2LeS:
      return Lanewise{Inst::kIdCmge_v, 8, true};
    case O::I8x16LtU:
      return Lanewise{Inst::kIdCmhi_v, 1, true};
    case O::I16x8LtU:
      return Lanewise{Inst::kIdCmhi_v, 2, true};
    case O::I32x4LtU:
      return Lanewise{Inst::kIdCmhi_v, 4, true};
    case O::I8x16LeU:
      return Lanewise{Inst::kIdCmhs_v, 1, true};
    case O::I16x8LeU:
      return Lanewise{Inst::kIdCmhs_v, 2, true};
    case O::I32x4LeU:
      return Lanewise{Inst::kIdCmhs_v, 4, true};
    default:
      return std::nullopt;
  }
}

std::optional<Lanewise> lanewise_unary(Opcode op) {
  switch (op) {
    case O::I8x16Abs:
      return Lanewise{Inst::kIdAbs_v, 1};
    case O::I16x8Abs:
      return Lanewise{Inst::kIdAbs_v, 2};
    case O::I32x4Abs:
      return Lanewise{Inst::kIdAbs_v, 4};
    case O::I64x2Abs:
      return Lanewise{Inst::kIdAbs_v, 8};
    case O::I8x16Neg:
      return Lanewise{Inst::kIdNeg_v, 1};
    case O::I16x8Neg:
      return Lanewise{Inst::kIdNeg_v, 2};
    case O::I32x4Neg:
      return Lanewise{Inst::kIdNeg_v, 4};
    case O::I64x2Neg:
      return Lanewise{Inst::kIdNeg_v, 8};
    case O::I8x16Popcnt:
      return Lanewise{Inst::kIdCnt_v, 1};
    default:
      return std::nullopt;
  }
}

// i*.ne: eq, then every bit flipped.
uint32_t ne_lane_bytes(Opcode op) {
  switch (op) {
    case O::I8x16Ne:
      return 1;
    case O::I16x8Ne:
      return 2;
    case O::I32x4Ne:
      return 4;
    case O::I64x2Ne:
      return 8;
    default:
      return 0;
  }
}

struct ShiftForm {
  uint8_t lane_bytes;
  bool right;
  bool is_signed;
};

std::optional<ShiftForm> shift_form(Opcode op) {
  switch (op) {
    case O::I8x16Shl:
      return ShiftForm{1, false, false};
    case O::I16x8Shl:
      return ShiftForm{2, false, false};
    case O::I32x4Shl:
      return ShiftForm{4, false, false};
    case O::I64x2Shl:
      return ShiftForm{8, false, false};
    case O::I8x16ShrS:
      return ShiftForm{1, true, true};
    case O::I16x8ShrS:
      return ShiftForm{2, true, true};
    case O::I32x4ShrS:
      return ShiftForm{4, true, true};
    case O::I64x2ShrS:
      return ShiftForm{8, true, true};
    case O::I8x16ShrU:
      return ShiftForm{1, true, false};
    case O::I16x8ShrU:
      return ShiftForm{2, true, false};
    case O::I32x4ShrU:
      return ShiftForm{4, true, false};
    case O::I64x2ShrU:
      return ShiftForm{8, true, false};
    default:
      return std::nullopt;
  }
}

// Widening forms: the narrow lanes' width, which half they come from and their signedness.
struct Widening {
  uint8_t from_bytes;
  bool high;
  bool is_signed;
};

std::optional<Widening> extend_form(Opcode op) {
  switch (op) {
    case O::I16x8ExtendLowI8x16S:
      return Widening{1, false, true};
    case O::I16x8ExtendHighI8x16S:
      return Widening{1, true, true};
    case O::I16x8ExtendLowI8x16U:
      return Widening{1, false, false};
    case O::I16x8ExtendHighI8x16U:
      return Widening{1, true, false};
    case O::I32x4ExtendLowI16x8S:
      return Widening{2, false, true};
    case O::I32x4ExtendHighI16x8S:
      return Widening{2, true, true};
    case O::I32x4ExtendLowI16x8U:
      return Widening{2, false, false};
    case O::I32x4ExtendHighI16x8U:
      return Widening{2, true, false};
    case O::I64x2ExtendLowI32x4S:
      return Widening{4, false, true};
    case O::I64x2ExtendHighI32x4S:
      return Widening{4, true, true};
    case O::I64x2ExtendLowI32x4U:
      return Widening{4, false, false};
    case O::I64x2ExtendHighI32x4U:
      return Widening{4, true, false};
    default:
      return std::nullopt;
  }
}

std::optional<Widening> extmul_form(Opcode op) {
  switch (op) {
    case O::I16x8ExtmulLowI8x16S:
      return Widening{1, false, true};
    case O::I16x8ExtmulHighI8x16S:
      return Widening{1, true, true};
    case O::I16x8ExtmulLowI8x16U:
      return Widening{1, false, false};
    case O::I16x8ExtmulHighI8x16U:
      return Widening{1, true, false};
    case O::I32x4ExtmulLowI16x8S:
      return Widening{2, false, true};
    case O::I32x4ExtmulHighI16x8S:
      return Widening{2, true, true};
    case O::I32x4ExtmulLowI16x8U:
      return Widening{2, false, false};
    case O::I32x4ExtmulHighI16x8U:
      return Widening{2, true, false};
    case O::I64x2ExtmulLowI32x4S:
      return Widening{4, false, true};
    case O::I64x2ExtmulHighI32x4S:
      return Widening{4, true, true};
    case O::I64x2ExtmulLowI32x4U:
      return Widening{4, false, false};
    case O::I64x2ExtmulHighI32x4U:
      return Widening{4, true, false};
    default:
      return std::nullopt;
  }
}

std::optional<Widening> extadd_pairwise_form(Opcode op) {
  switch (op) {
    case O::I16x8ExtaddPairwiseI8x16S:
      return Widening{1, false, true};
    case O::I16x8ExtaddPairwiseI8x16U:
      return Widening{1, false, false};
    case O::I32x4ExtaddPairwiseI16x8S:
      return Widening{2, false, true};
    case O::I32x4ExtaddPairwiseI16x8U:
      return Widening{2, false, false};
    default:
      return std::nullopt;
  }
}

// Lanes of a shifted by the count modulo the lane width: ushl/sshl shift each lane by the
// signed low byte of the matching lane of a count vector, right for a negative count.
void emit_shift(a64::Assembler& as, const ShiftForm& f, const SimdOperands& o) {
  uint32_t bits = f.lane_bytes * 8;
  a64::GpW count = kGpTmp.w();
  as.and_(count, a64::w(o.srcs[1]), bits - 1);
  if (f.right) as.neg(count, count);
  if (f.lane_bytes == 8) {
    as.dup(kVecTmp.d2(), kGpTmp);
  } else {
    as.dup(lanes(kVecTmp.id(), f.lane_bytes), count);
  }
  as.emit(f.is_signed ? Inst::kIdSshl_v : Inst::kIdUshl_v, lanes(o.dst, f.lane_bytes),
          lanes(o.srcs[0], f.lane_bytes), lanes(kVecTmp.id(), f.lane_bytes));
}

// a's lanes then b's, each saturated into lanes half as wide (signed input; the _u forms
// saturate to the unsigned range: sqxtun).
void emit_narrow(a64::Assembler& as, uint32_t from_bytes, bool to_unsigned, const SimdOperands& o) {
  uint32_t b = o.srcs[1];
  if (b == o.dst) {  // both operands are one register, which the low half overwrites
    as.mov(kVecTmp.b16(), a64::v(b).b16());
    b = kVecTmp.id();
  }
  uint32_t to_bytes = from_bytes / 2;
  as.emit(to_unsigned ? Inst::kIdSqxtun_v : Inst::kIdSqxtn_v, lanes(o.dst, to_bytes, true),
          lanes(o.srcs[0], from_bytes));
  as.emit(to_unsigned ? Inst::kIdSqxtun2_v : Inst::kIdSqxtn2_v, lanes(o.dst, to_bytes),
          lanes(b, from_bytes));
}

// i64x2.mul: NEON has no 64-bit lane multiply; each lane goes through general-purpose registers.
void emit_i64x2_mul(a64::Assembler& as, const SimdOperands& o) {
  const a64::GpX lo = kGpTmp, hi = a64::x8, rhs = kGpTmp2;
  as.fmov(lo, a64::d(o.srcs[0]));
  as.fmov(rhs, a64::d(o.srcs[1]));
  as.mul(lo, lo, rhs);
  as.umov(hi, a64::v(o.srcs[0]).d(1));
  as.umov(rhs, a64::v(o.srcs[1]).d(1));
  as.mul(hi, hi, rhs);
  as.fmov(a64::d(o.dst), lo);
  as.ins(a64::v(o.dst).d(1), hi);
}

}  // namespace

bool emit_simd_int(a64::Assembler& as, Opcode op, const SimdOperands& o) {
  uint32_t a = o.srcs[0], b = o.srcs[1];
  if (auto f = lanewise_binary(op)) {
    as.emit(f->inst, lanes(o.dst, f->lane_bytes), lanes(f->swapped ? b : a, f->lane_bytes),
            lanes(f->swapped ? a : b, f->lane_bytes));
    return true;
  }
  if (auto f = lanewise_unary(op)) {
    as.emit(f->inst, lanes(o.dst, f->lane_bytes), lanes(a, f->lane_bytes));
    return true;
  }
  if (uint32_t bytes = ne_lane_bytes(op)) {
    as.emit(Inst::kIdCmeq_v, lanes(o.dst, bytes), lanes(a, bytes), lanes(b, bytes));
    as.mvn(a64::v(o.dst).b16(), a64::v(o.dst).b16());
    return true;
  }
  if (auto f = shift_form(op)) {
    emit_shift(as, *f, o);
    return true;
  }
  if (auto f = extend_form(op)) {
    InstId inst = f->is_signed ? (f->high ? Inst::kIdSxtl2_v : Inst::kIdSxtl_v)
                               : (f->high ? Inst::kIdUxtl2_v : Inst::kIdUxtl_v);
    as.emit(inst, lanes(o.dst, f->from_bytes * 2), lanes(a, f->from_bytes, !f->high));
    return true;
  }
  if (auto f = extmul_form(op)) {
    InstId inst = f->is_signed ? (f->high ? Inst::kIdSmull2_v : Inst::kIdSmull_v)
                               : (f->high ? Inst::kIdUmull2_v : Inst::kIdUmull_v);
    as.emit(inst, lanes(o.dst, f->from_bytes * 2), lanes(a, f->from_bytes, !f->high),
            lanes(b, f->from_bytes, !f->high));
    return true;
  }
  if (auto f = extadd_pairwise_form(op)) {
    as.emit(f->is_signed ? Inst::kIdSaddlp_v : Inst::kIdUaddlp_v, lanes(o.dst, f->from_bytes * 2),
            lanes(a, f->from_bytes));
    return true;
  }
  switch (op) {
    case O::I8x16NarrowI16x8S:
      emit_narrow(as, 2, false, o);
      return true;
    case O::I8x16NarrowI16x8U:
      emit_narrow(as, 2, true, o);
      return true;
    case O::I16x8NarrowI32x4S:
      emit_narrow(as, 4, false, o);
      return true;
    case O::I16x8NarrowI32x4U:
      emit_narrow(as, 4, true, o);
      return true;
    case O::I64x2Mul:
      emit_i64x2_mul(as, o);
      return true;
    case O::I32x4DotI16x8S:
      // Products of each half widened to i32, then adjacent pairs added (wrapping).
      as.smull(kVecTmp.s4(), a64::v(a).h4(), a64::v(b).h4());
      as.smull2(kVecTmp2.s4(), a64::v(a).h8(), a64::v(b).h8());
      as.addp(a64::v(o.dst).s4(), kVecTmp.s4(), kVecTmp2.s4());
      return true;
    default:
      return false;
  }
}

}  // namespace tern::jit::a64_backend
