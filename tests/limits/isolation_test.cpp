// Isolation: every out-of-bounds access traps (up to the far end of the 32-bit address plus
// offset range, with no partial effect), traps are reported per thread when several threads
// run compiled code at once, and generated code is never writable.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <thread>

#include "engine/runtime/api_access.h"
#include "jit/common/runtime.h"
#include "tests/limits/limits_harness.h"

using namespace tern;
using namespace tern::limits_testing;

namespace {

const char* const kAccess = R"((module
  (memory (export "memory") 1)
  (func (export "load") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "load_far") (param i32) (result i64) (i64.load offset=0xFFFFFFF8 (local.get 0)))
  (func (export "load8_far") (param i32) (result i32)
    (i32.load8_u offset=0xFFFFFFFF (local.get 0)))
  (func (export "store") (param i32 i64) (i64.store (local.get 0) (local.get 1)))
  (func (export "store_far") (param i32 i64)
    (i64.store offset=0xFFFFFFF8 (local.get 0) (local.get 1)))
))";

bool all_zero(const Memory& m) {
  const uint8_t* p = m.data();
  for (uint64_t i = 0; i < m.size_bytes(); ++i) {
    if (p[i]) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("accesses up to the end of the 32-bit address plus offset range trap") {
  const Tier tier = GENERATE(Tier::Interp, Tier::Jit);
  INFO(tier_name(tier));
  Setup s(tier, kAccess);
  Instance a = s.instance();
  // A neighbour in the same store, whose memory the accesses must not reach.
  Instance b = s.instantiate().value();
  const int32_t addresses[] = {65536, 65536 - 7, 0x7FFFFFFF, -8, -1};
  for (int32_t address : addresses) {
    INFO("address " << uint32_t(address));
    CHECK(trap_of(s.call("load", {Value::i32(address)})) == TrapCode::MemoryOutOfBounds);
    CHECK(trap_of(s.call("load_far", {Value::i32(address)})) == TrapCode::MemoryOutOfBounds);
    CHECK(trap_of(s.call("load8_far", {Value::i32(address)})) == TrapCode::MemoryOutOfBounds);
    CHECK(trap_of(s.call("store", {Value::i32(address), Value::i64(-1)})) ==
          TrapCode::MemoryOutOfBounds);
    CHECK(trap_of(s.call("store_far", {Value::i32(address), Value::i64(-1)})) ==
          TrapCode::MemoryOutOfBounds);
  }
  // Offset 0xFFFFFFF8 from address 8 is the first byte past 4 GiB; from 0 it is the last i64.
  CHECK(trap_of(s.call("load_far", {Value::i32(8)})) == TrapCode::MemoryOutOfBounds);
  CHECK(trap_of(s.call("load_far", {Value::i32(0)})) == TrapCode::MemoryOutOfBounds);
  // An access straddling the end writes nothing.
  CHECK(all_zero(*a.get_memory("memory")));
  CHECK(all_zero(*b.get_memory("memory")));
  // In-bounds accesses still work after all those traps.
  REQUIRE(s.call("store", {Value::i32(65528), Value::i64(0x0102030405060708)}));
  CHECK(s.result("load", {Value::i32(65528)}).i64() == 0x0102030405060708);
  CHECK(all_zero(*b.get_memory("memory")));
}

TEST_CASE("threads running wasm at once each get their own memory traps") {
  const Tier tier = GENERATE(Tier::Interp, Tier::Jit);
  INFO(tier_name(tier));
  constexpr int kThreads = 4;
  constexpr int kRounds = 2000;
  std::atomic<int> wrong_outcomes{0}, traps{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        Setup s(tier, kAccess);
        for (int i = 0; i < kRounds; ++i) {
          const int64_t value = int64_t(t) << 32 | i;
          const int32_t address = 8 * (i % 100);
          bool ok = bool(s.call("store", {Value::i32(address), Value::i64(value)}));
          auto trap = trap_of(s.call("load", {Value::i32(65536 - 4 + (i % 4))}));
          auto back = s.call("load", {Value::i32(address)});
          auto far = trap_of(s.call("store_far", {Value::i32(-1), Value::i64(value)}));
          if (trap == TrapCode::MemoryOutOfBounds && far == TrapCode::MemoryOutOfBounds) traps += 2;
          if (!ok || trap != TrapCode::MemoryOutOfBounds || !back || (*back)[0].i64() != value ||
              far != TrapCode::MemoryOutOfBounds) {
            ++wrong_outcomes;
          }
        }
      } catch (...) {
        ++wrong_outcomes;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(wrong_outcomes == 0);
  CHECK(traps == 2 * kThreads * kRounds);
}

TEST_CASE("generated code is mapped executable but never writable") {
  Setup s(Tier::Jit, kAccess);
  const jit::JitModule* code = jit::jit_module_of(*detail::Access::module(s.module()));
  REQUIRE(code);
  REQUIRE(s.call("load", {Value::i32(0)}));  // compiled, also when compiling lazily
  const uintptr_t pc = reinterpret_cast<uintptr_t>(code->entry);
  std::ifstream maps("/proc/self/maps");
  REQUIRE(maps);
  bool found = false;
  std::string line;
  while (std::getline(maps, line)) {
    std::istringstream fields(line);
    uintptr_t from = 0, to = 0;
    char dash = 0;
    std::string perms;
    fields >> std::hex >> from >> dash >> to >> perms;
    INFO(line);
    // No mapping of the process is writable and executable at once.
    CHECK_FALSE((perms[1] == 'w' && perms[2] == 'x'));
    if (pc >= from && pc < to) {
      found = true;
      CHECK(perms.substr(0, 3) == "r-x");
    }
  }
  CHECK(found);
}
