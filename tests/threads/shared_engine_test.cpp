// Threads sharing one Engine and one Module, each with its own Store, instantiating and calling
// at once on every tier (JIT lazy compilation included: the threads race to compile the same
// functions on first call); and one thread interrupting another's store.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tern/tern.h"
#include "tests/support/tier.h"
#include "tests/support/wat.h"

using namespace tern;

namespace {

using test::tier_cases;
using test::TierCase;

// Several functions, so lazily compiled threads race on more than one; a host import, so each
// call crosses the host boundary; a memory and a global, so every instance has its own state.
constexpr const char* kModule = R"((module
  (import "env" "offset" (func $offset (result i32)))
  (memory (export "memory") 1)
  (global $calls (mut i32) (i32.const 0))
  (func $fib (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $store_at (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func $load_at (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "run") (param i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (call $store_at (i32.const 64) (call $fib (local.get 0)))
    (i32.add (call $load_at (i32.const 64)) (call $offset)))
  (func (export "calls") (result i32) (global.get $calls))
  (func (export "spin") (loop $forever (br $forever)))
))";

constexpr int kThreads = 4;
constexpr int kInstancesPerThread = 8;
constexpr int kCallsPerInstance = 20;

}  // namespace

TEST_CASE("threads share an engine and a module / each with its own store") {
  for (const TierCase& tc : tier_cases()) {
    INFO(tc.name);
    Engine engine(tc.config);
    Module module = test::must_compile(engine, kModule);
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        Store store(engine);
        store.set_data(int32_t(1000 * t));
        Linker linker;
        linker.func_wrap("env", "offset",
                         [](Caller& caller) { return caller.store().data_as<int32_t>(); });
        for (int i = 0; i < kInstancesPerThread; ++i) {
          auto instance = linker.instantiate(store, module);
          if (!instance) {
            failures++;
            return;
          }
          auto run = instance->get_func("run")->typed<int32_t(int32_t)>(store);
          if (!run) {
            failures++;
            return;
          }
          for (int c = 0; c < kCallsPerInstance; ++c) {
            auto r = run->call(store, 15);
            if (!r || *r != 610 + 1000 * t) failures++;
          }
          auto calls = instance->get_func("calls")->call(store, {});
          if (!calls || (*calls)[0].i32() != kCallsPerInstance) failures++;
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    CHECK(failures == 0);
  }
}

TEST_CASE("a thread interrupts wasm running in another thread's store") {
  for (const TierCase& tc : tier_cases()) {
    INFO(tc.name);
    Engine engine(tc.config);
    Module module = test::must_compile(engine, kModule);
    Store store(engine);
    Linker linker;
    linker.func_wrap("env", "offset", [] { return int32_t(0); });
    auto instance = linker.instantiate(store, module);
    REQUIRE(instance);
    Func spin = *instance->get_func("spin");
    Result<std::vector<Value>> result = std::vector<Value>{};
    std::atomic<bool> done{false};
    std::thread runner([&] {
      result = spin.call(store, {});
      done = true;
    });
    // The runner may not have entered the loop yet when an interrupt arrives: interrupting
    // until it returns covers every interleaving.
    while (!done) {
      store.interrupt();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    runner.join();
    REQUIRE_FALSE(result.ok());
    REQUIRE(result.error().trap);
    CHECK(result.error().trap->code == TrapCode::Interrupted);
  }
}
