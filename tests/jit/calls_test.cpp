// Calls on the JIT: call_indirect inline (own instance) and through its helper (other
// instances, host functions), tables that grow or are shared, and lazy compilation.
#include <catch2/catch.hpp>
#include <latch>
#include <thread>

#include "tests/jit/jit_harness.h"
#include "tests/jit/simd_refusal.h"
#include "tests/support/instances.h"
#include "tests/support/wat.h"

using namespace tern;
using tern::jit::testing::describe;
using tern::jit::testing::Dual;
using tern::test::compile_wat;
using tern::test::instantiate;
using tern::test::must_compile;

namespace {

Config jit_config(Tier tier, bool lazy) {
  Config c;
  c.tier = tier;
  c.lazy_compile = lazy;
  return c;
}

// The module that owns the table: slot 0 holds its own function, 1 a host function, 2 one of
// another instance (set by that instance), 3 is empty; 4 holds a function of another type.
constexpr const char* kTableOwner = R"((module
  (type $un (func (param i32) (result i32)))
  (import "host" "triple" (func $triple (type $un)))
  (table (export "table") 5 10 funcref)
  (global $g (mut i32) (i32.const 100))
  (func $own (type $un) (i32.add (local.get 0) (global.get $g)))
  (func $other_type (param i64) (result i64) (local.get 0))
  (elem (i32.const 0) $own $triple)
  (elem (i32.const 4) $other_type)
  (func (export "call") (param i32 i32) (result i32)
    (call_indirect (type $un) (local.get 1) (local.get 0)))
  (func (export "grow_and_call") (param i32) (result i32)
    (drop (table.grow (ref.func $own) (i32.const 2)))
    (call_indirect (type $un) (local.get 0) (i32.sub (table.size) (i32.const 1))))
))";

// Another module sharing the table; its function reads its own memory and global, so it only
// works with its own instance's registers.
constexpr const char* kTableUser = R"((module
  (type $un (func (param i32) (result i32)))
  (import "owner" "table" (table 5 funcref))
  (memory 1)
  (data (i32.const 8) "\07")
  (global $k i32 (i32.const 1000))
  (func $theirs (type $un)
    (i32.add (i32.add (local.get 0) (i32.load8_u (i32.const 8))) (global.get $k)))
  (elem (i32.const 2) $theirs)
  (func (export "call") (param i32 i32) (result i32)
    (call_indirect (type $un) (local.get 1) (local.get 0)))
))";

struct Outcome {
  std::optional<int32_t> value;
  std::string trap;  // the trap's message, if it trapped
  bool operator==(const Outcome&) const = default;
};

Outcome outcome_of(Result<std::vector<Value>> r) {
  if (r) return {(*r)[0].i32(), {}};
  REQUIRE(r.error().trap);
  return {std::nullopt, r.error().to_string()};
}

// Runs calls through the shared table on `tier`; the outcomes in a fixed order.
std::vector<Outcome> run_table_calls(Tier tier, bool lazy) {
  Engine engine(jit_config(tier, lazy));
  Store store(engine);
  Linker linker;
  linker.func_wrap("host", "triple", [](int32_t x) { return 3 * x; });
  Instance owner = instantiate(linker, store, must_compile(engine, kTableOwner));
  linker.define_instance("owner", owner);
  Instance user = instantiate(linker, store, must_compile(engine, kTableUser));
  Func owner_call = *owner.get_func("call");
  Func user_call = *user.get_func("call");
  std::vector<Outcome> out;
  for (int32_t index : {0, 1, 2, 3, 4, 5, -1}) {
    for (Func f : {owner_call, user_call}) {
      out.push_back(outcome_of(f.call(store, {Value::i32(index), Value::i32(5)})));
    }
  }
  // Growth, from compiled code and from the host, is seen by both instances at once.
  out.push_back(outcome_of(owner.get_func("grow_and_call")->call(store, {Value::i32(1)})));
  out.push_back(outcome_of(user_call.call(store, {Value::i32(6), Value::i32(2)})));
  Table table = *owner.get_table("table");
  REQUIRE(table.grow(1).ok());
  REQUIRE(table.set(7, *table.get(2)));
  out.push_back(outcome_of(owner_call.call(store, {Value::i32(7), Value::i32(3)})));
  out.push_back(outcome_of(owner_call.call(store, {Value::i32(8), Value::i32(3)})));
  return out;
}

}  // namespace

