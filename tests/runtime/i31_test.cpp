// GC's i31 references, ref.eq and casts to abstract types, which need no heap: they run on
// every tier (Tier::Auto leaves GC instructions in code to the interpreter, docs/gc.md), in
// code and in constant expressions; a global initialised by ref.i31 runs on the JIT under Auto.
#include <catch2/catch.hpp>

#include "tests/runtime/test_util.h"
#include "tests/support/tier.h"

using namespace tern;
using test::must_call;

namespace {

constexpr const char* kI31 = R"((module
  (global $g (mut (ref i31)) (ref.i31 (i32.const -5)))
  (func (export "get_s") (param i32) (result i32) (i31.get_s (ref.i31 (local.get 0))))
  (func (export "get_u") (param i32) (result i32) (i31.get_u (ref.i31 (local.get 0))))
  (func (export "new") (param i32) (result i31ref) (ref.i31 (local.get 0)))
  (func (export "get_s_of") (param i31ref) (result i32) (i31.get_s (local.get 0)))
  (func (export "get_u_null") (result i32) (i31.get_u (ref.null i31)))
  (func (export "global") (result i32) (i31.get_s (global.get $g)))
  (func (export "set_global") (param i32) (global.set $g (ref.i31 (local.get 0))))
  (func (export "eq") (param i32 i32) (result i32)
    (ref.eq (ref.i31 (local.get 0)) (ref.i31 (local.get 1))))
  (func (export "eq_null") (param i32) (result i32)
    (ref.eq (ref.i31 (local.get 0)) (ref.null eq)))
  (func (export "nulls_eq") (result i32) (ref.eq (ref.null i31) (ref.null eq)))
  (func (export "eq_branch") (param i32 i32) (result i32)
    (if (result i32) (ref.eq (ref.i31 (local.get 0)) (ref.i31 (local.get 1)))
      (then (i32.const 10)) (else (i32.const 20))))
))";

int32_t i32_of(const std::vector<Value>& r) {
  REQUIRE(r.size() == 1);
  return r[0].i32();
}

}  // namespace

TEST_CASE("i31 boxes 31 bits and unboxes them signed or unsigned", "[gc]") {
  std::vector<test::TierCase> tiers = test::tier_cases();
  tiers.push_back({"auto", Config{.tier = Tier::Auto}});
  for (const test::TierCase& tier : tiers) {
    INFO(tier.name);
    Engine engine(tier.config);
    Module module = test::must_compile(engine, kI31);
    Store store(engine);
    Instance inst = test::must_instantiate(Linker(), store, module);
    auto get_s = [&](int32_t v) {
      return i32_of(must_call(store, inst, "get_s", {Value::i32(v)}));
    };
    auto get_u = [&](int32_t v) {
      return i32_of(must_call(store, inst, "get_u", {Value::i32(v)}));
    };
    CHECK(get_s(0) == 0);
    CHECK(get_s(100) == 100);
    CHECK(get_s(-1) == -1);
    CHECK(get_s(0x3fffffff) == 0x3fffffff);
    CHECK(get_s(0x40000000) == -0x40000000);  // bit 30 is the sign; bit 31 is dropped
    CHECK(get_s(int32_t(0xcaaaaaaa)) == int32_t(0xcaaaaaaa));
    CHECK(get_u(-1) == 0x7fffffff);
    CHECK(get_u(int32_t(0xaaaaaaaa)) == 0x2aaaaaaa);
    CHECK(get_u(0x40000000) == 0x40000000);

    // Through the host: an i31ref result is a non-null reference that passes back intact.
    std::vector<Value> boxed = must_call(store, inst, "new", {Value::i32(-7)});
    REQUIRE(boxed.size() == 1);
    CHECK_FALSE(boxed[0].is_null());
    CHECK(i32_of(must_call(store, inst, "get_s_of", {boxed[0]})) == -7);

    // The global's initialiser boxes in a constant expression; global.set replaces it.
    CHECK(i32_of(must_call(store, inst, "global")) == -5);
    must_call(store, inst, "set_global", {Value::i32(1234)});
    CHECK(i32_of(must_call(store, inst, "global")) == 1234);
  }
}

TEST_CASE("i31.get of null traps with the spec's message", "[gc]") {
  const test::TierCase tier = GENERATE(Catch::Generators::from_range(test::tier_cases()));
  INFO(tier.name);
  Engine engine(tier.config);
  Module module = test::must_compile(engine, kI31);
  Store store(engine);
  Instance inst = test::must_instantiate(Linker(), store, module);
  auto r = inst.get_func("get_u_null")->call(store, {});
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().trap);
  CHECK(r.error().trap->code == TrapCode::NullI31Reference);
  CHECK(r.error().to_string().find("null i31 reference") != std::string::npos);
}

