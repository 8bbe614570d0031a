// Every computational SIMD instruction of Wasm 2.0 and of relaxed SIMD (with Tern's choice of
// result, docs/conformance.md) as a pure function over V128, looked up by opcode. Memory
// instructions (loads, stores, lane loads) and v128.const are not here: they need memory or
// immediates the caller owns. Each lookup returns nullptr for an opcode of another shape, so a
// caller can probe the shapes in turn. Lane semantics follow exec/numerics.rst; float lanes reuse
// engine/numerics.h.
#pragma once

#include <cstdint>

#include "engine/opcodes.h"
#include "tern/value.h"

namespace tern::interp::simd {

using Unary = V128 (*)(const V128&);                // sig "v_v"
using Binary = V128 (*)(const V128&, const V128&);  // "vv_v" (not shuffle)
// "vvv_v": bitselect and the relaxed laneselect, madd, nmadd and dot_add
using Ternary = V128 (*)(const V128&, const V128&, const V128&);
using Test = uint32_t (*)(const V128&);         // "v_i": any/all_true, bitmask
using Shift = V128 (*)(const V128&, uint32_t);  // "vi_v": shl/shr_s/shr_u
using Splat = V128 (*)(uint64_t bits);          // i/l/f/d_v splats: raw bits
// extract_lane: i32/f32 results zero-extended to 64 bits (i8/i16 sign- or zero-extended to 32
// first, per op), f32/f64 as raw bits. Lane indices are taken modulo the lane count.
using Extract = uint64_t (*)(const V128&, uint8_t lane);
using Replace = V128 (*)(const V128&, uint64_t bits, uint8_t lane);  // low bits of `bits` used

Unary unary(Opcode op);
Binary binary(Opcode op);
Ternary ternary(Opcode op);
Test test(Opcode op);
Shift shift(Opcode op);
Splat splat(Opcode op);
Extract extract(Opcode op);
Replace replace(Opcode op);

// i8x16.shuffle: result byte i is byte lanes[i] of a‖b (indices taken modulo 32).
V128 shuffle(const V128& a, const V128& b, const V128& lanes);

}  // namespace tern::interp::simd
