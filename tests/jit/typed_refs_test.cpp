// Typed function references on the JIT: ref.as_non_null's and call_ref's null traps, both
// directions of br_on_null and br_on_non_null (with label values, cached locals and loop
// targets), call_ref and return_call_ref to a function of the same instance (inline), of
// another instance and of the host (the helper), and return_call_ref in constant stack space.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/jit/jit_harness.h"
#include "tests/support/instances.h"
#include "tests/support/tier.h"
#include "tests/support/wat.h"

using namespace tern;
using tern::jit::testing::describe;
using tern::jit::testing::Dual;
using tern::test::instantiate;
using tern::test::must_compile;

namespace {

// $pick gives $inc for a nonzero argument, else null.
constexpr const char* kBranches = R"((module
  (type $un (func (param i32) (result i32)))
  (func $inc (type $un) (i32.add (local.get 0) (i32.const 1)))
  (elem declare func $inc)
  (func $pick (param i32) (result (ref null $un))
    (if (result (ref null $un)) (local.get 0)
      (then (ref.func $inc)) (else (ref.null $un))))

  (func (export "as_non_null") (param i32 i32) (result i32)
    (call_ref $un (local.get 1) (ref.as_non_null (call $pick (local.get 0)))))
  ;; The checked local stays the local (it is cached in a register).
  (func (export "as_non_null_local") (param i32 i32) (result i32)
    (local $f (ref null $un))
    (local.set $f (call $pick (local.get 0)))
    (drop (ref.as_non_null (local.get $f)))
    (call_ref $un (local.get 1) (ref.as_non_null (local.get $f))))
  (func (export "as_non_null_const") (result i32)
    (ref.is_null (ref.as_non_null (ref.null $un))))
  (func (export "call_null") (param i32) (result i32)
    (call_ref $un (local.get 0) (ref.null $un)))
  (func (export "tail_call_null") (param i32) (result i32)
    (return_call_ref $un (local.get 0) (call $pick (i32.const 0))))

  ;; Null: the label's value 2 * b; else $inc(2 * b), the reference kept under the branch.
  (func (export "on_null") (param i32 i32) (result i32)
    (block $null (result i32)
      (br_on_null $null (i32.mul (local.get 1) (i32.const 2)) (call $pick (local.get 0)))
      (call_ref $un)))
  ;; The same from a cached local, the loop's exit taken on null: the sum of $inc(b..1).
  (func (export "on_null_loop") (param i32 i32) (result i32)
    (local $f (ref null $un)) (local $acc i32)
    (local.set $f (call $pick (local.get 0)))
    (block $done
      (loop $l
        (local.set $acc (i32.add (local.get $acc)
          (call_ref $un (local.get 1) (br_on_null $done (local.get $f)))))
        (br_if $l (local.tee 1 (i32.sub (local.get 1) (i32.const 1))))))
    (local.get $acc))
  ;; br_on_null back to a loop head until the reference is non-null (from round a on).
  (func (export "on_null_back_edge") (param i32) (result i32)
    (local $f (ref null $un)) (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $f (call $pick (i32.ge_u (local.get $n) (local.get 0))))
      (local.set $n (call_ref $un (local.get $n) (br_on_null $l (local.get $f)))))
    (local.get $n))

  ;; Non-null: $inc(b), the reference going with the branch; null: -1.
  (func (export "on_non_null") (param i32 i32) (result i32)
    (block $some (result i32 (ref $un))
      (br_on_non_null $some (local.get 1) (call $pick (local.get 0)))
      (return (i32.const -1)))
    (call_ref $un))
  ;; The same from a cached local.
  (func (export "on_non_null_local") (param i32 i32) (result i32)
    (local $f (ref null $un))
    (local.set $f (call $pick (local.get 0)))
    (block $some (result i32 (ref $un))
      (br_on_non_null $some (local.get 1) (local.get $f))
      (return (i32.const -1)))
    (call_ref $un))
  ;; Out of a loop once the reference is non-null (from round a on): $inc(a).
  (func (export "on_non_null_loop") (param i32) (result i32)
    (local $n i32) (local $f (ref null $un))
    (local.set $f
      (block $found (result (ref $un))
        (loop $l
          (local.set $n (i32.add (local.get $n) (i32.const 1)))
          (br_on_non_null $found (call $pick (i32.ge_u (local.get $n) (local.get 0))))
          (br $l))
        (unreachable)))
    (call_ref $un (local.get $n) (local.get $f)))
))";

