// What embedders use every day, on each tier the build has: typed calls, Caller::get_export,
// per-store user data, StoreLimits with a ResourceLimiter, and ErrorKind names.
#include <catch2/catch.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "tern/tern.h"
#include "tests/support/tier.h"
#include "tests/support/wat.h"

using namespace tern;
using test::must_compile;
using test::on_tier;
using test::tier_name;

namespace {

Tier any_tier() {
  return Engine::has_tier(Tier::Jit) ? GENERATE(Tier::Interp, Tier::Jit) : Tier::Interp;
}

Instance must_instantiate(const Linker& linker, Store& store, const Module& module) {
  auto instance = linker.instantiate(store, module);
  if (!instance) FAIL(instance.error().to_string());
  return *instance;
}

constexpr const char* kArithmetic = R"((module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "divmod") (param i64 i64) (result i64 i64)
    (i64.div_u (local.get 0) (local.get 1)) (i64.rem_u (local.get 0) (local.get 1)))
  (func (export "scale") (param f32 f64) (result f64)
    (f64.mul (f64.promote_f32 (local.get 0)) (local.get 1)))
  (global $g (export "g") (mut i32) (i32.const 0))
  (func (export "set") (param i32) (global.set $g (local.get 0)))
  (func (export "trap") (param i32) (result i32) (i32.div_s (local.get 0) (i32.const 0)))
))";

}  // namespace

TEST_CASE("typed calls pass numbers without Values and check the signature once") {
  const Tier tier = any_tier();
  INFO(tier_name(tier));
  Engine engine(on_tier({}, tier));
  Store store(engine);
  Instance inst = must_instantiate(Linker(), store, must_compile(engine, kArithmetic));

  auto add = inst.get_func("add")->typed<int32_t(int32_t, int32_t)>(store);
  REQUIRE(add);
  CHECK(add->call(store, 40, 2).value() == 42);
  CHECK(add->call(store, INT32_MAX, 1).value() == INT32_MIN);

  auto divmod =
      inst.get_func("divmod")->typed<std::tuple<uint64_t, uint64_t>(uint64_t, uint64_t)>(store);
  REQUIRE(divmod);
  CHECK(divmod->call(store, 17, 5).value() == std::tuple<uint64_t, uint64_t>(3, 2));

  auto scale = inst.get_func("scale")->typed<double(float, double)>(store);
  REQUIRE(scale);
  CHECK(scale->call(store, 1.5f, 4.0).value() == 6.0);

  auto set = inst.get_func("set")->typed<void(int32_t)>(store);
  REQUIRE(set);
  REQUIRE(set->call(store, 9).ok());
  CHECK(inst.get_global("g")->get().i32() == 9);

  auto trap = inst.get_func("trap")->typed<int32_t(int32_t)>(store);
  REQUIRE(trap);
  auto r = trap->call(store, 1);
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == ErrorKind::Trap);
  CHECK(r.error().trap->code == TrapCode::IntegerDivideByZero);
}

TEST_CASE("a typed view with the wrong signature is refused with both types named") {
  Engine engine;
  Store store(engine);
  Instance inst = must_instantiate(Linker(), store, must_compile(engine, kArithmetic));
  auto wrong = inst.get_func("add")->typed<int64_t(int32_t, int32_t)>(store);
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().kind == ErrorKind::Invalid);
  CHECK(wrong.error().message ==
        "typed function mismatch: the function is (i32 i32) -> (i32), the C++ signature says "
        "(i32 i32) -> (i64)");
  CHECK_FALSE(inst.get_func("add")->typed<int32_t(int32_t)>(store));
  CHECK_FALSE(Func().typed<void()>(store));
  Store other(engine);
  CHECK_FALSE(inst.get_func("add")->typed<int32_t(int32_t, int32_t)>(other));
}

TEST_CASE("typed calls reach host functions too") {
  Engine engine;
  Store store(engine);
  Func twice = Func::host(store, FuncType{{ValType::I64}, {ValType::I64}},
                          [](Caller&, std::span<const Value> args, std::span<Value> results) {
                            results[0] = Value::i64(args[0].i64() * 2);
                            return Result<void>();
                          });
  auto typed = twice.typed<int64_t(int64_t)>(store);
  REQUIRE(typed);
  CHECK(typed->call(store, 21).value() == 42);
}

