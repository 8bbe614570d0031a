// Multi-memory: several memories, the memarg's memory index, memory.size/grow/fill/copy/init on
// any memory and memory.copy between two, data segments, exports and imports of each.
#include "tests/memories/memories_test_util.h"

using namespace tern;
using test::MemoriesFixture;

namespace {

constexpr const char* kTwoMemories = R"((module
  (memory $a (export "a") 1)
  (memory $b (export "b") 2 3)
  (data (memory $b) (i32.const 8) "\2a")
  (data $text "xyz")
  (func (export "load_a") (param i32) (result i32) (i32.load $a (local.get 0)))
  (func (export "load_b") (param i32) (result i32) (i32.load8_u $b (local.get 0)))
  (func (export "store_a") (param i32 i32) (i32.store $a (local.get 0) (local.get 1)))
  (func (export "store_b") (param i32 i32) (i32.store8 1 offset=1 (local.get 0) (local.get 1)))
  (func (export "size_b") (result i32) (memory.size $b))
  (func (export "grow_b") (param i32) (result i32) (memory.grow $b (local.get 0)))
  (func (export "copy_a_to_b") (param i32 i32 i32)
    (memory.copy $b $a (local.get 0) (local.get 1) (local.get 2)))
  (func (export "fill_b") (param i32 i32 i32)
    (memory.fill $b (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init_b") (param i32) (memory.init $b $text (local.get 0) (i32.const 0) (i32.const 3)))
))";

}  // namespace

TEST_CASE("each memory has its own contents, size and bounds", "[memories][multi-memory]") {
  for (const test::TierCase& tc : test::running_tiers()) {
    INFO(tc.name);
    MemoriesFixture f(tc.config, kTwoMemories);
    CHECK(f.value("load_b", {Value::i32(8)}).i32() == 42);  // the data segment went to $b
    CHECK(f.value("load_a", {Value::i32(8)}).i32() == 0);
    REQUIRE(f.call("store_a", {Value::i32(0), Value::i32(0x04030201)}));
    CHECK(f.value("load_b", {Value::i32(0)}).i32() == 0);
    REQUIRE(f.call("store_b", {Value::i32(99), Value::i32(7)}));  // memory index 1, offset 1
    CHECK(f.value("load_b", {Value::i32(100)}).i32() == 7);
    CHECK(f.memory("b").data()[100] == 7);
    CHECK(f.memory("a").data()[100] == 0);
    // $a has one page, $b two: the same address is out of bounds in one only.
    CHECK(f.trap("load_a", {Value::i32(65536)}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.value("load_b", {Value::i32(65536)}).i32() == 0);
    CHECK(f.trap("load_b", {Value::i32(2 * 65536)}) == TrapCode::MemoryOutOfBounds);
    CHECK(f.trap("store_b", {Value::i32(2 * 65536 - 1), Value::i32(1)}) ==
          TrapCode::MemoryOutOfBounds);
  }
}

TEST_CASE("memory.size, grow, copy, fill and init name their memory", "[memories][multi-memory]") {
  for (const test::TierCase& tc : test::running_tiers()) {
    INFO(tc.name);
    MemoriesFixture f(tc.config, kTwoMemories);
    CHECK(f.value("size_b").i32() == 2);
    CHECK(f.value("grow_b", {Value::i32(1)}).i32() == 2);
    CHECK(f.value("grow_b", {Value::i32(1)}).i32() == -1);  // $b's maximum is 3
    CHECK(f.memory("b").pages() == 3);
    CHECK(f.memory("a").pages() == 1);
    CHECK(f.value("load_b", {Value::i32(3 * 65536 - 1)}).i32() == 0);

    REQUIRE(f.call("store_a", {Value::i32(0), Value::i32(0x04030201)}));
    REQUIRE(f.call("copy_a_to_b", {Value::i32(1000), Value::i32(0), Value::i32(4)}));
    CHECK(f.value("load_b", {Value::i32(1000)}).i32() == 1);
    CHECK(f.value("load_b", {Value::i32(1003)}).i32() == 4);
    // Bounds of each side are its own memory's: $a's source is past its one page.
    CHECK(f.trap("copy_a_to_b", {Value::i32(0), Value::i32(65535), Value::i32(2)}) ==
          TrapCode::MemoryOutOfBounds);
    CHECK(f.call("copy_a_to_b", {Value::i32(3 * 65536 - 2), Value::i32(0), Value::i32(2)}));
    CHECK(f.value("load_b", {Value::i32(3 * 65536 - 1)}).i32() == 2);

    REQUIRE(f.call("fill_b", {Value::i32(70000), Value::i32(9), Value::i32(3)}));
    CHECK(f.value("load_b", {Value::i32(70002)}).i32() == 9);
    CHECK(f.value("load_a", {Value::i32(0)}).i32() == 0x04030201);  // $a untouched
    REQUIRE(f.call("init_b", {Value::i32(500)}));
    CHECK(f.value("load_b", {Value::i32(502)}).i32() == 'z');
  }
}

TEST_CASE("imported and defined memories share one index space", "[memories][multi-memory]") {
  for (const test::TierCase& tc : test::running_tiers()) {
    INFO(tc.name);
    Engine engine(tc.config);
    Store store(engine);
    Memory imported = Memory::create(store, MemoryType{Limits{1, std::nullopt}}).value();
    imported.data()[16] = 5;
    Module module = test::must_compile(engine, R"((module
      (memory (import "env" "mem") 1)
      (memory $own 1)
      (func (export "sum") (result i32)
        (i32.store8 $own (i32.const 16) (i32.const 6))
        (i32.add (i32.load8_u 0 (i32.const 16)) (i32.load8_u $own (i32.const 16))))))");
    Linker linker;
    linker.define("env", "mem", imported);
    auto inst = linker.instantiate(store, module);
    REQUIRE(inst.ok());
    auto sum = inst->get_func("sum")->call(store, {});
    REQUIRE(sum.ok());
    CHECK((*sum)[0].i32() == 11);
    CHECK(imported.data()[16] == 5);  // the store went to the defined memory
  }
}

TEST_CASE("with multi-memory off, a second memory is the 2.0 error", "[memories][multi-memory]") {
  Config config;
  config.features = WasmFeatures::wasm20();
  Engine engine(config);
  auto second = test::compile_wat(engine, "(module (memory 0) (memory 0))");
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().kind == ErrorKind::Invalid);
  CHECK(second.error().message.find("multiple memories") != std::string::npos);
  CHECK(second.error().message.find("-W multi-memory") != std::string::npos);
  // Memarg flag bit 6 (a memory index follows) stays malformed, as in 2.0.
  constexpr const char* kLoadWithIndex =
      R"((module binary "\00asm\01\00\00\00" "\01\04\01\60\00\00" "\03\02\01\00"
         "\05\03\01\00\01" "\0a\0b\01\09\00\41\00\28\40\00\00\1a\0b"))";
  auto flagged = test::compile_wat(engine, kLoadWithIndex);
  REQUIRE_FALSE(flagged.ok());
  CHECK(flagged.error().kind == ErrorKind::Malformed);
  // The same bytes are valid with multi-memory: an i32.load naming memory 0 explicitly.
  Engine wasm30;
  CHECK(test::compile_wat(wasm30, kLoadWithIndex).ok());
}

