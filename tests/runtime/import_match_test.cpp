// The import-matching rules (valid/types.rst, "Import Subtyping"), each with both outcomes.
#include "engine/runtime/import_match.h"

#include <catch2/catch.hpp>

#include "engine/runtime/objects.h"

using namespace tern;

namespace {
constexpr std::nullopt_t kNoMax = std::nullopt;

Result<void> no_op(Caller&, std::span<const Value>, std::span<Value>) {
  return {};
}
}  // namespace

TEST_CASE("limits match: min at least / max present and at most", "[import]") {
  struct Case {
    Limits actual, expected;
    bool matches;
  };
  const Case cases[] = {
      {{1, kNoMax}, {1, kNoMax}, true},
      {{2, kNoMax}, {1, kNoMax}, true},
      {{0, kNoMax}, {1, kNoMax}, false},  // min too small
      {{1, 5}, {1, kNoMax}, true},        // any max fits no expected max
      {{1, kNoMax}, {1, 5}, false},       // expected a max, none given
      {{1, 5}, {1, 5}, true},
      {{1, 4}, {1, 5}, true},
      {{1, 6}, {1, 5}, false},  // max too large
      {{3, 3}, {2, 5}, true},
      {{1, 3}, {2, 5}, false},
  };
  for (const Case& c : cases) {
    INFO("actual {" << c.actual.min << ", " << c.actual.max.value_or(-1) << "} expected {"
                    << c.expected.min << ", " << c.expected.max.value_or(-1) << "}");
    CHECK(rt::limits_match(c.actual, c.expected) == c.matches);
  }
}

TEST_CASE("externs match imports of their own kind and type", "[import]") {
  Engine engine;
  Store store(engine);
  ModuleInfo module;
  module.types = {FuncType{{ValType::I32}, {ValType::I32}}, FuncType{{ValType::I64}, {}}};

  Func func = Func::host(store, FuncType{{ValType::I32}, {ValType::I32}}, no_op);
  Table table = Table::create(store, TableType{ValType::FuncRef, Limits{2, 10}}).value();
  Memory memory = Memory::create(store, MemoryType{Limits{1, 2}}).value();
  Global global = Global::create(store, GlobalType{ValType::I32, true}, Value::i32(0)).value();

  Import im;
  SECTION("functions need equal types") {
    im.kind = ExternKind::Func;
    im.func_type = 0;
    CHECK(rt::extern_matches(func, im, module));
    im.func_type = 1;
    CHECK_FALSE(rt::extern_matches(func, im, module));
  }
  SECTION("tables need equal element types and matching limits") {
    im.kind = ExternKind::Table;
    im.table = TableType{ValType::FuncRef, Limits{1, 10}};
    CHECK(rt::extern_matches(table, im, module));
    im.table = TableType{ValType::ExternRef, Limits{1, 10}};
    CHECK_FALSE(rt::extern_matches(table, im, module));
    im.table = TableType{ValType::FuncRef, Limits{3, kNoMax}};
    CHECK_FALSE(rt::extern_matches(table, im, module));
    im.table = TableType{ValType::FuncRef, Limits{2, 9}};
    CHECK_FALSE(rt::extern_matches(table, im, module));
    // A table that has grown matches a larger expected minimum.
    REQUIRE(table.grow(1).ok());
    im.table = TableType{ValType::FuncRef, Limits{3, kNoMax}};
    CHECK(rt::extern_matches(table, im, module));
  }
  SECTION("memories need matching limits, at their current size") {
    im.kind = ExternKind::Memory;
    im.memory = MemoryType{Limits{1, 2}};
    CHECK(rt::extern_matches(memory, im, module));
    im.memory = MemoryType{Limits{2, kNoMax}};
    CHECK_FALSE(rt::extern_matches(memory, im, module));
    REQUIRE(memory.grow(1).ok());
    CHECK(rt::extern_matches(memory, im, module));
    im.memory = MemoryType{Limits{0, 1}};
    CHECK_FALSE(rt::extern_matches(memory, im, module));
  }
  SECTION("globals need the same value type and mutability") {
    im.kind = ExternKind::Global;
    im.global = GlobalType{ValType::I32, true};
    CHECK(rt::extern_matches(global, im, module));
    im.global = GlobalType{ValType::I32, false};
    CHECK_FALSE(rt::extern_matches(global, im, module));
    im.global = GlobalType{ValType::I64, true};
    CHECK_FALSE(rt::extern_matches(global, im, module));
  }
  SECTION("a different kind never matches") {
    im.kind = ExternKind::Memory;
    im.memory = MemoryType{Limits{0, kNoMax}};
    CHECK_FALSE(rt::extern_matches(table, im, module));
    CHECK_FALSE(rt::extern_matches(func, im, module));
    CHECK_FALSE(rt::extern_matches(global, im, module));
    CHECK(kind_of(memory) == ExternKind::Memory);
    CHECK(kind_of(func) == ExternKind::Func);
    CHECK(kind_of(table) == ExternKind::Table);
    CHECK(kind_of(global) == ExternKind::Global);
  }
}
