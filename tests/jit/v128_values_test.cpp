// v128 values through the JIT on every tier: params, results and locals across direct,
// indirect and tail calls, host functions and interpreter-tier functions; block params and
// branches; globals; exception payloads. Each case checks exact lanes.
#include <catch2/catch.hpp>
#include <cstring>

#include "jit/common/simd_assembler.h"
#include "tests/support/instances.h"
#include "tests/support/tier.h"
#include "tests/support/wat.h"

using namespace tern;
using tern::test::call;
using tern::test::instantiate;
using test::must_compile;

namespace {

V128 i32x4(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  uint32_t lanes[4] = {a, b, c, d};
  V128 v;
  std::memcpy(v.bytes, lanes, sizeof v.bytes);
  return v;
}

std::string lanes_of(const V128& v) {
  uint32_t lanes[4];
  std::memcpy(lanes, v.bytes, sizeof lanes);
  return std::to_string(lanes[0]) + " " + std::to_string(lanes[1]) + " " +
         std::to_string(lanes[2]) + " " + std::to_string(lanes[3]);
}

// The lanes of a v128 result, for CHECKs that print them.
std::string v128_result(Store& store, const Instance& inst, std::string_view name,
                        std::vector<Value> args, size_t index = 0) {
  std::vector<Value> results = call(store, inst, name, std::move(args));
  REQUIRE(results.size() > index);
  REQUIRE(results[index].type() == ValType::V128);
  return lanes_of(results[index].v128());
}

// $combine takes two v128s around an i32 (so that the i32 sits between 16-byte values in the
// value area) and returns a v128 and an i32.
constexpr const char* kCalls = R"((module
  (type $vv (func (param v128 i32 v128) (result v128 i32)))
  (table 2 funcref)
  (elem (i32.const 0) $combine)
  (func $combine (type $vv)
    (local $sum v128)
    (local.set $sum (i32x4.add (local.get 0) (local.get 2)))
    (i32x4.replace_lane 3 (local.get $sum) (local.get 1))
    (i32.add (local.get 1) (i32.const 1)))
  (func (export "direct") (type $vv)
    (call $combine (local.get 0) (local.get 1) (local.get 2)))
  (func (export "indirect") (type $vv)
    (call_indirect (type $vv) (local.get 0) (local.get 1) (local.get 2) (i32.const 0)))
  (func (export "tail") (type $vv)
    (return_call $combine (local.get 0) (local.get 1) (local.get 2)))
  (func (export "tail_indirect") (type $vv)
    (return_call_indirect (type $vv) (local.get 0) (local.get 1) (local.get 2) (i32.const 0)))
  ;; Sixteen v128 values live at once: more than the registers, so some spill to their slots.
  (func (export "many") (param v128) (result v128)
    (local.get 0)
    (i32x4.splat (i32.const 1))
    (i32x4.splat (i32.const 2))
    (i32x4.splat (i32.const 3))
    (i32x4.splat (i32.const 4))
    (i32x4.splat (i32.const 5))
    (i32x4.splat (i32.const 6))
    (i32x4.splat (i32.const 7))
    (i32x4.splat (i32.const 8))
    (i32x4.splat (i32.const 9))
    (i32x4.splat (i32.const 10))
    (i32x4.splat (i32.const 11))
    (i32x4.splat (i32.const 12))
    (i32x4.splat (i32.const 13))
    (i32x4.splat (i32.const 14))
    (i32x4.splat (i32.const 15))
    i32x4.add i32x4.add i32x4.add i32x4.add i32x4.add i32x4.add i32x4.add i32x4.add
    i32x4.add i32x4.add i32x4.add i32x4.add i32x4.add i32x4.add i32x4.add)
  ;; A zero-initialised v128 local.
  (func (export "zero_local") (result v128) (local v128) (local.get 0))
))";

