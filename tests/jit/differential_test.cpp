// The same modules on both tiers: results and traps must agree.
#include <catch2/catch.hpp>

#include "tests/jit/jit_harness.h"

using namespace tern;
using tern::jit::testing::describe;
using tern::jit::testing::Dual;

namespace {

void check_same(Dual& d, const std::string& name, std::vector<Value> args) {
  auto a = d.interp(name, args);
  auto b = d.jit(name, args);
  INFO(name << ": interp " << describe(a) << " jit " << describe(b));
  CHECK(a == b);
}

}  // namespace

TEST_CASE("integer arithmetic, locals and constants agree") {
  Dual d(R"((module
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "addk") (param i32) (result i32) (i32.add (local.get 0) (i32.const 7)))
    (func (export "mix") (param i64 i64) (result i64) (local i64)
      (local.set 2 (i64.mul (local.get 0) (local.get 1)))
      (i64.xor (i64.rotl (local.get 2) (i64.const 13)) (i64.shr_s (local.get 0) (local.get 1))))
    (func (export "cmp") (param i32 i32) (result i32)
      (i32.add (i32.lt_s (local.get 0) (local.get 1)) (i32.mul (i32.ge_u (local.get 0) (local.get 1)) (i32.const 2))))
    (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
    (func (export "remu") (param i64 i64) (result i64) (i64.rem_u (local.get 0) (local.get 1)))
    (func (export "ext") (param i32) (result i64) (i64.extend_i32_s (local.get 0)))
    (func (export "wrap") (param i64) (result i32) (i32.wrap_i64 (local.get 0)))
    (func (export "eqz") (param i64) (result i32) (i64.eqz (local.get 0)))
    (func (export "clz") (param i32) (result i32) (i32.clz (local.get 0)))
    (func (export "sel") (param i32 i64 i64) (result i64) (select (local.get 1) (local.get 2) (local.get 0)))
    (func (export "pressure") (param i32) (result i32)
      ;; ten operands live at once: more than the allocatable registers
      (local.get 0) (i32.const 1) (local.get 0) (i32.const 2) (local.get 0)
      (i32.const 3) (local.get 0) (i32.const 4) (local.get 0) (i32.const 5)
      (i32.mul (local.get 0) (i32.const 6))
      (i32.add) (i32.sub) (i32.mul) (i32.add) (i32.xor) (i32.add) (i32.or) (i32.add) (i32.sub)
      (i32.add))
  ))");
  for (int32_t a : {0, 1, -1, 7, INT32_MIN, INT32_MAX}) {
    for (int32_t b : {0, 1, -1, 3, INT32_MIN}) {
      check_same(d, "add", {Value::i32(a), Value::i32(b)});
      check_same(d, "cmp", {Value::i32(a), Value::i32(b)});
      check_same(d, "div", {Value::i32(a), Value::i32(b)});
      check_same(d, "mix", {Value::i64(a), Value::i64(int64_t(b) << 3)});
      check_same(d, "remu", {Value::i64(a), Value::i64(b)});
    }
    check_same(d, "addk", {Value::i32(a)});
    check_same(d, "ext", {Value::i32(a)});
    check_same(d, "wrap", {Value::i64(int64_t(uint64_t(uint32_t(a)) * 0x100000001u))});
    check_same(d, "eqz", {Value::i64(a)});
    check_same(d, "clz", {Value::i32(a)});
    check_same(d, "sel", {Value::i32(a), Value::i64(5), Value::i64(-6)});
    check_same(d, "pressure", {Value::i32(a)});
  }
}

TEST_CASE("control flow agrees") {
  Dual d(R"((module
    (func (export "fac") (param i64) (result i64) (local i64)
      (local.set 1 (i64.const 1))
      (block (loop
        (br_if 1 (i64.eqz (local.get 0)))
        (local.set 1 (i64.mul (local.get 1) (local.get 0)))
        (local.set 0 (i64.sub (local.get 0) (i64.const 1)))
        (br 0)))
      (local.get 1))
    (func (export "ifelse") (param i32) (result i32)
      (if (result i32) (local.get 0) (then (i32.const 10)) (else (i32.const 20))))
    (func (export "table") (param i32) (result i32)
      (block (block (block (br_table 0 1 2 (local.get 0))) (return (i32.const 100)))
        (return (i32.const 101)))
      (i32.const 102))
    (func (export "brval") (param i32) (result i32)
      (block (result i32) (drop (br_if 0 (i32.const 5) (local.get 0))) (i32.const 6)))
    (func (export "multi") (param i32) (result i32 i32)
      (block (result i32 i32) (local.get 0) (i32.const 1) (br_if 0 (local.get 0))
        (drop) (drop) (i32.const 8) (i32.const 9)))
    (func (export "ifparam") (param i32) (result i32)
      (i32.const 40) (if (param i32) (result i32) (local.get 0)
        (then (i32.const 2) (i32.add)) (else (i32.const 3) (i32.sub))))
    (func (export "ret") (param i32) (result i32)
      (if (local.get 0) (then (return (i32.const 1)))) (i32.const 2))
    (func (export "unreach") (unreachable))
  ))");
  for (int64_t n : {0, 1, 5, 20}) check_same(d, "fac", {Value::i64(n)});
  for (int32_t n : {0, 1, 2, 3, 7, -1}) {
    check_same(d, "ifelse", {Value::i32(n)});
    check_same(d, "table", {Value::i32(n)});
    check_same(d, "brval", {Value::i32(n)});
    check_same(d, "multi", {Value::i32(n)});
    check_same(d, "ifparam", {Value::i32(n)});
    check_same(d, "ret", {Value::i32(n)});
  }
  check_same(d, "unreach", {});
}

