// Calling functions: host functions through func_wrap and define_host, argument checking,
// traps, fuel and interruption.
#include <cstring>

#include "test_util.h"

using namespace tern;
using tern::test::must_call;
using tern::test::must_compile;
using tern::test::must_instantiate;

TEST_CASE("func_wrap host functions are callable from wasm", "[func]") {
  Engine engine;
  Store store(engine);
  Linker linker;
  linker.func_wrap("env", "add", [](int32_t a, int32_t b) { return a + b; });
  linker.func_wrap("env", "scale", [](double x, float y) -> double { return x * y; });
  int64_t logged = 0;
  linker.func_wrap("env", "log", [&](int64_t v) { logged = v; });
  Module m = must_compile(engine, R"((module
    (import "env" "add" (func $add (param i32 i32) (result i32)))
    (import "env" "scale" (func $scale (param f64 f32) (result f64)))
    (import "env" "log" (func $log (param i64)))
    (func (export "run") (param i32) (result i32)
      (call $log (i64.const -9))
      (call $add (local.get 0) (i32.const 10)))
    (func (export "scaled") (result f64) (call $scale (f64.const 1.5) (f32.const 4)))))");
  Instance inst = must_instantiate(linker, store, m);
  CHECK(must_call(store, inst, "run", {Value::i32(5)})[0].i32() == 15);
  CHECK(logged == -9);
  CHECK(must_call(store, inst, "scaled")[0].f64() == 6.0);
}

TEST_CASE("host functions taking a Caller read the guest's memory", "[func]") {
  Engine engine;
  Store store(engine);
  Linker linker;
  linker.func_wrap("env", "sum", [](Caller& caller, int32_t ptr, int32_t len) -> int32_t {
    std::optional<Memory> mem = caller.memory();
    if (!mem || uint64_t(ptr) + uint64_t(len) > mem->size_bytes()) return -1;
    int32_t sum = 0;
    for (int32_t i = 0; i < len; ++i) sum += mem->data()[ptr + i];
    return sum;
  });
  Module m = must_compile(engine, R"((module
    (import "env" "sum" (func $sum (param i32 i32) (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 100) "\01\02\03\04")
    (func (export "run") (result i32) (call $sum (i32.const 100) (i32.const 4)))))");
  Instance inst = must_instantiate(linker, store, m);
  CHECK(must_call(store, inst, "run")[0].i32() == 10);
}

TEST_CASE("Caller::memory falls back to the caller's memory 0", "[func]") {
  Engine engine;
  Store store(engine);
  Linker linker;
  linker.func_wrap("env", "peek", [](Caller& caller, int32_t addr) -> int32_t {
    std::optional<Memory> mem = caller.memory();
    return mem ? mem->data()[addr] : -1;
  });
  Module m = must_compile(engine, R"((module
    (import "env" "peek" (func $peek (param i32) (result i32)))
    (memory (export "heap") 1)
    (data (i32.const 3) "\63")
    (func (export "run") (result i32) (call $peek (i32.const 3)))))");
  Instance inst = must_instantiate(linker, store, m);
  CHECK(must_call(store, inst, "run")[0].i32() == 0x63);

  Module no_memory = must_compile(engine, R"((module
    (import "env" "peek" (func $peek (param i32) (result i32)))
    (func (export "run") (result i32) (call $peek (i32.const 3)))))");
  Instance bare = must_instantiate(linker, store, no_memory);
  CHECK(must_call(store, bare, "run")[0].i32() == -1);
}

TEST_CASE("Func::host functions are called directly and see no instance", "[func]") {
  Engine engine;
  Store store(engine);
  bool had_instance = true;
  Func f = Func::host(store, FuncType{{ValType::I64}, {ValType::I64, ValType::I32}},
                      [&](Caller& caller, std::span<const Value> args, std::span<Value> results) {
                        had_instance =
                            caller.get_export("x").has_value() || caller.memory().has_value();
                        results[0] = Value::i64(args[0].i64() * 2);
                        results[1] = Value::i32(7);
                        return Result<void>();
                      });
  CHECK(f.type() == FuncType{{ValType::I64}, {ValType::I64, ValType::I32}});
  auto r = f.call(store, {Value::i64(21)});
  REQUIRE(r.ok());
  REQUIRE(r->size() == 2);
  CHECK((*r)[0].i64() == 42);
  CHECK((*r)[1].i32() == 7);
  CHECK_FALSE(had_instance);
}

