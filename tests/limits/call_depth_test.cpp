// Call depth: deep and infinite recursion end in a call-stack-exhausted trap with its message on
// both tiers, and the store stays usable afterwards.
#include <catch2/catch.hpp>

#include "tests/limits/limits_harness.h"

using namespace tern;
using namespace tern::limits_testing;

namespace {

const char* const kRecursion = R"((module
  (func $forever (export "forever") (call $forever))
  ;; Recurses n times, then returns the depth reached.
  (func $depth (export "depth") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (call $depth (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))))
))";

}  // namespace

TEST_CASE("infinite recursion traps with 'call stack exhausted' and the store stays usable") {
  const Tier tier = GENERATE(Tier::Interp, Tier::Jit);
  INFO(tier_name(tier));
  Setup s(tier, kRecursion);
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto r = s.call("forever");
    REQUIRE(trap_of(r) == TrapCode::CallStackExhausted);
    CHECK(r.error().trap->message == "call stack exhausted");
    CHECK(r.error().to_string().find("call stack exhausted") != std::string::npos);
    auto ok = s.call("depth", {Value::i32(1000)});
    REQUIRE(ok);
    CHECK((*ok)[0].i32() == 1000);
  }
}

TEST_CASE("max_call_depth bounds recursion exactly on both tiers") {
  const Tier tier = GENERATE(Tier::Interp, Tier::Jit);
  INFO(tier_name(tier));
  Config config;
  config.max_call_depth = 200;
  Setup s(tier, kRecursion, config);
  // "depth" n uses n + 1 frames: the limit admits 199 recursions and not 200.
  auto fits = s.call("depth", {Value::i32(199)});
  REQUIRE(fits);
  CHECK((*fits)[0].i32() == 199);
  CHECK(trap_of(s.call("depth", {Value::i32(200)})) == TrapCode::CallStackExhausted);
  CHECK(trap_of(s.call("depth", {Value::i32(100000)})) == TrapCode::CallStackExhausted);
  auto again = s.call("depth", {Value::i32(10)});
  REQUIRE(again);
  CHECK((*again)[0].i32() == 10);
}

TEST_CASE("recursion through the host is bounded too") {
  const Tier tier = GENERATE(Tier::Interp, Tier::Jit);
  INFO(tier_name(tier));
  Engine engine(on_tier({}, tier));
  auto module = compile_wat(engine, R"((module
    (import "env" "reenter" (func $reenter))
    (func (export "down") (call $reenter))
  ))");
  REQUIRE(module);
  Store store(engine);
  Linker linker;
  std::optional<Func> down;
  linker.define_host("env", "reenter", FuncType{{}, {}},
                     [&](Caller& c, auto, auto) -> Result<void> {
                       auto r = down->call(c.store(), {});
                       if (!r) return r.take_error();
                       return {};
                     });
  auto instance = linker.instantiate(store, *module);
  REQUIRE(instance);
  down = instance->get_func("down");
  auto r = down->call(store, {});
  REQUIRE(trap_of(r) == TrapCode::CallStackExhausted);
}
