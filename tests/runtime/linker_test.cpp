// Instantiation through the Linker: import resolution and matching, the order of segment
// initialisation and the start function, traps, limits, and linking modules together.
#include <cstring>

#include "engine/runtime/api_access.h"
#include "engine/runtime/objects.h"
#include "test_util.h"

using namespace tern;
using tern::test::must_call;
using tern::test::must_compile;
using tern::test::must_instantiate;

namespace {

constexpr std::nullopt_t kNoMax = std::nullopt;

// Instantiates `wat` against `linker` and returns the error, or fails if it instantiates.
Error instantiate_error(Engine& engine, Store& store, const Linker& linker, std::string_view wat) {
  Module m = must_compile(engine, wat);
  auto inst = linker.instantiate(store, m);
  if (inst.ok()) FAIL("instantiated, expected an error: " << wat);
  return inst.error();
}

bool instantiates(Engine& engine, Store& store, const Linker& linker, std::string_view wat) {
  return linker.instantiate(store, must_compile(engine, wat)).ok();
}

}  // namespace

TEST_CASE("a missing import is an unknown import", "[linker]") {
  Engine engine;
  Store store(engine);
  Linker linker;
  linker.func_wrap("env", "f", [] {});
  Error e = instantiate_error(engine, store, linker, R"((module (import "env" "g" (func))))");
  CHECK(e.kind == ErrorKind::Unlinkable);
  CHECK(e.message.rfind("unknown import", 0) == 0);
  e = instantiate_error(engine, store, linker, R"((module (import "other" "f" (func))))");
  CHECK(e.message.rfind("unknown import", 0) == 0);
  CHECK(instantiates(engine, store, linker, R"((module (import "env" "f" (func))))"));
}

TEST_CASE("imports are matched by kind and type", "[linker]") {
  Engine engine;
  Store store(engine);
  Linker linker;
  linker.func_wrap("env", "f", [](int32_t) -> int64_t { return 0; });
  linker.define("env", "table",
                Table::create(store, TableType{ValType::FuncRef, Limits{2, 5}}).value());
  linker.define("env", "memory", Memory::create(store, MemoryType{Limits{1, 3}}).value());
  linker.define("env", "memory_nomax",
                Memory::create(store, MemoryType{Limits{1, kNoMax}}).value());
  linker.define("env", "gconst",
                Global::create(store, GlobalType{ValType::I32, false}, Value::i32(1)).value());
  linker.define("env", "gmut",
                Global::create(store, GlobalType{ValType::I32, true}, Value::i32(1)).value());

  struct Case {
    const char* wat;
    bool links;
  };
  const Case cases[] = {
      {R"((module (import "env" "f" (func (param i32) (result i64)))))", true},
      {R"((module (import "env" "f" (func (param i32)))))", false},
      {R"((module (import "env" "f" (func (param i64) (result i64)))))", false},
      {R"((module (import "env" "f" (global i32))))", false},  // wrong kind
      {R"((module (import "env" "table" (table 2 funcref))))", true},
      {R"((module (import "env" "table" (table 1 5 funcref))))", true},
      {R"((module (import "env" "table" (table 3 funcref))))", false},    // min too large
      {R"((module (import "env" "table" (table 2 4 funcref))))", false},  // max too small
      {R"((module (import "env" "table" (table 2 externref))))", false},  // element type
      {R"((module (import "env" "memory" (memory 1 3))))", true},
      {R"((module (import "env" "memory" (memory 0 4))))", true},
      {R"((module (import "env" "memory" (memory 2))))", false},
      {R"((module (import "env" "memory" (memory 1 2))))", false},
      {R"((module (import "env" "memory_nomax" (memory 1))))", true},
      {R"((module (import "env" "memory_nomax" (memory 1 3))))", false},  // no max given
      {R"((module (import "env" "memory" (table 1 funcref))))", false},   // wrong kind
      {R"((module (import "env" "gconst" (global i32))))", true},
      {R"((module (import "env" "gconst" (global (mut i32)))))", false},
      {R"((module (import "env" "gmut" (global (mut i32)))))", true},
      {R"((module (import "env" "gmut" (global i32))))", false},
      {R"((module (import "env" "gconst" (global i64))))", false},
  };
  for (const Case& c : cases) {
    INFO(c.wat);
    auto inst = linker.instantiate(store, must_compile(engine, c.wat));
    CHECK(inst.ok() == c.links);
    if (!inst.ok()) {
      CHECK(inst.error().kind == ErrorKind::Unlinkable);
      CHECK(inst.error().message.rfind("incompatible import type", 0) == 0);
    }
  }
}

