// Memory and table instructions: bounds at the last byte, growth, bulk operations.
#include "interp_test_util.h"

using namespace tern;
using tern::test::Fixture;

namespace {
const char* kMemory = R"((module
  (memory 1 3)
  (func (export "load64") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "load8_offset") (param i32) (result i32) (i32.load8_u offset=65535 (local.get 0)))
  (func (export "store16") (param i32 i32) (i32.store16 (local.get 0) (local.get 1)))
  (func (export "load16_s") (param i32) (result i32) (i32.load16_s (local.get 0)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "load_after_grow") (result i32)
    (drop (memory.grow (i32.const 1)))
    (i32.store (i32.const 70000) (i32.const 42))
    (i32.load (i32.const 70000))))
)";
}  // namespace

TEST_CASE("loads and stores trap exactly past the last byte", "[interp][memory]") {
  Fixture f(kMemory);
  CHECK(f.value("load64", {Value::i32(65528)}).i64() == 0);
  CHECK(f.trap("load64", {Value::i32(65529)}) == TrapCode::MemoryOutOfBounds);
  CHECK(f.trap("load64", {Value::i32(-1)}) == TrapCode::MemoryOutOfBounds);
  CHECK(f.value("load8_offset", {Value::i32(0)}).i32() == 0);
  // The effective address is u32 base + offset: no 32-bit wrap-around.
  CHECK(f.trap("load8_offset", {Value::i32(1)}) == TrapCode::MemoryOutOfBounds);
  CHECK(f.trap("load8_offset", {Value::i32(-1)}) == TrapCode::MemoryOutOfBounds);
  REQUIRE(f.call("store16", {Value::i32(65534), Value::i32(0x18000)}));
  CHECK(f.value("load16_s", {Value::i32(65534)}).i32() == -32768);
  CHECK(f.trap("store16", {Value::i32(65535), Value::i32(1)}) == TrapCode::MemoryOutOfBounds);
}

TEST_CASE("memory.grow respects the maximum and accesses see the new size", "[interp][memory]") {
  Fixture f(kMemory);
  CHECK(f.trap("load64", {Value::i32(65536)}) == TrapCode::MemoryOutOfBounds);
  CHECK(f.value("load_after_grow").i32() == 42);
  CHECK(f.value("size").i32() == 2);
  CHECK(f.value("grow", {Value::i32(2)}).i32() == -1);
  CHECK(f.value("grow", {Value::i32(1)}).i32() == 2);
  CHECK(f.value("size").i32() == 3);
  CHECK(f.value("load64", {Value::i32(3 * 65536 - 8)}).i64() == 0);
}

TEST_CASE("memory.copy handles overlap / bulk ops check bounds first", "[interp][memory]") {
  Fixture f(kMemory);
  for (int i = 0; i < 8; ++i) REQUIRE(f.call("store16", {Value::i32(2 * i), Value::i32(i + 1)}));
  REQUIRE(f.call("copy", {Value::i32(2), Value::i32(0), Value::i32(8)}));  // forward overlap
  CHECK(f.value("load16_s", {Value::i32(2)}).i32() == 1);
  CHECK(f.value("load16_s", {Value::i32(8)}).i32() == 4);
  REQUIRE(f.call("copy", {Value::i32(0), Value::i32(4), Value::i32(8)}));  // backward overlap
  CHECK(f.value("load16_s", {Value::i32(0)}).i32() == 2);
  CHECK(f.trap("copy", {Value::i32(65530), Value::i32(0), Value::i32(7)}) ==
        TrapCode::MemoryOutOfBounds);
  REQUIRE(f.call("fill", {Value::i32(65535), Value::i32(0x1FF), Value::i32(1)}));
  CHECK(f.value("load8_offset", {Value::i32(0)}).i32() == 0xFF);
  CHECK(f.trap("fill", {Value::i32(65535), Value::i32(0), Value::i32(2)}) ==
        TrapCode::MemoryOutOfBounds);
  REQUIRE(f.call("fill", {Value::i32(65536), Value::i32(0), Value::i32(0)}));  // n = 0 at the end
}

