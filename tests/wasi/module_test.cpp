// Hand-written modules calling WASI directly, without libc.
#include <catch2/catch.hpp>

#include "tern/wasi.h"

namespace {

int32_t call_i32(tern::Store& store, const tern::Instance& instance, const char* name,
                 std::initializer_list<tern::Value> args = {}) {
  auto f = instance.get_func(name);
  REQUIRE(f);
  auto r = f->call(store, args);
  INFO((r.ok() ? "" : r.error().to_string()));
  REQUIRE(r.ok());
  REQUIRE(r->size() == 1);
  return (*r)[0].i32();
}

}  // namespace

TEST_CASE("wasi: a guest without memory gets fault / and proc_exit's code", "[wasi]") {
  tern::Engine engine;
  auto module = tern::Module::from_file(
      engine, std::string(TERN_SOURCE_DIR) + "/tests/wasi/modules/no_memory.wat");
  INFO((module.ok() ? "" : module.error().to_string()));
  REQUIRE(module.ok());
  tern::Store store(engine);
  tern::Linker linker;
  auto ctx = tern::wasi::add_to_linker(linker, {});
  REQUIRE(ctx.ok());
  auto instance = linker.instantiate(store, *module);
  INFO((instance.ok() ? "" : instance.error().to_string()));
  REQUIRE(instance.ok());

  CHECK(call_i32(store, *instance, "write") == 21);
  CHECK(call_i32(store, *instance, "random") == 21);
  CHECK(call_i32(store, *instance, "yield") == 0);
  CHECK(call_i32(store, *instance, "close", {tern::Value::i32(2)}) == 0);
  CHECK(call_i32(store, *instance, "close", {tern::Value::i32(2)}) == 8);  // badf once closed

  auto exit = instance->get_func("exit");
  REQUIRE(exit);
  auto r = exit->call(store, {tern::Value::i32(255)});
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().trap);
  CHECK(r.error().trap->code == tern::TrapCode::Exit);
  CHECK(r.error().trap->exit_code == 255);
}

TEST_CASE("wasi: a preopen that cannot be opened fails add_to_linker", "[wasi]") {
  tern::Linker linker;
  tern::wasi::Config config;
  config.preopens.push_back({"/nonexistent/tern-wasi-test", "/x"});
  auto ctx = tern::wasi::add_to_linker(linker, config);
  REQUIRE_FALSE(ctx.ok());
  CHECK(ctx.error().message.find("/nonexistent/tern-wasi-test") != std::string::npos);
}
