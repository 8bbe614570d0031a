// Caller::wait, the interruptible wait of every blocking host call: Store::interrupt() from
// another thread ends it, an interrupt requested just before it is not lost, and a WASI call
// blocked in it traps as compiled code would. On every tier.
#include <catch2/catch.hpp>
#include <chrono>
#include <random>
#include <thread>

#include "support/tier.h"
#include "support/wat.h"
#include "tern/wasi.h"

namespace {

using namespace std::chrono_literals;

using tern::test::tier_cases;

constexpr const char* kWaiter = R"((module
  (import "host" "wait" (func $wait (param i64) (result i32)))
  (import "host" "interrupt_then_wait" (func $interrupt_then_wait (result i32)))
  (func (export "wait") (param i64) (result i32) (call $wait (local.get 0)))
  (func (export "interrupt_then_wait") (result i32) (call $interrupt_then_wait))))";

// wait(ns): Caller::wait on no descriptor for `ns` (negative: no limit); interrupt_then_wait:
// the same with no limit, right after interrupting its own store.
tern::Linker waiter_linker() {
  tern::Linker linker;
  linker.func_wrap("host", "wait", [](tern::Caller& caller, int64_t ns) -> tern::Result<int32_t> {
    std::optional<std::chrono::nanoseconds> timeout;
    if (ns >= 0) timeout = std::chrono::nanoseconds(ns);
    return caller.wait({}, timeout);
  });
  linker.func_wrap("host", "interrupt_then_wait",
                   [](tern::Caller& caller) -> tern::Result<int32_t> {
                     caller.store().interrupt();
                     return caller.wait({});
                   });
  return linker;
}

void require_interrupted(const tern::Result<int32_t>& r) {
  REQUIRE_FALSE(r.ok());
  INFO(r.error().to_string());
  REQUIRE(r.error().trap);
  CHECK(r.error().trap->code == tern::TrapCode::Interrupted);
}

}  // namespace

TEST_CASE("Caller::wait: Store::interrupt from another thread ends a host wait",
          "[wasi][interrupt]") {
  for (auto& [name, config] : tier_cases()) {
    SECTION(name) {
      tern::Engine engine(config);
      tern::Store store(engine);
      auto instance = waiter_linker().instantiate(store, tern::test::must_compile(engine, kWaiter));
      REQUIRE(instance.ok());
      auto wait = instance->get_func("wait")->typed<int32_t(int64_t)>(store);
      REQUIRE(wait.ok());

      // A wait with a limit that passes returns 0: nothing pending.
      CHECK(wait->call(store, 1'000'000).value() == 0);

      std::thread interrupter([&] {
        std::this_thread::sleep_for(50ms);
        store.interrupt();
      });
      auto r = wait->call(store, -1);  // no limit: only the interrupt ends it
      interrupter.join();
      require_interrupted(r);

      // Delivered once: the next wait runs to its limit.
      CHECK(wait->call(store, 1'000'000).value() == 0);
    }
  }
}

TEST_CASE("Caller::wait: an interrupt requested just before a wait is not lost",
          "[wasi][interrupt]") {
  for (auto& [name, config] : tier_cases()) {
    SECTION(name) {
      tern::Engine engine(config);
      tern::Store store(engine);
      auto instance = waiter_linker().instantiate(store, tern::test::must_compile(engine, kWaiter));
      REQUIRE(instance.ok());
      auto interrupt_then_wait = instance->get_func("interrupt_then_wait")->typed<int32_t()>(store);
      auto wait = instance->get_func("wait")->typed<int32_t(int64_t)>(store);
      REQUIRE(interrupt_then_wait.ok());
      REQUIRE(wait.ok());

      // Before the store's first wait (no wake-up descriptor yet), then after it.
      require_interrupted(interrupt_then_wait->call(store));
      require_interrupted(interrupt_then_wait->call(store));

      // Races: an interrupt from another thread around the start of a wait without limit. Each
      // call must end, trapping in wasm or in the wait.
      std::mt19937 rng(18);
      for (int i = 0; i < 100; ++i) {
        auto delay = std::chrono::microseconds(rng() % 300);
        std::thread interrupter([&] {
          std::this_thread::sleep_for(delay);
          store.interrupt();
        });
        auto r = wait->call(store, -1);
        interrupter.join();
        require_interrupted(r);
      }
    }
  }
}

TEST_CASE("Caller::wait: an interrupt ends a WASI call blocked in poll_oneoff",
          "[wasi][interrupt]") {
  for (auto& [name, config] : tier_cases()) {
    SECTION(name) {
      tern::Engine engine(config);
      auto module = tern::Module::from_file(
          engine, std::string(TERN_SOURCE_DIR) + "/tests/wasi/modules/blocking_waits.wat");
      REQUIRE(module.ok());
      tern::Store store(engine);
      tern::Linker linker;
      REQUIRE(tern::wasi::add_to_linker(linker, {}).ok());
      auto instance = linker.instantiate(store, *module);
      REQUIRE(instance.ok());
      auto poll_hour = instance->get_func("poll_hour")->typed<int32_t()>(store);
      REQUIRE(poll_hour.ok());

      std::thread interrupter([&] {
        std::this_thread::sleep_for(50ms);
        store.interrupt();
      });
      auto r = poll_hour->call(store);
      interrupter.join();
      require_interrupted(r);
    }
  }
}