TEST_CASE("call_indirect traps and table instructions", "[interp][table]") {
  Fixture f(R"((module
    (type $ii (func (param i32) (result i32)))
    (table $t 4 8 funcref)
    (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
    (func $nop)
    (elem (table $t) (i32.const 0) func $inc $nop)
    (func (export "dispatch") (param i32 i32) (result i32)
      (call_indirect $t (type $ii) (local.get 1) (local.get 0)))
    (func (export "grow") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0)))
    (func (export "size") (result i32) (table.size $t))
    (func (export "is_null") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
    (func (export "set2") (table.set $t (i32.const 2) (ref.func $inc)))
    (func (export "fill") (param i32 i32)
      (table.fill $t (local.get 0) (ref.func $inc) (local.get 1)))))");
  CHECK(f.value("dispatch", {Value::i32(0), Value::i32(41)}).i32() == 42);
  CHECK(f.trap("dispatch", {Value::i32(1), Value::i32(0)}) == TrapCode::IndirectCallTypeMismatch);
  CHECK(f.trap("dispatch", {Value::i32(2), Value::i32(0)}) == TrapCode::UninitializedElement);
  CHECK(f.trap("dispatch", {Value::i32(4), Value::i32(0)}) == TrapCode::UndefinedElement);
  CHECK(f.value("is_null", {Value::i32(2)}).i32() == 1);
  REQUIRE(f.call("set2"));
  CHECK(f.value("dispatch", {Value::i32(2), Value::i32(1)}).i32() == 2);
  CHECK(f.trap("is_null", {Value::i32(4)}) == TrapCode::TableOutOfBounds);
  CHECK(f.value("grow", {Value::i32(2)}).i32() == 4);
  CHECK(f.value("size").i32() == 6);
  CHECK(f.value("grow", {Value::i32(3)}).i32() == -1);
  CHECK(f.trap("fill", {Value::i32(5), Value::i32(2)}) == TrapCode::TableOutOfBounds);
  REQUIRE(f.call("fill", {Value::i32(4), Value::i32(2)}));
  CHECK(f.value("dispatch", {Value::i32(5), Value::i32(9)}).i32() == 10);
}

TEST_CASE("an i32.add folded into a load or store address still wraps to 32 bits",
          "[interp][memory]") {
  // The lowering fuses `i32.add` into the access that uses it; the sum must wrap before the
  // offset is added, exactly as the separate add would.
  Fixture f(R"((module
    (memory 1)
    (func (export "load_ss") (param i32 i32) (result i32)
      (i32.load8_u offset=2 (i32.add (local.get 0) (local.get 1))))
    (func (export "load_si") (param i32) (result i64)
      (i64.load offset=8 (i32.add (local.get 0) (i32.const -16))))
    (func (export "store_ss") (param i32 i32 i32)
      (i32.store16 offset=1 (i32.add (local.get 0) (local.get 1)) (local.get 2)))
    (func (export "store_si_const") (param i32)
      (i64.store (i32.add (local.get 0) (i32.const 8)) (i64.const 0x0102030405060708)))
    (func (export "store_index_computed") (param i32 i32)
      ;; The add's index is a stack temporary in the slot the stored constant lives in.
      (i32.store (i32.add (local.get 0) (i32.mul (local.get 1) (i32.const 4))) (i32.const 77)))
    (func (export "store_constant_first") (param i32)
      ;; The constant addend comes first, so the add reads its index from the slot above it,
      ;; the slot the stored constant then takes.
      (f32.store (i32.add (i32.const 24) (i32.mul (local.get 0) (i32.const 4))) (f32.const 1.5)))
    (func (export "load32") (param i32) (result i32) (i32.load (local.get 0)))
    (func (export "load64") (param i32) (result i64) (i64.load (local.get 0)))
  ))");
  REQUIRE(f.call("store_ss", {Value::i32(-1), Value::i32(5), Value::i32(0xABCD)}));  // 4+1
  CHECK(f.value("load_ss", {Value::i32(-2), Value::i32(5)}).i32() == 0xCD);          // 3+2
  CHECK(f.value("load_ss", {Value::i32(4), Value::i32(0)}).i32() == 0xAB);
  CHECK(f.trap("load_ss", {Value::i32(65534), Value::i32(0)}) == TrapCode::MemoryOutOfBounds);
  REQUIRE(f.call("store_si_const", {Value::i32(-8)}));  // address 0
  CHECK(f.value("load64", {Value::i32(0)}).i64() == 0x0102030405060708);
  REQUIRE(f.call("store_si_const", {Value::i32(0)}));                       // address 8
  CHECK(f.value("load_si", {Value::i32(16)}).i64() == 0x0102030405060708);  // 16-16 wraps to 0
  // 8-16 wraps to 2^32-8; the offset then reaches past 2^32, which is out of bounds.
  CHECK(f.trap("load_si", {Value::i32(8)}) == TrapCode::MemoryOutOfBounds);
  CHECK(f.trap("store_si_const", {Value::i32(65528)}) == TrapCode::MemoryOutOfBounds);
  REQUIRE(f.call("store_index_computed", {Value::i32(100), Value::i32(3)}));
  CHECK(f.value("load32", {Value::i32(112)}).i32() == 77);
  REQUIRE(f.call("store_constant_first", {Value::i32(2)}));  // 24 + 8
  CHECK(f.value("load32", {Value::i32(32)}).i32() == 0x3FC00000);
}
