// The compiled-module cache round trip on every tier: a module with imports, a table, a memory,
// globals, exceptions, traps (explicit and by memory fault) and SIMD constants, serialized and
// loaded into another engine, behaves as compiled; its native code (on the JIT) is relocated to
// the new engine's tables and still runs after the module it was made from is gone.
#include <catch2/catch.hpp>

#include "tern/tern.h"
#include "tests/support/instances.h"
#include "tests/support/tier.h"
#include "tests/support/wat.h"

using namespace tern;
using tern::test::call;
using tern::test::instantiate;
using tern::test::must_compile;

namespace {

constexpr const char* kModule = R"((module
  (import "host" "add" (func $add (param i32 i32) (result i32)))
  (import "host" "base" (global $base i32))
  (memory (export "mem") 1 3)
  (data (i32.const 16) "cache")
  (type $unary (func (param i32) (result i32)))
  (table 4 funcref)
  (elem (i32.const 0) $double $triple)
  (tag $e (param i32))
  (global $count (mut i32) (i32.const 0))
  (func $double (type $unary) (i32.mul (local.get 0) (i32.const 2)))
  (func $triple (type $unary) (i32.mul (local.get 0) (i32.const 3)))
  (func $fac (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))
      (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
  (func (export "fac") (param i64) (result i64) (call $fac (local.get 0)))
  (func (export "dispatch") (param i32 i32) (result i32)
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    (call_indirect (type $unary) (local.get 1) (local.get 0)))
  (func (export "count") (result i32) (global.get $count))
  (func (export "host_add") (param i32) (result i32)
    (call $add (local.get 0) (global.get $base)))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "grow") (result i32) (memory.grow (i32.const 1)))
  (func (export "fill") (param i32 i32) (memory.fill (i32.const 0) (local.get 0) (local.get 1)))
  (func (export "popcnt") (param i64) (result i64) (i64.popcnt (local.get 0)))
  (func (export "catch") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (throw $e (i32.add (local.get 0) (i32.const 1))))
      (i32.const -1)))
  (func (export "div") (param i32) (result i32) (i32.div_s (i32.const 100) (local.get 0)))
  (func (export "jump") (param i32) (result i32)
    (block (block (block (block (block (block (block (block (block
      (br_table 7 6 5 4 3 2 1 0 8 (local.get 0)))
      (return (i32.const 10))) (return (i32.const 11))) (return (i32.const 12)))
      (return (i32.const 13))) (return (i32.const 14))) (return (i32.const 15)))
      (return (i32.const 16))) (return (i32.const 17)))
    (i32.const 18))
  (func (export "far_load") (result i32) (i32.load (i32.const 0x20000)))
  (func (export "lanes") (param i32) (result i32)
    (i32x4.extract_lane 3
      (i32x4.add (i32x4.splat (local.get 0)) (v128.const i32x4 10 20 30 40))))
))";

Linker host_linker(Store& store) {
  Linker linker;
  linker.func_wrap("host", "add", [](int32_t a, int32_t b) { return a + b; });
  linker.define("host", "base",
                Global::create(store, GlobalType{ValType::I32, false}, Value::i32(1000)).value());
  return linker;
}

// Runs kModule's exports on `module` and checks every result.
void check_behaviour(Engine& engine, const Module& module) {
  Store store(engine);
  Linker linker = host_linker(store);
  Instance inst = instantiate(linker, store, module);
  CHECK(call(store, inst, "fac", {Value::i64(10)})[0].i64() == 3628800);
  CHECK(call(store, inst, "dispatch", {Value::i32(0), Value::i32(7)})[0].i32() == 14);
  CHECK(call(store, inst, "dispatch", {Value::i32(1), Value::i32(7)})[0].i32() == 21);
  CHECK(call(store, inst, "count", {})[0].i32() == 2);
  CHECK(call(store, inst, "host_add", {Value::i32(5)})[0].i32() == 1005);
  CHECK(call(store, inst, "load8", {Value::i32(16)})[0].i32() == 'c');
  CHECK(call(store, inst, "popcnt", {Value::i64(0xF0F0)})[0].i64() == 8);
  CHECK(call(store, inst, "catch", {Value::i32(41)})[0].i32() == 42);
  CHECK(call(store, inst, "lanes", {Value::i32(2)})[0].i32() == 42);
  // br_table's jump table: offsets within the code, so it moves with the code unpatched.
  for (int32_t i = 0; i < 10; ++i) {
    CHECK(call(store, inst, "jump", {Value::i32(i)})[0].i32() == (i < 8 ? 17 - i : 18));
  }
  call(store, inst, "fill", {Value::i32(0x5A), Value::i32(8)});
  CHECK(call(store, inst, "load8", {Value::i32(7)})[0].i32() == 0x5A);

  auto divide = inst.get_func("div");
  REQUIRE(divide);
  auto by_zero = divide->call(store, {Value::i32(0)});
  REQUIRE_FALSE(by_zero.ok());
  REQUIRE(by_zero.error().trap);
  CHECK(by_zero.error().trap->code == TrapCode::IntegerDivideByZero);
  // An empty table slot and a fault in native code (a memory access past the end).
  auto empty_slot = inst.get_func("dispatch")->call(store, {Value::i32(3), Value::i32(1)});
  REQUIRE_FALSE(empty_slot.ok());
  CHECK(empty_slot.error().trap->code == TrapCode::UninitializedElement);
  auto far = inst.get_func("far_load")->call(store, {});
  REQUIRE_FALSE(far.ok());
  CHECK(far.error().trap->code == TrapCode::MemoryOutOfBounds);
  CHECK(call(store, inst, "grow", {})[0].i32() == 1);
  CHECK(call(store, inst, "grow", {})[0].i32() == 2);
  CHECK(call(store, inst, "far_load", {})[0].i32() == 0);
}