TEST_CASE("a failed element segment keeps earlier writes and stops later ones", "[linker]") {
  Engine engine;
  Store store(engine);
  Linker linker;
  Table table = Table::create(store, TableType{ValType::FuncRef, Limits{3, kNoMax}}).value();
  Memory memory = Memory::create(store, MemoryType{Limits{1, kNoMax}}).value();
  linker.define("env", "table", table);
  linker.define("env", "memory", memory);
  Error e = instantiate_error(engine, store, linker, R"((module
    (import "env" "table" (table 3 funcref))
    (import "env" "memory" (memory 1))
    (func $f (export "f") (result i32) (i32.const 11))
    (elem (i32.const 0) $f)
    (elem (i32.const 2) $f $f)
    (data (i32.const 0) "x")
    (start $f2)
    (func $f2 (unreachable))))");
  CHECK(e.kind == ErrorKind::Trap);
  CHECK(e.message == "out of bounds table access");
  REQUIRE(e.trap.has_value());
  CHECK(e.trap->code == TrapCode::TableOutOfBounds);
  // The first segment's function stays in the shared table and can still be called.
  Value slot0 = *table.get(0);
  REQUIRE_FALSE(slot0.is_null());
  CHECK(table.get(2)->is_null());  // the failing segment wrote nothing
  auto r = detail::Access::wrap(static_cast<rt::FuncInstance*>(slot0.ref())).call(store, {});
  INFO((r.ok() ? "" : r.error().to_string()));
  REQUIRE(r.ok());
  CHECK((*r)[0].i32() == 11);
  CHECK(memory.data()[0] == 0);  // data segments come after element segments
}

TEST_CASE("a failed data segment keeps earlier writes and skips the start function", "[linker]") {
  Engine engine;
  Store store(engine);
  Linker linker;
  Memory memory = Memory::create(store, MemoryType{Limits{1, kNoMax}}).value();
  Global ran = Global::create(store, GlobalType{ValType::I32, true}, Value::i32(0)).value();
  linker.define("env", "memory", memory);
  linker.define("env", "ran", ran);
  Error e = instantiate_error(engine, store, linker, R"((module
    (import "env" "memory" (memory 1))
    (import "env" "ran" (global $ran (mut i32)))
    (data (i32.const 10) "ab")
    (data (i32.const 65535) "cd")
    (data (i32.const 20) "ef")
    (start $s)
    (func $s (global.set $ran (i32.const 1)))))");
  CHECK(e.kind == ErrorKind::Trap);
  CHECK(e.message == "out of bounds memory access");
  CHECK(std::memcmp(memory.data() + 10, "ab", 2) == 0);
  CHECK(memory.data()[65535] == 0);  // the failing segment wrote nothing
  CHECK(memory.data()[20] == 0);
  CHECK(ran.get().i32() == 0);

  // An offset at the very end with no bytes is in bounds; one past it is not.
  CHECK(instantiates(engine, store, linker, R"((module (import "env" "memory" (memory 1))
    (data (i32.const 65536) "")))"));
  CHECK_FALSE(instantiates(engine, store, linker, R"((module (import "env" "memory" (memory 1))
    (data (i32.const 65537) "")))"));
  CHECK_FALSE(instantiates(engine, store, linker, R"((module (memory 0)
    (data (i32.const -1) "a")))"));
}

