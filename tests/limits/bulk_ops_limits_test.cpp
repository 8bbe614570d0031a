// Bulk memory and table operations under deadlines and fuel (issue 18, defect 3), on every tier:
// an interrupt stops a 4 GiB memory.fill and a loop of 1 GiB memory.copy part-way, fuel is
// charged in proportion to the length (engine/runtime/bulk_ops.h: one unit per kBytesPerFuel
// bytes, per kElemsPerFuel elements) and runs out part-way, and chunked copies that overlap
// still move every byte and element where the spec says.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "engine/runtime/bulk_ops.h"
#include "tests/limits/limits_harness.h"

using namespace tern;
using namespace tern::limits_testing;

namespace {

struct TierCase {
  const char* name;
  Tier tier;
  bool lazy;
};
constexpr TierCase kTierCases[] = {
    {"interp", Tier::Interp, false}, {"jit", Tier::Jit, false}, {"jit-lazy", Tier::Jit, true}};

Config config_for(const TierCase& tc, bool metered) {
  Config config;
  config.lazy_compile = tc.lazy;
  config.consume_fuel = metered;
  return config;
}

std::string reproducer(const std::string& name) {
  std::ifstream in(std::string(TERN_SOURCE_DIR) + "/tests/limits/bulk/" + name);
  if (!in) throw std::runtime_error("cannot read reproducer " + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

constexpr uint64_t kMiB = uint64_t(1) << 20;
constexpr uint64_t kPlenty = uint64_t(1) << 40;

// Far beyond the latency of an interrupt (a chunk is well under a millisecond even under ASan);
// only an interrupt that waits for the whole operation can reach it.
constexpr auto kBound = std::chrono::seconds(3);

// Calls `name` and interrupts it from another thread once `started` holds (polled every
// millisecond; never waiting past kStartWait) and at least 100 ms have passed: the call must
// trap soon after. Waiting for a sign of progress keeps a slow start on a loaded machine from
// turning into an interrupt delivered before the operation began.
constexpr auto kStartWait = std::chrono::seconds(30);
void check_interrupted_within_bound(
    Setup& s, const std::string& name, std::vector<Value> args,
    std::function<bool()> started = [] { return true; }) {
  std::chrono::steady_clock::time_point interrupted_at;
  std::thread interrupter([&] {
    const auto begin = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    while (!started() && std::chrono::steady_clock::now() - begin < kStartWait)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    interrupted_at = std::chrono::steady_clock::now();
    s.store().interrupt();
  });
  auto r = s.call(name, std::move(args));
  auto returned_at = std::chrono::steady_clock::now();
  interrupter.join();
  REQUIRE(trap_of(r) == TrapCode::Interrupted);
  CHECK(r.error().trap->message == "interrupted");
  CHECK(returned_at - interrupted_at < kBound);
}

// Every bulk operation with its operands as parameters. Fresh memory is zero, so what a fill
// wrote shows.
const char* const kMemoryOps = R"((module
  (memory (export "memory") 65536)
  (data $d ")"
                               "\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab"
                               "\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab"
                               "\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab"
                               "\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab"
                               "\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab"
                               "\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab"
                               "\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab"
                               "\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab\\ab"
                               R"(")
  (func (export "fill") (param i32 i32 i32)
    (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy") (param i32 i32 i32)
    (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init") (param i32 i32 i32)
    (memory.init $d (local.get 0) (local.get 1) (local.get 2))))
)";
constexpr uint32_t kDataBytes = 128;

// A table of 1M elements, two functions to tell elements apart by calling them.
const char* const kTableOps = R"((module
  (type $which (func (result i32)))
  (table $t (export "table") 1048576 funcref)
  (func $a (type $which) (i32.const 1))
  (func $b (type $which) (i32.const 2))
  (elem $e func $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b
                $a $b $a $b $a $b $a $b $a $b $a $b $a $b $a $b)
  (func (export "fill_a") (param i32 i32) (table.fill $t (local.get 0) (ref.func $a) (local.get 1)))
  (func (export "fill_b") (param i32 i32) (table.fill $t (local.get 0) (ref.func $b) (local.get 1)))
  (func (export "copy") (param i32 i32 i32)
    (table.copy $t $t (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init") (param i32 i32 i32)
    (table.init $t $e (local.get 0) (local.get 1) (local.get 2)))
  ;; 1 for $a, 2 for $b; a null element traps.
  (func (export "which") (param i32) (result i32) (call_indirect (type $which) (local.get 0))))
)";
constexpr uint32_t kSegmentElems = 32;

std::vector<Value> i32s(std::initializer_list<uint64_t> values) {
  std::vector<Value> out;
  for (uint64_t v : values) out.push_back(Value::i32(int32_t(uint32_t(v))));
  return out;
}

// The fuel one call consumes, starting from plenty.
uint64_t fuel_used(Setup& s, const std::string& name, std::vector<Value> args) {
  s.store().set_fuel(kPlenty);
  auto r = s.call(name, std::move(args));
  if (!r) FAIL(name << ": " << r.error().to_string());
  return kPlenty - *s.store().fuel();
}

uint8_t* memory_of(Setup& s) {
  return s.instance().get_memory("memory")->data();
}

}  // namespace

TEST_CASE("an interrupt stops one 4 GiB memory.fill part-way") {
  for (const TierCase& tc : kTierCases) {
    INFO(tc.name);
    Setup s(tc.tier, reproducer("fill_4gib.wat"), config_for(tc, false));
    uint8_t* mem = memory_of(s);
    // The guest writes the byte as we poll it: an atomic read, so the poll is not a data race.
    check_interrupted_within_bound(s, "_start", {},
                                   [mem] { return __atomic_load_n(mem, __ATOMIC_RELAXED) != 0; });
    // What was written stays written; the end was never reached.
    CHECK(mem[0] == 0xab);
    CHECK(mem[0xfffffffe] == 0);
  }
}

TEST_CASE("an interrupt stops a loop of 1 GiB memory.copy within one chunk") {
  for (const TierCase& tc : kTierCases) {
    INFO(tc.name);
    Setup s(tc.tier, reproducer("copy_loop.wat"), config_for(tc, false));
    check_interrupted_within_bound(s, "_start", {});
  }
}

TEST_CASE("an interrupt of a bulk operation is delivered once: the store runs again") {
  for (const TierCase& tc : kTierCases) {
    INFO(tc.name);
    Setup s(tc.tier, kMemoryOps, config_for(tc, false));
    check_interrupted_within_bound(s, "fill", i32s({0, 0xab, 0xffffffff}));
    REQUIRE(s.call("fill", i32s({0, 0xcd, 2 * rt::kBulkChunkBytes})));
    CHECK(memory_of(s)[2 * rt::kBulkChunkBytes - 1] == 0xcd);
  }
}

TEST_CASE("memory.fill / memory.copy and memory.init cost fuel in proportion to their length") {
  for (const TierCase& tc : kTierCases) {
    INFO(tc.name);
    Setup s(tc.tier, kMemoryOps, config_for(tc, true));
    // What each function costs without the bytes: its instructions.
    const uint64_t fill = fuel_used(s, "fill", i32s({0, 1, 0}));
    const uint64_t copy = fuel_used(s, "copy", i32s({0, 0, 0}));
    const uint64_t init = fuel_used(s, "init", i32s({0, 0, 0}));
    for (uint64_t len : {uint64_t(1), uint64_t(63), uint64_t(64), uint64_t(4097), 3 * kMiB + 100}) {
      INFO("length " << len);
      const uint64_t bytes_cost = len / rt::kBytesPerFuel;
      CHECK(fuel_used(s, "fill", i32s({0, 1, len})) == fill + bytes_cost);
      CHECK(fuel_used(s, "copy", i32s({8 * kMiB, 0, len})) == copy + bytes_cost);
      CHECK(fuel_used(s, "copy", i32s({1, 0, len})) == copy + bytes_cost);  // overlapping, up
      if (len <= kDataBytes) CHECK(fuel_used(s, "init", i32s({0, 0, len})) == init + bytes_cost);
    }
    // A spec trap costs only the instructions: the bounds are checked before any work.
    s.store().set_fuel(kPlenty);
    CHECK(trap_of(s.call("fill", i32s({0xffffffff, 1, 2}))) == TrapCode::MemoryOutOfBounds);
    CHECK(kPlenty - *s.store().fuel() == fill);
  }
}

TEST_CASE("a 4 GiB memory.fill runs out of fuel after the chunks it paid for") {
  constexpr uint64_t kChunkCost = rt::kBulkChunkBytes / rt::kBytesPerFuel;
  constexpr uint64_t kPaidChunks = 10;
  for (const TierCase& tc : kTierCases) {
    INFO(tc.name);
    Setup s(tc.tier, kMemoryOps, config_for(tc, true));
    const uint64_t base = fuel_used(s, "fill", i32s({0, 1, 0}));
    // One unit short of the eleventh chunk.
    s.store().set_fuel(base + kPaidChunks * kChunkCost + kChunkCost - 1);
    auto r = s.call("fill", i32s({0, 0xab, 0xffffffff}));
    REQUIRE(trap_of(r) == TrapCode::OutOfFuel);
    CHECK(r.error().trap->message == "all fuel consumed");
    CHECK(s.store().fuel() == 0u);
    const uint8_t* mem = memory_of(s);
    const uint64_t written = kPaidChunks * rt::kBulkChunkBytes;
    CHECK(mem[0] == 0xab);
    CHECK(mem[written - 1] == 0xab);
    CHECK(mem[written] == 0);
    // With fuel again, the store runs on.
    s.store().set_fuel(kPlenty);
    CHECK(s.call("fill", i32s({0, 1, 16})));
  }
}

TEST_CASE("a loop of 1 GiB memory.copy under fuel stops part-way through the first copy") {
  for (const TierCase& tc : kTierCases) {
    INFO(tc.name);
    Setup s(tc.tier, reproducer("copy_loop.wat"), config_for(tc, true));
    // 32 chunks' worth, less what the instructions before the copy cost: the first copy
    // stops after 31 chunks. A copy to a higher address goes from the top chunk down.
    constexpr uint64_t kChunkCost = rt::kBulkChunkBytes / rt::kBytesPerFuel;
    constexpr uint64_t kGiB = uint64_t(1) << 30;
    constexpr uint64_t kLowestCopied = kGiB - 31 * rt::kBulkChunkBytes;
    uint8_t* mem = memory_of(s);
    mem[kLowestCopied] = 1;
    mem[kLowestCopied - 1] = 2;
    s.store().set_fuel(32 * kChunkCost);
    auto r = s.call("_start");
    CHECK(trap_of(r) == TrapCode::OutOfFuel);
    CHECK(s.store().fuel() == 0u);
    CHECK(mem[kGiB + kLowestCopied] == 1);
    CHECK(mem[kGiB + kLowestCopied - 1] == 0);
  }
}

TEST_CASE("overlapping memory.copy longer than a chunk moves every byte") {
  const uint64_t len = 2 * rt::kBulkChunkBytes + 12345;
  for (const TierCase& tc : kTierCases) {
    for (bool metered : {false, true}) {
      INFO(tc.name << (metered ? " metered" : ""));
      Setup s(tc.tier, kMemoryOps, config_for(tc, metered));
      s.store().set_fuel(kPlenty);
      uint8_t* mem = memory_of(s);
      auto pattern = [](uint64_t i) { return uint8_t(i % 251); };
      const uint64_t origin = 1000;
      for (uint64_t i = 0; i < len; ++i) mem[origin + i] = pattern(i);
      // Up by 777 bytes, then down by 1000: the source is overwritten as the copy goes.
      REQUIRE(s.call("copy", i32s({origin + 777, origin, len})));
      REQUIRE(s.call("copy", i32s({origin - 1000, origin + 777, len})));
      uint64_t wrong = 0;
      for (uint64_t i = 0; i < len; ++i) wrong += mem[i] != pattern(i);
      CHECK(wrong == 0);
    }
  }
}

TEST_CASE("table.fill / table.copy and table.init on a 1M-element table cost fuel by length") {
  constexpr uint64_t kChunk = rt::kBulkChunkElems;
  constexpr uint64_t kTableSize = 1048576;
  for (const TierCase& tc : kTierCases) {
    INFO(tc.name);
    Setup s(tc.tier, kTableOps, config_for(tc, true));
    const uint64_t fill = fuel_used(s, "fill_a", i32s({0, 0}));
    const uint64_t copy = fuel_used(s, "copy", i32s({0, 0, 0}));
    const uint64_t init = fuel_used(s, "init", i32s({0, 0, 0}));
    for (uint64_t len : {uint64_t(7), uint64_t(8), uint64_t(1000), 3 * kChunk + 5, kTableSize}) {
      INFO("length " << len);
      const uint64_t elems_cost = len / rt::kElemsPerFuel;
      CHECK(fuel_used(s, "fill_a", i32s({0, len})) == fill + elems_cost);
      CHECK(fuel_used(s, "copy", i32s({0, kTableSize - len, len})) == copy + elems_cost);
      if (len <= kSegmentElems) CHECK(fuel_used(s, "init", i32s({0, 0, len})) == init + elems_cost);
    }
    // Out of fuel in the fourth chunk of a fill of the whole table: three chunks are $b.
    fuel_used(s, "fill_a", i32s({0, kTableSize}));
    s.store().set_fuel(fill + 3 * (kChunk / rt::kElemsPerFuel) + 1);
    CHECK(trap_of(s.call("fill_b", i32s({0, kTableSize}))) == TrapCode::OutOfFuel);
    CHECK(s.store().fuel() == 0u);
    s.store().set_fuel(kPlenty);
    CHECK(s.result("which", i32s({3 * kChunk - 1})).i32() == 2);
    CHECK(s.result("which", i32s({3 * kChunk})).i32() == 1);
  }
}

TEST_CASE("overlapping table.copy longer than a chunk moves every element") {
  constexpr uint64_t kChunk = rt::kBulkChunkElems;
  const uint64_t boundary = kChunk + 5;  // $a below, $b from here
  for (const TierCase& tc : kTierCases) {
    INFO(tc.name);
    Setup s(tc.tier, kTableOps, config_for(tc, false));
    REQUIRE(s.call("fill_a", i32s({0, boundary})));
    REQUIRE(s.call("fill_b", i32s({boundary, 2 * kChunk + 10 - boundary})));
    // Up by 7 over two chunks and a bit: read before being overwritten only if done top down.
    REQUIRE(s.call("copy", i32s({7, 0, 2 * kChunk})));
    for (uint64_t i : {uint64_t(7), boundary + 6, boundary + 7, boundary + 8, 2 * kChunk + 6}) {
      INFO("element " << i);
      CHECK(s.result("which", i32s({i})).i32() == (i < boundary + 7 ? 1 : 2));
    }
    // table.init from the segment: $a and $b alternating.
    REQUIRE(s.call("init", i32s({kChunk - 3, 0, kSegmentElems})));
    for (uint64_t k = 0; k < kSegmentElems; ++k) {
      CHECK(s.result("which", i32s({kChunk - 3 + k})).i32() == (k % 2 ? 2 : 1));
    }
  }
}
