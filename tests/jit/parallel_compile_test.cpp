// Parallel compilation (Config::compile_threads): a module split into chunks compiled on their
// own threads into separate code blocks runs, traps and reports errors exactly as the
// interpreter and the single-threaded JIT do, including calls that cross chunks.
#include <catch2/catch.hpp>

#include "engine/runtime/api_access.h"
#include "tests/jit/jit_harness.h"
#include "tests/jit/simd_refusal.h"
#include "tests/support/wat.h"

using namespace tern;

namespace {

constexpr uint32_t kFuncs = 64;
constexpr uint32_t kThreads = 4;

// Where function i's chain continues: a stride that crosses chunk boundaries both ways.
uint32_t next_of(uint32_t i) {
  return (i * 7 + 3) % kFuncs;
}

// kFuncs functions f(p, mode) of about equal size. f_i calls f_next(i) with p - 1 (directly, or
// through the table for every third i) until p reaches 0, where mode 1 is a memory fault, 2 an
// unreachable, 3 a division by zero and 0 returns. Then $fact, directly recursive.
std::string chain_module() {
  std::string wat = "(module (type $t (func (param i32 i32) (result i32))) (memory 1)\n";
  wat += "(table funcref (elem";
  for (uint32_t i = 0; i < kFuncs; ++i) wat += " $f" + std::to_string(i);
  wat += "))\n";
  for (uint32_t i = 0; i < kFuncs; ++i) {
    std::string n = std::to_string(i), next = std::to_string(next_of(i));
    std::string args = "(i32.sub (local.get $p) (i32.const 1)) (local.get $mode)";
    std::string call = i % 3 == 1
                           ? "(call_indirect (type $t) " + args + " (i32.const " + next + "))"
                           : "(call $f" + next + " " + args + ")";
    wat += "(func $f" + n + " (export \"f" + n +
           "\") (type $t) (param $p i32) (param $mode i32) (result i32)\n" +
           "  (if (i32.le_s (local.get $p) (i32.const 0)) (then\n"
           "    (if (i32.eq (local.get $mode) (i32.const 1)) (then (drop (i32.load (i32.const "
           "-4)))))\n"
           "    (if (i32.eq (local.get $mode) (i32.const 2)) (then unreachable))\n"
           "    (return (i32.div_s (i32.const " +
           n +
           ") (i32.sub (local.get $mode) (i32.const 3))))))\n"
           "  (i32.add (i32.mul " +
           call + " (i32.const 31)) (i32.const " + n + ")))\n";
  }
  wat += R"((func $fact (export "fact") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))
      (else (i64.mul (local.get 0) (call $fact (i64.sub (local.get 0) (i64.const 1))))))))
)";
  return wat;
}

Config config_with(Tier tier, uint32_t threads) {
  Config c;
  c.tier = tier;
  c.compile_threads = threads;
  return c;
}

// One module on one tier: compiled, instantiated, callable by export name.
struct Run {
  Engine engine;
  Store store;
  Module module;
  Instance instance;

  Run(const std::string& wat, Config config)
      : engine(config), store(engine), module(test::must_compile(engine, wat)) {
    auto i = Linker().instantiate(store, module);
    INFO((i ? "" : i.error().to_string()));
    REQUIRE(i.ok());
    instance = *i;
  }
  // The result, or the trap's code and its backtrace's function indices, as text.
  std::string call(const std::string& name, std::vector<Value> args) {
    auto r = instance.get_func(name)->call(store, args);
    if (r) return to_string((*r)[0]);
    REQUIRE(r.error().trap);
    std::string s = trap_message(r.error().trap->code);
    for (const BacktraceFrame& f : r.error().trap->backtrace)
      s += " " + std::to_string(f.func_index);
    return s;
  }
};

}  // namespace

