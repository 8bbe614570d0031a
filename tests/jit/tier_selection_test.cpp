// Tier::Auto: the JIT compiles what it can and the interpreter runs the rest, and calls and
// traps cross between the two tiers within one store.
#include <catch2/catch.hpp>

#include "engine/runtime/api_access.h"
#include "engine/runtime/objects.h"
#include "jit/common/runtime.h"
#include "tern/tern.h"
#include "tests/jit/simd_refusal.h"
#include "tests/support/wat.h"

namespace tern {
namespace {

using test::compile_wat;
using test::must_compile;

// Uses SIMD, which the JIT refuses here (refuse_simd), so it is left to the interpreter; its
// exports are scalar, so JIT code can call them.
constexpr const char* kSimdModule = R"(
  (module
    (func (export "sum4") (param i32 i32 i32 i32) (result i32)
      (local v128)
      (local.set 4 (i32x4.replace_lane 0 (v128.const i32x4 0 0 0 0) (local.get 0)))
      (local.set 4 (i32x4.replace_lane 1 (local.get 4) (local.get 1)))
      (local.set 4 (i32x4.replace_lane 2 (local.get 4) (local.get 2)))
      (local.set 4 (i32x4.replace_lane 3 (local.get 4) (local.get 3)))
      (local.set 4 (i32x4.add (local.get 4) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
                                                (local.get 4) (local.get 4))))
      (i32.add (i32x4.extract_lane 0 (local.get 4)) (i32x4.extract_lane 1 (local.get 4))))
    (func (export "fail") (result i32) unreachable))
)";

// Scalar only: the JIT compiles it. Calls into the SIMD module through its imports.
constexpr const char* kScalarModule = R"(
  (module
    (import "simd" "sum4" (func $sum4 (param i32 i32 i32 i32) (result i32)))
    (import "simd" "fail" (func $fail (result i32)))
    (func (export "twice_sum") (param i32) (result i32)
      (i32.mul (i32.const 2)
               (call $sum4 (local.get 0) (i32.const 2) (i32.const 3) (i32.const 4))))
    (func (export "fails") (result i32) (i32.add (call $fail) (i32.const 1)))
    (func (export "square") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0))))
)";

// Interpreted (it uses SIMD, which the JIT refuses here) and calls into the
// JIT-compiled module.
constexpr const char* kSimdCaller = R"(
  (module
    (import "scalar" "square" (func $square (param i32) (result i32)))
    (func (export "square_lane") (param i32) (result i32)
      (i32x4.extract_lane 2 (i8x16.popcnt (i32x4.splat (i32.const 0))))
      (i32.add (call $square (local.get 0)))))
)";

TEST_CASE("Tier::Auto is the default", "[tier]") {
  CHECK(Config{}.tier == Tier::Auto);
}

TEST_CASE("Tier::Auto compiles scalar modules with the JIT and leaves SIMD to the interpreter",
          "[tier]") {
  auto refusal = jit::testing::refuse_simd();
  if (!refusal) {
    WARN("every SIMD op compiles on this host: no module the JIT refuses");
    return;
  }
  Engine engine;  // Tier::Auto
  Module simd = must_compile(engine, kSimdModule);
  Module scalar_only =
      must_compile(engine, "(module (func (export \"f\") (result i32) i32.const 7))");
  CHECK(simd.tier() == Tier::Interp);
  CHECK(scalar_only.tier() == Tier::Jit);
  // A module holds one tier's code: the JIT validated it as it compiled it, so no interpreter
  // code is made or kept.
  CHECK(dynamic_cast<const jit::JitModule*>(detail::Access::module(scalar_only)->code.get()) !=
        nullptr);
  CHECK(dynamic_cast<const jit::JitModule*>(detail::Access::module(simd)->code.get()) == nullptr);
}

TEST_CASE("Tier::Jit rejects what the JIT does not compile / naming the instruction", "[tier]") {
  auto refusal = jit::testing::refuse_simd();
  if (!refusal) {
    WARN("every SIMD op compiles on this host: no module the JIT refuses");
    return;
  }
  Config config;
  config.tier = Tier::Jit;
  Engine engine(config);
  auto module = compile_wat(engine, kSimdModule);
  REQUIRE_FALSE(module.ok());
  CHECK_THAT(module.error().to_string(), Catch::Contains("jit"));
}

TEST_CASE("calls and traps cross between JIT and interpreted modules", "[tier]") {
  auto refusal = jit::testing::refuse_simd();
  if (!refusal) {
    WARN("every SIMD op compiles on this host: no module the JIT refuses");
    return;
  }
  Engine engine;
  Store store(engine);
  Linker linker;
  Module simd = must_compile(engine, kSimdModule);
  auto simd_instance = linker.instantiate(store, simd);
  REQUIRE(simd_instance.ok());
  linker.define_instance("simd", *simd_instance);

  Module scalar = must_compile(engine, kScalarModule);
  REQUIRE(scalar.tier() == Tier::Jit);
  auto scalar_instance = linker.instantiate(store, scalar);
  REQUIRE(scalar_instance.ok());
  linker.define_instance("scalar", *scalar_instance);

  // JIT → interpreter: 2 * (sum of 10,2,3,4 = 19) = 38.
  auto twice = scalar_instance->get_func("twice_sum")->call(store, {Value::i32(10)});
  REQUIRE(twice.ok());
  CHECK(twice->at(0).i32() == 38);

  // A trap in the interpreted callee reaches the JIT caller's caller as a trap.
  auto fails = scalar_instance->get_func("fails")->call(store, {});
  REQUIRE_FALSE(fails.ok());
  REQUIRE(fails.error().trap);
  CHECK(fails.error().trap->code == TrapCode::Unreachable);

  // Interpreter → JIT.
  Module caller = must_compile(engine, kSimdCaller);
  REQUIRE(caller.tier() == Tier::Interp);
  auto caller_instance = linker.instantiate(store, caller);
  REQUIRE(caller_instance.ok());
  auto lane = caller_instance->get_func("square_lane")->call(store, {Value::i32(-12)});
  REQUIRE(lane.ok());
  CHECK(lane->at(0).i32() == 144);
}

}  // namespace
}  // namespace tern
