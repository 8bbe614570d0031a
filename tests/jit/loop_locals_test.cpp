// Locals in registers across loops and results computed straight into locals: a loop head
// loads the loop's busiest locals into registers (scan_loop_locals), arithmetic and loads whose
// next instruction sets a cached local write that local's register, a tee of a fresh value
// makes its register the local's, and br_if tests a cached local in place. Each function is
// checked against its value computed here and against the interpreter.
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include "tests/jit/jit_harness.h"
#include "tests/support/tier.h"
#include "tests/support/wat.h"

using namespace tern;
using tern::jit::testing::check_value;
using tern::jit::testing::Dual;

namespace {

constexpr const char* kModule = R"(
(module
  (memory 1)
  ;; "abcdefgh" at 0 and 16, "abcdefgX" at 32; a list 64 -> 72 -> 80 -> 0 at 64.
  (data (i32.const 0) "abcdefgh")
  (data (i32.const 16) "abcdefgh")
  (data (i32.const 32) "abcdefgX")
  (data (i32.const 64) "\48\00\00\00\00\00\00\00\50\00\00\00\00\00\00\00\00\00\00\00")
  ;; wasi-libc's memcmp as clang emits it: the loop Yosys spends a third of its time in.
  (func (export "memcmp") (param i32 i32 i32) (result i32) (local i32 i32 i32)
    (local.set 3 (i32.const 0))
    (block
      (br_if 0 (i32.eqz (local.get 2)))
      (block
        (loop
          (br_if 1 (i32.ne (local.tee 4 (i32.load8_u (local.get 0)))
                           (local.tee 5 (i32.load8_u (local.get 1)))))
          (local.set 1 (i32.add (local.get 1) (i32.const 1)))
          (local.set 0 (i32.add (local.get 0) (i32.const 1)))
          (br_if 0 (local.tee 2 (i32.add (local.get 2) (i32.const -1))))
          (br 2)))
      (local.set 3 (i32.sub (local.get 4) (local.get 5))))
    (local.get 3))
  ;; p = *p until null, counting: the loaded value goes into the address's own local.
  (func (export "list_length") (param i32) (result i32) (local i32)
    (loop
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if 0 (local.tee 0 (i32.load (local.get 0)))))
    (local.get 1))
  ;; A read of the local still on the stack when its register takes a new value.
  (func (export "set_under_read") (param i32) (result i32) (local i32)
    (local.set 1 (local.get 0))
    (local.get 1)
    (local.set 1 (i32.add (local.get 1) (i32.const 5)))
    (local.get 1)
    (i32.mul (i32.const 1000))
    (i32.add))
  (func (export "load_under_read") (param i32) (result i32) (local i32)
    (local.set 1 (local.get 0))
    (local.get 1)
    (local.set 1 (i32.load (local.get 1)))
    (i32.add (i32.mul (local.get 1) (i32.const 1000))))
  ;; The set local on both sides, and into a local other than the operand's.
  (func (export "into_other_local") (param i32) (result i32) (local i32 i32)
    (local.set 1 (local.get 0))
    (local.set 2 (i32.const 3))
    (local.set 2 (i32.sub (local.get 1) (local.get 2)))
    (local.set 1 (i32.xor (local.get 1) (local.get 1)))
    (i32.add (local.get 1) (i32.mul (local.get 2) (i32.const 10))))
  ;; A tee of a fresh value: its register becomes the local's, read again while borrowed.
  (func (export "tee_fresh") (param i32) (result i32) (local i32)
    (i32.add (local.tee 1 (i32.mul (local.get 0) (i32.const 3)))
             (i32.mul (local.get 1) (i32.const 100))))
  ;; More locals read in the loop than registers: the busiest are kept, the rest reloaded.
  (func (export "many_locals") (param i32) (result i32)
    (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
    (local.set 1 (i32.const 1)) (local.set 2 (i32.const 2)) (local.set 3 (i32.const 3))
    (local.set 4 (i32.const 4)) (local.set 5 (i32.const 5)) (local.set 6 (i32.const 6))
    (local.set 7 (i32.const 7)) (local.set 8 (i32.const 8)) (local.set 9 (i32.const 9))
    (local.set 10 (i32.const 10))
    (loop
      (local.set 11 (i32.add (local.get 11)
        (i32.add (i32.add (i32.add (local.get 1) (local.get 2)) (i32.add (local.get 3) (local.get 4)))
                 (i32.add (i32.add (local.get 5) (local.get 6))
                          (i32.add (i32.add (local.get 7) (local.get 8))
                                   (i32.add (local.get 9) (local.get 10)))))))
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (local.set 10 (i32.sub (local.get 10) (i32.const 1)))
      (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (local.get 11))
  ;; Nested loops over different locals, and a call in the outer loop (no register survives it).
  (func $id (param i32) (result i32) (local.get 0))
  (func (export "nested") (param i32 i32) (result i32) (local i32 i32 i32)
    (loop $outer
      (local.set 3 (local.get 1))
      (loop $inner
        (local.set 4 (i32.add (local.get 4) (i32.mul (local.get 2) (local.get 3))))
        (br_if $inner (local.tee 3 (i32.sub (local.get 3) (i32.const 1)))))
      (local.set 2 (call $id (i32.add (local.get 2) (i32.const 1))))
      (br_if $outer (i32.lt_u (local.get 2) (local.get 0))))
    (local.get 4))
  ;; A local only read in the loop, whose slot is stale when the loop starts.
  (func (export "read_only_in_loop") (param i32) (result i32) (local i32 i32)
    (local.set 1 (i32.mul (local.get 0) (i32.const 7)))
    (loop
      (local.set 2 (i32.add (local.get 2) (local.get 1)))
      (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (drop (call $id (i32.const 0)))
    (i32.add (local.get 1) (local.get 2)))
  ;; if and br_if on a cached local as it is.
  (func (export "branch_on_local") (param i32) (result i32) (local i32 i32)
    (local.set 1 (i32.and (local.get 0) (i32.const 1)))
    (if (local.get 1) (then (local.set 2 (i32.const 10))))
    (block
      (br_if 0 (local.get 1))
      (local.set 2 (i32.add (local.get 2) (i32.const 100))))
    (i32.add (local.get 2) (local.get 1)))
)
)";

}  // namespace

TEST_CASE("loop locals: a byte loop in registers compares as memcmp does") {
  Dual d(kModule);
  check_value(d, "memcmp", {Value::i32(0), Value::i32(16), Value::i32(8)}, Value::i32(0));
  check_value(d, "memcmp", {Value::i32(0), Value::i32(32), Value::i32(8)}, Value::i32('h' - 'X'));
  check_value(d, "memcmp", {Value::i32(32), Value::i32(0), Value::i32(8)}, Value::i32('X' - 'h'));
  check_value(d, "memcmp", {Value::i32(0), Value::i32(32), Value::i32(7)}, Value::i32(0));
  check_value(d, "memcmp", {Value::i32(0), Value::i32(32), Value::i32(0)}, Value::i32(0));
  check_value(d, "list_length", {Value::i32(64)}, Value::i32(3));
}

TEST_CASE("loop locals: results set into a local leave earlier reads their value") {
  Dual d(kModule);
  check_value(d, "set_under_read", {Value::i32(7)}, Value::i32(7 + 12 * 1000));
  // The word at 64 is 72.
  check_value(d, "load_under_read", {Value::i32(64)}, Value::i32(64 + 72 * 1000));
  check_value(d, "into_other_local", {Value::i32(20)}, Value::i32(170));
  check_value(d, "tee_fresh", {Value::i32(4)}, Value::i32(12 + 1200));
}

TEST_CASE("loop locals: heads keep the busiest locals, nested loops and calls included") {
  Dual d(kModule);
  // Iteration k (from 0) adds 55 (the sum of 1..10) plus k for local 1 minus k for local 10.
  check_value(d, "many_locals", {Value::i32(5)}, Value::i32(5 * 55));
  // sum over a in [0, n) of a * (m + (m-1) + ... + 1)
  check_value(d, "nested", {Value::i32(4), Value::i32(3)}, Value::i32((0 + 1 + 2 + 3) * 6));
  check_value(d, "read_only_in_loop", {Value::i32(3)}, Value::i32(21 + 3 * 21));
  check_value(d, "branch_on_local", {Value::i32(3)}, Value::i32(11));
  check_value(d, "branch_on_local", {Value::i32(2)}, Value::i32(100));
}

TEST_CASE("loop locals: a set of the wrong type after arithmetic is a validation error") {
  // The compiler reads the local.set ahead of validation; the module is rejected, not run.
  Engine engine(test::on_tier(Config{}, Tier::Jit));
  auto m = test::compile_wat(engine,
                             "(module (func (param f64) (local i32)"
                             "  (local.set 1 (i32.const 2))"
                             "  (local.set 0 (i32.add (local.get 1) (i32.const 1)))))");
  REQUIRE_FALSE(m.ok());
  CHECK_THAT(m.error().to_string(), Catch::Contains("type mismatch"));
}
