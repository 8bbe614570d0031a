// Fuel: a deterministic count, the same on both tiers; running out is a trap, after which the
// embedder can add fuel and call again.
#include <catch2/catch.hpp>

#include "tests/limits/limits_harness.h"

using namespace tern;
using namespace tern::limits_testing;

namespace {

// Loops, calls (direct, indirect, recursive), if/else, br_table and memory in one program.
const char* const kProgram = R"((module
  (memory 1)
  (table 2 funcref)
  (elem (i32.const 0) $sq $neg)
  (type $un (func (param i32) (result i32)))
  (func $sq (type $un) (i32.mul (local.get 0) (local.get 0)))
  (func $neg (type $un) (i32.sub (i32.const 0) (local.get 0)))
  (func $fib (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $classify (param i32) (result i32)
    (block $c (block $b (block $a
      (br_table $a $b $c (i32.rem_u (local.get 0) (i32.const 3))))
      (return (i32.const 10)))
      (return (i32.const 20)))
    (i32.const 30))
  (func (export "work") (param $n i32) (result i32) (local $acc i32) (local $i i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (call $classify (local.get $i))))
      (local.set $acc (i32.add (local.get $acc)
        (call_indirect (type $un) (local.get $i) (i32.and (local.get $i) (i32.const 1)))))
      (i32.store (i32.const 8) (local.get $acc))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (i32.add (i32.load (i32.const 8)) (call $fib (i32.const 10))))
  (func (export "spin") (param i32)
    (loop $l (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))))
  (func (export "forever") (loop $l (br $l)))
))";

constexpr uint64_t kPlenty = uint64_t(1) << 40;

Config metered() {
  Config config;
  config.consume_fuel = true;
  return config;
}

// The fuel one call of `name` consumes, starting from plenty.
uint64_t fuel_used(Setup& s, const std::string& name, std::vector<Value> args) {
  s.store().set_fuel(kPlenty);
  auto r = s.call(name, std::move(args));
  REQUIRE(r);
  return kPlenty - *s.store().fuel();
}

}  // namespace

TEST_CASE("both tiers consume exactly the same fuel for the same program") {
  Setup interp(Tier::Interp, kProgram, metered());
  Setup jit(Tier::Jit, kProgram, metered());
  for (int32_t n : {1, 2, 3, 7, 100}) {
    uint64_t a = fuel_used(interp, "work", {Value::i32(n)});
    uint64_t b = fuel_used(jit, "work", {Value::i32(n)});
    INFO("work(" << n << "): interp " << a << ", jit " << b);
    CHECK(a == b);
    CHECK(a > 0);
    // Deterministic: the same call costs the same again.
    CHECK(fuel_used(jit, "work", {Value::i32(n)}) == b);
    CHECK(fuel_used(interp, "work", {Value::i32(n)}) == a);
  }
}

TEST_CASE("fuel grows linearly with the iterations of a loop") {
  const Tier tier = GENERATE(Tier::Interp, Tier::Jit);
  INFO(tier_name(tier));
  Setup s(tier, kProgram, metered());
  uint64_t f10 = fuel_used(s, "spin", {Value::i32(10)});
  uint64_t f11 = fuel_used(s, "spin", {Value::i32(11)});
  uint64_t f1010 = fuel_used(s, "spin", {Value::i32(1010)});
  REQUIRE(f11 > f10);
  CHECK(f1010 - f10 == 1000 * (f11 - f10));
}

TEST_CASE("running out of fuel traps and adding fuel lets the next call run") {
  const Tier tier = GENERATE(Tier::Interp, Tier::Jit);
  INFO(tier_name(tier));
  Setup s(tier, kProgram, metered());
  const uint64_t need = fuel_used(s, "work", {Value::i32(50)});
  const int32_t expected = s.result("work", {Value::i32(50)}).i32();

  // One unit short: a trap with its message, and the tank is empty.
  s.store().set_fuel(need - 1);
  auto r = s.call("work", {Value::i32(50)});
  REQUIRE(trap_of(r) == TrapCode::OutOfFuel);
  CHECK(r.error().trap->message == "all fuel consumed");
  CHECK(s.store().fuel() == 0u);
  CHECK(trap_of(s.call("work", {Value::i32(50)})) == TrapCode::OutOfFuel);

  // Exactly enough: the call completes and uses all of it.
  s.store().set_fuel(need);
  auto ok = s.call("work", {Value::i32(50)});
  REQUIRE(ok);
  CHECK((*ok)[0].i32() == expected);
  CHECK(s.store().fuel() == 0u);

  // An infinite loop ends when the fuel does, every time fuel is added.
  for (uint64_t fuel : {uint64_t(1), uint64_t(1000), uint64_t(1000000)}) {
    s.store().set_fuel(fuel);
    CHECK(trap_of(s.call("forever")) == TrapCode::OutOfFuel);
    CHECK(s.store().fuel() == 0u);
  }
}

TEST_CASE("fuel is unmetered until set and ignored when not compiled in") {
  const Tier tier = GENERATE(Tier::Interp, Tier::Jit);
  INFO(tier_name(tier));
  Setup metered_setup(tier, kProgram, metered());
  CHECK_FALSE(metered_setup.store().fuel());
  CHECK(metered_setup.call("spin", {Value::i32(1000)}));
  CHECK_FALSE(metered_setup.store().fuel());

  Setup unmetered(tier, kProgram);
  unmetered.store().set_fuel(1);
  CHECK(unmetered.call("spin", {Value::i32(1000)}));
  CHECK(unmetered.store().fuel() == 1u);
}