TEST_CASE("ModuleLimits::memories bounds imported and defined memories", "[memories][limits]") {
  Config config;
  config.module_limits.memories = 2;
  Engine engine(config);
  CHECK(test::compile_wat(engine, "(module (memory 0) (memory 0))").ok());
  auto three =
      test::compile_wat(engine, R"((module (memory (import "a" "b") 0) (memory 0) (memory 0)))");
  REQUIRE_FALSE(three.ok());
  CHECK(three.error().kind == ErrorKind::Limit);
  CHECK(three.error().message.find("ModuleLimits::memories") != std::string::npos);
}

TEST_CASE("a lone number before a lane index is the lane, and two name the memory first",
          "[memories][multi-memory]") {
  // Memory 0 holds 0x11 at address 0, memory 1 holds 0x22: each function loads byte 0 into a
  // lane and returns that lane, so the result tells which memory and which lane were read.
  constexpr const char* kLanes = R"((module
    (memory 1) (memory 1)
    (data (memory 0) (i32.const 0) "\11")
    (data (memory 1) (i32.const 0) "\22")
    (func (export "lane_only") (result i32)
      (i8x16.extract_lane_u 1 (v128.load8_lane 1 (i32.const 0) (v128.const i64x2 0 0))))
    (func (export "memory_then_lane") (result i32)
      (i8x16.extract_lane_u 0 (v128.load8_lane 1 0 (i32.const 0) (v128.const i64x2 0 0))))))";
  for (const char* tier : {"interp", "auto"}) {
    INFO(tier);
    Config config;
    config.tier = std::string_view(tier) == "interp" ? Tier::Interp : Tier::Auto;
    test::MemoriesFixture f(config, kLanes);
    CHECK(f.value("lane_only").i32() == 0x11);         // lane 1 of memory 0
    CHECK(f.value("memory_then_lane").i32() == 0x22);  // lane 0 of memory 1
  }
}
