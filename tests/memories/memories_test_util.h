// Running a module on every tier for the multi-memory and memory64 tests: the interpreter runs
// these proposals; the JIT refuses a module using them (naming the proposal), so Tier::Jit is an
// error and Tier::Auto runs it on the interpreter.
#pragma once

#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tern/tern.h"
#include "tests/support/tier.h"
#include "tests/support/wat.h"

namespace tern::test {

// An instance of one module in a store of its own, with calls that fail the test on an error.
class MemoriesFixture {
 public:
  MemoriesFixture(const Config& config, std::string_view wat)
      : engine_(config), module_(must_compile(engine_, wat)), store_(engine_) {
    auto inst = Linker().instantiate(store_, module_);
    if (!inst) FAIL("instantiate failed: " << inst.error().to_string());
    instance_ = *inst;
  }

  Result<std::vector<Value>> call(std::string_view name, std::initializer_list<Value> args = {}) {
    auto f = instance_.get_func(name);
    if (!f) FAIL("no exported function " << name);
    return f->call(store_, args);
  }
  Value value(std::string_view name, std::initializer_list<Value> args = {}) {
    auto r = call(name, args);
    if (!r) FAIL("call " << name << " failed: " << r.error().to_string());
    REQUIRE(r->size() == 1);
    return (*r)[0];
  }
  std::optional<TrapCode> trap(std::string_view name, std::initializer_list<Value> args = {}) {
    auto r = call(name, args);
    if (r || !r.error().trap) return std::nullopt;
    return r.error().trap->code;
  }
  Memory memory(std::string_view name) const { return *instance_.get_memory(name); }
  Table table(std::string_view name) const { return *instance_.get_table(name); }

 private:
  Engine engine_;
  Module module_;
  Store store_;
  Instance instance_;
};

// The tiers that run these modules: the interpreter, and Auto (the JIT's fallback to it).
inline std::vector<TierCase> running_tiers() {
  return {{"interp", Config{.tier = Tier::Interp}}, {"auto", Config{.tier = Tier::Auto}}};
}

// On a build with the JIT, eager and lazy: the module is refused with `proposal` in the message.
inline void check_jit_refuses(std::string_view wat, std::string_view proposal) {
  for (const TierCase& tc : tier_cases()) {
    if (tc.config.tier != Tier::Jit) continue;
    INFO(tc.name);
    Engine engine(tc.config);
    auto module = compile_wat(engine, wat);
    REQUIRE_FALSE(module.ok());
    CHECK(module.error().message.find(std::string(proposal)) != std::string::npos);
  }
}

}  // namespace tern::test
