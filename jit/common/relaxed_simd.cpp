#include "jit/common/relaxed_simd.h"

namespace tern::jit {

using O = Opcode;

Opcode relaxed_counterpart(Opcode op) {
  switch (op) {
    case O::I8x16RelaxedSwizzle:
      return O::I8x16Swizzle;
    case O::I32x4RelaxedTruncF32x4S:
      return O::I32x4TruncSatF32x4S;
    case O::I32x4RelaxedTruncF32x4U:
      return O::I32x4TruncSatF32x4U;
    case O::I32x4RelaxedTruncF64x2SZero:
      return O::I32x4TruncSatF64x2SZero;
    case O::I32x4RelaxedTruncF64x2UZero:
      return O::I32x4TruncSatF64x2UZero;
    case O::I8x16RelaxedLaneselect:
    case O::I16x8RelaxedLaneselect:
    case O::I32x4RelaxedLaneselect:
    case O::I64x2RelaxedLaneselect:
      return O::V128Bitselect;
    case O::F32x4RelaxedMin:
      return O::F32x4Min;
    case O::F32x4RelaxedMax:
      return O::F32x4Max;
    case O::F64x2RelaxedMin:
      return O::F64x2Min;
    case O::F64x2RelaxedMax:
      return O::F64x2Max;
    case O::I16x8RelaxedQ15mulrS:
      return O::I16x8Q15mulrSatS;
    default:
      return op;
  }
}

}  // namespace tern::jit