struct Call {
  const char* name;
  std::vector<Value> args;
};

const std::vector<Call> kBranchCalls = {
    {"as_non_null", {Value::i32(1), Value::i32(4)}},
    {"as_non_null", {Value::i32(0), Value::i32(4)}},
    {"as_non_null_local", {Value::i32(1), Value::i32(4)}},
    {"as_non_null_local", {Value::i32(0), Value::i32(4)}},
    {"as_non_null_const", {}},
    {"call_null", {Value::i32(1)}},
    {"tail_call_null", {Value::i32(1)}},
    {"on_null", {Value::i32(1), Value::i32(5)}},
    {"on_null", {Value::i32(0), Value::i32(5)}},
    {"on_null_loop", {Value::i32(1), Value::i32(3)}},
    {"on_null_loop", {Value::i32(0), Value::i32(3)}},
    {"on_null_back_edge", {Value::i32(3)}},
    {"on_null_back_edge", {Value::i32(0)}},
    {"on_non_null", {Value::i32(1), Value::i32(5)}},
    {"on_non_null", {Value::i32(0), Value::i32(5)}},
    {"on_non_null_local", {Value::i32(1), Value::i32(5)}},
    {"on_non_null_local", {Value::i32(0), Value::i32(5)}},
    {"on_non_null_loop", {Value::i32(4)}},
};

// What each of kBranchCalls gives: a value or a trap.
struct Expected {
  std::optional<int32_t> value;
  std::optional<TrapCode> trap;
};
const std::vector<Expected> kBranchExpected = {
    {5, {}},
    {{}, TrapCode::NullReference},
    {5, {}},
    {{}, TrapCode::NullReference},
    {{}, TrapCode::NullReference},
    {{}, TrapCode::NullFunctionReference},
    {{}, TrapCode::NullFunctionReference},
    {11, {}},
    {10, {}},
    {9, {}},  // 4 + 3 + 2
    {0, {}},
    {4, {}},  // $inc(3)
    {2, {}},  // non-null at once: $inc(1)
    {6, {}},
    {-1, {}},
    {6, {}},
    {-1, {}},
    {5, {}},
};

}  // namespace

TEST_CASE("ref.as_non_null, br_on_null and br_on_non_null agree with the interpreter") {
  REQUIRE(kBranchCalls.size() == kBranchExpected.size());
  for (bool lazy : {false, true}) {
    for (bool fuel : {false, true}) {
      Config config;
      config.lazy_compile = lazy;
      config.consume_fuel = fuel;
      Dual d(kBranches, config);
      if (fuel) {
        d.jit_store().set_fuel(1000000);
        d.interp_store().set_fuel(1000000);
      }
      for (size_t i = 0; i < kBranchCalls.size(); ++i) {
        const Call& c = kBranchCalls[i];
        auto jit = d.jit(c.name, c.args);
        INFO(c.name << " #" << i << (lazy ? " (lazy)" : "") << (fuel ? " (fuel)" : "") << ": "
                    << describe(jit));
        CHECK(jit == d.interp(c.name, c.args));
        CHECK(jit.trap == kBranchExpected[i].trap);
        if (kBranchExpected[i].value) {
          REQUIRE(jit.values.size() == 1);
          CHECK(jit.values[0].i32() == *kBranchExpected[i].value);
        }
      }
    }
  }
}

namespace {

// The other instance's function reads its own memory and global: it only works with its own
// instance's registers.
constexpr const char* kCallee = R"((module
  (type $un (func (param i32) (result i32)))
  (memory 1)
  (data (i32.const 8) "\07")
  (global $k i32 (i32.const 1000))
  (func (export "theirs") (type $un)
    (i32.add (i32.add (local.get 0) (i32.load8_u (i32.const 8))) (global.get $k)))
))";

