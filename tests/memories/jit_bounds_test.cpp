// The JIT's multi-memory and memory64 code on every tier: memory64's explicit bounds checks at
// their edges (2^32 and 2^64), memories other than memory 0 reached through the instance, grown
// memories, and table.copy between a 32- and a 64-bit table.
#include "tests/memories/memories_test_util.h"

using namespace tern;
using test::MemoriesFixture;

namespace {

Value i64(uint64_t v) {
  return Value::i64(int64_t(v));
}

// A one-page 64-bit memory with every access width, and offsets near 2^32 and 2^64.
constexpr const char* kWide = R"((module
  (memory (export "mem") i64 1 3)
  (func (export "load8") (param i64) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load64") (param i64) (result i64) (i64.load (local.get 0)))
  (func (export "load_f64") (param i64) (result f64) (f64.load offset=8 (local.get 0)))
  (func (export "store_f32") (param i64 f32) (f32.store offset=4 (local.get 0) (local.get 1)))
  (func (export "load_f32") (param i64) (result f32) (f32.load offset=4 (local.get 0)))
  (func (export "store64") (param i64 i64) (i64.store (local.get 0) (local.get 1)))
  (func (export "load_offset_4g") (param i64) (result i32)
    (i32.load8_u offset=0x100000000 (local.get 0)))
  (func (export "load_offset_near_max") (param i64) (result i32)
    (i32.load offset=0xFFFFFFFFFFFFFFF0 (local.get 0)))
  (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
))";

}  // namespace

