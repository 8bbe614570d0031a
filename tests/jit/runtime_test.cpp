// Host calls, traps with backtraces, fuel, interruption and stack exhaustion on both tiers.
#include <catch2/catch.hpp>

#include "tests/jit/jit_harness.h"

using namespace tern;
using tern::jit::testing::describe;
using tern::jit::testing::Dual;

TEST_CASE("host functions are called from compiled code / and may call back into it") {
  auto imports = [](Linker& l) {
    l.func_wrap("env", "twice", [](int32_t x) { return 2 * x; });
    l.func_wrap("env", "mix", [](int64_t a, double b) { return double(a) + b; });
    l.define_host("env", "fail", FuncType{{}, {}}, [](Caller&, auto, auto) -> Result<void> {
      return Error::invalid("the host says no");
    });
    l.define_host(
        "env", "reenter", FuncType{{ValType::I32}, {ValType::I32}},
        [](Caller& c, std::span<const Value> args, std::span<Value> results) -> Result<void> {
          auto square = std::get<Func>(*c.get_export("square"));
          auto r = square.call(c.store(), {args[0]});
          if (!r) return r.take_error();
          results[0] = (*r)[0];
          return {};
        });
  };
  Dual d(R"((module
    (import "env" "twice" (func $twice (param i32) (result i32)))
    (import "env" "mix" (func $mix (param i64 f64) (result f64)))
    (import "env" "fail" (func $fail))
    (import "env" "reenter" (func $reenter (param i32) (result i32)))
    (func (export "square") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
    (func (export "t") (param i32) (result i32) (i32.add (call $twice (local.get 0)) (i32.const 1)))
    (func (export "m") (result f64) (call $mix (i64.const 3) (f64.const 0.5)))
    (func (export "f") (result i32) (call $fail) (i32.const 1))
    (func (export "r") (param i32) (result i32) (call $reenter (local.get 0)))
  ))",
         {}, imports);
  for (const char* name : {"t", "r"}) {
    for (int32_t x : {0, 5, -7}) {
      auto a = d.interp(name, {Value::i32(x)});
      auto b = d.jit(name, {Value::i32(x)});
      INFO(name << " " << describe(a) << " vs " << describe(b));
      CHECK(a == b);
    }
  }
  CHECK(d.interp("m", {}) == d.jit("m", {}));
  auto f = d.jit("f", {});
  CHECK(f.trap == TrapCode::HostError);
  CHECK(d.interp("f", {}) == f);
}

TEST_CASE("a trap's backtrace names the innermost function") {
  Dual d(R"((module
    (memory 1)
    (func $inner (param i32) (result i32) (i32.load (local.get 0)))
    (func $middle (param i32) (result i32) (call $inner (local.get 0)))
    (func $boom (unreachable))
    (func (export "oob") (param i32) (result i32) (call $middle (local.get 0)))
    (func (export "unreachable") (call $boom))
  ))");
  auto b = d.jit("oob", {Value::i32(-1)});
  CHECK(b.trap == TrapCode::MemoryOutOfBounds);
  CHECK(b.innermost == 0u);  // $inner
  CHECK(d.interp("oob", {Value::i32(-1)}).innermost == 0u);
  auto u = d.jit("unreachable", {});
  CHECK(u.trap == TrapCode::Unreachable);
  CHECK(u.innermost == 2u);  // $boom
  // A trap leaves the store usable.
  CHECK(d.jit("oob", {Value::i32(0)}).values[0].i32() == 0);
}

TEST_CASE("fuel is charged like the interpreter charges it") {
  Config config;
  config.consume_fuel = true;
  Dual d(R"((module
    (func (export "spin") (param i32) (result i32)
      (loop $l (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
      (local.get 0))
  ))",
         config);
  for (uint64_t fuel : {0, 5, 50, 1000}) {
    d.interp_store().set_fuel(fuel);
    d.jit_store().set_fuel(fuel);
    auto a = d.interp("spin", {Value::i32(20)});
    auto b = d.jit("spin", {Value::i32(20)});
    INFO("fuel " << fuel << ": " << describe(a) << " vs " << describe(b));
    CHECK(a == b);
    CHECK(d.interp_store().fuel() == d.jit_store().fuel());
  }
}

