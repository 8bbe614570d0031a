// Calls: the explicit frame stack's limits, host functions calling back into wasm, backtraces,
// and the two ways an embedder stops running code (interruption and fuel).
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "interp_test_util.h"

using namespace tern;
using tern::test::Fixture;
using tern::test::must_compile;
using tern::test::must_encode;

TEST_CASE("unbounded recursion is a CallStackExhausted trap", "[interp][calls]") {
  Config config;
  config.max_call_depth = 1000;
  Fixture f(R"((module
    (func $down (export "down") (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0))
        (then (i32.const 0))
        (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1)))))))
    (func $forever (export "forever") (call $forever))))",
            config);
  CHECK(f.value("down", {Value::i32(900)}).i32() == 900);
  CHECK(f.trap("down", {Value::i32(1100)}) == TrapCode::CallStackExhausted);
  CHECK(f.trap("forever") == TrapCode::CallStackExhausted);
  // The store stays usable after exhaustion.
  CHECK(f.value("down", {Value::i32(10)}).i32() == 10);
}

namespace {

// Appends a "name" custom section naming functions 0..n-1 (the text reader emits none).
void append_func_names(std::vector<uint8_t>& bytes, std::initializer_list<std::string> names) {
  std::vector<uint8_t> sub;
  sub.push_back(uint8_t(names.size()));
  uint8_t index = 0;
  for (const std::string& n : names) {
    sub.push_back(index++);
    sub.push_back(uint8_t(n.size()));
    sub.insert(sub.end(), n.begin(), n.end());
  }
  std::vector<uint8_t> body = {4, 'n', 'a', 'm', 'e', 1, uint8_t(sub.size())};
  body.insert(body.end(), sub.begin(), sub.end());
  bytes.push_back(0);
  bytes.push_back(uint8_t(body.size()));
  bytes.insert(bytes.end(), body.begin(), body.end());
}

}  // namespace

TEST_CASE("traps carry a backtrace of wasm frames / innermost first", "[interp][calls]") {
  Engine engine;
  Store store(engine);
  std::vector<uint8_t> bytes = must_encode(R"((module
    (func $inner (unreachable))
    (func $middle (call $inner))
    (func (export "outer") (call $middle))))");
  append_func_names(bytes, {"inner", "middle", "outer"});
  auto m = Module::compile(engine, bytes);
  REQUIRE(m);
  auto inst = Linker().instantiate(store, *m);
  REQUIRE(inst);
  auto r = inst->get_func("outer")->call(store, {});
  REQUIRE_FALSE(r);
  REQUIRE(r.error().trap);
  const Trap& t = *r.error().trap;
  CHECK(t.code == TrapCode::Unreachable);
  CHECK(t.message == "unreachable");
  REQUIRE(t.backtrace.size() == 3);
  CHECK(t.backtrace[0].func_index == 0);
  CHECK(t.backtrace[0].func_name == "inner");
  CHECK(t.backtrace[1].func_name == "middle");
  CHECK(t.backtrace[2].func_index == 2);
  CHECK(t.backtrace[2].func_name == "outer");
}

TEST_CASE("host functions re-enter wasm / and traps cross the host boundary", "[interp][calls]") {
  Engine engine;
  Store store(engine);
  Linker linker;
  Func fib;  // wasm's "fib", looked up after instantiation
  linker.define_host(
      "env", "host_fib", FuncType{{ValType::I32}, {ValType::I32}},
      [&](Caller& caller, std::span<const Value> args, std::span<Value> results) -> Result<void> {
        auto r = fib.call(caller.store(), {args[0]});
        if (!r) return r.take_error();
        results[0] = (*r)[0];
        return {};
      });
  Module m = must_compile(engine, R"((module
    (import "env" "host_fib" (func $host_fib (param i32) (result i32)))
    (memory 1)
    (func (export "fib") (param i32) (result i32)
      (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
        (then
          (if (i32.eq (local.get 0) (i32.const 0)) (then (i32.store (i32.const 0) (i32.const 7))))
          (local.get 0))
        (else (i32.add (call $host_fib (i32.sub (local.get 0) (i32.const 1)))
                       (call $host_fib (i32.sub (local.get 0) (i32.const 2)))))))
    (func (export "bad") (param i32) (result i32)
      (if (result i32) (local.get 0)
        (then (call $host_fib (i32.const -1)))
        (else (i32.load (i32.const 65536)))))))");
  auto inst = linker.instantiate(store, m);
  REQUIRE(inst);
  fib = *inst->get_func("fib");
  auto r = fib.call(store, {Value::i32(15)});
  REQUIRE(r);
  CHECK((*r)[0].i32() == 610);
  // -1 recurses through the host until the frame stack runs out; the trap comes back intact.
  auto bad = inst->get_func("bad")->call(store, {Value::i32(1)});
  REQUIRE_FALSE(bad);
  REQUIRE(bad.error().trap);
  CHECK(bad.error().trap->code == TrapCode::CallStackExhausted);
  CHECK(bad.error().trap->backtrace.size() > 2);
  // The machine unwound fully: a fresh call works and sees its own trap.
  auto oob = inst->get_func("bad")->call(store, {Value::i32(0)});
  REQUIRE_FALSE(oob);
  CHECK(oob.error().trap->code == TrapCode::MemoryOutOfBounds);
  CHECK(oob.error().trap->backtrace.size() == 1);
}

TEST_CASE("another thread can interrupt an infinite loop", "[interp][calls]") {
  Fixture f(R"((module (func (export "spin") (loop $l (br $l)))))");
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    f.store.interrupt();
  });
  CHECK(f.trap("spin") == TrapCode::Interrupted);
  stopper.join();
}

TEST_CASE("fuel runs out with a trap / and more fuel resumes service", "[interp][calls]") {
  Config config;
  config.consume_fuel = true;
  Fixture f(R"((module
    (func (export "count") (param i32) (result i32) (local i32)
      (loop $l
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
      (local.get 1))))",
            config);
  // Unmetered until fuel is set.
  CHECK(f.value("count", {Value::i32(1000)}).i32() == 1000);
  f.store.set_fuel(500);
  CHECK(f.trap("count", {Value::i32(1000)}) == TrapCode::OutOfFuel);
  CHECK(f.store.fuel() == 0u);
  f.store.set_fuel(100000);
  CHECK(f.value("count", {Value::i32(1000)}).i32() == 1000);
  uint64_t used = 100000 - *f.store.fuel();
  CHECK(used >= 1000);  // at least one unit per iteration
  CHECK(used < 20000);
}
