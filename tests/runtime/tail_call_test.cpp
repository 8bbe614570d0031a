// Tail calls (return_call, return_call_indirect) on every tier: constant stack space for deep
// mutual recursion, callees of other instances and host functions, and what a replaced frame
// means for backtraces, call depth, fuel and interruption.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "tests/support/instances.h"
#include "tests/support/tier.h"
#include "tests/support/wat.h"

using namespace tern;
using tern::test::instantiate;
using test::tier_cases;
using test::TierCase;

namespace {

// Mutual recursion: direct tail calls, and tail calls through the table.
constexpr const char* kEvenOdd = R"((module
  (type $pred (func (param i64) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $even_indirect $odd_indirect)
  (func $even (export "even") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 1))
      (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
  (func $odd (export "odd") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 0))
      (else (return_call $even (i64.sub (local.get 0) (i64.const 1))))))
  (func $even_indirect (export "even_indirect") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 1))
      (else (return_call_indirect (type $pred)
              (i64.sub (local.get 0) (i64.const 1)) (i32.const 1)))))
  (func $odd_indirect (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 0))
      (else (return_call_indirect (type $pred)
              (i64.sub (local.get 0) (i64.const 1)) (i32.const 0)))))
))";

template <typename Signature>
TypedFunc<Signature> typed(Store& store, const Instance& instance, const char* name) {
  auto f = instance.get_func(name);
  REQUIRE(f);
  auto t = f->typed<Signature>(store);
  REQUIRE(t.ok());
  return *t;
}

}  // namespace

TEST_CASE("tail calls / mutual recursion ten million calls deep runs in constant stack") {
  for (const TierCase& tc : tier_cases()) {
    INFO(tc.name);
    Engine engine(tc.config);
    Module module = test::must_compile(engine, kEvenOdd);
    Store store(engine);
    Instance instance = instantiate(Linker(), store, module);
    auto even = typed<int32_t(int64_t)>(store, instance, "even");
    auto odd = typed<int32_t(int64_t)>(store, instance, "odd");
    CHECK(even.call(store, 10'000'000).value() == 1);
    CHECK(odd.call(store, 10'000'000).value() == 0);
    CHECK(even.call(store, 10'000'001).value() == 0);
    auto even_indirect = typed<int32_t(int64_t)>(store, instance, "even_indirect");
    CHECK(even_indirect.call(store, 10'000'000).value() == 1);
    CHECK(even_indirect.call(store, 9'999'999).value() == 0);
  }
}

TEST_CASE("tail calls / a replaced frame does not count against the call depth") {
  for (TierCase tc : tier_cases()) {
    INFO(tc.name);
    tc.config.max_call_depth = 8;
    Engine engine(tc.config);
    Module module = test::must_compile(engine, R"((module
      (func $count (export "count") (param i32 i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0))
          (then (local.get 1))
          (else (return_call $count (i32.sub (local.get 0) (i32.const 1))
                                    (i32.add (local.get 1) (i32.const 2))))))
      (func $plain (export "plain") (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0))
          (then (i32.const 0))
          (else (call $plain (i32.sub (local.get 0) (i32.const 1))))))
    ))");
    Store store(engine);
    Instance instance = instantiate(Linker(), store, module);
    CHECK(typed<int32_t(int32_t, int32_t)>(store, instance, "count").call(store, 5000, 0).value() ==
          10000);
    // The same depth with plain calls exhausts the 8 frames allowed.
    auto plain = typed<int32_t(int32_t)>(store, instance, "plain").call(store, 100);
    REQUIRE_FALSE(plain.ok());
    REQUIRE(plain.error().trap);
    CHECK(plain.error().trap->code == TrapCode::CallStackExhausted);
  }
}

