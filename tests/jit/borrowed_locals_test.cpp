// Operands that read a cached local's register without copying it: the local's register may
// change (a set, a tee, an eviction under register pressure) while such an operand is still on
// the stack, and three-operand arithmetic may write its result over either source register.
// Each function is checked against its value computed here and against the interpreter.
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include "tests/jit/jit_harness.h"

using namespace tern;
using tern::jit::testing::check_value;
using tern::jit::testing::Dual;

namespace {

// Locals are cached when set; every function below sets them first.
constexpr const char* kModule = R"(
(module
  ;; local 1 is read (its register borrowed), then set while the read is still on the stack.
  (func (export "set_while_borrowed") (param i32) (result i32) (local i32)
    (local.set 1 (local.get 0))
    (local.get 1)
    (local.set 1 (i32.const 7))
    (local.get 1)
    (i32.sub))
  (func (export "tee_while_borrowed") (param i64) (result i64) (local i64)
    (local.set 1 (local.get 0))
    (local.get 1)
    (i64.mul (local.tee 1 (i64.add (local.get 1) (i64.const 5))) (local.get 1))
    (i64.sub))
  (func (export "tee_to_itself") (param i32) (result i32) (local i32)
    (local.set 1 (local.get 0))
    (i32.add (local.tee 1 (local.get 1)) (local.get 1)))
  ;; The same register on both sides, and results written over the right-hand side's register.
  (func (export "same_local_both_sides") (param i32) (result i32) (local i32)
    (local.set 1 (local.get 0))
    (i32.add (i32.sub (local.get 1) (local.get 1))
             (i32.xor (local.get 1) (local.get 1))))
  (func (export "sub_into_rhs") (param i32) (result i32) (local i32)
    (local.set 1 (i32.const 1000))
    (i32.sub (local.get 1) (i32.mul (local.get 0) (i32.const 3))))
  (func (export "shift_into_rhs") (param i64) (result i64) (local i64)
    (local.set 1 (i64.const 0x123456789))
    (i64.add (i64.shl (local.get 1) (i64.add (local.get 0) (i64.const 1)))
             (i64.rotr (local.get 1) (i64.add (local.get 0) (i64.const 2)))))
  (func (export "mul_imm_of_local") (param i32) (result i32) (local i32)
    (local.set 1 (local.get 0))
    (i32.add (i32.mul (local.get 1) (i32.const 9)) (local.get 1)))
  ;; Ten locals cached and read: the additions need registers, which evicts locals whose
  ;; registers the operands deeper on the stack still read.
  (func (export "evicted_while_borrowed") (param i32) (result i32)
    (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
    (local.set 1 (i32.add (local.get 0) (i32.const 1)))
    (local.set 2 (i32.add (local.get 0) (i32.const 2)))
    (local.set 3 (i32.add (local.get 0) (i32.const 3)))
    (local.set 4 (i32.add (local.get 0) (i32.const 4)))
    (local.set 5 (i32.add (local.get 0) (i32.const 5)))
    (local.set 6 (i32.add (local.get 0) (i32.const 6)))
    (local.set 7 (i32.add (local.get 0) (i32.const 7)))
    (local.set 8 (i32.add (local.get 0) (i32.const 8)))
    (local.set 9 (i32.add (local.get 0) (i32.const 9)))
    (local.set 10 (i32.add (local.get 0) (i32.const 10)))
    (local.get 1) (local.get 2) (local.get 3)
    (i32.mul (local.get 4) (local.get 5))
    (i32.mul (local.get 6) (local.get 7))
    (i32.mul (local.get 8) (local.get 9))
    (i32.mul (local.get 10) (local.get 1))
    (i32.add) (i32.add) (i32.add) (i32.add) (i32.add) (i32.add))
;; Every general-purpose register holds a cached local, local 1 the least recently used, when
  ;; the constant (too wide for an immediate) needs a register while local 1's is being read.
  (func (export "pinned_while_read") (param i64) (result i64)
    (local i64 i64 i64 i64 i64 i64 i64)
    (local.set 1 (local.get 0))
    (local.set 2 (i64.const 2)) (local.set 3 (i64.const 3)) (local.set 4 (i64.const 4))
    (local.set 5 (i64.const 5)) (local.set 6 (i64.const 6)) (local.set 7 (i64.const 7))
    (local.get 1)
    (drop (local.get 2)) (drop (local.get 3)) (drop (local.get 4)) (drop (local.get 5))
    (drop (local.get 6)) (drop (local.get 7))
    (i64.add (i64.const 0x100000000)))
  ;; Comparisons of borrowed registers, both branched on and kept as values.
  (func (export "count_below") (param i32) (result i32) (local i32 i32)
    (local.set 1 (i32.const 0))
    (local.set 2 (i32.const 0))
    (loop $l
      (local.set 2 (i32.add (local.get 2) (i32.lt_s (local.get 1) (i32.const 5))))
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
    (local.get 2))
  ;; A float local cached in a loop, reinterpreted as an integer.
  (func (export "reinterpret_cached") (param f64 i32) (result i64) (local i64)
    (loop $l
      (local.set 2 (i64.add (local.get 2) (i64.reinterpret_f64 (local.get 0))))
      (local.set 0 (f64.add (local.get 0) (f64.const 1)))
      (br_if $l (local.tee 1 (i32.sub (local.get 1) (i32.const 1)))))
    (local.get 2)))
)";

}  // namespace

TEST_CASE("borrowed locals: a set, tee or eviction leaves earlier reads their value") {
  Dual d(kModule);
  check_value(d, "set_while_borrowed", {Value::i32(50)}, Value::i32(43));
  // (x + 5) * (x + 5) subtracted from x.
  check_value(d, "tee_while_borrowed", {Value::i64(3)}, Value::i64(3 - 8 * 8));
  check_value(d, "tee_to_itself", {Value::i32(21)}, Value::i32(42));
  uint32_t x = 17;
  uint32_t sum = (x + 1) + (x + 2) + (x + 3) + (x + 4) * (x + 5) + (x + 6) * (x + 7) +
                 (x + 8) * (x + 9) + (x + 10) * (x + 1);
  check_value(d, "pinned_while_read", {Value::i64(5)}, Value::i64(0x100000005));
  check_value(d, "evicted_while_borrowed", {Value::i32(int32_t(x))}, Value::i32(int32_t(sum)));
}

TEST_CASE("borrowed locals: three-operand arithmetic writes over neither source it must keep") {
  Dual d(kModule);
  check_value(d, "same_local_both_sides", {Value::i32(12345)}, Value::i32(0));
  check_value(d, "sub_into_rhs", {Value::i32(7)}, Value::i32(1000 - 21));
  uint64_t v = 0x123456789;
  uint64_t n = 5;
  uint64_t rotr = (v >> (n + 2)) | (v << (64 - (n + 2)));
  check_value(d, "shift_into_rhs", {Value::i64(int64_t(n))},
              Value::i64(int64_t((v << (n + 1)) + rotr)));
  check_value(d, "mul_imm_of_local", {Value::i32(11)}, Value::i32(110));
}

TEST_CASE("borrowed locals: comparisons and reinterpretations of cached registers") {
  Dual d(kModule);
  check_value(d, "count_below", {Value::i32(9)}, Value::i32(5));
  check_value(d, "count_below", {Value::i32(3)}, Value::i32(3));
  // 1.0 + 2.0 + 3.0 as bits.
  uint64_t bits = 0x3FF0000000000000u + 0x4000000000000000u + 0x4008000000000000u;
  check_value(d, "reinterpret_cached", {Value::f64(1.0), Value::i32(3)}, Value::i64(int64_t(bits)));
}