TEST_CASE("memory64 on the JIT: accesses at 2^32 + x trap, the last byte works",
          "[memories][memory64][jit]") {
  for (const test::TierCase& tc : test::running_tiers()) {
    INFO(tc.name);
    MemoriesFixture f(tc.config, kWide);
    f.memory("mem").data()[65535] = 0x5a;
    CHECK(f.value("load8", {i64(65535)}).i32() == 0x5a);
    CHECK(f.trap("load8", {i64(65536)}) == TrapCode::MemoryOutOfBounds);
    // 2^32 + x: the low 32 bits alone would be in bounds.
    CHECK(f.trap("load8", {i64((uint64_t(1) << 32) + 5)}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.trap("load64", {i64((uint64_t(1) << 32) + 8)}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.trap("load64", {i64(65529)}) == TrapCode::MemoryOutOfBounds);
    REQUIRE(f.call("store64", {i64(65528), i64(0x0102030405060708)}));
    CHECK(f.value("load64", {i64(65528)}).i64() == 0x0102030405060708);
    REQUIRE(f.call("store_f32", {i64(100), Value::f32(2.5f)}));
    CHECK(f.value("load_f32", {i64(100)}).f32() == 2.5f);
    CHECK(f.trap("load_f64", {i64(65528)}) == TrapCode::MemoryOutOfBounds);
  }
}

TEST_CASE("memory64 on the JIT: address plus offset past 2^64 traps", "[memories][memory64][jit]") {
  for (const test::TierCase& tc : test::running_tiers()) {
    INFO(tc.name);
    MemoriesFixture f(tc.config, kWide);
    // Wrapped, these would reach bytes 0..15 of the memory.
    CHECK(f.trap("load_offset_near_max", {i64(0x10)}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.trap("load_offset_near_max", {i64(0x20)}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.trap("load8", {i64(UINT64_MAX)}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.trap("load64", {i64(UINT64_MAX - 3)}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.trap("load_offset_4g", {i64(0)}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.trap("load_offset_4g", {i64(uint64_t(0) - (uint64_t(1) << 32))}) ==
          TrapCode::MemoryOutOfBounds);
  }
}

TEST_CASE("memory64 on the JIT: after memory.grow the new pages are reachable",
          "[memories][memory64][jit]") {
  for (const test::TierCase& tc : test::running_tiers()) {
    INFO(tc.name);
    MemoriesFixture f(tc.config, kWide);
    CHECK(f.trap("load8", {i64(65536)}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.value("grow", {i64(2)}).i64() == 1);
    REQUIRE(f.call("store64", {i64(3 * 65536 - 8), i64(-2)}));
    CHECK(f.value("load64", {i64(3 * 65536 - 8)}).i64() == -2);
    CHECK(f.value("load8", {i64(65536)}).i32() == 0);
    CHECK(f.trap("load8", {i64(3 * 65536)}) == TrapCode::MemoryOutOfBounds);
  }
}

TEST_CASE("two memories copy between each other on every tier", "[memories][multi-memory][jit]") {
  constexpr const char* kTwo = R"((module
    (memory $a (export "a") 1)
    (memory $b (export "b") i64 1)
    (func (export "a_to_b") (param i64 i32 i32) (memory.copy $b $a (local.get 0) (local.get 1) (local.get 2)))
    (func (export "b_to_a") (param i32 i64 i32) (memory.copy $a $b (local.get 0) (local.get 1) (local.get 2)))
    (func (export "store_a") (param i32 i32) (i32.store $a (local.get 0) (local.get 1)))
    (func (export "load_b") (param i64) (result i32) (i32.load $b (local.get 0)))
    (func (export "load_a") (param i32) (result i32) (i32.load $a offset=4 (local.get 0)))
  ))";
  for (const test::TierCase& tc : test::running_tiers()) {
    INFO(tc.name);
    MemoriesFixture f(tc.config, kTwo);
    REQUIRE(f.call("store_a", {Value::i32(8), Value::i32(0x11223344)}));
    REQUIRE(f.call("a_to_b", {i64(100), Value::i32(8), Value::i32(4)}));
    CHECK(f.value("load_b", {i64(100)}).i32() == 0x11223344);
    REQUIRE(f.call("b_to_a", {Value::i32(20), i64(100), Value::i32(4)}));
    CHECK(f.value("load_a", {Value::i32(16)}).i32() == 0x11223344);
    CHECK(f.trap("a_to_b", {i64(65534), Value::i32(0), Value::i32(4)}) ==
          TrapCode::MemoryOutOfBounds);
    CHECK(f.trap("b_to_a", {Value::i32(0), i64(uint64_t(1) << 32), Value::i32(1)}) ==
          TrapCode::MemoryOutOfBounds);
  }
}

TEST_CASE("three memories where only memory 2 grows", "[memories][multi-memory][jit]") {
  constexpr const char* kThree = R"((module
    (memory $m0 (export "m0") 1 1)
    (memory $m1 (export "m1") 1 1)
    (memory $m2 (export "m2") 1 4)
    (func (export "grow2") (param i32) (result i32) (memory.grow $m2 (local.get 0)))
    (func (export "size") (result i32 i32 i32)
      (memory.size $m0) (memory.size $m1) (memory.size $m2))
    (func (export "store") (param i32 i32)
      (i32.store $m0 (local.get 0) (i32.const 10))
      (i32.store $m1 (local.get 0) (i32.const 11))
      (i32.store $m2 (local.get 0) (local.get 1)))
    (func (export "load2") (param i32) (result i32) (i32.load $m2 (local.get 0)))
    (func (export "load1") (param i32) (result i32) (i32.load $m1 (local.get 0)))
    (func (export "sum") (param i32) (result i32)
      (i32.add (i32.add (i32.load $m0 (local.get 0)) (i32.load $m1 (local.get 0)))
               (i32.trunc_f32_u (f32.load $m2 (local.get 0)))))
    (func (export "store_f2") (param i32 f32) (f32.store $m2 (local.get 0) (local.get 1)))
  ))";
  for (const test::TierCase& tc : test::running_tiers()) {
    INFO(tc.name);
    MemoriesFixture f(tc.config, kThree);
    REQUIRE(f.call("store", {Value::i32(0), Value::i32(12)}));
    REQUIRE(f.call("store_f2", {Value::i32(0), Value::f32(12.0f)}));
    CHECK(f.value("sum", {Value::i32(0)}).i32() == 33);
    CHECK(f.trap("store", {Value::i32(65536), Value::i32(1)}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.value("grow2", {Value::i32(2)}).i32() == 1);
    auto sizes = f.call("size");
    REQUIRE(sizes);
    CHECK((*sizes)[0].i32() == 1);
    CHECK((*sizes)[1].i32() == 1);
    CHECK((*sizes)[2].i32() == 3);
    // Memory 2's new pages are reachable; memories 0 and 1 still end at 64 KiB.
    CHECK(f.trap("store", {Value::i32(2 * 65536), Value::i32(1)}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.value("grow2", {Value::i32(0)}).i32() == 3);
    CHECK(f.trap("load1", {Value::i32(65536)}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.value("load2", {Value::i32(3 * 65536 - 4)}).i32() == 0);
    CHECK(f.trap("load2", {Value::i32(3 * 65536 - 3)}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.memory("m2").size_bytes() == 3 * 65536);
  }
}

TEST_CASE("table.copy between a 32- and a 64-bit table", "[memories][memory64][jit]") {
  constexpr const char* kTables = R"((module
    (type $ret (func (result i32)))
    (table $t32 (export "t32") 4 funcref)
    (table $t64 (export "t64") i64 4 funcref)
    (func $seven (result i32) (i32.const 7))
    (elem (table $t32) (i32.const 1) func $seven)
    (func (export "to64") (param i64 i32 i32) (table.copy $t64 $t32 (local.get 0) (local.get 1) (local.get 2)))
    (func (export "to32") (param i32 i64 i32) (table.copy $t32 $t64 (local.get 0) (local.get 1) (local.get 2)))
    (func (export "call64") (param i64) (result i32) (call_indirect $t64 (type $ret) (local.get 0)))
    (func (export "call32") (param i32) (result i32) (call_indirect $t32 (type $ret) (local.get 0)))
  ))";
  for (const test::TierCase& tc : test::running_tiers()) {
    INFO(tc.name);
    MemoriesFixture f(tc.config, kTables);
    REQUIRE(f.call("to64", {i64(3), Value::i32(1), Value::i32(1)}));
    CHECK(f.value("call64", {i64(3)}).i32() == 7);
    REQUIRE(f.call("to32", {Value::i32(2), i64(3), Value::i32(1)}));
    CHECK(f.value("call32", {Value::i32(2)}).i32() == 7);
    CHECK(f.trap("to32", {Value::i32(0), i64(uint64_t(1) << 32), Value::i32(1)}) ==
          TrapCode::TableOutOfBounds);
    CHECK(f.trap("call64", {i64((uint64_t(1) << 32) + 3)}) == TrapCode::UndefinedElement);
  }
}