TEST_CASE("a module compiled in parallel chunks runs like the interpreter") {
  std::string wat = chain_module();
  Run interp(wat, config_with(Tier::Interp, 0));
  Run jit(wat, config_with(Tier::Jit, kThreads));
  // The trampoline shares the first chunk's block: one block per chunk.
  CHECK(jit::jit_module_of(*detail::Access::module(jit.module))->num_blocks() == kThreads);

  for (uint32_t i = 0; i < kFuncs; ++i) {
    std::string f = "f" + std::to_string(i);
    for (int32_t p : {0, 1, 5}) {
      for (int32_t mode : {0, 1, 2, 3}) {
        std::vector<Value> args = {Value::i32(p), Value::i32(mode)};
        std::string expected = interp.call(f, args);
        INFO(f << "(" << p << ", " << mode << ")");
        CHECK(jit.call(f, args) == expected);
      }
    }
  }
  // The innermost frame of a fault is the function the chain ends in, in whichever block.
  uint32_t end = next_of(next_of(5));
  CHECK_THAT(jit.call("f5", {Value::i32(2), Value::i32(1)}),
             Catch::StartsWith(std::string(trap_message(TrapCode::MemoryOutOfBounds)) + " " +
                               std::to_string(end) + " " + std::to_string(next_of(5)) + " 5"));
  CHECK(jit.call("fact", {Value::i64(20)}) == interp.call("fact", {Value::i64(20)}));
}

TEST_CASE("parallel compilation charges fuel like the interpreter") {
  std::string wat = chain_module();
  Config ci = config_with(Tier::Interp, 0), cj = config_with(Tier::Jit, kThreads);
  ci.consume_fuel = cj.consume_fuel = true;
  Run interp(wat, ci);
  Run jit(wat, cj);
  for (uint64_t fuel : {3, 40, 100000}) {
    interp.store.set_fuel(fuel);
    jit.store.set_fuel(fuel);
    std::vector<Value> args = {Value::i32(6), Value::i32(0)};
    std::string expected = interp.call("f9", args);
    INFO("fuel " << fuel);
    CHECK(jit.call("f9", args) == expected);
    CHECK(jit.store.fuel() == interp.store.fuel());
  }
}

TEST_CASE("parallel compilation reports the first error in function order") {
  auto refusal = jit::testing::refuse_simd();
  if (!refusal) {
    WARN("every SIMD op compiles on this host: no module the JIT refuses");
    return;
  }
  // Functions 10 and 50 use SIMD, which the JIT refuses here: 10's error wins however the
  // module is split.
  std::string wat = "(module\n";
  for (uint32_t i = 0; i < kFuncs; ++i) {
    wat += i == 10 || i == 50 ? "(func (drop (i8x16.popcnt (v128.const i64x2 0 0))))\n"
                              : "(func (result i32) (i32.add (i32.const 1) (i32.const 2)))\n";
  }
  wat += ")";
  std::vector<uint8_t> bytes = test::must_encode(wat);
  std::optional<Error> single;
  for (uint32_t threads : {1u, 2u, kThreads, kFuncs + 3}) {
    Engine engine(config_with(Tier::Jit, threads));
    auto m = Module::compile(engine, bytes);
    REQUIRE_FALSE(m.ok());
    INFO(threads << " threads: " << m.error().to_string());
    if (!single) single = m.error();
    CHECK(m.error().to_string() == single->to_string());
    CHECK(m.error().offset == single->offset);
  }
  CHECK_THAT(single->message, Catch::Contains("v128 values are not compiled"));
}

TEST_CASE("more threads than functions still compiles each function once") {
  Run jit(R"((module
    (func $a (export "a") (result i32) (i32.add (call $b) (i32.const 1)))
    (func $b (export "b") (result i32) (i32.const 41))
  ))",
          config_with(Tier::Jit, 8));
  CHECK(jit::jit_module_of(*detail::Access::module(jit.module))->num_blocks() == 2);
  CHECK(jit.call("a", {}) == "42");
}
