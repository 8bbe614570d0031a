// Exception handling on every tier: catches across JIT frames, host functions, interpreter-tier
// callees and other instances; rethrow and delegate; traps never caught; a catch into a loop
// head with cached locals; many throws in a row without the native stack or the call depth
// growing; backtraces of uncaught exceptions.
#include <catch2/catch.hpp>

#include "tern/tern.h"
#include "tests/jit/simd_refusal.h"
#include "tests/support/instances.h"
#include "tests/support/tier.h"
#include "tests/support/wat.h"

using namespace tern;
using tern::test::call;
using tern::test::instantiate;
using tern::test::must_compile;

namespace {

int32_t call_i32(Store& store, const Instance& inst, std::string_view name,
                 std::vector<Value> args = {}) {
  std::vector<Value> results = call(store, inst, name, std::move(args));
  REQUIRE(results.size() == 1);
  return results[0].i32();
}

// The module under test; "m" "throw" throws tag "m" "e" with its argument (the host, another
// instance or an interpreter-tier function, per test).
constexpr const char* kCatcher = R"((module
  (tag $e (import "m" "e") (param i32))
  (func $throw (import "m" "throw") (param i32))
  (tag $other (param i32))
  (func $f3 (param i32) (call $throw (local.get 0)))
  (func $f2 (param i32) (call $f3 (i32.add (local.get 0) (i32.const 1))))
  (func $f1 (param i32) (call $f2 (i32.add (local.get 0) (i32.const 1))))
  (func $own_throw (param i32) (throw $e (local.get 0)))
  ;; Through three JIT frames: the payload comes back.
  (func (export "deep") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (call $f1 (local.get 0)))
      (i32.const -1)))
  ;; exnref kept and rethrown with throw_ref, caught again outside.
  (func (export "catch_ref") (param i32) (result i32) (local $x exnref)
    (block $outer (result i32)
      (try_table (catch $e $outer)
        (block $h (result i32 exnref)
          (try_table (catch_ref $e $h) (call $throw (local.get 0)))
          (unreachable))
        (local.set $x)
        (drop)
        (throw_ref (local.get $x)))
      (i32.const -1)))
  ;; A clause of another tag does not match; catch_all does.
  (func (export "tag_mismatch") (param i32) (result i32)
    (block $all
      (block $h (result i32)
        (try_table (catch $other $h) (catch_all $all) (call $throw (local.get 0)))
        (return (i32.const -1)))
      (return (i32.const -2)))
    (i32.const 7))
  ;; Legacy: rethrow from a catch, caught by the enclosing try.
  (func (export "rethrow") (param i32) (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (call $f1 (local.get 0)) (i32.const -1))
          (catch $e (drop) (rethrow 0))))
      (catch $e (i32.add (i32.const 1000)))))
  ;; Legacy: delegate to the outer try, skipping the inner catch_all's try.
  (func (export "delegate") (param i32) (result i32)
    (try $outer (result i32)
      (do
        (try (result i32)
          (do
            (try (result i32)
              (do (call $own_throw (local.get 0)) (i32.const -1))
              (delegate $outer)))
          (catch_all (i32.const -2))))
      (catch $e (i32.add (i32.const 2000)))))
  ;; Traps are not exceptions: catch_all lets them through.
  (func (export "trap_in_try") (result i32)
    (block $h
      (try_table (catch_all $h) (drop (i32.div_u (i32.const 1) (i32.const 0)))))
    (i32.const 1))
  ;; A catch into a loop head whose locals are cached in registers: sums 0..n-1, each value
  ;; thrown and caught once, `n` throws in all.
  (func (export "loop") (param $n i32) (result i32)
    (local $i i32) (local $sum i32)
    (i32.const 0)
    (loop $l (param i32)
      (local.set $sum (i32.add (local.get $sum)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (if (i32.lt_u (local.get $i) (local.get $n))
        (then (try_table (catch $e $l) (call $f3 (local.get $i))))))
    (local.get $sum))
  ;; The same with the throw in this module's own code.
  (func (export "own_loop") (param $n i32) (result i32)
    (local $i i32) (local $sum i32)
    (i32.const 0)
    (loop $l (param i32)
      (local.set $sum (i32.add (local.get $sum)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (if (i32.lt_u (local.get $i) (local.get $n))
        (then (try_table (catch $e $l) (call $own_throw (local.get $i))))))
    (local.get $sum))
  (func (export "uncaught") (param i32) (call $f1 (local.get 0)))
  ;; Tail calls leave the try blocks around them, also those made as a call and a return
  ;; (arguments that do not fit the caller's value area; an import).
  (func $nine (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32) (throw $e (local.get 8)))
  (func (export "tail_in_try") (result i32)
    (block $h
      (try_table (catch_all $h)
        (return_call $nine (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4) (i32.const 5)
                           (i32.const 6) (i32.const 7) (i32.const 8) (i32.const 9))))
    (i32.const -1))
  (func (export "tail_import_in_try")
    (block $h (try_table (catch_all $h) (return_call $throw (i32.const 8)))))
))";

constexpr const char* kThrower = R"((module
  (tag $e (export "e") (param i32))
  (func (export "throw") (param i32) (throw $e (local.get 0)))))";

// A thrower the JIT refuses while SIMD is (refuse_simd), so that Tier::Auto runs it on the
// interpreter.
constexpr const char* kInterpThrower = R"((module
  (tag $e (export "e") (param i32))
  (func (export "throw") (param i32)
    (drop (i8x16.popcnt (v128.const i64x2 0 0)))
    (throw $e (local.get 0)))))";