TEST_CASE("ref.eq compares i31 values by value and nulls as equal", "[gc]") {
  const test::TierCase tier = GENERATE(Catch::Generators::from_range(test::tier_cases()));
  INFO(tier.name);
  Engine engine(tier.config);
  Module module = test::must_compile(engine, kI31);
  Store store(engine);
  Instance inst = test::must_instantiate(Linker(), store, module);
  auto eq = [&](int32_t a, int32_t b) {
    return i32_of(must_call(store, inst, "eq", {Value::i32(a), Value::i32(b)}));
  };
  CHECK(eq(7, 7) == 1);
  CHECK(eq(7, 8) == 0);
  CHECK(eq(-1, 0x7fffffff) == 1);  // the same 31 bits
  CHECK(i32_of(must_call(store, inst, "eq_null", {Value::i32(0)})) == 0);
  CHECK(i32_of(must_call(store, inst, "nulls_eq")) == 1);
  // Fused with the branch that tests it.
  CHECK(i32_of(must_call(store, inst, "eq_branch", {Value::i32(3), Value::i32(3)})) == 10);
  CHECK(i32_of(must_call(store, inst, "eq_branch", {Value::i32(3), Value::i32(4)})) == 20);
}

TEST_CASE("Tier::Auto runs i31 instructions and a ref.i31 global on the JIT", "[gc]") {
  if (!Engine::has_tier(Tier::Jit)) return;
  Engine engine(Config{.tier = Tier::Auto});
  CHECK(test::must_compile(engine, kI31).tier() == Tier::Jit);

  Module module = test::must_compile(engine, R"((module
    (global $g (ref i31) (ref.i31 (i32.const 9)))
    (global $h (ref null i31) (global.get $g))
    (func (export "is_null") (result i32) (ref.is_null (global.get $h)))))");
  CHECK(module.tier() == Tier::Jit);
  Store store(engine);
  Instance inst = test::must_instantiate(Linker(), store, module);
  CHECK(i32_of(must_call(store, inst, "is_null")) == 0);
}

TEST_CASE("ref.test and ref.cast to abstract types see i31 values and nulls", "[gc]") {
  const test::TierCase tier = GENERATE(Catch::Generators::from_range(test::tier_cases()));
  INFO(tier.name);
  Engine engine(tier.config);
  Module module = test::must_compile(engine, R"((module
    (func (export "test_i31") (param anyref) (result i32) (ref.test i31ref (local.get 0)))
    (func (export "test_eq") (param anyref) (result i32) (ref.test (ref eq) (local.get 0)))
    (func (export "test_struct") (param anyref) (result i32)
      (ref.test structref (local.get 0)))
    (func (export "test_none") (param anyref) (result i32) (ref.test nullref (local.get 0)))
    (func (export "test_func") (param funcref) (result i32) (ref.test (ref func) (local.get 0)))
    (func (export "cast_i31") (param anyref) (result i32)
      (i31.get_s (ref.cast (ref i31) (local.get 0))))
    (func (export "cast_array") (param anyref) (result i32)
      (ref.is_null (ref.cast arrayref (local.get 0))))
    (func (export "i31") (param i32) (result anyref) (ref.i31 (local.get 0)))
  ))");
  Store store(engine);
  Instance inst = test::must_instantiate(Linker(), store, module);
  Value i31 = must_call(store, inst, "i31", {Value::i32(42)})[0];
  Value null_any = Value::ref(ref_type(HeapKind::Any, true), nullptr);
  auto call = [&](const char* f, Value v) { return i32_of(must_call(store, inst, f, {v})); };
  CHECK(call("test_i31", i31) == 1);
  CHECK(call("test_i31", null_any) == 1);  // i31ref is nullable
  CHECK(call("test_eq", i31) == 1);
  CHECK(call("test_eq", null_any) == 0);  // (ref eq) is not
  CHECK(call("test_struct", i31) == 0);
  CHECK(call("test_struct", null_any) == 1);
  CHECK(call("test_none", i31) == 0);
  CHECK(call("test_none", null_any) == 1);
  CHECK(call("test_func", Value::funcref(nullptr)) == 0);
  CHECK(call("cast_i31", i31) == 42);
  CHECK(call("cast_array", null_any) == 1);

  auto trap = [&](const char* f, Value v) {
    auto r = inst.get_func(f)->call(store, {v});
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.error().trap);
    return r.error().trap->code;
  };
  CHECK(trap("cast_i31", null_any) == TrapCode::CastFailure);
  CHECK(trap("cast_array", i31) == TrapCode::CastFailure);
}
