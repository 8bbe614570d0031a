// A function with more than 1 MiB of native code, on every tier. AArch64's conditional branches
// reach +-1 MiB, so in such a function the a64 JIT reaches its trap stubs, the end of a block
// and the start of a loop through branch islands or an inverted branch over a `b`
// (jit/a64/far_branch_assembler.h); it once refused the function with a Limit error.
#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

#include "tests/limits/limits_harness.h"

using namespace tern;
using namespace tern::limits_testing;

namespace {

void append_leb(std::vector<uint8_t>& out, uint64_t v) {
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    out.push_back(v ? byte | 0x80 : byte);
  } while (v);
}

// The step repeated through the loop body: acc = acc * kFactor + 1 (i32, wrapping).
constexpr uint32_t kFactor = 0x12345678;
// i32.const takes a signed LEB128: from 2^28 to 2^31 its unsigned LEB128 is the same five
// bytes, the last one's sign bit (bit 6) clear.
static_assert(kFactor >= (uint32_t(1) << 28) && kFactor < (uint32_t(1) << 31));
// At least a movz/movk pair, a mul and an add each (16 bytes): over 1.5 MiB of code.
constexpr uint32_t kSteps = 100000;

// (func (export "run") (param $n i32) (param $d i32) (param $addr i32) (result i32)
//   (local $acc i32)
//   (local.set $acc (i32.div_u (i32.const 60) (local.get $d)))  ;; a trap branch, far from
//                                                                 ;; the stubs at the end
//   (block $done
//     (loop $again
//       (br_if $done (i32.eqz (local.get $n)))           ;; forward over the whole body
//       kSteps × (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const kFactor))
//                                         (i32.const 1)))
//       (local.set $n (i32.sub (local.get $n) (i32.const 1)))
//       (br_if $again (local.get $n))))                  ;; backward over the whole body
//   (i32.store (local.get $addr) (local.get $acc))       ;; a memory fault site past 1 MiB
//   (local.get $acc))
std::vector<uint8_t> large_function_module() {
  std::vector<uint8_t> body{1, 1, 0x7f};  // one i32 local: $acc (local 3)
  body.insert(body.end(), {0x41, 60, 0x20, 1, 0x6e, 0x21, 3});
  body.insert(body.end(), {0x02, 0x40, 0x03, 0x40, 0x20, 0, 0x45, 0x0d, 1});
  std::vector<uint8_t> step{0x20, 3, 0x41};
  append_leb(step, kFactor);
  step.insert(step.end(), {0x6c, 0x41, 1, 0x6a, 0x21, 3});
  for (uint32_t i = 0; i < kSteps; ++i) body.insert(body.end(), step.begin(), step.end());
  body.insert(body.end(), {0x20, 0, 0x41, 1, 0x6b, 0x21, 0, 0x20, 0, 0x0d, 0, 0x0b, 0x0b});
  body.insert(body.end(), {0x20, 2, 0x20, 3, 0x36, 2, 0, 0x20, 3, 0x0b});

  std::vector<uint8_t> code{1};
  append_leb(code, body.size());
  code.insert(code.end(), body.begin(), body.end());
  std::vector<uint8_t> m{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  // type 0: [i32 i32 i32] -> [i32]; func 0: type 0; memory 0: 1 page; export "run": func 0.
  m.insert(m.end(), {0x01, 0x08, 0x01, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x01, 0x7f});
  m.insert(m.end(), {0x03, 0x02, 0x01, 0x00});
  m.insert(m.end(), {0x05, 0x03, 0x01, 0x00, 0x01});
  m.insert(m.end(), {0x07, 0x07, 0x01, 0x03, 'r', 'u', 'n', 0x00, 0x00});
  m.push_back(0x0a);
  append_leb(m, code.size());
  m.insert(m.end(), code.begin(), code.end());
  return m;
}

uint32_t expected_run(uint32_t n, uint32_t d) {
  uint32_t acc = 60 / d;
  for (uint32_t i = 0; i < n; ++i) {
    for (uint32_t s = 0; s < kSteps; ++s) acc = acc * kFactor + 1;
  }
  return acc;
}

}  // namespace

TEST_CASE("a function with more than 1 MiB of native code branches and traps as it should") {
  static const std::vector<uint8_t> bytes = large_function_module();
  const Tier tier = GENERATE(Tier::Interp, Tier::Jit);
  const bool lazy = GENERATE(false, true);
  if (tier == Tier::Interp && lazy) return;
  INFO(tier_name(tier) << (lazy ? " (lazy)" : ""));
  Config config = on_tier({}, tier);
  config.lazy_compile = lazy;
  Engine engine(config);
  auto module = Module::compile(engine, bytes);
  REQUIRE(module);
  Store store(engine);
  auto instance = Linker().instantiate(store, *module);
  REQUIRE(instance);
  Func run = *instance->get_func("run");
  auto call = [&](int32_t n, int32_t d, int32_t addr) {
    return run.call(store, {Value::i32(n), Value::i32(d), Value::i32(addr)});
  };

  auto none = call(0, 3, 0);  // leaves the loop at once
  REQUIRE(none);
  CHECK(uint32_t((*none)[0].i32()) == 20);
  auto twice = call(2, 7, 16);  // and runs the whole body twice, looping back once
  REQUIRE(twice);
  CHECK(uint32_t((*twice)[0].i32()) == expected_run(2, 7));
  CHECK(trap_of(call(1, 0, 0)) == TrapCode::IntegerDivideByZero);
  CHECK(trap_of(call(1, 1, 65536)) == TrapCode::MemoryOutOfBounds);
}
