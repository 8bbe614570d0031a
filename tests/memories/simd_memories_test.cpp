// v128 loads and stores on memories other than a 32-bit memory 0: a second memory and a 64-bit
// one, every access shape (full, extending, splat, zero-extending, lane), and their bounds, on
// every tier.
#include "tests/memories/memories_test_util.h"

using namespace tern;
using test::MemoriesFixture;

namespace {

// Memory 0 is a 32-bit memory the accesses must not touch; $b (index 1) is 32-bit and $c
// (index 2) 64-bit, one page each. Results come back as the two i64 lanes summed with a
// rotation, so that a lane in the wrong place shows.
constexpr const char* kSimdMemories = R"((module
  (memory $a (export "a") 1)
  (memory $b (export "b") 1)
  (memory $c (export "c") i64 1)
  (data (memory $b) (i32.const 0) "\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10\ff\fe")
  (data (memory $c) (i64.const 0) "\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10\ff\fe")
  (func $fold (param v128) (result i64)
    (i64.add (i64x2.extract_lane 0 (local.get 0))
             (i64.rotl (i64x2.extract_lane 1 (local.get 0)) (i64.const 32))))
  (func (export "load_b") (param i32) (result i64) (call $fold (v128.load $b (local.get 0))))
  (func (export "load_c") (param i64) (result i64)
    (call $fold (v128.load $c offset=1 (local.get 0))))
  (func (export "extend_c") (param i64) (result i64)
    (call $fold (v128.load8x8_s $c (local.get 0))))
  (func (export "splat_b") (param i32) (result i64) (call $fold (v128.load32_splat $b (local.get 0))))
  (func (export "zero_c") (param i64) (result i64) (call $fold (v128.load64_zero $c (local.get 0))))
  (func (export "lane_c") (param i64) (result i64)
    (call $fold (v128.load16_lane $c 7 (local.get 0) (v128.const i64x2 0 0))))
  (func (export "store_b") (param i32)
    (v128.store $b (local.get 0) (v128.const i8x16 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1)))
  (func (export "store_lane_c") (param i64)
    (v128.store32_lane $c 2 (local.get 0) (v128.const i32x4 1 2 0x11223344 4)))
  (func (export "byte_b") (param i32) (result i32) (i32.load8_u $b (local.get 0)))
  (func (export "word_c") (param i64) (result i32) (i32.load $c (local.get 0)))
))";

// The fold of a v128 given as its two i64 lanes.
int64_t fold(uint64_t lo, uint64_t hi) {
  return int64_t(lo + ((hi << 32) | (hi >> 32)));
}

// Every tier, and Auto (the JIT where the host compiles these ops, else the interpreter).
std::vector<test::TierCase> simd_tiers() {
  std::vector<test::TierCase> tiers = test::tier_cases();
  tiers.push_back({"auto", Config{.tier = Tier::Auto}});
  return tiers;
}

}  // namespace

TEST_CASE("v128 accesses reach a second memory and a 64-bit one", "[memories][simd]") {
  for (const test::TierCase& tc : simd_tiers()) {
    INFO(tc.name);
    MemoriesFixture f(tc.config, kSimdMemories);
    CHECK(f.value("load_b", {Value::i32(0)}).i64() == fold(0x0807060504030201, 0x100f0e0d0c0b0a09));
    CHECK(f.value("load_c", {Value::i64(0)}).i64() == fold(0x0908070605040302, 0xff100f0e0d0c0b0a));
    // Bytes 0x01..0x08 sign-extended to i16 lanes: all positive.
    CHECK(f.value("extend_c", {Value::i64(0)}).i64() ==
          fold(0x0004000300020001, 0x0008000700060005));
    CHECK(f.value("splat_b", {Value::i32(12)}).i64() ==
          fold(0x100f0e0d100f0e0d, 0x100f0e0d100f0e0d));
    CHECK(f.value("zero_c", {Value::i64(8)}).i64() == fold(0x100f0e0d0c0b0a09, 0));
    CHECK(f.value("lane_c", {Value::i64(16)}).i64() == fold(0, 0xfeff000000000000));
    REQUIRE(f.call("store_b", {Value::i32(100)}));
    CHECK(f.value("byte_b", {Value::i32(115)}).i32() == 0xff);
    CHECK(f.value("byte_b", {Value::i32(116)}).i32() == 0);
    CHECK(f.memory("a").data()[100] == 0);  // memory 0 untouched
    REQUIRE(f.call("store_lane_c", {Value::i64(200)}));
    CHECK(f.value("word_c", {Value::i64(200)}).i32() == 0x11223344);
  }
}

TEST_CASE("v128 accesses on other memories trap exactly at their bounds", "[memories][simd]") {
  constexpr int64_t kPage = 65536;
  for (const test::TierCase& tc : simd_tiers()) {
    INFO(tc.name);
    MemoriesFixture f(tc.config, kSimdMemories);
    CHECK(f.value("load_b", {Value::i32(int32_t(kPage - 16))}).i64() == 0);
    CHECK(f.trap("load_b", {Value::i32(int32_t(kPage - 15))}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.trap("store_b", {Value::i32(int32_t(kPage - 8))}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.value("byte_b", {Value::i32(int32_t(kPage - 8))}).i32() == 0);  // nothing written
    // load_c adds offset=1: the last whole access starts at kPage - 17.
    CHECK(f.value("load_c", {Value::i64(kPage - 17)}).i64() == 0);
    CHECK(f.trap("load_c", {Value::i64(kPage - 16)}) == TrapCode::MemoryOutOfBounds);
    // 64-bit addresses far past the memory, and an address plus offset that wraps past 2^64.
    CHECK(f.trap("load_c", {Value::i64(int64_t(1) << 32)}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.trap("load_c", {Value::i64(-1)}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.trap("lane_c", {Value::i64(kPage - 1)}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.value("lane_c", {Value::i64(kPage - 2)}).i64() == 0);
    CHECK(f.trap("store_lane_c", {Value::i64(kPage - 3)}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.trap("zero_c", {Value::i64(-8)}) == TrapCode::MemoryOutOfBounds);
  }
}