TEST_CASE("an interrupt request stops compiled code once") {
  Dual d(R"((module (func (export "loop") (loop $l (br $l))) (func (export "nop"))))");
  d.jit_store().interrupt();
  CHECK(d.jit("loop", {}).trap == TrapCode::Interrupted);
  CHECK_FALSE(d.jit("nop", {}).trap);
}

TEST_CASE("deep recursion ends in a clean call-stack-exhausted trap") {
  Config config;
  config.max_call_depth = 100000000;  // only the native stack limit can stop it
  Dual d(R"((module
    (func $r (export "r") (param i64) (result i64) (local i64 i64 i64 i64 i64 i64 i64 i64)
      (i64.add (call $r (i64.add (local.get 0) (i64.const 1))) (local.get 1)))
  ))",
         config);
  CHECK(d.jit("r", {Value::i64(0)}).trap == TrapCode::CallStackExhausted);
  Config shallow;
  shallow.max_call_depth = 50;
  Dual s(R"((module (func $r (export "r") (call $r))))", shallow);
  CHECK(s.jit("r", {}).trap == TrapCode::CallStackExhausted);
  CHECK(s.interp("r", {}).trap == TrapCode::CallStackExhausted);
}

TEST_CASE("tables / bulk memory and references agree") {
  Dual d(R"((module
    (memory 1)
    (data $d "hello")
    (table $t 4 funcref)
    (elem $e func $a $b)
    (func $a (result i32) (i32.const 1))
    (func $b (result i32) (i32.const 2))
    (func (export "init") (param i32 i32 i32) (result i32)
      (memory.init $d (local.get 0) (local.get 1) (local.get 2)) (i32.load8_u (local.get 0)))
    (func (export "copy") (param i32 i32 i32) (result i32)
      (memory.copy (local.get 0) (local.get 1) (local.get 2)) (i32.load8_u (local.get 0)))
    (func (export "tinit") (param i32 i32 i32) (result i32)
      (table.init $t $e (local.get 0) (local.get 1) (local.get 2))
      (call_indirect (result i32) (local.get 0)))
    (func (export "tgrow") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0)))
    (func (export "tsize") (result i32) (table.size $t))
    (func (export "isnull") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
    (func (export "setget") (param i32) (result i32)
      (table.set $t (local.get 0) (ref.func $b)) (call_indirect (result i32) (local.get 0)))
    (func (export "drop") (data.drop $d) (elem.drop $e))
  ))");
  auto same = [&](const char* name, std::vector<Value> args) {
    auto a = d.interp(name, args);
    auto b = d.jit(name, args);
    INFO(name << " " << describe(a) << " vs " << describe(b));
    CHECK(a == b);
  };
  same("init", {Value::i32(10), Value::i32(1), Value::i32(3)});
  same("init", {Value::i32(10), Value::i32(4), Value::i32(3)});
  same("copy", {Value::i32(20), Value::i32(10), Value::i32(3)});
  same("copy", {Value::i32(65535), Value::i32(10), Value::i32(3)});
  same("tinit", {Value::i32(1), Value::i32(0), Value::i32(2)});
  same("tinit", {Value::i32(3), Value::i32(0), Value::i32(2)});
  same("isnull", {Value::i32(0)});
  same("isnull", {Value::i32(1)});
  same("isnull", {Value::i32(9)});
  same("setget", {Value::i32(3)});
  same("tgrow", {Value::i32(2)});
  same("tsize", {});
  same("drop", {});
  same("init", {Value::i32(10), Value::i32(0), Value::i32(1)});
}
