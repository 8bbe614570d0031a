// Memory64: i64 memories (64-bit addresses and offsets, exact bounds checks where address plus
// offset passes 2^64, memory.size/grow and bulk operations on i64 operands) and i64 tables.
#include "tests/memories/memories_test_util.h"

using namespace tern;
using test::MemoriesFixture;

namespace {

constexpr const char* kMemory64 = R"((module
  (memory (export "mem") i64 1 2)
  (func (export "load") (param i64) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load32") (param i64) (result i32) (i32.load (local.get 0)))
  (func (export "load_max_offset") (param i64) (result i32)
    (i32.load8_u offset=0xFFFFFFFFFFFFFFFF (local.get 0)))
  (func (export "load_big_offset") (param i64) (result i32)
    (i32.load8_u offset=0x100000000 (local.get 0)))
  (func (export "store") (param i64 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "size") (result i64) (memory.size))
  (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
  (func (export "fill") (param i64 i32 i64) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i64 i64 i64) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
))";

constexpr const char* kTable64 = R"((module
  (type $ret (func (result i32)))
  (table $t (export "t") i64 2 funcref)
  (func $seven (result i32) (i32.const 7))
  (elem (table $t) (i64.const 1) func $seven)
  (func (export "call") (param i64) (result i32) (call_indirect $t (type $ret) (local.get 0)))
  (func (export "size") (result i64) (table.size $t))
  (func (export "grow") (param i64) (result i64) (table.grow $t (ref.null func) (local.get 0)))
  (func (export "is_null") (param i64) (result i32) (ref.is_null (table.get $t (local.get 0))))
  (func (export "fill") (param i64 i64) (table.fill $t (local.get 0) (ref.null func) (local.get 1)))
))";

Value i64(uint64_t v) {
  return Value::i64(int64_t(v));
}

}  // namespace