constexpr int32_t kThrows = 10000;
constexpr int32_t kSum = kThrows * (kThrows - 1) / 2;

// Checks every export of kCatcher against an instance linked to `m` (which throws tag `e`);
// `on_jit`: the module runs on the JIT.
void check_catcher(Store& store, const Instance& inst, bool on_jit) {
  CHECK(call_i32(store, inst, "deep", {Value::i32(5)}) == 7);
  CHECK(call_i32(store, inst, "catch_ref", {Value::i32(9)}) == 9);
  CHECK(call_i32(store, inst, "tag_mismatch", {Value::i32(1)}) == 7);
  CHECK(call_i32(store, inst, "rethrow", {Value::i32(1)}) == 1003);
  CHECK(call_i32(store, inst, "delegate", {Value::i32(4)}) == 2004);
  auto trapped = inst.get_func("trap_in_try")->call(store, {});
  REQUIRE_FALSE(trapped.ok());
  CHECK(trapped.error().kind == ErrorKind::Trap);
  CHECK(trapped.error().trap->code == TrapCode::IntegerDivideByZero);
  CHECK(call_i32(store, inst, "loop", {Value::i32(kThrows)}) == kSum);
  CHECK(call_i32(store, inst, "own_loop", {Value::i32(kThrows)}) == kSum);
  auto uncaught = inst.get_func("uncaught")->call(store, {Value::i32(3)});
  REQUIRE_FALSE(uncaught.ok());
  CHECK(uncaught.error().kind == ErrorKind::Exception);
  REQUIRE(Exn::from_error(uncaught.error()));
  CHECK(Exn::from_error(uncaught.error())->payload()[0].i32() == 5);
  // On the JIT, the frames the exception left: $f3, $f2, $f1 and the export, innermost first
  // (the interpreter records none for an uncaught exception).
  if (on_jit) {
    const std::vector<BacktraceFrame>& frames = uncaught.error().trap->backtrace;
    REQUIRE(frames.size() >= 4);
    std::vector<uint32_t> last;
    for (size_t i = frames.size() - 4; i < frames.size(); ++i) {
      last.push_back(frames[i].func_index);
    }
    CHECK(last == std::vector<uint32_t>{1, 2, 3, 13});
  }
  // A tail call leaves the try: its callee's exception (a wasm function's or a host import's)
  // is not caught by the caller's handler.
  for (const char* name : {"tail_in_try", "tail_import_in_try"}) {
    INFO(name);
    auto r = inst.get_func(name)->call(store, {});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::Exception);
  }
}

// A small call depth: a depth unit not given back by the unwinder would exhaust it long before
// the loops' 10,000 throws are done.
Config with_small_depth(Config config) {
  config.max_call_depth = 64;
  return config;
}

}  // namespace

TEST_CASE("exceptions from another instance are caught on every tier", "[jit][exn]") {
  for (const test::TierCase& tier : test::tier_cases()) {
    SECTION(tier.name) {
      Engine engine(with_small_depth(tier.config));
      Store store(engine);
      Instance thrower = instantiate(Linker(), store, must_compile(engine, kThrower));
      Linker linker;
      linker.define_instance("m", thrower);
      Module module = must_compile(engine, kCatcher);
      CHECK(module.tier() == (tier.config.tier == Tier::Jit ? Tier::Jit : Tier::Interp));
      check_catcher(store, instantiate(linker, store, module), module.tier() == Tier::Jit);
    }
  }
}

TEST_CASE("exceptions a host function throws are caught on every tier", "[jit][exn]") {
  for (const test::TierCase& tier : test::tier_cases()) {
    SECTION(tier.name) {
      Engine engine(with_small_depth(tier.config));
      Store store(engine);
      Tag tag = Tag::create(store, FuncType{{ValType::I32}, {}}).value();
      Linker linker;
      linker.define("m", "e", tag);
      linker.define_host("m", "throw", FuncType{{ValType::I32}, {}},
                         [&](Caller& caller, std::span<const Value> args, std::span<Value>) {
                           return Exn::create(caller.store(), tag, args)->to_error();
                         });
      Module module = must_compile(engine, kCatcher);
      check_catcher(store, instantiate(linker, store, module), module.tier() == Tier::Jit);
    }
  }
}

TEST_CASE("exceptions an interpreter-tier callee throws are caught by JIT code", "[jit][exn]") {
  if (!Engine::has_tier(Tier::Jit)) return;
  auto refusal = jit::testing::refuse_simd();
  if (!refusal) {
    WARN("every SIMD op compiles on this host: no module the JIT refuses");
    return;
  }
  for (bool lazy : {false, true}) {
    Engine engine(with_small_depth(Config{.tier = Tier::Auto, .lazy_compile = lazy}));
    Store store(engine);
    Module interp_module = must_compile(engine, kInterpThrower);
    REQUIRE(interp_module.tier() == Tier::Interp);
    Instance thrower = instantiate(Linker(), store, interp_module);
    Linker linker;
    linker.define_instance("m", thrower);
    Module module = must_compile(engine, kCatcher);
    REQUIRE(module.tier() == Tier::Jit);
    check_catcher(store, instantiate(linker, store, module), true);
  }
}