// The header's kind byte (docs/jit.md): 1 when the cache holds native code.
bool holds_native_code(const std::vector<uint8_t>& cache) {
  return cache.size() > 60 && cache[60] == 1;
}

}  // namespace

TEST_CASE("a serialized module runs as compiled, on every tier") {
  for (const auto& tier : tern::test::tier_cases()) {
    DYNAMIC_SECTION(tier.name) {
      std::vector<uint8_t> cache;
      {
        Engine engine(tier.config);
        Module module = must_compile(engine, kModule);
        auto bytes = module.serialize();
        INFO((bytes ? "" : bytes.error().to_string()));
        REQUIRE(bytes.ok());
        cache = std::move(*bytes);
        check_behaviour(engine, module);
      }
      // The engine and module it came from are gone: nothing of theirs is left to point into.
      CHECK(Module::is_serialized(cache));
      CHECK(holds_native_code(cache) == (tier.config.tier == Tier::Jit));
      Engine engine(tier.config);
      auto loaded = Module::deserialize(engine, cache);
      INFO((loaded ? "" : loaded.error().to_string()));
      REQUIRE(loaded.ok());
      CHECK(loaded->imports().size() == 2);
      CHECK(loaded->exports().size() == 14);
      check_behaviour(engine, *loaded);
      // Loaded twice, each copy relocated on its own.
      auto again = Module::deserialize(engine, cache);
      REQUIRE(again.ok());
      check_behaviour(engine, *again);
    }
  }
}

TEST_CASE("a lazily compiled module serializes every function's code") {
  if (!Engine::has_tier(Tier::Jit)) return;
  Engine lazy(Config{.tier = Tier::Jit, .lazy_compile = true});
  Module module = must_compile(lazy, kModule);
  auto cache = module.serialize();
  REQUIRE(cache.ok());
  REQUIRE(holds_native_code(*cache));
  // Loaded on an eager engine: every function has code, none waits for a first call.
  Engine eager(Config{.tier = Tier::Jit});
  auto loaded = Module::deserialize(eager, *cache);
  REQUIRE(loaded.ok());
  check_behaviour(eager, *loaded);
}

TEST_CASE("a cache is byte-for-byte the same when serialized twice") {
  Engine engine;
  Module module = must_compile(engine, kModule);
  auto first = module.serialize();
  auto second = module.serialize();
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(*first == *second);
}

TEST_CASE("a cache loads under Tier::Auto whatever it holds") {
  for (Tier made_on : {Tier::Interp, Tier::Auto}) {
    Engine maker(Config{.tier = made_on});
    auto cache = must_compile(maker, kModule).serialize();
    REQUIRE(cache.ok());
    Engine engine(Config{.tier = Tier::Auto});
    auto loaded = Module::deserialize(engine, *cache);
    INFO((loaded ? "" : loaded.error().to_string()));
    REQUIRE(loaded.ok());
    check_behaviour(engine, *loaded);
  }
}

// Canonical type ids are numbered per engine, in the order types are first seen. The loading
// engine has seen other types first, so its ids differ from the making engine's: the code must
// check call_indirect's element against the loading engine's id, inline (a function of this
// instance) and through the helper (a host function), or a function of another type could pass.
TEST_CASE("a cached call_indirect checks types by the loading engine's ids") {
  if (!Engine::has_tier(Tier::Jit)) return;
  constexpr const char* kTyped = R"((module
    (type $a (func (param i32) (result i32)))
    (type $b (func (param i64) (result i64)))
    (import "host" "negate" (func $negate (type $a)))
    (table funcref (elem $inc $wide $negate))
    (func $inc (type $a) (i32.add (local.get 0) (i32.const 1)))
    (func $wide (type $b) (i64.add (local.get 0) (i64.const 1)))
    (func (export "call_a") (param i32 i32) (result i32)
      (call_indirect (type $a) (local.get 0) (local.get 1)))
  ))";
  Config jit{.tier = Tier::Jit};
  std::vector<uint8_t> cache;
  {
    Engine maker(jit);
    auto bytes = must_compile(maker, kTyped).serialize();
    REQUIRE(bytes.ok());
    cache = std::move(*bytes);
  }
  Engine engine(jit);
  // $b's type first: here it takes the id $a had in the making engine.
  Module other = must_compile(engine, R"((module
    (func (param i64) (result i64) (local.get 0))
    (func (param i32) (result i32) (local.get 0))))");
  auto loaded = Module::deserialize(engine, cache);
  INFO((loaded ? "" : loaded.error().to_string()));
  REQUIRE(loaded.ok());
  Store store(engine);
  Linker linker;
  linker.func_wrap("host", "negate", [](int32_t x) { return -x; });
  Instance inst = instantiate(linker, store, *loaded);
  CHECK(call(store, inst, "call_a", {Value::i32(41), Value::i32(0)})[0].i32() == 42);
  CHECK(call(store, inst, "call_a", {Value::i32(5), Value::i32(2)})[0].i32() == -5);
  auto wrong = inst.get_func("call_a")->call(store, {Value::i32(1), Value::i32(1)});
  REQUIRE_FALSE(wrong.ok());
  REQUIRE(wrong.error().trap);
  CHECK(wrong.error().trap->code == TrapCode::IndirectCallTypeMismatch);
}
