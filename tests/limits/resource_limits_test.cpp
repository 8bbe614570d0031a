// The store's resource limits: linear memory pages, table elements and instances. Growth past a
// limit fails softly (-1), a module whose minimum exceeds it fails to instantiate with a limit
// error naming the limit.
#include <catch2/catch.hpp>

#include "tests/limits/limits_harness.h"

using namespace tern;
using namespace tern::limits_testing;

TEST_CASE("memory.grow returns -1 past the store's memory limit") {
  const Tier tier = GENERATE(Tier::Interp, Tier::Jit);
  INFO(tier_name(tier));
  StoreLimits limits;
  limits.memory_pages = 4;
  Setup s(tier, R"((module
    (memory (export "memory") 1)
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "size") (result i32) (memory.size))
    (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  ))",
          {}, limits);
  CHECK(s.result("grow", {Value::i32(4)}).i32() == -1);
  CHECK(s.result("grow", {Value::i32(-1)}).i32() == -1);
  CHECK(s.result("grow", {Value::i32(2)}).i32() == 1);
  CHECK(s.result("grow", {Value::i32(2)}).i32() == -1);
  CHECK(s.result("grow", {Value::i32(1)}).i32() == 3);
  CHECK(s.result("grow", {Value::i32(1)}).i32() == -1);
  CHECK(s.result("size").i32() == 4);
  // The grown pages are usable, and the first byte past them is not.
  CHECK(s.result("load", {Value::i32(4 * 65536 - 4)}).i32() == 0);
  CHECK(trap_of(s.call("load", {Value::i32(4 * 65536)})) == TrapCode::MemoryOutOfBounds);
  // The embedder's grow obeys the same limit.
  Memory memory = *s.instance().get_memory("memory");
  CHECK_FALSE(memory.grow(1));
}

TEST_CASE("a memory whose minimum exceeds the limit does not instantiate") {
  const Tier tier = GENERATE(Tier::Interp, Tier::Jit);
  INFO(tier_name(tier));
  StoreLimits limits;
  limits.memory_pages = 4;
  Setup s(tier, "(module (memory 5))", {}, limits);
  auto r = s.instantiate();
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == ErrorKind::Limit);
  CHECK(r.error().message == "memory of 5 pages exceeds the limit of 4 pages");
  CHECK_FALSE(Memory::create(s.store(), MemoryType{Limits{5, std::nullopt}}));
  CHECK(Memory::create(s.store(), MemoryType{Limits{4, std::nullopt}}));
}

TEST_CASE("table.grow returns -1 past the store's table limit") {
  const Tier tier = GENERATE(Tier::Interp, Tier::Jit);
  INFO(tier_name(tier));
  StoreLimits limits;
  limits.table_elements = 10;
  Setup s(tier, R"((module
    (table $t (export "table") 2 funcref)
    (func (export "grow") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0)))
    (func (export "size") (result i32) (table.size $t))
  ))",
          {}, limits);
  CHECK(s.result("grow", {Value::i32(9)}).i32() == -1);
  CHECK(s.result("grow", {Value::i32(8)}).i32() == 2);
  CHECK(s.result("grow", {Value::i32(1)}).i32() == -1);
  CHECK(s.result("grow", {Value::i32(-1)}).i32() == -1);
  CHECK(s.result("size").i32() == 10);
  Table table = *s.instance().get_table("table");
  CHECK_FALSE(table.grow(1));
  CHECK(table.size() == 10);
}

TEST_CASE("a table whose minimum exceeds the limit does not instantiate") {
  const Tier tier = GENERATE(Tier::Interp, Tier::Jit);
  INFO(tier_name(tier));
  StoreLimits limits;
  limits.table_elements = 10;
  Setup s(tier, "(module (table 11 funcref))", {}, limits);
  auto r = s.instantiate();
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == ErrorKind::Limit);
  CHECK(r.error().message == "table of 11 elements exceeds the limit of 10 elements");
}

TEST_CASE("a store holds at most StoreLimits::instances instances") {
  const Tier tier = GENERATE(Tier::Interp, Tier::Jit);
  INFO(tier_name(tier));
  StoreLimits limits;
  limits.instances = 3;
  Setup s(tier, "(module (memory 1) (func (export \"f\") (result i32) (i32.const 7)))", {}, limits);
  std::vector<Instance> made;
  for (int i = 0; i < 3; ++i) {
    auto r = s.instantiate();
    REQUIRE(r);
    made.push_back(*r);
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto r = s.instantiate();
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::Limit);
    CHECK(r.error().message == "store already holds the maximum of 3 instances");
  }
  // The instances made before the limit still run.
  for (const Instance& i : made) CHECK(i.get_func("f")->call(s.store(), {}).value()[0].i32() == 7);
  // Another store has its own count.
  Store other(s.engine());
  Linker linker;
  CHECK(linker.instantiate(other, s.module()));
}