TEST_CASE("64-bit addresses are bounds-checked exactly", "[memories][memory64]") {
  for (const test::TierCase& tc : test::running_tiers()) {
    INFO(tc.name);
    MemoriesFixture f(tc.config, kMemory64);
    REQUIRE(f.call("store", {i64(65535), Value::i32(7)}));
    CHECK(f.value("load", {i64(65535)}).i32() == 7);
    CHECK(f.memory("mem").data()[65535] == 7);
    CHECK(f.trap("load", {i64(65536)}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.trap("load32", {i64(65533)}) == TrapCode::MemoryOutOfBounds);
    // High address bits count: no truncation to 32 bits.
    CHECK(f.trap("load", {i64(0x100000000)}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.trap("load", {i64(UINT64_MAX)}) == TrapCode::MemoryOutOfBounds);
    // Address plus offset past 2^64 traps rather than wrapping to a small address.
    CHECK(f.trap("load_max_offset", {i64(0)}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.trap("load_max_offset", {i64(1)}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.trap("load_max_offset", {i64(65536)}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.trap("load_big_offset", {i64(0)}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.trap("load_big_offset", {i64(uint64_t(0) - 0x100000000)}) ==
          TrapCode::MemoryOutOfBounds);
  }
}

TEST_CASE("memory.size and memory.grow take and give i64", "[memories][memory64]") {
  for (const test::TierCase& tc : test::running_tiers()) {
    INFO(tc.name);
    MemoriesFixture f(tc.config, kMemory64);
    CHECK(f.value("size").type() == ValType::I64);
    CHECK(f.value("size").i64() == 1);
    CHECK(f.value("grow", {i64(uint64_t(1) << 40)}).i64() == -1);
    CHECK(f.value("grow", {i64(1)}).i64() == 1);
    CHECK(f.value("grow", {i64(1)}).i64() == -1);  // the maximum is 2
    CHECK(f.value("size").i64() == 2);
    CHECK(f.value("load", {i64(2 * 65536 - 1)}).i32() == 0);
    CHECK(f.memory("mem").type().addr == AddrType::I64);
  }
}

TEST_CASE("bulk memory operations take i64 operands", "[memories][memory64]") {
  for (const test::TierCase& tc : test::running_tiers()) {
    INFO(tc.name);
    MemoriesFixture f(tc.config, kMemory64);
    REQUIRE(f.call("fill", {i64(10), Value::i32(3), i64(5)}));
    CHECK(f.value("load", {i64(14)}).i32() == 3);
    CHECK(f.value("load", {i64(15)}).i32() == 0);
    REQUIRE(f.call("copy", {i64(100), i64(10), i64(5)}));
    CHECK(f.value("load", {i64(104)}).i32() == 3);
    // d + n wraps past 2^64: out of bounds, and nothing written.
    CHECK(f.trap("fill", {i64(16), Value::i32(1), i64(UINT64_MAX)}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.value("load", {i64(16)}).i32() == 0);
    CHECK(f.trap("copy", {i64(0), i64(UINT64_MAX), i64(2)}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.trap("fill", {i64(0x100000000), Value::i32(1), i64(0)}) == TrapCode::MemoryOutOfBounds);
  }
}

TEST_CASE("i64 tables: call_indirect, get, size, grow and fill", "[memories][memory64]") {
  for (const test::TierCase& tc : test::running_tiers()) {
    INFO(tc.name);
    MemoriesFixture f(tc.config, kTable64);
    CHECK(f.value("call", {i64(1)}).i32() == 7);
    CHECK(f.trap("call", {i64(0)}) == TrapCode::UninitializedElement);
    CHECK(f.trap("call", {i64(0x100000001)}) == TrapCode::UndefinedElement);
    CHECK(f.value("is_null", {i64(0)}).i32() == 1);
    CHECK(f.trap("is_null", {i64(0x100000000)}) == TrapCode::TableOutOfBounds);
    CHECK(f.value("size").i64() == 2);
    CHECK(f.value("grow", {i64(3)}).i64() == 2);
    CHECK(f.value("size").i64() == 5);
    CHECK(f.value("grow", {i64(UINT64_MAX)}).i64() == -1);
    CHECK(f.trap("fill", {i64(4), i64(UINT64_MAX)}) == TrapCode::TableOutOfBounds);
    REQUIRE(f.call("fill", {i64(0), i64(5)}));
    CHECK(f.trap("call", {i64(1)}) == TrapCode::UninitializedElement);
    CHECK(f.table("t").type().addr == AddrType::I64);
  }
}

TEST_CASE("with memory64 off, the address type flag names the proposal", "[memories][memory64]") {
  Config config;
  config.features = WasmFeatures::wasm20();
  Engine engine(config);
  auto m = test::compile_wat(engine, "(module (memory i64 1))");
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().kind == ErrorKind::Malformed);
  CHECK(m.error().message.find("-W memory64") != std::string::npos);
}

TEST_CASE("validation types addresses by the memory's address type", "[memories][memory64]") {
  Engine engine;
  // An i32 address on an i64 memory, and the reverse.
  auto wrong =
      test::compile_wat(engine, "(module (memory i64 1) (func (drop (i32.load (i32.const 0)))))");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().message == "type mismatch");
  CHECK_FALSE(
      test::compile_wat(engine, "(module (memory 1) (func (drop (i32.load (i64.const 0)))))").ok());
  // memory.copy between an i32 and an i64 memory: the length is i32.
  CHECK(test::compile_wat(engine, R"((module (memory $a 1) (memory $b i64 1)
    (func (memory.copy $b $a (i64.const 0) (i32.const 0) (i32.const 1)))))")
            .ok());
  // A 32-bit memory's offset must fit in 32 bits (a binary u64 offset of 2^32).
  auto offset = test::compile_wat(
      engine, R"((module binary "\00asm\01\00\00\00" "\01\04\01\60\00\00" "\03\02\01\00"
                 "\05\03\01\00\01" "\0a\0e\01\0c\00\41\00\28\00\80\80\80\80\10\1a\0b"))");
  REQUIRE_FALSE(offset.ok());
  CHECK(offset.error().kind == ErrorKind::Invalid);
  CHECK(offset.error().message == "offset out of range");
}