TEST_CASE("the start function runs after the segments and its trap fails instantiation",
          "[linker]") {
  Engine engine;
  Store store(engine);
  Module ok = must_compile(engine, R"((module
    (memory (export "memory") 1)
    (global $g (export "g") (mut i32) (i32.const 0))
    (data (i32.const 0) "\2a")
    (start $s)
    (func $s (global.set $g (i32.load8_u (i32.const 0))))))");
  Instance inst = must_instantiate(Linker(), store, ok);
  CHECK(inst.get_global("g")->get().i32() == 42);

  Linker linker;
  Memory memory = Memory::create(store, MemoryType{Limits{1, kNoMax}}).value();
  linker.define("env", "memory", memory);
  Error e = instantiate_error(engine, store, linker, R"((module
    (import "env" "memory" (memory 1))
    (data (i32.const 5) "z")
    (start $s)
    (func $s (i32.store8 (i32.const 6) (i32.const 1)) unreachable)))");
  CHECK(e.kind == ErrorKind::Trap);
  REQUIRE(e.trap.has_value());
  CHECK(e.trap->code == TrapCode::Unreachable);
  CHECK(memory.data()[5] == 'z');
  CHECK(memory.data()[6] == 1);
}

TEST_CASE("segments are dropped per their mode after instantiation", "[linker]") {
  Engine engine;
  Store store(engine);
  Instance inst = must_instantiate(Linker(), store, must_compile(engine, R"((module
    (table 4 funcref)
    (memory 1)
    (func $f)
    (elem $active (i32.const 0) func $f)
    (elem $passive func $f $f)
    (elem $declared declare func $f)
    (data $d_active (i32.const 0) "ab")
    (data $d_passive "cd")
    (func (export "init_passive") (table.init $passive (i32.const 1) (i32.const 0) (i32.const 2)))
    (func (export "init_active") (table.init $active (i32.const 1) (i32.const 0) (i32.const 1)))
    (func (export "init_active0") (table.init $active (i32.const 1) (i32.const 0) (i32.const 0)))
    (func (export "init_declared")
      (table.init $declared (i32.const 1) (i32.const 0) (i32.const 1)))
    (func (export "minit_passive")
      (memory.init $d_passive (i32.const 8) (i32.const 0) (i32.const 2)))
    (func (export "minit_active") (memory.init $d_active (i32.const 8) (i32.const 0) (i32.const 1)))
    (func (export "minit_active0")
      (memory.init $d_active (i32.const 8) (i32.const 0) (i32.const 0)))))"));
  must_call(store, inst, "init_passive");
  must_call(store, inst, "init_active0");
  must_call(store, inst, "minit_passive");
  must_call(store, inst, "minit_active0");
  for (const char* dropped : {"init_active", "init_declared", "minit_active"}) {
    INFO(dropped);
    auto r = inst.get_func(dropped)->call(store, {});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::Trap);
  }
}

TEST_CASE("memory.grow stops at the maximum and at the store's limit", "[linker]") {
  constexpr const char* kGrower = R"((module
    (memory (export "memory") 1 %s)
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "size") (result i32) (memory.size))))";
  auto module_text = [&](const char* max) {
    char buf[512];
    std::snprintf(buf, sizeof buf, kGrower, max);
    return std::string(buf);
  };
  SECTION("the type's maximum") {
    Engine engine;
    Store store(engine);
    Instance inst = must_instantiate(Linker(), store, must_compile(engine, module_text("3")));
    CHECK(must_call(store, inst, "grow", {Value::i32(2)})[0].i32() == 1);
    CHECK(must_call(store, inst, "grow", {Value::i32(1)})[0].i32() == -1);
    CHECK(must_call(store, inst, "grow", {Value::i32(0)})[0].i32() == 3);
    CHECK(must_call(store, inst, "size")[0].i32() == 3);
    CHECK(inst.get_memory("memory")->size_bytes() == 3 * kPageSize);
  }
  SECTION("the store's limit") {
    Engine engine;
    Store store(engine);
    store.set_limits(StoreLimits{.memory_pages = 2});
    Instance inst = must_instantiate(Linker(), store, must_compile(engine, module_text("")));
    CHECK(must_call(store, inst, "grow", {Value::i32(1)})[0].i32() == 1);
    CHECK(must_call(store, inst, "grow", {Value::i32(1)})[0].i32() == -1);
    CHECK(must_call(store, inst, "size")[0].i32() == 2);
    // A module whose memory starts above the limit cannot be instantiated.
    auto big = Linker().instantiate(store, must_compile(engine, "(module (memory 3))"));
    REQUIRE_FALSE(big.ok());
    CHECK(big.error().kind == ErrorKind::Limit);
  }
}