TEST_CASE("calls, globals and recursion agree") {
  Dual d(R"((module
    (global $g (mut i64) (i64.const 3))
    (func $fib (export "fib") (param i32) (result i32)
      (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
        (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                       (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
    (func $swap (param i32 i64) (result i64 i32) (local.get 1) (local.get 0))
    (func (export "useswap") (param i32) (result i64)
      (call $swap (local.get 0) (i64.const 9)) (i64.extend_i32_u) (i64.add))
    (func (export "bump") (result i64)
      (global.set $g (i64.add (global.get $g) (i64.const 2))) (global.get $g))
    (func $inf (export "inf") (param i32) (result i32) (call $inf (local.get 0)))
    (type $t (func (param i32) (result i32)))
    (table funcref (elem $fib $dbl))
    (func $dbl (param i32) (result i32) (i32.shl (local.get 0) (i32.const 1)))
    (func (export "indirect") (param i32 i32) (result i32)
      (call_indirect (type $t) (local.get 1) (local.get 0)))
    (func (export "badtype") (call_indirect (param i64) (i64.const 1) (i32.const 0)))
  ))");
  for (int32_t n : {0, 1, 2, 10, 20}) check_same(d, "fib", {Value::i32(n)});
  check_same(d, "useswap", {Value::i32(4)});
  check_same(d, "bump", {});
  check_same(d, "bump", {});
  check_same(d, "inf", {Value::i32(1)});
  for (int32_t i : {0, 1, 2, -1}) check_same(d, "indirect", {Value::i32(i), Value::i32(7)});
  check_same(d, "badtype", {});
}

TEST_CASE("memory accesses, faults and growth agree") {
  Dual d(R"((module
    (memory 1 3)
    (data (i32.const 8) "\01\02\03\04\05\06\07\08\ff")
    (func (export "ld") (param i32) (result i64) (i64.load (local.get 0)))
    (func (export "ld8s") (param i32) (result i32) (i32.load8_s offset=16 (local.get 0)))
    (func (export "ld16u") (param i32) (result i64) (i64.load16_u (local.get 0)))
    (func (export "st") (param i32 i32) (result i32)
      (i32.store (local.get 0) (local.get 1)) (i32.load (local.get 0)))
    (func (export "st8") (param i32 i64) (result i64)
      (i64.store8 offset=1 (local.get 0) (local.get 1)) (i64.load (local.get 0)))
    (func (export "bigoff") (param i32) (result i32) (i32.load offset=4294967295 (local.get 0)))
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "size") (result i32) (memory.size))
    (func (export "fill") (param i32 i32 i32) (result i64)
      (memory.fill (local.get 0) (local.get 1) (local.get 2)) (i64.load (local.get 0)))
  ))");
  for (int32_t a : {0, 8, 9, 65528, 65529, 65535, 65536, -1, -8}) {
    check_same(d, "ld", {Value::i32(a)});
    check_same(d, "ld8s", {Value::i32(a)});
    check_same(d, "ld16u", {Value::i32(a)});
    check_same(d, "st", {Value::i32(a), Value::i32(0x12345678)});
    check_same(d, "st8", {Value::i32(a), Value::i64(-2)});
    check_same(d, "bigoff", {Value::i32(a)});
  }
  check_same(d, "fill", {Value::i32(100), Value::i32(0xAB), Value::i32(8)});
  check_same(d, "fill", {Value::i32(65530), Value::i32(1), Value::i32(8)});
  check_same(d, "size", {});
  check_same(d, "grow", {Value::i32(1)});
  check_same(d, "size", {});
  check_same(d, "ld", {Value::i32(65536 + 8)});
  check_same(d, "grow", {Value::i32(5)});
}

TEST_CASE("floats and conversions agree") {
  Dual d(R"((module
    (func (export "f") (param f64 f64) (result f64)
      (f64.add (f64.mul (local.get 0) (local.get 1)) (f64.sqrt (local.get 0))))
    (func (export "mn") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
    (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
    (func (export "sat") (param f32) (result i64) (i64.trunc_sat_f32_u (local.get 0)))
    (func (export "conv") (param i64) (result f32) (f32.convert_i64_u (local.get 0)))
    (func (export "lt") (param f64 f64) (result i32) (f64.lt (local.get 0) (local.get 1)))
  ))");
  for (double a : {0.0, -0.0, 1.5, -2.75, 1e300, 3e9, -3e9}) {
    for (double b : {0.0, 2.0, -1.0}) {
      check_same(d, "f", {Value::f64(a), Value::f64(b)});
      check_same(d, "lt", {Value::f64(a), Value::f64(b)});
      check_same(d, "mn", {Value::f32(float(a)), Value::f32(float(b))});
    }
    check_same(d, "trunc", {Value::f64(a)});
    check_same(d, "sat", {Value::f32(float(a))});
    check_same(d, "conv", {Value::i64(int64_t(a))});
  }
}