TEST_CASE("v128 params, results and locals cross direct, indirect and tail calls", "[jit][v128]") {
  for (const test::TierCase& tier : test::tier_cases()) {
    SECTION(tier.name) {
      Engine engine(tier.config);
      Store store(engine);
      Module module = must_compile(engine, kCalls);
      CHECK(module.tier() == (tier.config.tier == Tier::Jit ? Tier::Jit : Tier::Interp));
      Instance inst = instantiate(Linker(), store, module);
      std::vector<Value> args = {Value::v128(i32x4(1, 2, 3, 4)), Value::i32(77),
                                 Value::v128(i32x4(10, 20, 30, 0xFFFFFFFF))};
      for (const char* name : {"direct", "indirect", "tail", "tail_indirect"}) {
        INFO(name);
        std::vector<Value> r = call(store, inst, name, args);
        REQUIRE(r.size() == 2);
        CHECK(lanes_of(r[0].v128()) == "11 22 33 77");
        CHECK(r[1].i32() == 78);
      }
      // x + 1 + 2 + ... + 15
      CHECK(v128_result(store, inst, "many", {Value::v128(i32x4(1, 2, 3, 0x10000))}) ==
            "121 122 123 65656");
      CHECK(v128_result(store, inst, "zero_local", {}) == "0 0 0 0");
    }
  }
}

constexpr const char* kBlocks = R"((module
  ;; A v128 block param flows through if/else arms, br_if, br_table and a loop.
  (func (export "blocks") (param v128 i32) (result v128)
    (local.get 0)
    (if (param v128) (result v128) (i32.eqz (local.get 1))
      (then (i32x4.add (v128.const i32x4 100 0 0 0)))
      (else (i32x4.add (v128.const i32x4 0 100 0 0))))
    (block $out (param v128) (result v128)
      (block $b2 (param v128) (result v128)
        (block $b1 (param v128) (result v128)
          (br_table $b1 $b2 $out (local.get 1)))
        (i32x4.add (v128.const i32x4 0 0 1 0)))
      (i32x4.add (v128.const i32x4 0 0 0 1))))
  ;; br_if carrying a v128 out of a block with values below it.
  (func (export "br_if") (param v128 i32) (result v128)
    (block $b (result v128)
      (i32.const 5)
      (drop (br_if $b (local.get 0) (local.get 1)))
      (drop)
      (v128.const i32x4 9 9 9 9)))
  ;; A loop with a v128 param adding lane by lane.
  (func (export "loop") (param v128 i32) (result v128)
    (local.get 0)
    (loop $l (param v128) (result v128)
      (i32x4.add (v128.const i32x4 1 2 3 4))
      (local.set 1 (i32.sub (local.get 1) (i32.const 1)))
      (br_if $l (local.get 1))))
  (func (export "select") (param v128 v128 i32) (result v128)
    (select (local.get 0) (local.get 1) (local.get 2)))
  (func (export "select_t") (param v128 v128 i32) (result v128)
    (select (result v128) (local.get 0) (local.get 1) (local.get 2)))
  ;; local.tee and locals cached in a loop.
  (func (export "tee") (param i32) (result v128) (local $acc v128) (local $step v128)
    (local.set $step (i32x4.splat (i32.const 3)))
    (loop $l
      (drop (local.tee $acc (i32x4.add (local.get $acc) (local.get $step))))
      (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (local.get $acc))
))";

TEST_CASE("v128 block params and results merge at branches", "[jit][v128]") {
  for (const test::TierCase& tier : test::tier_cases()) {
    SECTION(tier.name) {
      Engine engine(tier.config);
      Store store(engine);
      Instance inst = instantiate(Linker(), store, must_compile(engine, kBlocks));
      Value v = Value::v128(i32x4(1, 2, 3, 4));
      Value w = Value::v128(i32x4(5, 6, 7, 8));
      CHECK(v128_result(store, inst, "blocks", {v, Value::i32(0)}) == "101 2 4 5");
      CHECK(v128_result(store, inst, "blocks", {v, Value::i32(1)}) == "1 102 3 5");
      CHECK(v128_result(store, inst, "blocks", {v, Value::i32(2)}) == "1 102 3 4");
      CHECK(v128_result(store, inst, "br_if", {v, Value::i32(1)}) == "1 2 3 4");
      CHECK(v128_result(store, inst, "br_if", {v, Value::i32(0)}) == "9 9 9 9");
      CHECK(v128_result(store, inst, "loop", {v, Value::i32(3)}) == "4 8 12 16");
      CHECK(v128_result(store, inst, "select", {v, w, Value::i32(1)}) == "1 2 3 4");
      CHECK(v128_result(store, inst, "select", {v, w, Value::i32(0)}) == "5 6 7 8");
      CHECK(v128_result(store, inst, "select_t", {v, w, Value::i32(0)}) == "5 6 7 8");
      CHECK(v128_result(store, inst, "tee", {Value::i32(5)}) == "15 15 15 15");
    }
  }
}

