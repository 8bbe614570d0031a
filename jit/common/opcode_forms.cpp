#include "jit/common/opcode_forms.h"

namespace tern::jit {

// clang-format off
std::optional<InlineAlu> inline_alu(Opcode op) {
  switch (op) {
#define TERN_ALU(name)                                                 \
  case Opcode::I32##name: return InlineAlu{AluOp::name, Width::W32}; \
  case Opcode::I64##name: return InlineAlu{AluOp::name, Width::W64};
    TERN_ALU(Add) TERN_ALU(Sub) TERN_ALU(Mul) TERN_ALU(And) TERN_ALU(Or) TERN_ALU(Xor)
    TERN_ALU(Shl) TERN_ALU(ShrS) TERN_ALU(ShrU) TERN_ALU(Rotl) TERN_ALU(Rotr)
#undef TERN_ALU
    default: return std::nullopt;
  }
}
// clang-format on

// clang-format off
std::optional<InlineCompare> inline_compare(Opcode op) {
  switch (op) {
#define INT_COMPARE(cond, negated, op, T32, T64)                        \
  case Opcode::I32##cond: return InlineCompare{Cond::cond, Width::W32}; \
  case Opcode::I64##cond: return InlineCompare{Cond::cond, Width::W64};
#include "engine/compare_ops.def"
    default: return std::nullopt;
  }
}
// clang-format on

// clang-format off
std::optional<InlineDiv> inline_div(Opcode op) {
  switch (op) {
#define TERN_DIV(name)                                                 \
  case Opcode::I32##name: return InlineDiv{DivOp::name, Width::W32}; \
  case Opcode::I64##name: return InlineDiv{DivOp::name, Width::W64};
    TERN_DIV(DivS) TERN_DIV(DivU) TERN_DIV(RemS) TERN_DIV(RemU)
#undef TERN_DIV
    default: return std::nullopt;
  }
}

std::optional<InlineBitCount> inline_bit_count(Opcode op) {
  switch (op) {
#define TERN_COUNT(name)                                                      \
  case Opcode::I32##name: return InlineBitCount{BitCount::name, Width::W32}; \
  case Opcode::I64##name: return InlineBitCount{BitCount::name, Width::W64};
    TERN_COUNT(Clz) TERN_COUNT(Ctz) TERN_COUNT(Popcnt)
#undef TERN_COUNT
    default: return std::nullopt;
  }
}

std::optional<InlineFp> inline_fp(Opcode op) {
  switch (op) {
#define TERN_FP(name)                                              \
  case Opcode::F32##name: return InlineFp{FpOp::name, Width::W32}; \
  case Opcode::F64##name: return InlineFp{FpOp::name, Width::W64};
    TERN_FP(Add) TERN_FP(Sub) TERN_FP(Mul) TERN_FP(Div) TERN_FP(Min) TERN_FP(Max)
    TERN_FP(Copysign)
#undef TERN_FP
    default: return std::nullopt;
  }
}

std::optional<InlineFpUnary> inline_fp_unary(Opcode op) {
  switch (op) {
#define TERN_FP_UNARY(name)                                                   \
  case Opcode::F32##name: return InlineFpUnary{FpUnaryOp::name, Width::W32}; \
  case Opcode::F64##name: return InlineFpUnary{FpUnaryOp::name, Width::W64};
    TERN_FP_UNARY(Abs) TERN_FP_UNARY(Neg) TERN_FP_UNARY(Sqrt) TERN_FP_UNARY(Ceil)
    TERN_FP_UNARY(Floor) TERN_FP_UNARY(Trunc) TERN_FP_UNARY(Nearest)
#undef TERN_FP_UNARY
    default: return std::nullopt;
  }
}

std::optional<InlineFpCompare> inline_fp_compare(Opcode op) {
  switch (op) {
#define TERN_FP_CMP(name)                                                    \
  case Opcode::F32##name: return InlineFpCompare{FpCond::name, Width::W32}; \
  case Opcode::F64##name: return InlineFpCompare{FpCond::name, Width::W64};
    TERN_FP_CMP(Eq) TERN_FP_CMP(Ne) TERN_FP_CMP(Lt) TERN_FP_CMP(Gt) TERN_FP_CMP(Le)
    TERN_FP_CMP(Ge)
#undef TERN_FP_CMP
    default: return std::nullopt;
  }
}

std::optional<InlineConversion> inline_conversion_of(Opcode op) {
  switch (op) {
#define TERN_CONV(kind, op_name, iw, fw, sign) \
  case Opcode::op_name: return InlineConversion{ConvKind::kind, IntFp{Width::W##iw, Width::W##fw, sign}};
#define TERN_CONV_SU(kind, prefix, iw, fw)      \
  TERN_CONV(kind, prefix##S, iw, fw, true)      \
  TERN_CONV(kind, prefix##U, iw, fw, false)
    TERN_CONV_SU(IntToFp, F32ConvertI32, 32, 32) TERN_CONV_SU(IntToFp, F32ConvertI64, 64, 32)
    TERN_CONV_SU(IntToFp, F64ConvertI32, 32, 64) TERN_CONV_SU(IntToFp, F64ConvertI64, 64, 64)
    TERN_CONV_SU(Trunc, I32TruncF32, 32, 32) TERN_CONV_SU(Trunc, I32TruncF64, 32, 64)
    TERN_CONV_SU(Trunc, I64TruncF32, 64, 32) TERN_CONV_SU(Trunc, I64TruncF64, 64, 64)
    TERN_CONV_SU(TruncSat, I32TruncSatF32, 32, 32) TERN_CONV_SU(TruncSat, I32TruncSatF64, 32, 64)
    TERN_CONV_SU(TruncSat, I64TruncSatF32, 64, 32) TERN_CONV_SU(TruncSat, I64TruncSatF64, 64, 64)
#undef TERN_CONV_SU
#undef TERN_CONV
    default: return std::nullopt;
  }
}
// clang-format on

std::optional<MemAccess> mem_access(Opcode op) {
  switch (op) {
    case Opcode::I32Load:
    case Opcode::F32Load:
    case Opcode::I32Store:
    case Opcode::F32Store:
      return MemAccess{4, false, Width::W32};
    case Opcode::I64Load:
    case Opcode::F64Load:
    case Opcode::I64Store:
    case Opcode::F64Store:
      return MemAccess{8, false, Width::W64};
    case Opcode::I32Load8S:
      return MemAccess{1, true, Width::W32};
    case Opcode::I32Load8U:
    case Opcode::I32Store8:
      return MemAccess{1, false, Width::W32};
    case Opcode::I32Load16S:
      return MemAccess{2, true, Width::W32};
    case Opcode::I32Load16U:
    case Opcode::I32Store16:
      return MemAccess{2, false, Width::W32};
    case Opcode::I64Load8S:
      return MemAccess{1, true, Width::W64};
    case Opcode::I64Load8U:
    case Opcode::I64Store8:
      return MemAccess{1, false, Width::W64};
    case Opcode::I64Load16S:
      return MemAccess{2, true, Width::W64};
    case Opcode::I64Load16U:
    case Opcode::I64Store16:
      return MemAccess{2, false, Width::W64};
    case Opcode::I64Load32S:
      return MemAccess{4, true, Width::W64};
    case Opcode::I64Load32U:
    case Opcode::I64Store32:
      return MemAccess{4, false, Width::W64};
    default:
      return std::nullopt;
  }
}

bool is_store(Opcode op) {
  return info(op).sig.size() == 3 && info(op).sig[2] == '_';
}

}  // namespace tern::jit
