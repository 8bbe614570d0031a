// Helpers for the runtime tests: modules written as WAT, and readable failures.
#pragma once

#include <catch2/catch.hpp>
#include <string_view>

#include "engine/text/wast.h"
#include "tern/tern.h"

namespace tern::test {

inline Result<Module> compile_wat(Engine& engine, std::string_view wat) {
  auto bytes = text::wat_to_binary(wat);
  if (!bytes) return bytes.take_error();
  return Module::compile(engine, *bytes);
}

// Compiles `wat`, failing the test with the error text if it does not compile.
inline Module must_compile(Engine& engine, std::string_view wat) {
  auto m = compile_wat(engine, wat);
  if (!m) FAIL("compile failed: " << m.error().to_string());
  return std::move(m).value();
}

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