TEST_CASE("a zero-page memory traps on access and can grow", "[linker]") {
  Engine engine;
  Store store(engine);
  Instance inst = must_instantiate(Linker(), store, must_compile(engine, R"((module
    (memory (export "memory") 0)
    (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
    (func (export "grow") (result i32) (memory.grow (i32.const 1)))))"));
  Memory mem = *inst.get_memory("memory");
  CHECK(mem.data() != nullptr);
  CHECK(mem.size_bytes() == 0);
  auto r = inst.get_func("load")->call(store, {Value::i32(0)});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "out of bounds memory access");
  CHECK(must_call(store, inst, "grow")[0].i32() == 0);
  mem.data()[5] = 9;
  CHECK(must_call(store, inst, "load", {Value::i32(5)})[0].i32() == 9);
}

TEST_CASE("the store's instance limit is enforced", "[linker]") {
  Engine engine;
  Store store(engine);
  store.set_limits(StoreLimits{.instances = 2});
  Module m = must_compile(engine, "(module)");
  CHECK(Linker().instantiate(store, m).ok());
  CHECK(Linker().instantiate(store, m).ok());
  auto third = Linker().instantiate(store, m);
  REQUIRE_FALSE(third.ok());
  CHECK(third.error().kind == ErrorKind::Limit);
  Store fresh(engine);
  CHECK(Linker().instantiate(fresh, m).ok());
}

TEST_CASE("two linked modules share memory / tables / globals and functions", "[linker]") {
  Engine engine;
  Store store(engine);
  Instance a = must_instantiate(Linker(), store, must_compile(engine, R"((module
    (memory (export "memory") 1)
    (table (export "table") 4 funcref)
    (global $counter (export "counter") (mut i32) (i32.const 100))
    (type $ret_i32 (func (result i32)))
    (func $seven (export "seven") (result i32) (i32.const 7))
    (elem (i32.const 0) $seven)
    (func (export "call_slot") (param i32) (result i32)
      (call_indirect (type $ret_i32) (local.get 0)))
    (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
    (func (export "bump") (global.set $counter (i32.add (global.get $counter) (i32.const 1))))))"));

  Linker linker;
  linker.define_instance("a", a);
  Instance b = must_instantiate(linker, store, must_compile(engine, R"((module
    (import "a" "memory" (memory 1))
    (import "a" "table" (table 4 funcref))
    (import "a" "counter" (global $counter (mut i32)))
    (import "a" "seven" (func $seven (result i32)))
    (import "a" "bump" (func $bump))
    (func $eight (result i32) (i32.const 8))
    (elem (i32.const 1) $eight $seven)
    (data (i32.const 16) "\2a\00\00\00")
    (func (export "bump_and_read") (result i32) (call $bump) (global.get $counter))
    (export "seven_again" (func $seven))))"));

  CHECK(must_call(store, a, "load", {Value::i32(16)})[0].i32() == 42);     // b's data in a's memory
  CHECK(must_call(store, a, "call_slot", {Value::i32(1)})[0].i32() == 8);  // b's function
  CHECK(must_call(store, a, "call_slot", {Value::i32(2)})[0].i32() == 7);
  CHECK(must_call(store, b, "bump_and_read")[0].i32() == 101);
  CHECK(a.get_global("counter")->get().i32() == 101);

  // One function, one identity: re-exported, and as placed in the table by either module.
  rt::FuncInstance* seven = detail::Access::func(*a.get_func("seven"));
  CHECK(detail::Access::func(*b.get_func("seven_again")) == seven);
  Table table = *a.get_table("table");
  CHECK(table.get(0)->ref() == seven);
  CHECK(table.get(2)->ref() == seven);
  CHECK_FALSE(b.get_memory("memory").has_value());  // not exported by b
  CHECK(detail::Access::instance(b)->memories[0] ==
        detail::Access::memory(*a.get_memory("memory")));
}

TEST_CASE("a host definition has one identity per store", "[linker]") {
  Engine engine;
  Linker linker;
  linker.func_wrap("env", "h", [](int32_t x) { return x; });
  Module m = must_compile(engine, R"((module
    (import "env" "h" (func $h (param i32) (result i32)))
    (export "h" (func $h))))");
  Store store(engine);
  Instance first = must_instantiate(linker, store, m);
  Instance second = must_instantiate(linker, store, m);
  CHECK(detail::Access::func(*first.get_func("h")) == detail::Access::func(*second.get_func("h")));
  Linker copy = linker;  // copies share the definition
  CHECK(detail::Access::func(*must_instantiate(copy, store, m).get_func("h")) ==
        detail::Access::func(*first.get_func("h")));

  Store other(engine);
  Instance elsewhere = must_instantiate(linker, other, m);
  CHECK(detail::Access::func(*elsewhere.get_func("h")) !=
        detail::Access::func(*first.get_func("h")));
  CHECK(must_call(other, elsewhere, "h", {Value::i32(5)})[0].i32() == 5);
}

