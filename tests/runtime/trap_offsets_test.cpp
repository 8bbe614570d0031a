// Where a trap's backtrace says each frame stopped, on every tier: the trapping instruction in
// the innermost frame, the call instruction in each caller, as byte offsets in the module
// (code_offset) and from the start of the function's body (code_offset - body_offset, what
// wasm-c-api calls the func_offset).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/support/instances.h"
#include "tests/support/tier.h"
#include "tests/support/wat.h"

using namespace tern;
using test::tier_cases;
using test::TierCase;

namespace {

// outer calls middle, which calls one of the table's functions (by `kind`) with `x`: the trap
// comes three calls deep. Each function's body is one byte of local declarations followed by
// its code, so an instruction's offset within the body is fixed by the text (in comments).
constexpr const char* kModule = R"((module
  (type $inner (func (param i32) (result i32)))
  (type $nullary (func))
  (import "host" "fail" (func $fail (param i32) (result i32)))
  (memory 1)
  (table funcref (elem $unreachable $divide $load $mismatch $calls_host))
  (func $unreachable (type $inner) unreachable)                            ;; +1
  (func $divide (type $inner) (i32.div_u (i32.const 1) (local.get 0)))     ;; div_u +5
  (func $load (type $inner) (i32.load offset=4 (local.get 0)))             ;; load +3
  (func $mismatch (type $inner)
    (call_indirect (type $nullary) (local.get 0)) (i32.const 0))           ;; call_indirect +3
  (func $calls_host (type $inner) (call $fail (local.get 0)))              ;; call +3
  (func $middle (param $kind i32) (param $x i32) (result i32)
    (call_indirect (type $inner) (local.get $x) (local.get $kind)))        ;; call_indirect +5
  (func $outer (export "outer") (param $kind i32) (param $x i32) (result i32)
    (i32.add (i32.const 1) (call $middle (local.get $kind) (local.get $x)))) ;; call +7
  (func $recurse (export "recurse") (param i32) (result i32)
    (i32.add (call $recurse (local.get 0)) (i32.const 1))))                ;; call +3
)";

// Function indices (the import is 0).
constexpr uint32_t kMiddle = 6, kOuter = 7, kRecurse = 8;

struct Expected {
  uint32_t func_index;
  const char* name;
  uint32_t func_offset;  // from the body's start
  uint8_t opcode;        // the byte there
};

// Checks one frame: its function, and that its offset is the expected instruction's.
void check_frame(const BacktraceFrame& f, const Expected& e, const std::vector<uint8_t>& bytes) {
  INFO("frame of " << e.name);
  CHECK(f.func_index == e.func_index);
  CHECK(f.func_name == e.name);
  REQUIRE(f.body_offset);
  REQUIRE(f.code_offset);
  CHECK(*f.code_offset - *f.body_offset == e.func_offset);
  REQUIRE(*f.code_offset < bytes.size());
  CHECK(bytes[*f.code_offset] == e.opcode);
}

Linker failing_host() {
  Linker linker;
  linker.define_host("host", "fail", FuncType{{ValType::I32}, {ValType::I32}},
                     [](Caller&, std::span<const Value>, std::span<Value>) -> Result<void> {
                       Trap t;
                       t.code = TrapCode::HostError;
                       t.message = "host says no";
                       return Error::from_trap(std::move(t));
                     });
  return linker;
}

}  // namespace

TEST_CASE("trap offsets / every frame of a trap three calls deep names its instruction") {
  const std::vector<uint8_t> bytes = test::must_encode(kModule);
  const Expected middle{kMiddle, "middle", 5, 0x11};
  const Expected outer{kOuter, "outer", 7, 0x10};
  struct Case {
    const char* what;
    int32_t kind, x;
    TrapCode code;
    Expected inner;
  };
  const Case cases[] = {
      {"unreachable", 0, 0, TrapCode::Unreachable, {1, "unreachable", 1, 0x00}},
      {"divide by zero", 1, 0, TrapCode::IntegerDivideByZero, {2, "divide", 5, 0x6e}},
      {"load out of bounds", 2, 65534, TrapCode::MemoryOutOfBounds, {3, "load", 3, 0x28}},
      {"call_indirect type mismatch",
       3,
       0,
       TrapCode::IndirectCallTypeMismatch,
       {4, "mismatch", 3, 0x11}},
      {"host function trap", 4, 0, TrapCode::HostError, {5, "calls_host", 3, 0x10}},
  };
  for (const TierCase& tc : tier_cases()) {
    Engine engine(tc.config);
    Module module = test::must_compile(engine, kModule);
    Store store(engine);
    Linker linker = failing_host();
    Instance inst = test::instantiate(linker, store, module);
    for (const Case& c : cases) {
      INFO(tc.name << ": " << c.what);
      auto r = inst.get_func("outer")->call(store, {Value::i32(c.kind), Value::i32(c.x)});
      REQUIRE_FALSE(r);
      REQUIRE(r.error().trap);
      const Trap& t = *r.error().trap;
      CHECK(t.code == c.code);
      REQUIRE(t.backtrace.size() == 3);
      check_frame(t.backtrace[0], c.inner, bytes);
      check_frame(t.backtrace[1], middle, bytes);
      check_frame(t.backtrace[2], outer, bytes);
    }
  }
}

TEST_CASE("trap offsets / a stack overflow's frames stop at the recursive call") {
  const std::vector<uint8_t> bytes = test::must_encode(kModule);
  const Expected call{kRecurse, "recurse", 3, 0x10};
  for (const TierCase& tc : tier_cases()) {
    INFO(tc.name);
    Engine engine(tc.config);
    Module module = test::must_compile(engine, kModule);
    Store store(engine);
    Linker linker = failing_host();
    Instance inst = test::instantiate(linker, store, module);
    auto r = inst.get_func("recurse")->call(store, {Value::i32(0)});
    REQUIRE_FALSE(r);
    REQUIRE(r.error().trap);
    const Trap& t = *r.error().trap;
    CHECK(t.code == TrapCode::CallStackExhausted);
    // The innermost frames only (a million frames would be a long report); the interpreter
    // stops in the call that found no room, the JIT in the prologue of the callee (its body's
    // start). Every outer frame is in the call.
    REQUIRE(t.backtrace.size() >= 2);
    CHECK(t.backtrace.size() <= 1000);
    const BacktraceFrame& innermost = t.backtrace[0];
    CHECK(innermost.func_index == kRecurse);
    REQUIRE(innermost.code_offset);
    uint32_t innermost_offset = *innermost.code_offset - *innermost.body_offset;
    CHECK((innermost_offset == call.func_offset || innermost_offset == 0));
    for (size_t i = 1; i < t.backtrace.size(); ++i) check_frame(t.backtrace[i], call, bytes);
  }
}
