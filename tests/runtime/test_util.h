// Helpers for the runtime tests: readable failures (modules written as WAT: tests/support/wat.h).
#pragma once

#include <catch2/catch.hpp>
#include <string_view>

#include "tern/tern.h"
#include "tests/support/wat.h"

namespace tern::test {

inline Instance must_instantiate(const Linker& linker, Store& store, const Module& module) {
  auto inst = linker.instantiate(store, module);
  if (!inst) FAIL("instantiate failed: " << inst.error().to_string());
  return *inst;
}

// Calls export `name`, failing the test if it traps or errs; returns the results.
inline std::vector<Value> must_call(Store& store, const Instance& inst, std::string_view name,
                                    std::initializer_list<Value> args = {}) {
  auto f = inst.get_func(name);
  if (!f) FAIL("no exported function " << name);
  auto r = f->call(store, args);
  if (!r) FAIL("call " << name << " failed: " << r.error().to_string());
  return std::move(r).value();
}

}  // namespace tern::test