TEST_CASE("null externs and instances are refused / not dereferenced", "[linker]") {
  Engine engine;
  Store store(engine);
  Linker linker;
  linker.define("env", "f", Func());
  linker.define("env", "m", Memory());
  Error e = instantiate_error(engine, store, linker, R"((module (import "env" "f" (func))))");
  CHECK(e.kind == ErrorKind::Unlinkable);
  e = instantiate_error(engine, store, linker, R"((module (import "env" "m" (memory 0))))");
  CHECK(e.kind == ErrorKind::Unlinkable);
  Instance none;
  CHECK_FALSE(none.get_export("x").has_value());
  CHECK(none.exports().empty());
  CHECK(Func().type() == FuncType{});
}

TEST_CASE("later definitions shadow earlier ones", "[linker]") {
  Engine engine;
  Store store(engine);
  Linker linker;
  linker.func_wrap("env", "v", [] { return int32_t(1); });
  linker.func_wrap("env", "v", [] { return int32_t(2); });
  Instance inst = must_instantiate(linker, store, must_compile(engine, R"((module
    (import "env" "v" (func $v (result i32)))
    (export "v" (func $v))))"));
  CHECK(must_call(store, inst, "v")[0].i32() == 2);
}

TEST_CASE("table.grow stops at the store's element limit", "[linker]") {
  Engine engine;
  Store store(engine);
  store.set_limits(StoreLimits{.table_elements = 5});
  Instance inst = must_instantiate(Linker(), store, must_compile(engine, R"((module
    (table (export "t") 2 externref)
    (func (export "grow") (param i32 externref) (result i32)
      (table.grow (local.get 1) (local.get 0)))))"));
  Ref marker = reinterpret_cast<Ref>(uintptr_t(0x40));
  CHECK(must_call(store, inst, "grow", {Value::i32(3), Value::externref(marker)})[0].i32() == 2);
  CHECK(must_call(store, inst, "grow", {Value::i32(1), Value::externref(nullptr)})[0].i32() == -1);
  Table t = *inst.get_table("t");
  CHECK(t.size() == 5);
  CHECK(t.get(4)->ref() == marker);
  CHECK(t.get(1)->is_null());
}

TEST_CASE("instance exports are listed in module order", "[linker]") {
  Engine engine;
  Store store(engine);
  Instance inst = must_instantiate(Linker(), store, must_compile(engine, R"((module
    (func (export "z"))
    (memory (export "m") 0)
    (global (export "a") i32 (i32.const 3))
    (table (export "t") 0 funcref)))"));
  auto exports = inst.exports();
  REQUIRE(exports.size() == 4);
  CHECK(exports[0].first == "z");
  CHECK(kind_of(exports[0].second) == ExternKind::Func);
  CHECK(exports[1].first == "m");
  CHECK(kind_of(exports[1].second) == ExternKind::Memory);
  CHECK(exports[2].first == "a");
  CHECK(std::get<Global>(exports[2].second).get().i32() == 3);
  CHECK(kind_of(exports[3].second) == ExternKind::Table);
  CHECK_FALSE(inst.get_export("missing").has_value());
  CHECK_FALSE(inst.get_func("m").has_value());  // wrong kind
}
