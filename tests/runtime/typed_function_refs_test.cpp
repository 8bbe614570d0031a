// Typed function references: call_ref, return_call_ref, ref.as_non_null, br_on_null and
// br_on_non_null on every tier, non-defaultable locals, tables with an initializer expression,
// and iso-recursive type equality across modules.
#include <catch2/catch.hpp>
#include <string>

#include "tests/support/instances.h"
#include "tests/support/tier.h"
#include "tests/support/wat.h"

using namespace tern;
using test::TierCase;

namespace {

constexpr const char* kCalls = R"((module
  (type $binop (func (param i32 i32) (result i32)))
  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $binop) (i32.sub (local.get 0) (local.get 1)))
  (elem declare func $add $sub)
  (global $op (mut (ref null $binop)) (ref.null $binop))
  ;; A table of non-null references needs an initializer: every slot starts as $add.
  (table $ops 2 (ref $binop) (ref.func $add))
  (func (export "select_sub") (global.set $op (ref.func $sub)))
  (func (export "apply") (param i32 i32) (result i32)
    (call_ref $binop (local.get 0) (local.get 1) (global.get $op)))
  (func (export "tail_apply") (param i32 i32) (result i32)
    (return_call_ref $binop (local.get 0) (local.get 1) (global.get $op)))
  (func (export "table_apply") (param i32 i32 i32) (result i32)
    (call_ref $binop (local.get 0) (local.get 1) (table.get $ops (local.get 2))))
  (func (export "as_non_null") (result i32)
    (call_ref $binop (i32.const 1) (i32.const 2) (ref.as_non_null (global.get $op))))
  ;; 1 when the global holds null (br_on_null taken), else the call's result.
  (func (export "on_null") (result i32)
    (block $null
      (return (call_ref $binop (i32.const 7) (i32.const 5)
        (br_on_null $null (global.get $op)))))
    (i32.const -1))
  ;; The reference goes with the branch when non-null.
  (func (export "on_non_null") (result i32)
    (call_ref $binop (i32.const 7) (i32.const 5)
      (block $some (result (ref $binop))
        (br_on_non_null $some (global.get $op))
        (ref.func $add))))
  ;; A non-defaultable local, set before it is read.
  (func (export "local") (result i32)
    (local $f (ref $binop))
    (local.set $f (ref.func $sub))
    (call_ref $binop (i32.const 10) (i32.const 4) (local.get $f)))
))";

std::string error_text(const Result<std::vector<Value>>& r) {
  return r ? std::string() : r.error().to_string();
}

}  // namespace

TEST_CASE("typed function references run on every tier", "[typed-refs]") {
  std::vector<TierCase> cases = test::tier_cases();
  cases.push_back({"auto", Config{.tier = Tier::Auto}});
  for (const TierCase& tc : cases) {
    INFO(tc.name);
    Engine engine(tc.config);
    auto module = test::compile_wat(engine, kCalls);
    REQUIRE(module.ok());
    Store store(engine);
    Instance inst = test::instantiate(Linker(), store, *module);
    auto apply = inst.get_func("apply");
    REQUIRE(apply);
    auto null_call = apply->call(store, {Value::i32(1), Value::i32(2)});
    REQUIRE_FALSE(null_call.ok());
    CHECK(null_call.error().kind == ErrorKind::Trap);
    CHECK(error_text(null_call).find("null function reference") != std::string::npos);
    auto as_non_null = inst.get_func("as_non_null")->call(store, {});
    CHECK(error_text(as_non_null).find("null reference") != std::string::npos);
    CHECK(test::call(store, inst, "on_null", {})[0].i32() == -1);
    CHECK(test::call(store, inst, "on_non_null", {})[0].i32() == 12);
    CHECK(test::call(store, inst, "table_apply", {Value::i32(3), Value::i32(4), Value::i32(1)})[0]
              .i32() == 7);
    CHECK(test::call(store, inst, "local", {})[0].i32() == 6);

    test::call(store, inst, "select_sub", {});
    CHECK(test::call(store, inst, "apply", {Value::i32(9), Value::i32(2)})[0].i32() == 7);
    CHECK(test::call(store, inst, "tail_apply", {Value::i32(9), Value::i32(3)})[0].i32() == 6);
    CHECK(test::call(store, inst, "on_null", {})[0].i32() == 2);
    CHECK(test::call(store, inst, "on_non_null", {})[0].i32() == 2);
  }
}

TEST_CASE("a non-defaultable local must be set before it is read", "[typed-refs]") {
  Engine engine(Config{.tier = Tier::Interp});
  auto unset = test::compile_wat(engine, R"((module
    (type $t (func))
    (func (local $f (ref $t)) (drop (local.get $f)))))");
  REQUIRE_FALSE(unset.ok());
  CHECK(unset.error().message == "uninitialized local");
  // A set inside a block counts only until the block ends.
  auto block_scoped = test::compile_wat(engine, R"((module
    (type $t (func))
    (func $g)
    (elem declare func $g)
    (func (local $f (ref $t))
      (block (local.set $f (ref.func $g)))
      (drop (local.get $f)))))");
  REQUIRE_FALSE(block_scoped.ok());
  CHECK(block_scoped.error().message == "uninitialized local");
  auto in_block = test::compile_wat(engine, R"((module
    (type $t (func))
    (func $g)
    (elem declare func $g)
    (func (local $f (ref $t))
      (block (local.set $f (ref.func $g)) (drop (local.get $f))))))");
  CHECK(in_block.ok());
}

TEST_CASE("a table of non-null references needs an initializer", "[typed-refs]") {
  Engine engine(Config{.tier = Tier::Interp});
  auto r = test::compile_wat(engine, "(module (table 1 (ref func)))");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Invalid);
  CHECK(r.error().message.find("type mismatch") == 0);
}

TEST_CASE("imports match by iso-recursive type equality", "[typed-refs]") {
  Engine engine;
  // $g takes a reference to a function of its own group's first type.
  Module exporter = test::must_compile(engine, R"((module
    (rec (type $a (func)) (type $b (func (param (ref null $a)))))
    (func (export "g") (type $b))))");
  Store store(engine);
  Linker linker;
  Instance inst = test::instantiate(linker, store, exporter);
  linker.define("m", "g", *inst.get_func("g"));

  // The same group, spelt with other names: the same type.
  Module same = test::must_compile(engine, R"((module
    (rec (type $x (func)) (type $y (func (param (ref null $x)))))
    (import "m" "g" (func (type $y)))))");
  CHECK(linker.instantiate(store, same).ok());

  // Structurally alike but not in a group: a different type.
  Module other = test::must_compile(engine, R"((module
    (type $x (func))
    (type $y (func (param (ref null $x))))
    (import "m" "g" (func (type $y)))))");
  auto r = linker.instantiate(store, other);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Unlinkable);
}