TEST_CASE("v128 globals are read and written in place", "[jit][v128]") {
  for (const test::TierCase& tier : test::tier_cases()) {
    SECTION(tier.name) {
      Engine engine(tier.config);
      Store store(engine);
      Global imported = Global::create(store, GlobalType{.type = ValType::V128, .mut = true},
                                       Value::v128(i32x4(7, 7, 7, 7)))
                            .value();
      Linker linker;
      linker.define("m", "g", imported);
      Instance inst = instantiate(linker, store, must_compile(engine, R"((module
        (global $imported (import "m" "g") (mut v128))
        (global $own (export "own") (mut v128) (v128.const i32x4 1 2 3 4))
        (func (export "swap") (result v128)
          (global.get $own)
          (global.set $own (global.get $imported))
          (global.set $imported)
          (i32x4.add (global.get $own) (global.get $imported)))
      ))"));
      CHECK(v128_result(store, inst, "swap", {}) == "8 9 10 11");
      CHECK(lanes_of(imported.get().v128()) == "1 2 3 4");
      CHECK(lanes_of(inst.get_global("own")->get().v128()) == "7 7 7 7");
    }
  }
}

constexpr const char* kExceptions = R"((module
  (tag $e (param i32 v128 i32))
  (func $thrower (param v128) (throw $e (i32.const 1) (local.get 0) (i32.const 2)))
  ;; The payload arrives as 1, the v128, 2.
  (func (export "try_table") (param v128) (result v128) (local $first i32) (local $last i32)
    (block $h (result i32 v128 i32)
      (try_table (catch $e $h) (call $thrower (local.get 0)))
      (return (v128.const i32x4 0 0 0 0)))
    (local.set $last)
    (local.set 0)
    (local.set $first)
    (i32x4.replace_lane 0 (i32x4.replace_lane 3 (local.get 0) (local.get $last))
                          (local.get $first)))
  (func (export "legacy") (param v128) (result v128)
    (try (result v128)
      (do (call $thrower (local.get 0)) (v128.const i32x4 0 0 0 0))
      (catch $e
        (drop)
        (local.set 0)
        (drop)
        (i32x4.replace_lane 1 (local.get 0) (i32.const 5)))))
))";

TEST_CASE("exceptions carry v128 payloads through JIT frames", "[jit][v128][exn]") {
  for (const test::TierCase& tier : test::tier_cases()) {
    SECTION(tier.name) {
      Engine engine(tier.config);
      Store store(engine);
      Module module = must_compile(engine, kExceptions);
      CHECK(module.tier() == (tier.config.tier == Tier::Jit ? Tier::Jit : Tier::Interp));
      Instance inst = instantiate(Linker(), store, module);
      Value v = Value::v128(i32x4(10, 20, 30, 40));
      CHECK(v128_result(store, inst, "try_table", {v}) == "1 20 30 2");
      CHECK(v128_result(store, inst, "legacy", {v}) == "10 5 30 40");
    }
  }
}

