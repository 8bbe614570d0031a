// Interruption: Store::interrupt from another thread stops running code on both tiers (in a loop
// without calls, and in a recursion without loops), once: the store runs again afterwards.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "tests/limits/limits_harness.h"

using namespace tern;
using namespace tern::limits_testing;

namespace {

const char* const kEndless = R"((module
  (memory 1)
  (func (export "loop") (local i32)
    (loop $l
      (local.set 0 (i32.add (local.get 0) (i32.const 1)))
      (i32.store (i32.const 0) (local.get 0))
      (br $l)))
  ;; No loops: only function entries can notice an interrupt. fib(60) takes centuries.
  (func $fib (export "fib") (param i64) (result i64)
    (if (result i64) (i64.lt_u (local.get 0) (i64.const 2))
      (then (local.get 0))
      (else (i64.add (call $fib (i64.sub (local.get 0) (i64.const 1)))
                     (call $fib (i64.sub (local.get 0) (i64.const 2)))))))
  (func (export "count") (param i32) (result i32) (local i32)
    (loop $l
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
    (local.get 1))
))";

// Far beyond any latency the interrupt may have; only a broken interrupt can reach it.
constexpr auto kBound = std::chrono::seconds(2);

// Calls `name` and interrupts it from another thread once it has run for a while; returns the
// call's trap and checks the call ended within kBound of the interrupt.
std::optional<TrapCode> interrupt_while_running(Setup& s, const std::string& name,
                                                std::vector<Value> args) {
  std::chrono::steady_clock::time_point interrupted_at;
  std::thread watchdog([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    interrupted_at = std::chrono::steady_clock::now();
    s.store().interrupt();
  });
  auto r = s.call(name, std::move(args));
  auto returned_at = std::chrono::steady_clock::now();
  watchdog.join();
  CHECK(returned_at - interrupted_at < kBound);
  if (trap_of(r) == TrapCode::Interrupted) CHECK(r.error().trap->message == "interrupted");
  return trap_of(r);
}

}  // namespace

TEST_CASE("an interrupt from another thread stops a loop without calls") {
  const Tier tier = GENERATE(Tier::Interp, Tier::Jit);
  INFO(tier_name(tier));
  Setup s(tier, kEndless);
  for (int round = 0; round < 3; ++round) {
    CHECK(interrupt_while_running(s, "loop", {}) == TrapCode::Interrupted);
    // Delivered once: the store runs the next call to completion.
    auto r = s.call("count", {Value::i32(100000)});
    REQUIRE(r);
    CHECK((*r)[0].i32() == 100000);
  }
}

TEST_CASE("an interrupt from another thread stops a recursion without loops") {
  const Tier tier = GENERATE(Tier::Interp, Tier::Jit);
  INFO(tier_name(tier));
  Setup s(tier, kEndless);
  for (int round = 0; round < 3; ++round) {
    CHECK(interrupt_while_running(s, "fib", {Value::i64(60)}) == TrapCode::Interrupted);
    auto r = s.call("fib", {Value::i64(20)});
    REQUIRE(r);
    CHECK((*r)[0].i64() == 6765);
  }
}

TEST_CASE("an interrupt requested while nothing runs stops the next call only") {
  const Tier tier = GENERATE(Tier::Interp, Tier::Jit);
  INFO(tier_name(tier));
  Setup s(tier, kEndless);
  s.store().interrupt();
  CHECK(trap_of(s.call("count", {Value::i32(10)})) == TrapCode::Interrupted);
  auto r = s.call("count", {Value::i32(10)});
  REQUIRE(r);
  CHECK((*r)[0].i32() == 10);
}

TEST_CASE("interrupting one store leaves another running") {
  const Tier tier = GENERATE(Tier::Interp, Tier::Jit);
  INFO(tier_name(tier));
  Setup stopped(tier, kEndless);
  Setup running(tier, kEndless);
  std::atomic<bool> other_returned{false};
  std::optional<TrapCode> other_trap;
  std::thread other([&] {
    other_trap = trap_of(running.call("loop"));
    other_returned = true;
  });
  CHECK(interrupt_while_running(stopped, "loop", {}) == TrapCode::Interrupted);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK_FALSE(other_returned);
  running.store().interrupt();
  other.join();
  CHECK(other_trap == TrapCode::Interrupted);
}
