// The helpers compiled code falls back to when the CPU lacks SSE4.1 (rounding) or POPCNT. Hosts
// that have both never reach them from compiled code, so they are called directly here.
#include <bit>
#include <catch2/catch.hpp>
#include <cstdint>

#include "jit/common/helpers.h"

using namespace tern;

namespace {

uint64_t call(Opcode op, uint64_t operand) {
  auto h = jit::numeric_helper(op);
  REQUIRE(h);
  CHECK(h->arity == 1);
  CHECK_FALSE(h->may_trap);
  uint64_t values[1] = {operand};
  return h->fn(nullptr, nullptr, values, 0);
}
uint64_t f32(float v) {
  return std::bit_cast<uint32_t>(v);
}
uint64_t f64(double v) {
  return std::bit_cast<uint64_t>(v);
}

}  // namespace

TEST_CASE("fallback helpers round like wasm: ties to even / signed zeros kept") {
  CHECK(call(Opcode::F32Nearest, f32(-2.5f)) == f32(-2.0f));
  CHECK(call(Opcode::F32Nearest, f32(3.5f)) == f32(4.0f));
  CHECK(call(Opcode::F32Ceil, f32(-0.5f)) == f32(-0.0f));
  CHECK(call(Opcode::F32Floor, f32(-0.5f)) == f32(-1.0f));
  CHECK(call(Opcode::F32Trunc, f32(-1.75f)) == f32(-1.0f));
  CHECK(call(Opcode::F64Nearest, f64(0.5)) == f64(0.0));
  CHECK(call(Opcode::F64Nearest, f64(-0.4)) == f64(-0.0));
  CHECK(call(Opcode::F64Ceil, f64(1.25)) == f64(2.0));
  CHECK(call(Opcode::F64Floor, f64(-1e300)) == f64(-1e300));
  CHECK(call(Opcode::F64Trunc, f64(-0.75)) == f64(-0.0));
}

TEST_CASE("fallback helpers count bits of the operand's width only") {
  CHECK(call(Opcode::I32Popcnt, 0xffffffff0000f0f0u) == 8);
  CHECK(call(Opcode::I64Popcnt, ~uint64_t(0)) == 64);
  CHECK(call(Opcode::I64Popcnt, 0) == 0);
}

TEST_CASE("operations the compiler always inlines have no helper") {
  for (Opcode op : {Opcode::F64Add, Opcode::F32Min, Opcode::I32DivS, Opcode::I64Clz,
                    Opcode::I32TruncF64S, Opcode::F64ConvertI64U, Opcode::I64Extend32S}) {
    CHECK_FALSE(jit::numeric_helper(op));
  }
}