TEST_CASE("JIT code calls host functions with v128 arguments and results", "[jit][v128]") {
  for (const test::TierCase& tier : test::tier_cases()) {
    SECTION(tier.name) {
      Engine engine(tier.config);
      Store store(engine);
      Linker linker;
      linker.define_host("m", "rotate", FuncType{{ValType::V128, ValType::I32}, {ValType::V128}},
                         [](Caller&, std::span<const Value> args, std::span<Value> results) {
                           uint32_t in[4], out[4];
                           std::memcpy(in, args[0].v128().bytes, 16);
                           for (int i = 0; i < 4; ++i) out[i] = in[(i + 1) % 4] + args[1].i32();
                           V128 r;
                           std::memcpy(r.bytes, out, 16);
                           results[0] = Value::v128(r);
                           return Result<void>();
                         });
      Instance inst = instantiate(linker, store, must_compile(engine, R"((module
        (import "m" "rotate" (func $rotate (param v128 i32) (result v128)))
        (func (export "twice") (param v128) (result v128)
          (call $rotate (call $rotate (local.get 0) (i32.const 1)) (i32.const 10)))
      ))"));
      CHECK(v128_result(store, inst, "twice", {Value::v128(i32x4(1, 2, 3, 4))}) == "14 15 12 13");
    }
  }
}

// An interpreter-tier module in a store whose other modules run on the JIT needs Tier::Auto
// and an op the JIT refuses: i8x16.popcnt, until this backend compiles it.
constexpr const char* kInterpSide = R"((module
  (import "jit" "add" (func $add (param v128 v128) (result v128)))
  (func (export "popcnt_add") (param v128 v128) (result v128)
    (i8x16.popcnt (call $add (local.get 0) (local.get 1))))
  (func (export "swap") (param v128 i32 v128) (result v128 i32 v128)
    (local.get 2) (local.get 1) (local.get 0))
))";

TEST_CASE("JIT and interpreter-tier functions pass v128 values to each other", "[jit][v128]") {
  if (!Engine::has_tier(Tier::Jit)) return;
  if (jit::backend_compiles_simd(Opcode::I8x16Popcnt)) {
    WARN("every SIMD op compiles on this host: no interpreter-tier module to call");
    return;
  }
  for (bool lazy : {false, true}) {
    Engine engine(Config{.tier = Tier::Auto, .lazy_compile = lazy});
    Store store(engine);
    Linker linker;
    Module jit_module = must_compile(engine, R"((module
      (import "interp" "swap" (func $swap (param v128 i32 v128) (result v128 i32 v128)))
      (func (export "add") (param v128 v128) (result v128) (i32x4.add (local.get 0) (local.get 1)))
      (func (export "via_swap") (param v128 i32 v128) (result v128)
        (call $swap (local.get 0) (local.get 1) (local.get 2))
        (drop)
        (i32x4.replace_lane 0))
    ))");
    // The JIT module imports from the interpreter's, which imports "add" from the JIT module:
    // define a first instance of each, then the JIT module again against the interpreter's.
    Module interp_module = must_compile(engine, kInterpSide);
    REQUIRE(jit_module.tier() == Tier::Jit);
    REQUIRE(interp_module.tier() == Tier::Interp);
    Linker swap_only;
    swap_only.define_host("interp", "swap",
                          FuncType{{ValType::V128, ValType::I32, ValType::V128},
                                   {ValType::V128, ValType::I32, ValType::V128}},
                          [](Caller&, std::span<const Value>, std::span<Value>) -> Result<void> {
                            return Error::invalid("not called");
                          });
    Instance adder = instantiate(swap_only, store, jit_module);
    linker.define_instance("jit", adder);
    Instance interp = instantiate(linker, store, interp_module);
    linker.define_instance("interp", interp);
    Instance jit = instantiate(linker, store, jit_module);

    // interpreter → JIT → back: popcnt of (0x01 + 0x02 = 0x03 per byte) is 2 per byte.
    Value ones = Value::v128(i32x4(0x01010101, 0x01010101, 0x01010101, 0x01010101));
    Value twos = Value::v128(i32x4(0x02020202, 0x02020202, 0x02020202, 0x02020202));
    CHECK(v128_result(store, interp, "popcnt_add", {ones, twos}) ==
          lanes_of(i32x4(0x02020202, 0x02020202, 0x02020202, 0x02020202)));
    // JIT → interpreter → back, with a v128, an i32 and a v128 each way.
    CHECK(v128_result(store, jit, "via_swap",
                      {Value::v128(i32x4(1, 2, 3, 4)), Value::i32(9),
                       Value::v128(i32x4(5, 6, 7, 8))}) == "9 6 7 8");
  }
}

}  // namespace