TEST_CASE("tail calls / callees with more parameters than the caller, and with fewer") {
  for (const TierCase& tc : tier_cases()) {
    INFO(tc.name);
    Engine engine(tc.config);
    // $down takes one argument and tail-calls $wide with four (or $widest with ten, more than
    // the JIT's smallest value area), which tail-call $down again: the arguments outgrow the
    // caller's own.
    Module module = test::must_compile(engine, R"((module
      (func $down (export "down") (param i32) (result i64)
        (if (result i64) (i32.eqz (local.get 0))
          (then (i64.const 7))
          (else (if (result i64) (i32.and (local.get 0) (i32.const 1))
            (then (return_call $widest (local.get 0) (i32.const 1) (i32.const 2) (i32.const 3)
              (i32.const 4) (i32.const 5) (i32.const 6) (i32.const 7) (i32.const 8)
              (i32.const 9)))
            (else (return_call $wide (local.get 0) (i64.const 1) (f64.const 2.5)
              (i32.const 3)))))))
      (func $widest (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i64)
        (if (i32.ne (local.get 9) (i32.const 9)) (then (unreachable)))
        (return_call $down (i32.sub (local.get 0) (local.get 1))))
      (func $wide (param i32 i64 f64 i32) (result i64)
        (if (i32.ne (local.get 3) (i32.const 3)) (then (unreachable)))
        (if (f64.ne (local.get 2) (f64.const 2.5)) (then (unreachable)))
        (return_call $down (i32.wrap_i64
          (i64.sub (i64.extend_i32_u (local.get 0)) (local.get 1)))))
      (func (export "narrow") (param i64 i64 i64) (result i64)
        (return_call $down (i32.wrap_i64 (i64.add (local.get 0) (i64.add (local.get 1)
          (local.get 2))))))
    ))");
    Store store(engine);
    Instance instance = instantiate(Linker(), store, module);
    CHECK(typed<int64_t(int32_t)>(store, instance, "down").call(store, 6000).value() == 7);
    CHECK(typed<int64_t(int64_t, int64_t, int64_t)>(store, instance, "narrow")
              .call(store, 100, 200, 300)
              .value() == 7);
  }
}

TEST_CASE("tail calls / return_call_indirect reaches other instances and host functions") {
  for (const TierCase& tc : tier_cases()) {
    INFO(tc.name);
    Engine engine(tc.config);
    // The table owner: slot 0 its own function, 1 a host function, 2 one of another instance
    // (which reads its own global, so it must run with its own instance).
    Module owner = test::must_compile(engine, R"((module
      (type $bin (func (param i32 i32) (result i32)))
      (import "host" "mul" (func $mul (type $bin)))
      (table (export "table") 3 funcref)
      (func $sub (type $bin) (i32.sub (local.get 0) (local.get 1)))
      (elem (i32.const 0) $sub $mul)
      (func (export "via") (param i32 i32 i32) (result i32)
        (return_call_indirect (type $bin) (local.get 1) (local.get 2) (local.get 0)))
      (func (export "via_import") (param i32 i32) (result i32)
        (return_call $mul (local.get 0) (local.get 1)))
    ))");
    Module user = test::must_compile(engine, R"((module
      (type $bin (func (param i32 i32) (result i32)))
      (import "owner" "table" (table 3 funcref))
      (global $k i32 (i32.const 1000))
      (func $theirs (type $bin) (i32.add (global.get $k) (i32.add (local.get 0) (local.get 1))))
      (elem (i32.const 2) $theirs)
    ))");
    Store store(engine);
    Linker linker;
    linker.func_wrap("host", "mul", [](int32_t a, int32_t b) { return a * b; });
    Instance owner_instance = instantiate(linker, store, owner);
    linker.define_instance("owner", owner_instance);
    instantiate(linker, store, user);
    auto via = typed<int32_t(int32_t, int32_t, int32_t)>(store, owner_instance, "via");
    CHECK(via.call(store, 0, 10, 3).value() == 7);
    CHECK(via.call(store, 1, 10, 3).value() == 30);
    CHECK(via.call(store, 2, 10, 3).value() == 1013);
    auto via_import = typed<int32_t(int32_t, int32_t)>(store, owner_instance, "via_import");
    CHECK(via_import.call(store, 6, 7).value() == 42);
    auto out_of_range = via.call(store, 3, 1, 1);
    REQUIRE_FALSE(out_of_range.ok());
    REQUIRE(out_of_range.error().trap);
    CHECK(out_of_range.error().trap->code == TrapCode::UndefinedElement);
  }
}

