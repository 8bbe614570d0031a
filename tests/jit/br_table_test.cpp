// br_table on the JIT against the interpreter: from eight targets on it jumps through a table of
// offsets the backend fills in once the function's labels are bound (below, a compare chain).
// Many targets, the default, indices out of range up to the largest, values moved into each
// target's slots, loops, tables large enough to need AArch64's branch islands around them, and
// the lazy tier.
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include "tests/jit/jit_harness.h"

using namespace tern;
using tern::jit::testing::check_same;
using tern::jit::testing::describe;
using tern::jit::testing::Dual;

namespace {

// Indices around a table of `n` targets, and the ones no table reaches.
std::vector<int32_t> indices_around(int32_t n) {
  std::vector<int32_t> out;
  for (int32_t i = 0; i <= n + 1; ++i) out.push_back(i);
  for (int64_t i : {int64_t(1) << 16, int64_t(INT32_MAX), int64_t(INT32_MIN), int64_t(-1)}) {
    out.push_back(int32_t(i));
  }
  return out;
}

// (func "many" (param i32) (result i32)): `depth` nested blocks around a br_table of `entries`
// targets (entry i to block (i * 7) % depth; the default to the outermost), each block's end
// returning a value of its own.
std::string many_targets(uint32_t depth, uint32_t entries) {
  std::string wat = "(func (export \"many\") (param i32) (result i32)\n";
  for (uint32_t i = 0; i < depth; ++i) wat += "(block ";
  wat += "(br_table";
  for (uint32_t i = 0; i < entries; ++i) wat += " " + std::to_string(i * 7 % depth);
  wat += " " + std::to_string(depth - 1) + " (local.get 0))";
  for (uint32_t i = 0; i + 1 < depth; ++i) {
    wat += ") (return (i32.const " + std::to_string(1000 + i) + "))\n";
  }
  return wat + ") (i32.const " + std::to_string(1000 + depth - 1) + "))\n";
}

// (func "far" (param i32 i32) (result i32)): a br_if forward over `tables` br_tables of
// `entries` targets each (even entries count one, odd ones skip), so that on AArch64 the
// br_if's target is out of a conditional branch's reach (1 MiB) and its island must go around
// a table, never into one.
std::string far_tables(uint32_t tables, uint32_t entries) {
  std::string wat = "(func (export \"far\") (param i32 i32) (result i32) (local i32)\n";
  wat += "(block $out (br_if $out (local.get 1))\n";
  for (uint32_t t = 0; t < tables; ++t) {
    wat += "(block (block (br_table";
    for (uint32_t i = 0; i < entries; ++i) wat += i % 2 ? " 1" : " 0";
    wat += " 0 (local.get 0))) (local.set 2 (i32.add (local.get 2) (i32.const 1))))\n";
  }
  return wat + ") (local.get 2))\n";
}

const char* const kModule = R"(
  (func (export "moves") (param i32 i64) (result i64)
    ;; Each target takes the i64 into its own result slot, at its own height.
    (i64.add (i64.const 1)
      (block $a (result i64)
        (i64.mul (i64.const 3)
          (block $b (result i64)
            (i64.sub (i64.const 100)
              (block $c (result i64)
                (i64.xor (i64.const 0x55)
                  (block $d (result i64)
                    (br_table $d $c $b $a $c $d $a $b $c (local.get 1) (local.get 0)))))))))))
  (func (export "machine") (param i32) (result i32) (local $state i32) (local $acc i32)
    ;; A state machine: the loop and the exit are targets too, locals change every round.
    (block $done
      (loop $top
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br_if $done (i32.lt_s (local.get 0) (i32.const 0)))
        (block $s4 (block $s3 (block $s2 (block $s1 (block $s0
          (br_table $s0 $s1 $s2 $s3 $s4 $top $s2 $done $s4 (local.get $state)))
          (local.set $acc (i32.add (local.get $acc) (i32.const 1)))
          (local.set $state (i32.const 3)) (br $top))
          (local.set $acc (i32.mul (local.get $acc) (i32.const 3)))
          (local.set $state (i32.const 4)) (br $top))
          (local.set $acc (i32.xor (local.get $acc) (i32.const 0x55)))
          (local.set $state (i32.const 0)) (br $top))
          (local.set $acc (i32.sub (local.get $acc) (i32.const 7)))
          (local.set $state (i32.const 1)) (br $top))
        (local.set $acc (i32.rotl (local.get $acc) (i32.const 5)))
        (local.set $state (i32.rem_u (local.get $acc) (i32.const 10)))
        (br $top)))
    (local.get $acc))
  (func (export "loop_sum") (param i32) (result i32 i32) (local i32)
    ;; Back edges with loop parameters through the table.
    (i32.const 0) (i32.const 0)
    (loop $l (param i32 i32) (result i32 i32)
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (block $b (param i32 i32) (result i32 i32)
        (block $a (param i32 i32) (result i32 i32)
          (i32.and (local.get 1) (i32.const 7))
          (br_table $a $b $a $b $l $l $l $b $a (i32.rem_u (local.get 1) (i32.const 11))))
        (i32.const 5) (i32.add)
        (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
      (br_if $l (i32.lt_u (local.get 1) (local.get 0)))))
)";

}  // namespace

TEST_CASE("br_table / jump table agrees with the interpreter") {
  for (bool lazy : {false, true}) {
    INFO((lazy ? "lazy" : "eager"));
    Config config;
    config.lazy_compile = lazy;
    Dual d("(module " + many_targets(40, 300) + kModule + ")", config);
    for (int32_t i : indices_around(300)) check_same(d, "many", {Value::i32(i)});
    for (int32_t i : indices_around(9)) {
      check_same(d, "moves", {Value::i32(i), Value::i64(0x123456789)});
    }
    for (int32_t n : {0, 1, 2, 5, 6, 7, 100, 1000}) check_same(d, "machine", {Value::i32(n)});
    for (int32_t n : {0, 1, 9, 50, 200}) check_same(d, "loop_sum", {Value::i32(n)});
  }
}

TEST_CASE("br_table / tables past a conditional branch's reach") {
  // 5 tables of 60,000 entries: 1.2 MB of tables between the br_if and its target.
  Dual d("(module " + far_tables(5, 60000) + ")");
  for (int32_t i : {0, 1, 2, 59999, 60000, 60001, INT32_MAX, -1}) {
    check_same(d, "far", {Value::i32(i), Value::i32(0)});
    check_same(d, "far", {Value::i32(i), Value::i32(1)});
  }
}
