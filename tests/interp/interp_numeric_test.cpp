// Numeric instructions end to end: the lowering's operand forms (slot, local, immediate) and the
// handlers' edge cases.
#include <cmath>
#include <limits>

#include "interp_test_util.h"

using namespace tern;
using tern::test::Fixture;

namespace {

const char* kArith = R"((module
  (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
  (func (export "div_u64") (param i64 i64) (result i64) (i64.div_u (local.get 0) (local.get 1)))
  (func (export "div_s64_imm") (param i64) (result i64) (i64.div_s (local.get 0) (i64.const -1)))
  (func (export "sub_imm_left") (param i32) (result i32) (i32.sub (i32.const 10) (local.get 0)))
  (func (export "sub_imm_right") (param i32) (result i32) (i32.sub (local.get 0) (i32.const 10)))
  (func (export "shl") (param i32 i32) (result i32) (i32.shl (local.get 0) (local.get 1)))
  (func (export "rotr64") (param i64 i64) (result i64) (i64.rotr (local.get 0) (local.get 1)))
  (func (export "clz") (param i32) (result i32) (i32.clz (local.get 0)))
  (func (export "ext8") (param i32) (result i32) (i32.extend8_s (local.get 0)))
  (func (export "ext32") (param i64) (result i64) (i64.extend32_s (local.get 0)))
  (func (export "lt_s_imm") (param i32) (result i32) (i32.lt_s (local.get 0) (i32.const -5)))
  (func (export "f32_min") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
  (func (export "f64_max") (param f64 f64) (result f64) (f64.max (local.get 0) (local.get 1)))
  (func (export "f32_add") (param f32 f32) (result f32) (f32.add (local.get 0) (local.get 1)))
  (func (export "nearest") (param f64) (result f64) (f64.nearest (local.get 0)))
  (func (export "f32_neg") (param f32) (result f32) (f32.neg (local.get 0)))
  (func (export "trunc_s") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
  (func (export "trunc_u64") (param f32) (result i64) (i64.trunc_f32_u (local.get 0)))
  (func (export "sat_s") (param f64) (result i32) (i32.trunc_sat_f64_s (local.get 0)))
  (func (export "sat_u64") (param f32) (result i64) (i64.trunc_sat_f32_u (local.get 0)))
  (func (export "convert_u64") (param i64) (result f32) (f32.convert_i64_u (local.get 0)))
  (func (export "demote") (param f64) (result f32) (f32.demote_f64 (local.get 0)))
  (func (export "f64_const_add") (param f64) (result f64) (f64.add (local.get 0) (f64.const 0.5)))
  (func (export "eq_const_left") (param i64) (result i32) (i64.eq (i64.const 7) (local.get 0))))
)";

}  // namespace

TEST_CASE("integer division traps and INT_MIN edge cases", "[interp][numeric]") {
  Fixture f(kArith);
  CHECK(f.value("div_s", {Value::i32(-7), Value::i32(2)}).i32() == -3);
  CHECK(f.value("rem_s", {Value::i32(-7), Value::i32(2)}).i32() == -1);
  CHECK(f.trap("div_s", {Value::i32(1), Value::i32(0)}) == TrapCode::IntegerDivideByZero);
  CHECK(f.trap("div_s", {Value::i32(INT32_MIN), Value::i32(-1)}) == TrapCode::IntegerOverflow);
  CHECK(f.value("rem_s", {Value::i32(INT32_MIN), Value::i32(-1)}).i32() == 0);
  CHECK(f.trap("rem_s", {Value::i32(5), Value::i32(0)}) == TrapCode::IntegerDivideByZero);
  CHECK(f.trap("div_u64", {Value::i64(5), Value::i64(0)}) == TrapCode::IntegerDivideByZero);
  CHECK(uint64_t(f.value("div_u64", {Value::i64(-1), Value::i64(2)}).i64()) == UINT64_MAX / 2);
  CHECK(f.trap("div_s64_imm", {Value::i64(INT64_MIN)}) == TrapCode::IntegerOverflow);
  CHECK(f.value("div_s64_imm", {Value::i64(9)}).i64() == -9);
}

TEST_CASE("immediate operands keep operand order", "[interp][numeric]") {
  Fixture f(kArith);
  CHECK(f.value("sub_imm_left", {Value::i32(3)}).i32() == 7);
  CHECK(f.value("sub_imm_right", {Value::i32(3)}).i32() == -7);
  CHECK(f.value("lt_s_imm", {Value::i32(-6)}).i32() == 1);
  CHECK(f.value("lt_s_imm", {Value::i32(-5)}).i32() == 0);
  CHECK(f.value("eq_const_left", {Value::i64(7)}).i32() == 1);
  CHECK(f.value("f64_const_add", {Value::f64(1.25)}).f64() == 1.75);
}

TEST_CASE("shifts / rotates / counts and sign extension", "[interp][numeric]") {
  Fixture f(kArith);
  CHECK(f.value("shl", {Value::i32(1), Value::i32(33)}).i32() == 2);  // count mod 32
  CHECK(uint64_t(f.value("rotr64", {Value::i64(1), Value::i64(1)}).i64()) == 1ull << 63);
  CHECK(f.value("clz", {Value::i32(0)}).i32() == 32);
  CHECK(f.value("ext8", {Value::i32(0x80)}).i32() == -128);
  CHECK(f.value("ext32", {Value::i64(0xFFFFFFFFll)}).i64() == -1);
}

TEST_CASE("float min/max / signed zeros / NaN and nearest", "[interp][numeric]") {
  Fixture f(kArith);
  Value m = f.value("f32_min", {Value::f32(0.0f), Value::f32(-0.0f)});
  CHECK(m.f32_bits() == 0x80000000u);
  Value x = f.value("f64_max", {Value::f64(-0.0), Value::f64(0.0)});
  CHECK(x.f64_bits() == 0);
  // A NaN operand gives a NaN with the quiet bit set (an arithmetic NaN).
  Value n = f.value("f32_min", {Value::f32_bits(0x7F800001u), Value::f32(1.0f)});
  CHECK((n.f32_bits() & 0x7FC00000u) == 0x7FC00000u);
  Value sum = f.value("f32_add", {Value::f32_bits(0x7FC00000u), Value::f32(1.0f)});
  CHECK((sum.f32_bits() & 0x7FC00000u) == 0x7FC00000u);
  CHECK(f.value("nearest", {Value::f64(2.5)}).f64() == 2.0);
  CHECK(f.value("nearest", {Value::f64(3.5)}).f64() == 4.0);
  CHECK(f.value("nearest", {Value::f64(-0.4)}).f64_bits() == 0x8000000000000000ull);
  // neg is a bit operation: a signalling NaN keeps its payload.
  CHECK(f.value("f32_neg", {Value::f32_bits(0x7F800001u)}).f32_bits() == 0xFF800001u);
}

TEST_CASE("float to integer conversions trap or saturate", "[interp][numeric]") {
  Fixture f(kArith);
  CHECK(f.value("trunc_s", {Value::f64(-2147483648.9)}).i32() == INT32_MIN);
  CHECK(f.trap("trunc_s", {Value::f64(2147483648.0)}) == TrapCode::IntegerOverflow);
  CHECK(f.trap("trunc_s", {Value::f64(NAN)}) == TrapCode::InvalidConversionToInteger);
  CHECK(f.trap("trunc_u64", {Value::f32(-1.0f)}) == TrapCode::IntegerOverflow);
  CHECK(f.value("trunc_u64", {Value::f32(-0.9f)}).i64() == 0);
  CHECK(f.value("sat_s", {Value::f64(1e300)}).i32() == INT32_MAX);
  CHECK(f.value("sat_s", {Value::f64(-1e300)}).i32() == INT32_MIN);
  CHECK(f.value("sat_s", {Value::f64(NAN)}).i32() == 0);
  CHECK(uint64_t(f.value("sat_u64", {Value::f32(1e30f)}).i64()) == UINT64_MAX);
  // 2^64 - 1 rounds to 2^64 in f32; 2^53 + 1 needs correct (not double) rounding.
  CHECK(f.value("convert_u64", {Value::i64(-1)}).f32() == 18446744073709551616.0f);
  CHECK(f.value("convert_u64", {Value::i64(0x20000020000001ll)}).f32_bits() == 0x5A000001u);
  CHECK(f.value("demote", {Value::f64(1e300)}).f32() == std::numeric_limits<float>::infinity());
}