// $pick: 0 its own function, 1 the host's, 2 the other instance's, else null.
constexpr const char* kCaller = R"((module
  (type $un (func (param i32) (result i32)))
  (import "host" "triple" (func $triple (type $un)))
  (import "other" "theirs" (func $theirs (type $un)))
  (global $g (mut i32) (i32.const 100))
  (func $own (type $un) (i32.add (local.get 0) (global.get $g)))
  (elem declare func $own $triple $theirs)
  (func $pick (param i32) (result (ref null $un))
    (block $b0
      (block $b1
        (block $b2
          (block $b3 (br_table $b3 $b2 $b1 $b0 (local.get 0)))
          (return (ref.func $own)))
        (return (ref.func $triple)))
      (return (ref.func $theirs)))
    (ref.null $un))
  (func (export "call") (param i32 i32) (result i32)
    (call_ref $un (local.get 1) (call $pick (local.get 0))))
  (func (export "tail") (param i32 i32) (result i32)
    (return_call_ref $un (local.get 1) (call $pick (local.get 0))))
))";

struct Outcome {
  std::optional<int32_t> value;
  std::string trap;
  bool operator==(const Outcome&) const = default;
};

Outcome outcome_of(Result<std::vector<Value>> r) {
  if (r) return {(*r)[0].i32(), {}};
  REQUIRE(r.error().trap);
  return {std::nullopt, r.error().to_string()};
}

std::vector<Outcome> run_ref_calls(const Config& config) {
  Engine engine(config);
  Store store(engine);
  Linker linker;
  linker.func_wrap("host", "triple", [](int32_t x) { return 3 * x; });
  Instance other = instantiate(linker, store, must_compile(engine, kCallee));
  linker.define_instance("other", other);
  Instance caller = instantiate(linker, store, must_compile(engine, kCaller));
  std::vector<Outcome> out;
  for (const char* name : {"call", "tail"}) {
    for (int32_t pick : {0, 1, 2, 3}) {
      out.push_back(
          outcome_of(caller.get_func(name)->call(store, {Value::i32(pick), Value::i32(5)})));
    }
  }
  return out;
}

}  // namespace

TEST_CASE("call_ref and return_call_ref reach own, host and other instances' functions") {
  std::vector<Outcome> interp = run_ref_calls(Config{.tier = Tier::Interp});
  for (bool lazy : {false, true}) {
    std::vector<Outcome> jit = run_ref_calls(Config{.tier = Tier::Jit, .lazy_compile = lazy});
    REQUIRE(jit.size() == interp.size());
    for (size_t i = 0; i < jit.size(); ++i) {
      INFO("call " << i << (lazy ? " (lazy)" : ""));
      CHECK(jit[i] == interp[i]);
    }
    for (size_t tail : {0, 4}) {
      CHECK(jit[tail + 0].value == 105);   // own: inline
      CHECK(jit[tail + 1].value == 15);    // host: the helper
      CHECK(jit[tail + 2].value == 1012);  // the other instance's, with its registers
      CHECK_THAT(jit[tail + 3].trap, Catch::Contains("null function reference"));
    }
  }
}

TEST_CASE("return_call_ref recurses a million deep in constant stack space") {
  // The same recursion as a call (call_ref) exhausts the call depth long before.
  constexpr const char* kCountdown = R"((module
    (type $cd (func (param i64 i64) (result i64)))
    (elem declare func $tail $call)
    (func $tail (export "tail") (type $cd)
      (if (result i64) (i64.eqz (local.get 0))
        (then (local.get 1))
        (else (return_call_ref $cd (i64.sub (local.get 0) (i64.const 1))
                                   (i64.add (local.get 1) (i64.const 2)) (ref.func $tail)))))
    (func $call (export "call") (type $cd)
      (if (result i64) (i64.eqz (local.get 0))
        (then (local.get 1))
        (else (call_ref $cd (i64.sub (local.get 0) (i64.const 1))
                            (i64.add (local.get 1) (i64.const 2)) (ref.func $call)))))
  ))";
  for (bool lazy : {false, true}) {
    INFO((lazy ? "lazy" : "eager"));
    Engine engine(Config{.tier = Tier::Jit, .max_call_depth = 10000, .lazy_compile = lazy});
    Store store(engine);
    Instance inst = instantiate(Linker(), store, must_compile(engine, kCountdown));
    auto tail = inst.get_func("tail")->call(store, {Value::i64(1000000), Value::i64(0)});
    REQUIRE(tail.ok());
    CHECK((*tail)[0].i64() == 2000000);
    auto call = inst.get_func("call")->call(store, {Value::i64(1000000), Value::i64(0)});
    REQUIRE_FALSE(call.ok());
    REQUIRE(call.error().trap);
    CHECK(call.error().trap->code == TrapCode::CallStackExhausted);
  }
}