TEST_CASE("tail calls / a trap's backtrace shows the callee in place of its caller") {
  for (const TierCase& tc : tier_cases()) {
    INFO(tc.name);
    Engine engine(tc.config);
    Module module = test::must_compile(engine, R"((module
      (func $outer (export "outer") (result i32) (i32.add (call $middle) (i32.const 1)))
      (func $middle (result i32) (return_call $fails (i32.const 0)))
      (func $fails (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
    ))");
    Store store(engine);
    Instance instance = instantiate(Linker(), store, module);
    auto r = typed<int32_t()>(store, instance, "outer").call(store);
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.error().trap);
    const Trap& trap = *r.error().trap;
    CHECK(trap.code == TrapCode::IntegerDivideByZero);
    REQUIRE(trap.backtrace.size() == 2);
    CHECK(trap.backtrace[0].func_index == 2);  // $fails
    CHECK(trap.backtrace[1].func_index == 0);  // $outer; $middle's frame was replaced
  }
}

TEST_CASE("tail calls / an endless tail-call loop runs out of fuel or is interrupted") {
  constexpr const char* kForever = R"((module
    (func $ping (export "ping") (param i32) (result i32)
      (return_call $pong (i32.add (local.get 0) (i32.const 1))))
    (func $pong (param i32) (result i32) (return_call $ping (local.get 0)))
  ))";
  for (const TierCase& tc : tier_cases()) {
    INFO(tc.name);
    {
      Config metered = tc.config;
      metered.consume_fuel = true;
      Engine engine(metered);
      Module module = test::must_compile(engine, kForever);
      Store store(engine);
      store.set_fuel(1'000'000);
      Instance instance = instantiate(Linker(), store, module);
      auto r = typed<int32_t(int32_t)>(store, instance, "ping").call(store, 0);
      REQUIRE_FALSE(r.ok());
      REQUIRE(r.error().trap);
      CHECK(r.error().trap->code == TrapCode::OutOfFuel);
    }
    {
      Engine engine(tc.config);
      Module module = test::must_compile(engine, kForever);
      Store store(engine);
      Instance instance = instantiate(Linker(), store, module);
      auto ping = typed<int32_t(int32_t)>(store, instance, "ping");
      std::thread interrupter([&store] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        store.interrupt();
      });
      auto r = ping.call(store, 0);
      interrupter.join();
      REQUIRE_FALSE(r.ok());
      REQUIRE(r.error().trap);
      CHECK(r.error().trap->code == TrapCode::Interrupted);
    }
  }
}

TEST_CASE("tail calls / validation and the tail_call switch") {
  Engine engine;
  SECTION("the callee's results must be the caller's") {
    auto m = test::compile_wat(engine, R"((module
      (func $one (result i32) (i32.const 1))
      (func (result i64) (return_call $one))
    ))");
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().kind == ErrorKind::Invalid);
    CHECK(m.error().message == "type mismatch");
  }
  SECTION("code after a tail call is unreachable, so stack-polymorphic") {
    auto m = test::compile_wat(engine, R"((module
      (func $one (result i32) (i32.const 1))
      (func (result i32) (return_call $one) (i32.add))
    ))");
    CHECK(m.ok());
  }
  SECTION("with the proposal switched off, the opcode names it") {
    Config config;
    config.features.tail_call = false;
    Engine wasm20(config);
    auto m = test::compile_wat(wasm20, R"((module
      (func $one (result i32) (i32.const 1))
      (func (result i32) (return_call $one))
    ))");
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().kind == ErrorKind::Malformed);
    CHECK(m.error().message ==
          "return_call requires the tail call proposal (-W tail-call), which is not enabled");
  }
}
