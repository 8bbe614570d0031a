// Helpers for the interpreter's end-to-end tests: one module in WAT, instantiated in its own
// store, its exports called by name.
#pragma once

#include <catch2/catch.hpp>
#include <string_view>

#include "tern/tern.h"
#include "tests/support/wat.h"

namespace tern::test {

// On the interpreter unless `config` says otherwise: the default tier, Auto, would run the
// module on the JIT wherever the build has one.
struct Fixture {
  explicit Fixture(std::string_view wat, Config config = {.tier = Tier::Interp}, Linker linker = {})
      : engine(config), store(engine) {
    auto i = linker.instantiate(store, must_compile(engine, wat));
    if (!i) FAIL("instantiate: " << i.error().to_string());
    instance = *i;
  }

  Result<std::vector<Value>> call(std::string_view name, std::initializer_list<Value> args = {}) {
    auto f = instance.get_func(name);
    if (!f) FAIL("no export " << name);
    return f->call(store, args);
  }
  // The single result of a call that must not trap.
  Value value(std::string_view name, std::initializer_list<Value> args = {}) {
    auto r = call(name, args);
    if (!r) FAIL(name << " failed: " << r.error().to_string());
    REQUIRE(r->size() == 1);
    return (*r)[0];
  }
  // The trap code of a call that must trap.
  TrapCode trap(std::string_view name, std::initializer_list<Value> args = {}) {
    auto r = call(name, args);
    if (r) FAIL(name << " did not trap");
    if (!r.error().trap) FAIL(name << " failed without a trap: " << r.error().to_string());
    return r.error().trap->code;
  }

  Engine engine;
  Store store;
  Instance instance;
};

inline uint32_t f32_bits(const Value& v) {
  return v.f32_bits();
}
inline uint64_t f64_bits(const Value& v) {
  return v.f64_bits();
}

}  // namespace tern::test