TEST_CASE("a host error traps the wasm caller", "[func]") {
  Engine engine;
  Store store(engine);
  Linker linker;
  linker.define_host("env", "fail", FuncType{},
                     [](Caller&, std::span<const Value>, std::span<Value>) -> Result<void> {
                       return Error::from_trap(Trap{TrapCode::HostError, "boom", {}, 0});
                     });
  Module m = must_compile(engine, R"((module
    (import "env" "fail" (func $fail))
    (func (export "run") (call $fail))))");
  Instance inst = must_instantiate(linker, store, m);
  auto r = inst.get_func("run")->call(store, {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Trap);
  REQUIRE(r.error().trap.has_value());
  CHECK(r.error().trap->code == TrapCode::HostError);
}

TEST_CASE("calls with the wrong arguments are errors / not crashes", "[func]") {
  Engine engine;
  Store store(engine);
  Module m = must_compile(engine, R"((module
    (func (export "f") (param i32 f64) (result i32) (local.get 0))))");
  Instance inst = must_instantiate(Linker(), store, m);
  Func f = *inst.get_func("f");
  CHECK(f.type() == FuncType{{ValType::I32, ValType::F64}, {ValType::I32}});

  auto too_few = f.call(store, {Value::i32(1)});
  REQUIRE_FALSE(too_few.ok());
  CHECK(too_few.error().kind != ErrorKind::Trap);
  auto too_many = f.call(store, {Value::i32(1), Value::f64(2), Value::i32(3)});
  REQUIRE_FALSE(too_many.ok());
  auto wrong_type = f.call(store, {Value::i32(1), Value::f32(2)});
  REQUIRE_FALSE(wrong_type.ok());
  CHECK(wrong_type.error().message.find("type") != std::string::npos);
  auto swapped = f.call(store, {Value::f64(2), Value::i32(1)});
  REQUIRE_FALSE(swapped.ok());

  auto good = f.call(store, {Value::i32(3), Value::f64(2)});
  REQUIRE(good.ok());
  CHECK((*good)[0].i32() == 3);

  Store other(engine);
  CHECK_FALSE(f.call(other, {Value::i32(3), Value::f64(2)}).ok());  // not this store's function
  CHECK_FALSE(Func().call(store, {}).ok());
}

TEST_CASE("traps come back as ErrorKind::Trap with the spec's message", "[func]") {
  Engine engine;
  Store store(engine);
  Module m = must_compile(engine, R"((module
    (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
    (func (export "boom") unreachable)))");
  Instance inst = must_instantiate(Linker(), store, m);
  auto r = inst.get_func("div")->call(store, {Value::i32(0)});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Trap);
  CHECK(r.error().message == "integer divide by zero");
  REQUIRE(r.error().trap.has_value());
  CHECK(r.error().trap->code == TrapCode::IntegerDivideByZero);
  // The store stays usable after a trap.
  CHECK(must_call(store, inst, "div", {Value::i32(1)})[0].i32() == 1);
  auto u = inst.get_func("boom")->call(store, {});
  REQUIRE_FALSE(u.ok());
  CHECK(u.error().message == "unreachable");
}

TEST_CASE("fuel runs out as a trap and can be refilled", "[func]") {
  Config config;
  config.consume_fuel = true;
  Engine engine(config);
  Store store(engine);
  CHECK_FALSE(store.fuel().has_value());
  Module m = must_compile(engine, R"((module
    (func (export "count") (param i32) (result i32) (local i32)
      (block (loop
        (br_if 1 (i32.eqz (local.get 0)))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br 0)))
      (local.get 1))))");
  Instance inst = must_instantiate(Linker(), store, m);
  CHECK(must_call(store, inst, "count", {Value::i32(100)})[0].i32() == 100);  // unmetered

  store.set_fuel(50);
  auto r = inst.get_func("count")->call(store, {Value::i32(1000000)});
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().trap.has_value());
  CHECK(r.error().trap->code == TrapCode::OutOfFuel);
  CHECK(store.fuel() == 0u);

  store.set_fuel(1000000);
  CHECK(must_call(store, inst, "count", {Value::i32(10)})[0].i32() == 10);
  CHECK(*store.fuel() < 1000000);
}

TEST_CASE("interrupt() makes running code trap", "[func]") {
  Engine engine;
  Store store(engine);
  Linker linker;
  linker.func_wrap("env", "stop", [](Caller& caller) { caller.store().interrupt(); });
  Module m = must_compile(engine, R"((module
    (import "env" "stop" (func $stop))
    (func (export "spin") (call $stop) (loop (br 0)))))");
  Instance inst = must_instantiate(linker, store, m);
  auto r = inst.get_func("spin")->call(store, {});
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().trap.has_value());
  CHECK(r.error().trap->code == TrapCode::Interrupted);
}