TEST_CASE("a host function reaches its caller's exports and the store's user data") {
  const Tier tier = any_tier();
  INFO(tier_name(tier));
  Engine engine(on_tier({}, tier));
  Store store(engine);
  store.set_data(std::vector<int32_t>{});
  Linker linker;
  linker.func_wrap("env", "record", [](Caller& caller, int32_t x) -> Result<int32_t> {
    caller.store().data_as<std::vector<int32_t>>().push_back(x);
    auto square = caller.get_export("square");
    if (!square || kind_of(*square) != ExternKind::Func) return Error::invalid("no square");
    CHECK_FALSE(caller.get_export("absent").has_value());
    auto typed = std::get<Func>(*square).typed<int32_t(int32_t)>(caller.store());
    if (!typed) return typed.take_error();
    return typed->call(caller.store(), x);
  });
  Instance inst = must_instantiate(linker, store, must_compile(engine, R"((module
    (import "env" "record" (func $record (param i32) (result i32)))
    (func (export "square") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
    (func (export "run") (param i32) (result i32) (call $record (local.get 0)))
  ))"));
  auto run = inst.get_func("run")->typed<int32_t(int32_t)>(store);
  REQUIRE(run);
  CHECK(run->call(store, 7).value() == 49);
  CHECK(run->call(store, -3).value() == 9);
  CHECK(store.data_as<std::vector<int32_t>>() == std::vector<int32_t>{7, -3});
  // Called from the embedder, a host function has no calling instance.
  Func plain = Func::host(store, FuncType{}, [](Caller& caller, auto, auto) -> Result<void> {
    if (caller.get_export("square")) return Error::invalid("unexpected caller instance");
    return {};
  });
  CHECK(plain.call(store, {}).ok());
}

namespace {

// Allows memories up to `max_pages` and tables up to `max_elems`, recording every request.
class RecordingLimiter : public ResourceLimiter {
 public:
  RecordingLimiter(uint64_t max_pages, uint64_t max_elems)
      : max_pages_(max_pages), max_elems_(max_elems) {}
  bool memory_growing(uint64_t current, uint64_t desired, std::optional<uint64_t>) override {
    memory_requests.emplace_back(current, desired);
    return desired <= max_pages_;
  }
  bool table_growing(uint64_t current, uint64_t desired, std::optional<uint64_t>) override {
    table_requests.emplace_back(current, desired);
    return desired <= max_elems_;
  }
  std::vector<std::pair<uint64_t, uint64_t>> memory_requests, table_requests;

 private:
  uint64_t max_pages_, max_elems_;
};

}  // namespace

TEST_CASE("the store's resource limiter is asked on every creation and grow") {
  const Tier tier = any_tier();
  INFO(tier_name(tier));
  Engine engine(on_tier({}, tier));
  Store store(engine);
  auto limiter = std::make_shared<RecordingLimiter>(3, 4);
  store.set_limiter(limiter);
  Instance inst = must_instantiate(Linker(), store, must_compile(engine, R"((module
    (memory (export "memory") 1)
    (table (export "table") 2 funcref)
    (func (export "grow_memory") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "grow_table") (param i32) (result i32)
      (table.grow (ref.null func) (local.get 0)))
  ))"));
  using Requests = std::vector<std::pair<uint64_t, uint64_t>>;
  CHECK(limiter->memory_requests == Requests{{0, 1}});
  CHECK(limiter->table_requests == Requests{{0, 2}});

  auto grow_memory = inst.get_func("grow_memory")->typed<int32_t(int32_t)>(store);
  auto grow_table = inst.get_func("grow_table")->typed<int32_t(int32_t)>(store);
  REQUIRE(grow_memory);
  REQUIRE(grow_table);
  CHECK(grow_memory->call(store, 2).value() == 1);
  CHECK(grow_memory->call(store, 1).value() == -1);  // refused by the limiter
  CHECK(grow_table->call(store, 2).value() == 2);
  CHECK(grow_table->call(store, 1).value() == -1);
  CHECK(limiter->memory_requests == Requests{{0, 1}, {1, 3}, {3, 4}});
  CHECK(limiter->table_requests == Requests{{0, 2}, {2, 4}, {4, 5}});

  // The API's grow and create ask it too.
  auto api_grow = inst.get_memory("memory")->grow(1);
  REQUIRE_FALSE(api_grow);
  CHECK(api_grow.error().kind == ErrorKind::Limit);
  CHECK_FALSE(inst.get_table("table")->grow(1));
  auto big = Memory::create(store, MemoryType{Limits{4, std::nullopt}});
  REQUIRE_FALSE(big);
  CHECK(big.error().kind == ErrorKind::Limit);
  CHECK(Memory::create(store, MemoryType{Limits{3, std::nullopt}}));
  CHECK_FALSE(Table::create(store, TableType{ValType::FuncRef, Limits{5, std::nullopt}}));
}

TEST_CASE("store limits apply per store and from when they are set") {
  Engine engine;
  Store limited(engine), free(engine);
  limited.set_limits(StoreLimits{.memory_pages = 2});
  CHECK(limited.limits().memory_pages == 2);
  CHECK(free.limits().memory_pages == kMaxPages32);
  CHECK_FALSE(Memory::create(limited, MemoryType{Limits{3, std::nullopt}}));
  CHECK(Memory::create(free, MemoryType{Limits{3, std::nullopt}}));
  auto m = Memory::create(free, MemoryType{Limits{1, std::nullopt}});
  REQUIRE(m);
  free.set_limits(StoreLimits{.memory_pages = 2});
  CHECK(m->grow(1));
  CHECK_FALSE(m->grow(1));
}

TEST_CASE("error kinds have their names") {
  CHECK(std::string(to_string(ErrorKind::Malformed)) == "malformed");
  CHECK(std::string(to_string(ErrorKind::Invalid)) == "invalid");
  CHECK(std::string(to_string(ErrorKind::Unlinkable)) == "unlinkable");
  CHECK(std::string(to_string(ErrorKind::Trap)) == "trap");
  CHECK(std::string(to_string(ErrorKind::Limit)) == "limit");
  CHECK(std::string(to_string(ErrorKind::Io)) == "io");
  CHECK(Error::unlinkable("x").to_string() == "unlinkable: x");
}
