// Hostile configs and implementation limits (issue 18): any Config::max_call_depth is either
// refused with a Limit error or bounds recursion with a clean trap, the interpreter's frame stack
// grows with the calls, a frame too large for a tier is a Limit error (the module is valid) and one
// larger than the JIT's stack left a trap, and a host function running out of memory traps rather
// than unwinding through a tier. Cases run on the interpreter, the JIT and the lazy JIT.
#include <pthread.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/limits/limits_harness.h"

using namespace tern;
using namespace tern::limits_testing;

namespace {

enum class Run { Interp, Jit, JitLazy };

const char* run_name(Run run) {
  switch (run) {
    case Run::Interp:
      return "interp";
    case Run::Jit:
      return "jit";
    case Run::JitLazy:
      return "jit-lazy";
  }
  return "?";
}

Config config_for(Run run, uint32_t max_call_depth = Config{}.max_call_depth) {
  Config config = on_tier({}, run == Run::Interp ? Tier::Interp : Tier::Jit);
  config.lazy_compile = run == Run::JitLazy;
  config.max_call_depth = max_call_depth;
  return config;
}

// tests/limits/hostile/rec.wat: f(n) recurses n deep and returns n; forever never returns.
Result<Module> compile_rec(Engine& engine) {
  return Module::from_file(engine, std::string(TERN_SOURCE_DIR) + "/tests/limits/hostile/rec.wat");
}

// The functions of rec.wat in a fresh store.
struct Rec {
  explicit Rec(Engine& engine) : store(engine) {
    auto module = compile_rec(engine);
    if (!module) throw std::runtime_error(module.error().to_string());
    auto instance = Linker().instantiate(store, *module);
    if (!instance) throw std::runtime_error(instance.error().to_string());
    f = *instance->get_func("f");
    forever = *instance->get_func("forever");
  }
  Result<std::vector<Value>> call_f(int32_t n) { return f.call(store, {Value::i32(n)}); }

  Store store;
  Func f, forever;
};

void append_leb(std::vector<uint8_t>& out, uint64_t v) {
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    out.push_back(v ? byte | 0x80 : byte);
  } while (v);
}

// (module (func (export "f") (result i32) (i32.const 1) × depth, then i32.add × (depth - 1))):
// valid, its operand stack `depth` values deep at the last constant; f returns depth.
std::vector<uint8_t> deep_operand_stack_module(uint32_t depth) {
  std::vector<uint8_t> body{0};  // no locals
  for (uint32_t i = 0; i < depth; ++i) body.insert(body.end(), {0x41, 0x01});
  body.insert(body.end(), depth - 1, 0x6a);
  body.push_back(0x0b);
  std::vector<uint8_t> code{1};
  append_leb(code, body.size());
  code.insert(code.end(), body.begin(), body.end());

  std::vector<uint8_t> m{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  m.insert(m.end(), {0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f});  // type 0: [] -> [i32]
  m.insert(m.end(), {0x03, 0x02, 0x01, 0x00});                    // func 0: type 0
  m.insert(m.end(), {0x07, 0x05, 0x01, 0x01, 'f', 0x00, 0x00});   // export "f": func 0
  m.push_back(0x0a);
  append_leb(m, code.size());
  m.insert(m.end(), code.begin(), code.end());
  return m;
}

// Runs `fn` on a new thread whose native stack is `bytes` long, and waits for it. Catch's
// assertions are for the main thread: `fn` only records what happened.
template <class Fn>
void run_with_stack(size_t bytes, Fn fn) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, bytes);
  pthread_t thread;
  auto body = [](void* f) -> void* {
    (*static_cast<Fn*>(f))();
    return nullptr;
  };
  REQUIRE(pthread_create(&thread, &attr, body, &fn) == 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}

}  // namespace

TEST_CASE("a max_call_depth outside 1 to kMaxCallDepth is a Limit error rather than a crash") {
  const Run run = GENERATE(Run::Interp, Run::Jit, Run::JitLazy);
  const uint32_t depth = GENERATE(uint32_t(0), kMaxCallDepth + 1, UINT32_MAX);
  INFO(run_name(run) << " max_call_depth " << depth);
  Engine engine(config_for(run, depth));
  auto module = compile_rec(engine);
  REQUIRE_FALSE(module);
  CHECK(module.error().kind == ErrorKind::Limit);
  CHECK(module.error().message == "Config::max_call_depth is " + std::to_string(depth) +
                                      ", it must be between 1 and 1073741824");
}

TEST_CASE("max_call_depth from 1 to kMaxCallDepth bounds recursion with a clean trap") {
  const Run run = GENERATE(Run::Interp, Run::Jit, Run::JitLazy);
  INFO(run_name(run));

  SECTION("kMaxCallDepth: the tier's own stack ends the recursion, frames growing as it goes") {
    Engine engine(config_for(run, kMaxCallDepth));
    Rec rec(engine);
    auto f = rec.call_f(10);
    REQUIRE(f);
    CHECK((*f)[0].i32() == 10);
    for (int attempt = 0; attempt < 2; ++attempt) {
      auto r = rec.forever.call(rec.store, {});
      REQUIRE(trap_of(r) == TrapCode::CallStackExhausted);
      // Named innermost first, and never a million names.
      CHECK(r.error().trap->backtrace.size() >= 32);
      CHECK(r.error().trap->backtrace.size() <= 1000);
      CHECK(trap_of(rec.call_f(100000000)) == TrapCode::CallStackExhausted);
      auto deep = rec.call_f(50000);  // deeper than the default limit: the frame stack grew
      REQUIRE(deep);
      CHECK((*deep)[0].i32() == 50000);
    }
  }

  SECTION("1: only the called function runs") {
    Engine engine(config_for(run, 1));
    Rec rec(engine);
    auto f = rec.call_f(0);
    REQUIRE(f);
    CHECK((*f)[0].i32() == 0);
    CHECK(trap_of(rec.call_f(1)) == TrapCode::CallStackExhausted);
    CHECK(trap_of(rec.forever.call(rec.store, {})) == TrapCode::CallStackExhausted);
  }
}

