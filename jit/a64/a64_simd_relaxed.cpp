// Relaxed SIMD on NEON (a64_simd_ops.h), with the interpreter's deterministic choices
// (docs/conformance.md): most are their Wasm 2.0 counterparts; madd and nmadd round twice (fmul
// then fadd, never fmla, which fuses), and the i8x16 dot products treat both operands as signed.
#include "jit/a64/a64_simd_ops.h"
#include "jit/common/relaxed_simd.h"

namespace tern::jit::a64_backend {

using namespace asmjit;
using O = Opcode;

namespace {

// a * b + c (or -a * b + c) in v31, rounded after the product and after the sum. -a is formed
// first: negating the product instead would flip the sign of a NaN coming from b.
void emit_madd(a64::Assembler& as, bool negate, uint32_t lane_bytes, const SimdOperands& o) {
  a64::Vec tmp = lanes(kVecTmp.id(), lane_bytes);
  a64::Vec a = lanes(o.srcs[0], lane_bytes);
  if (negate) {
    as.fneg(tmp, a);
    a = tmp;
  }
  as.fmul(tmp, a, lanes(o.srcs[1], lane_bytes));
  as.fadd(lanes(o.dst, lane_bytes), tmp, lanes(o.srcs[2], lane_bytes));
}

// The i16x8 relaxed dot product into `dst`: each pair of byte products (exact in i16) summed
// exactly in i32 (saddlp) and then saturated back to i16 (sqxtn), as only -128 * -128 twice
// overflows. Reads a and b before writing dst.
void emit_dot_i8x16(a64::Assembler& as, const a64::VecV& dst, const SimdOperands& o) {
  a64::VecV a = a64::v(o.srcs[0]), b = a64::v(o.srcs[1]);
  as.smull(kVecTmp.h8(), a.b8(), b.b8());
  as.smull2(kVecTmp2.h8(), a.b16(), b.b16());
  as.saddlp(kVecTmp.s4(), kVecTmp.h8());
  as.saddlp(kVecTmp2.s4(), kVecTmp2.h8());
  as.sqxtn(dst.h4(), kVecTmp.s4());
  as.sqxtn2(dst.h8(), kVecTmp2.s4());
}

}  // namespace

bool emit_simd_relaxed(a64::Assembler& as, Opcode op, const SimdOperands& o) {
  if (Opcode same = relaxed_counterpart(op); same != op) return emit_simd_op(as, same, o);
  switch (op) {
    case O::F32x4RelaxedMadd:
      emit_madd(as, false, 4, o);
      return true;
    case O::F32x4RelaxedNmadd:
      emit_madd(as, true, 4, o);
      return true;
    case O::F64x2RelaxedMadd:
      emit_madd(as, false, 8, o);
      return true;
    case O::F64x2RelaxedNmadd:
      emit_madd(as, true, 8, o);
      return true;
    case O::I16x8RelaxedDotI8x16I7x16S:
      emit_dot_i8x16(as, a64::v(o.dst), o);
      return true;
    case O::I32x4RelaxedDotI8x16I7x16AddS:
      // The i16 dot, its pairs added into i32 lanes, then c (read last: it may be dst).
      emit_dot_i8x16(as, kVecTmp, o);
      as.saddlp(kVecTmp.s4(), kVecTmp.h8());
      as.add(a64::v(o.dst).s4(), kVecTmp.s4(), a64::v(o.srcs[2]).s4());
      return true;
    default:
      return false;
  }
}

}  // namespace tern::jit::a64_backend