TEST_CASE("call_indirect through a shared table agrees across tiers and traps exactly") {
  std::vector<Outcome> interp = run_table_calls(Tier::Interp, false);
  for (bool lazy : {false, true}) {
    std::vector<Outcome> jit = run_table_calls(Tier::Jit, lazy);
    REQUIRE(jit.size() == interp.size());
    for (size_t i = 0; i < jit.size(); ++i) {
      INFO("call " << i << (lazy ? " (lazy)" : ""));
      CHECK(jit[i] == interp[i]);
    }
    // Own function, host function, the other instance's function (with its registers).
    CHECK(jit[0].value == 105);
    CHECK(jit[1].value == 105);
    CHECK(jit[2].value == 15);
    CHECK(jit[4].value == 1012);
    CHECK(jit[5].value == 1012);
    CHECK_THAT(jit[6].trap, Catch::Contains("uninitialized element"));
    CHECK_THAT(jit[8].trap, Catch::Contains("indirect call type mismatch"));
    CHECK_THAT(jit[10].trap, Catch::Contains("undefined element"));
    CHECK_THAT(jit[12].trap, Catch::Contains("undefined element"));  // index -1: unsigned
    CHECK(jit[14].value == 101);  // after table.grow in compiled code
    CHECK(jit[15].value == 102);  // the other instance sees the new size
    CHECK(jit[16].value == 1010);
    CHECK_THAT(jit[17].trap, Catch::Contains("undefined element"));
  }
}

TEST_CASE(
    "a lazily compiled module runs, traps with backtraces and reports what it cannot compile") {
  Config lazy;
  lazy.lazy_compile = true;
  Dual d(R"((module
    (memory 1)
    (func $inner (param i32) (result i32) (i32.load (local.get 0)))
    (func $fib (export "fib") (param i32) (result i32)
      (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
        (then (local.get 0))
        (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                       (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
    (func (export "oob") (param i32) (result i32) (call $inner (local.get 0)))
  ))",
         lazy);
  CHECK(d.jit("fib", {Value::i32(20)}) == d.interp("fib", {Value::i32(20)}));
  auto oob = d.jit("oob", {Value::i32(-1)});
  CHECK(oob.trap == TrapCode::MemoryOutOfBounds);
  CHECK(oob.innermost == 0u);  // $inner, found in its own code block
  CHECK(d.jit("oob", {Value::i32(4)}).values.at(0).i32() == 0);

  Config deep = lazy;
  deep.max_call_depth = 100000000;  // only the native stack limit can stop it
  Dual r(R"((module
    (func $r (export "r") (param i64) (result i64) (local i64 i64 i64)
      (i64.add (call $r (i64.add (local.get 0) (i64.const 1))) (local.get 1)))
  ))",
         deep);
  CHECK(r.jit("r", {Value::i64(0)}).trap == TrapCode::CallStackExhausted);

  auto refusal = jit::testing::refuse_simd();
  if (!refusal) {
    WARN("every SIMD op compiles on this host: no module the JIT refuses");
    return;
  }
  Engine engine(jit_config(Tier::Jit, true));
  // Lazily compiled, a module the JIT refuses still fails at Module::compile.
  auto m = compile_wat(engine,
                       "(module (func (result v128) (i8x16.popcnt (v128.const i32x4 1 2 3 4))))");
  REQUIRE_FALSE(m.ok());
  CHECK_THAT(m.error().to_string(),
             Catch::Contains("jit: v128 values are not compiled on this host"));
}

TEST_CASE("two threads calling the same uncompiled functions at once both get compiled code") {
  Engine engine(jit_config(Tier::Jit, true));
  Module module = must_compile(engine, R"((module
    (func $sum (param i32) (result i32) (local i32)
      (loop $l
        (local.set 1 (i32.add (local.get 1) (local.get 0)))
        (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
      (local.get 1))
    (func $twice (param i32) (result i32) (i32.shl (call $sum (local.get 0)) (i32.const 1)))
    (table funcref (elem $sum $twice))
    (func (export "run") (param i32) (result i32)
      (i32.add (call $twice (local.get 0))
               (call_indirect (param i32) (result i32) (local.get 0) (i32.const 0))))
  ))");
  constexpr int kThreads = 4;
  std::latch start(kThreads);
  std::vector<int32_t> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Store store(engine);  // a store per thread; the compiled module is shared
      Linker linker;
      auto inst = linker.instantiate(store, module);
      start.arrive_and_wait();
      if (!inst) return;  // results[t] stays 0: reported below
      auto r = inst->get_func("run")->call(store, {Value::i32(100)});
      results[t] = r ? (*r)[0].i32() : -1;
    });
  }
  for (std::thread& t : threads) t.join();
  for (int32_t r : results) CHECK(r == 3 * 5050);
}

TEST_CASE("locals start at zero however many a function has") {
  // $dirty leaves nonzero values where $clean's frame then lies, at the same depth.
  Dual d(R"((module
    (func $dirty (param i32) (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
      (local.set 3 (i64.const 7)) (local.set 9 (i64.const 8)) (local.set 14 (i64.const 9)))
    (func $clean (param i32) (result i64)
      (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
      (i64.add (i64.add (local.get 3) (local.get 9))
               (i64.add (local.get 14) (i64.extend_i32_u (local.get 0)))))
    (func (export "run") (param i32) (result i64)
      (call $dirty (local.get 0)) (call $clean (local.get 0)))
  ))");
  auto jit = d.jit("run", {Value::i32(5)});
  CHECK(jit == d.interp("run", {Value::i32(5)}));
  CHECK(jit.values.at(0).i64() == 5);
}
