// Both tiers execute GC and collect with their frames walked precisely, so GC decides nothing
// about the tier: Tier::Jit compiles it, Tier::Auto picks the JIT for it as for anything else,
// and an invalid module is reported invalid on every tier.
#include <catch2/catch.hpp>
#include <string>

#include "tests/runtime/test_util.h"
#include "tests/support/tier.h"

using namespace tern;

namespace {

// Compiles `wat` with `config` and calls its export "f", which returns an i32.
int32_t run_f(const Config& config, std::string_view wat) {
  Engine engine(config);
  Module module = test::must_compile(engine, wat);
  Store store(engine);
  Instance inst = test::must_instantiate(Linker(), store, module);
  return test::must_call(store, inst, "f")[0].i32();
}

constexpr const char* kConvert = R"((module
  (func (export "f") (result i32)
    (ref.is_null (any.convert_extern (ref.null extern))))))";

// Modules that need GC through their types, declared supertypes or constant expressions.
constexpr const char* kConstructs[] = {
    "(module (type (struct (field i32))) (func (export \"f\") (result i32) (i32.const 7)))",
    "(module (type (func)) (type (array i8)) (func (export \"f\") (result i32) (i32.const 7)))",
    R"((module (type $f (sub (func))) (type (sub $f (func)))
         (func (export "f") (result i32) (i32.const 7))))",
    R"((module (global anyref (any.convert_extern (ref.null extern)))
         (func (export "f") (result i32) (i32.const 7))))",
};

// The tier that runs `wat` compiled with `config`.
Tier tier_of(const Config& config, std::string_view wat) {
  Engine engine(config);
  return test::must_compile(engine, wat).tier();
}

}  // namespace

TEST_CASE("Tier::Jit compiles GC types, constant expressions and instructions", "[gc]") {
  if (!Engine::has_tier(Tier::Jit)) return;
  for (bool lazy : {false, true}) {
    Config jit{.tier = Tier::Jit, .lazy_compile = lazy};
    for (const char* wat : kConstructs) {
      INFO(wat);
      CHECK(tier_of(jit, wat) == Tier::Jit);
      CHECK(run_f(jit, wat) == 7);
    }
    CHECK(tier_of(jit, kConvert) == Tier::Jit);
    CHECK(run_f(jit, kConvert) == 1);
  }
}

TEST_CASE("Tier::Auto runs what needs GC on the JIT", "[gc]") {
  const Tier expected = Engine::has_tier(Tier::Jit) ? Tier::Jit : Tier::Interp;
  for (bool lazy : {false, true}) {
    Config autotier{.tier = Tier::Auto, .lazy_compile = lazy};
    for (const char* wat : kConstructs) {
      INFO(wat);
      CHECK(tier_of(autotier, wat) == expected);
      CHECK(run_f(autotier, wat) == 7);
    }
    // A GC instruction in code, in a module without GC types.
    CHECK(tier_of(autotier, kConvert) == expected);
    CHECK(run_f(autotier, kConvert) == 1);
    CHECK(run_f(Config{.tier = Tier::Interp}, kConvert) == 1);
  }
}

TEST_CASE("an invalid module that uses GC is reported invalid, not refused", "[gc]") {
  for (const test::TierCase& tier : test::tier_cases()) {
    INFO(tier.name);
    Engine engine(tier.config);
    Result<Module> m = test::compile_wat(engine, R"((module
      (type $s (struct (field i32)))
      (func (param (ref $s)) (struct.set $s 0 (local.get 0) (i32.const 1)))))");
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().kind == ErrorKind::Invalid);
    CHECK(m.error().message == "immutable field");
  }
}