TEST_CASE("host functions can call back into wasm", "[func]") {
  Engine engine;
  Store store(engine);
  Linker linker;
  std::optional<Func> square;
  linker.func_wrap("env", "twice_square", [&](Caller& caller, int32_t x) -> int32_t {
    auto r = square->call(caller.store(), {Value::i32(x)});
    return r ? 2 * (*r)[0].i32() : -1;
  });
  Module m = must_compile(engine, R"((module
    (import "env" "twice_square" (func $ts (param i32) (result i32)))
    (func (export "square") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
    (func (export "run") (param i32) (result i32)
      (i32.add (call $ts (local.get 0)) (i32.const 1)))))");
  Instance inst = must_instantiate(linker, store, m);
  square = inst.get_func("square");
  CHECK(must_call(store, inst, "run", {Value::i32(3)})[0].i32() == 19);
  CHECK(must_call(store, inst, "run", {Value::i32(-4)})[0].i32() == 33);
}

TEST_CASE("func_wrap callables returning a Result trap the caller with their error", "[func]") {
  Engine engine;
  Store store(engine);
  Linker linker;
  linker.func_wrap("env", "checked_div", [](int32_t a, int32_t b) -> Result<int32_t> {
    if (b == 0) return Error::from_trap(Trap{TrapCode::HostError, "division by zero", {}, 0});
    return a / b;
  });
  linker.func_wrap("env", "must_be_positive", [](int64_t v) -> Result<void> {
    if (v <= 0) return Error::invalid("not positive");
    return {};
  });
  Module m = must_compile(engine, R"((module
    (import "env" "checked_div" (func $div (param i32 i32) (result i32)))
    (import "env" "must_be_positive" (func $check (param i64)))
    (func (export "div") (param i32 i32) (result i32) (call $div (local.get 0) (local.get 1)))
    (func (export "check") (param i64) (call $check (local.get 0)))))");
  Instance inst = must_instantiate(linker, store, m);
  CHECK(must_call(store, inst, "div", {Value::i32(-9), Value::i32(3)})[0].i32() == -3);
  auto div_by_zero = inst.get_func("div")->call(store, {Value::i32(1), Value::i32(0)});
  REQUIRE_FALSE(div_by_zero.ok());
  REQUIRE(div_by_zero.error().trap.has_value());
  CHECK(div_by_zero.error().trap->message == "division by zero");
  CHECK(inst.get_func("check")->call(store, {Value::i64(5)}).ok());
  auto negative = inst.get_func("check")->call(store, {Value::i64(-1)});
  REQUIRE_FALSE(negative.ok());
  REQUIRE(negative.error().trap.has_value());
  CHECK(negative.error().trap->code == TrapCode::HostError);
  CHECK(negative.error().trap->message == "not positive");
}

TEST_CASE("an unboxed HostEntry reads its arguments from and writes its results to slots",
          "[func]") {
  Engine engine;
  Store store(engine);
  // (i64, f32) -> (f64, i32): one 8-byte slot each, f32 in the low 4 bytes.
  HostTrampoline entry = [](void* env, Caller&, uint64_t* slots) -> Result<void> {
    const double scale = *static_cast<double*>(env);
    float f;
    std::memcpy(&f, &slots[1], sizeof f);
    const double product = double(int64_t(slots[0])) * f * scale;
    std::memcpy(&slots[0], &product, sizeof product);
    slots[1] = 7;
    return {};
  };
  Func f = Func::host(store, FuncType{{ValType::I64, ValType::F32}, {ValType::F64, ValType::I32}},
                      HostEntry{entry, std::make_shared<double>(0.5)});
  auto r = f.call(store, {Value::i64(-6), Value::f32(3.0f)});
  REQUIRE(r.ok());
  REQUIRE(r->size() == 2);
  CHECK((*r)[0].f64() == -9.0);
  CHECK((*r)[1].i32() == 7);
}

TEST_CASE("Engine::has_tier: the interpreter and Auto are always there", "[func]") {
  CHECK(Engine::has_tier(Tier::Interp));
  CHECK(Engine::has_tier(Tier::Auto));
  Engine engine(Config{.tier = Tier::Jit});
  auto compiled = Module::compile(engine, std::vector<uint8_t>{0, 'a', 's', 'm', 1, 0, 0, 0});
  CHECK(compiled.ok() == Engine::has_tier(Tier::Jit));
}
