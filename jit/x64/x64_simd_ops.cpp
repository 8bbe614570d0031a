// The entry points of the x64 SIMD op emitters and the helpers every family shares
// (x64_simd_emitter.h); the op families are in x64_simd_{int,int_compare,float,conversion,lanes,
// relaxed}.cpp.
#include "jit/x64/x64_simd_ops.h"

#include <bit>
#include <cstring>

#include "jit/common/relaxed_simd.h"
#include "jit/x64/x64_simd_emitter.h"

namespace tern::jit {

namespace x64_simd {

namespace {

template <class T>
Mem splat(const SimdEmitter& e, T lane) {
  V128 bits;
  for (size_t i = 0; i < 16; i += sizeof(T)) std::memcpy(bits.bytes + i, &lane, sizeof(T));
  return e.constant(bits);
}

}  // namespace

Mem SimdEmitter::splat8(uint8_t v) const {
  return splat(*this, v);
}
Mem SimdEmitter::splat16(uint16_t v) const {
  return splat(*this, v);
}
Mem SimdEmitter::splat32(uint32_t v) const {
  return splat(*this, v);
}
Mem SimdEmitter::splat64(uint64_t v) const {
  return splat(*this, v);
}
Mem SimdEmitter::splat_f32(float v) const {
  return splat(*this, std::bit_cast<uint32_t>(v));
}
Mem SimdEmitter::splat_f64(double v) const {
  return splat(*this, std::bit_cast<uint64_t>(v));
}

void SimdEmitter::v(VecInst i, const Xmm& dst, const Xmm& a, const asmjit::Operand_& b) {
  if (avx()) {
    as.emit(i.vex, dst, a, b);
  } else {
    mov(dst, a);
    as.emit(i.sse, dst, b);
  }
}

void SimdEmitter::v(VecInst i, const Xmm& dst, const Xmm& a, const asmjit::Operand_& b,
                    uint32_t imm) {
  if (avx()) {
    as.emit(i.vex, dst, a, b, asmjit::imm(imm));
  } else {
    mov(dst, a);
    as.emit(i.sse, dst, b, asmjit::imm(imm));
  }
}

void SimdEmitter::v_into_second(VecInst i, const Xmm& dst, const Xmm& a, const Xmm& b) {
  if (avx() || dst != b) return v(i, dst, a, b);
  v(i, t0(), a, b);
  mov(dst, t0());
}

void SimdEmitter::v_into_second(VecInst i, const Xmm& dst, const Xmm& a, const Xmm& b,
                                uint32_t imm) {
  if (avx() || dst != b) return v(i, dst, a, b, imm);
  v(i, t0(), a, b, imm);
  mov(dst, t0());
}

}  // namespace x64_simd

bool x64_emits_simd_op(Opcode op) {
  const OpcodeInfo& i = info(op);
  return i.prefix == 0xFD && i.imm != ImmKind::MemArg && i.imm != ImmKind::MemArgLane &&
         i.imm != ImmKind::V128;
}

void emit_x64_simd_op(asmjit::x86::Assembler& as, Opcode op, const X64SimdOperands& o) {
  using namespace x64_simd;
  SimdEmitter e(as, o);
  op = relaxed_counterpart(op);
  // Each family declines the ops of the others; x64_emits_simd_op vouches that one accepts.
  emit_int_op(e, op) || emit_int_compare(e, op) || emit_float_op(e, op) || emit_conversion(e, op) ||
      emit_lane_op(e, op) || emit_relaxed_op(e, op);
}

}  // namespace tern::jit
