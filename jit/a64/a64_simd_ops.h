// The AArch64 NEON code of each computational SIMD instruction (SimdAssembler::op), by family:
// a64_simd_int.cpp (integer lanes), a64_simd_float.cpp (float lanes and conversions),
// a64_simd_lanes.cpp (bitwise, splat, lanes, shuffles, tests) and a64_simd_relaxed.cpp (relaxed
// SIMD). Each computes exactly what engine/interp/simd.h computes, bit for bit.
//
// Operands are machine registers: v128, f32 and f64 ones are vector registers v0-v29, i32 and i64
// ones general-purpose registers (an i32 in the w view, the high half of x zero on output). dst is
// srcs[0] (same class) or distinct from every source; a sequence of several instructions writes
// dst only once no source is needed after it. v30 and v31 (consecutive: tbl's two-register
// table) and x16 and x9 are scratch.
#pragma once

#include <asmjit/arm/a64assembler.h>
#include <asmjit/core.h>

#include <cstdint>
#include <optional>

#include "engine/opcodes.h"
#include "tern/value.h"

namespace tern::jit::a64_backend {

namespace a64 = asmjit::a64;

struct SimdOperands {
  uint32_t dst = 0;       // register id (vN or xN, by the op's result type)
  uint32_t srcs[3] = {};  // register ids, in Wasm operand order
  V128 imm{};             // byte 0: extract/replace_lane's lane; i8x16.shuffle: its 16 indices
};

// Whether emit_simd_op compiles `op`: every computational 0xFD opcode (not memory, not const).
bool emits_simd_op(Opcode op);
// False (emitting nothing) for any other opcode.
bool emit_simd_op(a64::Assembler& as, Opcode op, const SimdOperands& o);

// dst = bits, through x16 when no movi encodes it.
void load_v128_constant(a64::Assembler& as, const a64::VecV& dst, const V128& bits);

// ---- Shared by the family files ----------------------------------------------------------------

inline const a64::VecV kVecTmp = a64::v31, kVecTmp2 = a64::v30;
inline const a64::GpX kGpTmp = a64::x16, kGpTmp2 = a64::x9;

// The vector register `id` viewed with `lane_bytes`-byte lanes (16b, 8h, 4s, 2d), or its low
// half (8b, 4h, 2s) when `half`.
a64::Vec lanes(uint32_t id, uint32_t lane_bytes, bool half = false);
// The lane `index` of register `id`, as an element operand.
a64::Vec element(uint32_t id, uint32_t lane_bytes, uint32_t index);

bool emit_simd_int(a64::Assembler& as, Opcode op, const SimdOperands& o);
bool emit_simd_float(a64::Assembler& as, Opcode op, const SimdOperands& o);
bool emit_simd_lanes(a64::Assembler& as, Opcode op, const SimdOperands& o);
bool emit_simd_relaxed(a64::Assembler& as, Opcode op, const SimdOperands& o);

}  // namespace tern::jit::a64_backend
