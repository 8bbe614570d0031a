// Dispatch of the computational SIMD ops to their family (a64_simd_ops.h), and what the
// families share: lane views and constants.
#include "jit/a64/a64_simd_ops.h"

#include <algorithm>
#include <cstring>

namespace tern::jit::a64_backend {

using namespace asmjit;

a64::Vec lanes(uint32_t id, uint32_t lane_bytes, bool half) {
  a64::VecV v = a64::v(id);
  switch (lane_bytes) {
    case 1:
      return half ? a64::Vec(v.b8()) : a64::Vec(v.b16());
    case 2:
      return half ? a64::Vec(v.h4()) : a64::Vec(v.h8());
    case 4:
      return half ? a64::Vec(v.s2()) : a64::Vec(v.s4());
    default:
      return v.d2();
  }
}

namespace {

// dst = bits: movz, then movk for each other non-zero halfword.
void move_gp(a64::Assembler& as, const a64::GpX& dst, uint64_t bits) {
  bool first = true;
  for (uint32_t i = 0; i < 4; ++i) {
    uint16_t half = uint16_t(bits >> (16 * i));
    if (half == 0) continue;
    first ? as.movz(dst, half, arm::lsl(16 * i)) : as.movk(dst, half, arm::lsl(16 * i));
    first = false;
  }
  if (first) as.mov(dst, a64::xzr);
}

}  // namespace

void load_v128_constant(a64::Assembler& as, const a64::VecV& dst, const V128& bits) {
  if (std::all_of(std::begin(bits.bytes), std::end(bits.bytes),
                  [&](uint8_t b) { return b == bits.bytes[0]; })) {
    as.movi(dst.b16(), bits.bytes[0]);
    return;
  }
  uint64_t halves[2];
  std::memcpy(halves, bits.bytes, 16);
  move_gp(as, kGpTmp, halves[0]);
  if (halves[1] == halves[0]) {
    as.dup(dst.d2(), kGpTmp);
    return;
  }
  as.fmov(dst.d(), kGpTmp);  // clears the high half
  if (halves[1] == 0) return;
  move_gp(as, kGpTmp, halves[1]);
  as.ins(dst.d(1), kGpTmp);
}

bool emits_simd_op(Opcode op) {
  const OpcodeInfo& i = info(op);
  return i.prefix == 0xFD && i.imm != ImmKind::MemArg && i.imm != ImmKind::MemArgLane &&
         op != Opcode::V128Const;
}

bool emit_simd_op(a64::Assembler& as, Opcode op, const SimdOperands& o) {
  return emit_simd_int(as, op, o) || emit_simd_float(as, op, o) || emit_simd_lanes(as, op, o) ||
         emit_simd_relaxed(as, op, o);
}

}  // namespace tern::jit::a64_backend
