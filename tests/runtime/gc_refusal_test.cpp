// The JIT does not execute GC yet (issue 14): a valid module that needs it fails to compile on
// Tier::Jit with a Limit error naming what it uses, after it has been validated in full (an
// invalid one is still reported invalid), and Tier::Auto runs it on the interpreter, which
// executes GC (gc_test.cpp).
#include <catch2/catch.hpp>
#include <string>

#include "tests/runtime/test_util.h"
#include "tests/support/tier.h"

using namespace tern;

namespace {

void expect_refused(const Config& config, std::string_view wat, const std::string& what) {
  Engine engine(config);
  Result<Module> m = test::compile_wat(engine, wat);
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().kind == ErrorKind::Limit);
  CHECK(m.error().message ==
        what + " needs garbage collection, which the jit does not execute yet (issue 14)");
}

// Compiles `wat` with `config` and calls its export "f", which returns an i32.
int32_t run_f(const Config& config, std::string_view wat) {
  Engine engine(config);
  Module module = test::must_compile(engine, wat);
  Store store(engine);
  Instance inst = test::must_instantiate(Linker(), store, module);
  return test::must_call(store, inst, "f")[0].i32();
}

constexpr const char* kStructType = R"((module (type $s (struct (field i32)))
  (func (export "f") (result i32) (i32.const 7))))";
constexpr const char* kConvert = R"((module
  (func (export "f") (result i32)
    (ref.is_null (any.convert_extern (ref.null extern))))))";

}  // namespace

TEST_CASE("the JIT refuses GC types and constant expressions by name", "[gc]") {
  if (!Engine::has_tier(Tier::Jit)) return;
  for (bool lazy : {false, true}) {
    Config jit{.tier = Tier::Jit, .lazy_compile = lazy};
    expect_refused(jit, "(module (type (struct (field i32))))", "struct type 0");
    expect_refused(jit, "(module (type (func)) (type (array i8)))", "array type 1");
    expect_refused(jit, "(module (type $f (sub (func))) (type (sub $f (func))))",
                   "a declared supertype (type 1)");
    expect_refused(jit, "(module (global anyref (any.convert_extern (ref.null extern))))",
                   "any.convert_extern in a constant expression");
  }
}

TEST_CASE("the JIT refuses GC instructions in code by name", "[gc]") {
  if (!Engine::has_tier(Tier::Jit)) return;
  expect_refused(Config{.tier = Tier::Jit}, kConvert, "the jit's instruction 'any.convert_extern'");
}

TEST_CASE("Tier::Auto and the interpreter run what the JIT refuses", "[gc]") {
  for (Tier tier : {Tier::Auto, Tier::Interp}) {
    INFO(test::tier_name(tier));
    CHECK(run_f(Config{.tier = tier}, kStructType) == 7);
    CHECK(run_f(Config{.tier = tier}, kConvert) == 1);
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
