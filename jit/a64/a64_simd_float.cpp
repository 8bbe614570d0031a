// Float-lane SIMD and conversions on NEON (a64_simd_ops.h). NEON arithmetic already has the
// interpreter's results: NaN results are the operand NaN quieted (FPCR.DN is clear), frint*
// keep the sign of zero, fcvtz* saturate with NaN giving 0 (trunc_sat), fcvtn/fcvtl keep a NaN's
// sign and top payload bits. Only min/max differ: fmin/fmax pick a signalling NaN over a quiet
// one, the interpreter the first NaN operand, which a fix-up restores.
#include "jit/a64/a64_simd_ops.h"

namespace tern::jit::a64_backend {

using namespace asmjit;
using a64::Inst;
using O = Opcode;

namespace {

struct FloatForm {
  InstId inst;
  uint8_t lane_bytes;
  bool swapped = false;  // lt/le as gt/ge with the operands reversed
};

// clang-format off
std::optional<FloatForm> float_binary(Opcode op) {
  switch (op) {
    case O::F32x4Add: return FloatForm{Inst::kIdFadd_v, 4};
    case O::F64x2Add: return FloatForm{Inst::kIdFadd_v, 8};
    case O::F32x4Sub: return FloatForm{Inst::kIdFsub_v, 4};
    case O::F64x2Sub: return FloatForm{Inst::kIdFsub_v, 8};
    case O::F32x4Mul: return FloatForm{Inst::kIdFmul_v, 4};
    case O::F64x2Mul: return FloatForm{Inst::kIdFmul_v, 8};
    case O::F32x4Div: return FloatForm{Inst::kIdFdiv_v, 4};
    case O::F64x2Div: return FloatForm{Inst::kIdFdiv_v, 8};
    case O::F32x4Eq: return FloatForm{Inst::kIdFcmeq_v, 4};
    case O::F64x2Eq: return FloatForm{Inst::kIdFcmeq_v, 8};
    case O::F32x4Gt: return FloatForm{Inst::kIdFcmgt_v, 4};
    case O::F64x2Gt: return FloatForm{Inst::kIdFcmgt_v, 8};
    case O::F32x4Ge: return FloatForm{Inst::kIdFcmge_v, 4};
    case O::F64x2Ge: return FloatForm{Inst::kIdFcmge_v, 8};
    case O::F32x4Lt: return FloatForm{Inst::kIdFcmgt_v, 4, true};
    case O::F64x2Lt: return FloatForm{Inst::kIdFcmgt_v, 8, true};
    case O::F32x4Le: return FloatForm{Inst::kIdFcmge_v, 4, true};
    case O::F64x2Le: return FloatForm{Inst::kIdFcmge_v, 8, true};
    default: return std::nullopt;
  }
}

std::optional<FloatForm> float_unary(Opcode op) {
  switch (op) {
    case O::F32x4Abs: return FloatForm{Inst::kIdFabs_v, 4};
    case O::F64x2Abs: return FloatForm{Inst::kIdFabs_v, 8};
    case O::F32x4Neg: return FloatForm{Inst::kIdFneg_v, 4};
    case O::F64x2Neg: return FloatForm{Inst::kIdFneg_v, 8};
    case O::F32x4Sqrt: return FloatForm{Inst::kIdFsqrt_v, 4};
    case O::F64x2Sqrt: return FloatForm{Inst::kIdFsqrt_v, 8};
    case O::F32x4Ceil: return FloatForm{Inst::kIdFrintp_v, 4};
    case O::F64x2Ceil: return FloatForm{Inst::kIdFrintp_v, 8};
    case O::F32x4Floor: return FloatForm{Inst::kIdFrintm_v, 4};
    case O::F64x2Floor: return FloatForm{Inst::kIdFrintm_v, 8};
    case O::F32x4Trunc: return FloatForm{Inst::kIdFrintz_v, 4};
    case O::F64x2Trunc: return FloatForm{Inst::kIdFrintz_v, 8};
    case O::F32x4Nearest: return FloatForm{Inst::kIdFrintn_v, 4};
    case O::F64x2Nearest: return FloatForm{Inst::kIdFrintn_v, 8};
    case O::I32x4TruncSatF32x4S: return FloatForm{Inst::kIdFcvtzs_v, 4};
    case O::I32x4TruncSatF32x4U: return FloatForm{Inst::kIdFcvtzu_v, 4};
    case O::F32x4ConvertI32x4S: return FloatForm{Inst::kIdScvtf_v, 4};
    case O::F32x4ConvertI32x4U: return FloatForm{Inst::kIdUcvtf_v, 4};
    default: return std::nullopt;
  }
}
// clang-format on

// Wasm min/max: fmin/fmax, except that a NaN in a gives a quieted (a + a keeps its payload),
// as the interpreter's "first NaN operand" rule has it.
void emit_min_max(a64::Assembler& as, bool is_max, uint32_t lane_bytes, const SimdOperands& o) {
  a64::Vec a = lanes(o.srcs[0], lane_bytes), b = lanes(o.srcs[1], lane_bytes);
  a64::Vec result = lanes(kVecTmp.id(), lane_bytes), a_ordered = lanes(kVecTmp2.id(), lane_bytes);
  as.emit(is_max ? Inst::kIdFmax_v : Inst::kIdFmin_v, result, a, b);
  as.fcmeq(a_ordered, a, a);
  as.fadd(lanes(o.dst, lane_bytes), a, a);
  as.bit(a64::v(o.dst).b16(), kVecTmp.b16(), kVecTmp2.b16());
}

// Pseudo-min/max: b where b < a (pmin) or a < b (pmax), else a; a NaN compares false, so a
// passes through as is.
void emit_pmin_pmax(a64::Assembler& as, bool is_max, uint32_t lane_bytes, const SimdOperands& o) {
  a64::Vec a = lanes(o.srcs[0], lane_bytes), b = lanes(o.srcs[1], lane_bytes);
  as.fcmgt(lanes(kVecTmp.id(), lane_bytes), is_max ? b : a, is_max ? a : b);
  if (o.dst != o.srcs[0]) as.mov(a64::v(o.dst).b16(), a64::v(o.srcs[0]).b16());
  as.bit(a64::v(o.dst).b16(), a64::v(o.srcs[1]).b16(), kVecTmp.b16());
}

}  // namespace

bool emit_simd_float(a64::Assembler& as, Opcode op, const SimdOperands& o) {
  uint32_t a = o.srcs[0], b = o.srcs[1];
  if (auto f = float_binary(op)) {
    as.emit(f->inst, lanes(o.dst, f->lane_bytes), lanes(f->swapped ? b : a, f->lane_bytes),
            lanes(f->swapped ? a : b, f->lane_bytes));
    return true;
  }
  if (auto f = float_unary(op)) {
    as.emit(f->inst, lanes(o.dst, f->lane_bytes), lanes(a, f->lane_bytes));
    return true;
  }
  switch (op) {
    case O::F32x4Ne:
    case O::F64x2Ne: {
      uint32_t bytes = op == O::F32x4Ne ? 4 : 8;
      as.fcmeq(lanes(o.dst, bytes), lanes(a, bytes), lanes(b, bytes));
      as.mvn(a64::v(o.dst).b16(), a64::v(o.dst).b16());
      return true;
    }
    case O::F32x4Min:
      emit_min_max(as, false, 4, o);
      return true;
    case O::F64x2Min:
      emit_min_max(as, false, 8, o);
      return true;
    case O::F32x4Max:
      emit_min_max(as, true, 4, o);
      return true;
    case O::F64x2Max:
      emit_min_max(as, true, 8, o);
      return true;
    case O::F32x4Pmin:
      emit_pmin_pmax(as, false, 4, o);
      return true;
    case O::F64x2Pmin:
      emit_pmin_pmax(as, false, 8, o);
      return true;
    case O::F32x4Pmax:
      emit_pmin_pmax(as, true, 4, o);
      return true;
    case O::F64x2Pmax:
      emit_pmin_pmax(as, true, 8, o);
      return true;
    case O::I32x4TruncSatF64x2SZero:
    case O::I32x4TruncSatF64x2UZero: {
      // To 64-bit lanes (saturating), then narrowed with saturation; the high half becomes 0.
      bool is_signed = op == O::I32x4TruncSatF64x2SZero;
      as.emit(is_signed ? Inst::kIdFcvtzs_v : Inst::kIdFcvtzu_v, kVecTmp.d2(), a64::v(a).d2());
      as.emit(is_signed ? Inst::kIdSqxtn_v : Inst::kIdUqxtn_v, a64::v(o.dst).s2(), kVecTmp.d2());
      return true;
    }
    case O::F64x2ConvertLowI32x4S:
    case O::F64x2ConvertLowI32x4U: {
      // Widened exactly to 64-bit integers, then converted (every i32 is a double).
      bool is_signed = op == O::F64x2ConvertLowI32x4S;
      as.emit(is_signed ? Inst::kIdSxtl_v : Inst::kIdUxtl_v, kVecTmp.d2(), a64::v(a).s2());
      as.emit(is_signed ? Inst::kIdScvtf_v : Inst::kIdUcvtf_v, a64::v(o.dst).d2(), kVecTmp.d2());
      return true;
    }
    case O::F32x4DemoteF64x2Zero:
      as.fcvtn(a64::v(o.dst).s2(), a64::v(a).d2());
      return true;
    case O::F64x2PromoteLowF32x4:
      as.fcvtl(a64::v(o.dst).d2(), a64::v(a).s2());
      return true;
    default:
      return false;
  }
}

}  // namespace tern::jit::a64_backend
