// Running a module on every tier for the multi-memory and memory64 tests: the interpreter, the
// JIT eager and lazy, and Tier::Auto.
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

// Every tier of the build, and Auto (which picks the JIT where there is one).
inline std::vector<TierCase> running_tiers() {
  std::vector<TierCase> tiers = tier_cases();
  tiers.push_back({"auto", Config{.tier = Tier::Auto}});
  return tiers;
}

}  // namespace tern::test