TEST_CASE("a host function re-entering wasm deeply leaves its caller's frames intact") {
  // chain(n, inner) recurses n deep, then (inner > 0) has the host run chain(inner, 0); each
  // level adds 1. The inner recursion grows the interpreter's frame stack, which moves it under
  // the outer call's frames.
  const Run run = GENERATE(Run::Interp, Run::Jit, Run::JitLazy);
  INFO(run_name(run));
  Engine engine(config_for(run, 100000));
  auto module = compile_wat(engine, R"((module
    (import "env" "reenter" (func $reenter (param i32) (result i32)))
    (func $chain (export "chain") (param i32 i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0))
        (then (if (result i32) (i32.eqz (local.get 1))
          (then (i32.const 0))
          (else (call $reenter (local.get 1)))))
        (else (i32.add (call $chain (i32.sub (local.get 0) (i32.const 1)) (local.get 1))
                       (i32.const 1)))))
  ))");
  REQUIRE(module);
  Store store(engine);
  Linker linker;
  std::optional<Func> chain;
  linker.func_wrap("env", "reenter", [&](Caller& caller, int32_t n) -> Result<int32_t> {
    auto r = chain->call(caller.store(), {Value::i32(n), Value::i32(0)});
    if (!r) return r.take_error();
    return (*r)[0].i32();
  });
  auto instance = linker.instantiate(store, *module);
  REQUIRE(instance);
  chain = instance->get_func("chain");
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto r = chain->call(store, {Value::i32(100), Value::i32(20000)});
    REQUIRE(r);
    CHECK((*r)[0].i32() == 20100);
  }
}

TEST_CASE("a frame too large for the interpreter is a Limit error and the JIT runs the module") {
  // Valid modules both: 2^20 operands overflow the interpreter's frame (2^19 slots), which
  // 600,000 also do, while 600,000 slots (4.8 MB) fit a JIT frame on the test thread's stack.
  const auto huge = deep_operand_stack_module(uint32_t(1) << 20);
  const auto large = deep_operand_stack_module(600000);

  Engine interp(config_for(Run::Interp));
  for (const auto* bytes : {&huge, &large}) {
    auto module = Module::compile(interp, *bytes);
    REQUIRE_FALSE(module);
    CHECK(module.error().kind == ErrorKind::Limit);
    CHECK_THAT(module.error().message,
               Catch::StartsWith("implementation limit: the function's frame needs ") &&
                   Catch::EndsWith(" slots, the interpreter allows 524288"));
  }

  const Run run = GENERATE(Run::Jit, Run::JitLazy);
  INFO(run_name(run));
  Engine jit(config_for(run));
  REQUIRE(Module::compile(jit, huge));
  auto module = Module::compile(jit, large);
  REQUIRE(module);
  Store store(jit);
  auto instance = Linker().instantiate(store, *module);
  REQUIRE(instance);
  auto r = instance->get_func("f")->call(store, {});
  REQUIRE(r);
  CHECK((*r)[0].i32() == 600000);
}

TEST_CASE("a JIT frame larger than the stack left traps rather than crashing") {
  // 2^20 slots are an 8 MiB frame: on a 2 MiB stack the prologue finds it past the stack's end
  // (the trap once faulted there, with no stack left for the signal handler).
  const Run run = GENERATE(Run::Jit, Run::JitLazy);
  INFO(run_name(run));
  Engine engine(config_for(run));
  auto module = Module::compile(engine, deep_operand_stack_module(uint32_t(1) << 20));
  REQUIRE(module);
  Store store(engine);
  auto instance = Linker().instantiate(store, *module);
  REQUIRE(instance);
  Func f = *instance->get_func("f");
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::optional<Result<std::vector<Value>>> r;
    run_with_stack(size_t(2) << 20, [&] { r = f.call(store, {}); });
    REQUIRE(r);
    CHECK(trap_of(*r) == TrapCode::CallStackExhausted);
  }
}

TEST_CASE("Tier::Auto compiles a module whose frame only the JIT can hold") {
  Engine engine(on_tier({}, Tier::Auto));
  auto module = Module::compile(engine, deep_operand_stack_module(600000));
  REQUIRE(module);
  CHECK(module->tier() == Tier::Jit);
}

TEST_CASE("a host function that runs out of memory traps its caller and the store stays usable") {
  const Run run = GENERATE(Run::Interp, Run::Jit, Run::JitLazy);
  INFO(run_name(run));
  Engine engine(config_for(run));
  auto module = compile_wat(engine, R"((module
    (import "env" "hungry" (func $hungry (param i32) (result i32)))
    (func (export "call_hungry") (param i32) (result i32)
      (i32.add (call $hungry (local.get 0)) (i32.const 1)))
  ))");
  REQUIRE(module);
  Store store(engine);
  Linker linker;
  linker.func_wrap("env", "hungry", [](int32_t n) -> int32_t {
    if (n < 0) throw std::bad_alloc();
    return n;
  });
  auto instance = linker.instantiate(store, *module);
  REQUIRE(instance);
  auto call = *instance->get_func("call_hungry");
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto r = call.call(store, {Value::i32(-1)});
    REQUIRE(trap_of(r) == TrapCode::HostError);
    CHECK(r.error().trap->message == "out of memory in a host function");
    auto ok = call.call(store, {Value::i32(41)});
    REQUIRE(ok);
    CHECK((*ok)[0].i32() == 42);
  }
}
