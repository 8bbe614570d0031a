// Control flow and the lowering's slot bookkeeping: block results in fixed slots, branches that
// carry values, multi-value, and locals read lazily while being overwritten.
#include "interp_test_util.h"

using namespace tern;
using tern::test::Fixture;

TEST_CASE("a pending local.get survives a later local.set", "[interp][control]") {
  Fixture f(R"((module
    (func (export "swap_sub") (param i32 i32) (result i32)
      (local.get 0)                       ;; still pending on the stack...
      (local.set 0 (local.get 1))         ;; ...when local 0 is overwritten
      (local.get 0)
      (i32.sub))
    (func (export "tee") (param i32) (result i32)
      (local.get 0)
      (local.tee 0 (i32.add (local.get 0) (i32.const 1)))
      (i32.mul))
    (func (export "retarget") (param i32) (result i32) (local i32)
      (local.set 1 (i32.mul (local.get 0) (local.get 0)))
      (local.set 0 (i32.add (local.get 1) (local.get 0)))
      (local.get 0))))");
  CHECK(f.value("swap_sub", {Value::i32(10), Value::i32(3)}).i32() == 7);
  CHECK(f.value("tee", {Value::i32(4)}).i32() == 20);
  CHECK(f.value("retarget", {Value::i32(5)}).i32() == 30);
}

TEST_CASE("branches carry values to the block's result slots", "[interp][control]") {
  Fixture f(R"((module
    (func (export "br_if_value") (param i32) (result i32)
      (block (result i32)
        (drop (br_if 0 (i32.const 11) (local.get 0)))
        (i32.const 22)))
    (func (export "br_table") (param i32) (result i32)
      (block (result i32)
        (block (result i32)
          (block (result i32)
            (br_table 0 1 2 (i32.const 100) (local.get 0)))
          (i32.add (i32.const 1)))
        (i32.add (i32.const 2))))
    (func (export "if_else") (param i32) (result i32)
      (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2))))
    (func (export "loop_sum") (param i32) (result i32) (local i32)
      (loop $l
        (local.set 1 (i32.add (local.get 1) (local.get 0)))
        (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
      (local.get 1))
    (func (export "select") (param i32 i64 i64) (result i64)
      (select (local.get 1) (local.get 2) (local.get 0)))
    (func (export "return_from_block") (param i32) (result i32)
      (block (br_if 0 (local.get 0)) (return (i32.const 5)))
      (i32.const 6))))");
  CHECK(f.value("br_if_value", {Value::i32(1)}).i32() == 11);
  CHECK(f.value("br_if_value", {Value::i32(0)}).i32() == 22);
  CHECK(f.value("br_table", {Value::i32(0)}).i32() == 103);
  CHECK(f.value("br_table", {Value::i32(1)}).i32() == 102);
  CHECK(f.value("br_table", {Value::i32(2)}).i32() == 100);
  CHECK(f.value("br_table", {Value::i32(99)}).i32() == 100);
  CHECK(f.value("if_else", {Value::i32(7)}).i32() == 1);
  CHECK(f.value("if_else", {Value::i32(0)}).i32() == 2);
  CHECK(f.value("loop_sum", {Value::i32(100)}).i32() == 5050);
  CHECK(f.value("select", {Value::i32(1), Value::i64(8), Value::i64(9)}).i64() == 8);
  CHECK(f.value("select", {Value::i32(0), Value::i64(8), Value::i64(9)}).i64() == 9);
  CHECK(f.value("return_from_block", {Value::i32(0)}).i32() == 5);
  CHECK(f.value("return_from_block", {Value::i32(1)}).i32() == 6);
}

TEST_CASE("multi-value blocks / calls and returns", "[interp][control]") {
  Fixture f(R"((module
    (func $pair (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
    (func (export "swap") (param i32 i32) (result i32 i32)
      (call $pair (local.get 0) (local.get 1)))
    (func (export "returns_params_swapped") (param i64 i64) (result i64 i64)
      (local.get 1) (local.get 0))
    (func (export "block_params") (param i32) (result i32)
      (i32.const 3) (local.get 0)
      (block (param i32 i32) (result i32) (i32.sub)))
    (func (export "loop_params") (param i32) (result i32)
      (i32.const 0) (local.get 0)
      (loop $l (param i32 i32) (result i32)
        (local.set 0)                       ;; counter
        (i32.add (local.get 0))             ;; acc += counter
        (local.get 0) (i32.const 1) (i32.sub)
        (local.tee 0)
        (local.get 0)
        (br_if $l)                          ;; carries (acc, counter) back to the header
        (drop)))
    (func (export "v128_roundtrip") (param i32) (result i32)
      (i32x4.extract_lane 2
        (i32x4.add (i32x4.splat (local.get 0)) (v128.const i32x4 1 2 3 4))))))");
  auto r = f.call("swap", {Value::i32(1), Value::i32(2)});
  REQUIRE(r);
  CHECK((*r)[0].i32() == 2);
  CHECK((*r)[1].i32() == 1);
  auto p = f.call("returns_params_swapped", {Value::i64(-1), Value::i64(7)});
  REQUIRE(p);
  CHECK((*p)[0].i64() == 7);
  CHECK((*p)[1].i64() == -1);
  CHECK(f.value("block_params", {Value::i32(1)}).i32() == 2);
  CHECK(f.value("loop_params", {Value::i32(4)}).i32() == 10);
  CHECK(f.value("v128_roundtrip", {Value::i32(10)}).i32() == 13);
}
