// Instantiating and calling in unit tests, where a failure ends the test with the engine's
// error text as context.
#pragma once

#include <catch2/catch.hpp>
#include <string_view>
#include <vector>

#include "tern/tern.h"

namespace tern::test {

inline Instance instantiate(const Linker& linker, Store& store, const Module& module) {
  auto i = linker.instantiate(store, module);
  INFO((i ? "" : i.error().to_string()));
  REQUIRE(i.ok());
  return *i;
}

// The results of export `name`, which must exist and return normally.
inline std::vector<Value> call(Store& store, const Instance& inst, std::string_view name,
                               std::vector<Value> args) {
  auto f = inst.get_func(name);
  REQUIRE(f);
  auto r = f->call(store, args);
  INFO((r ? "" : r.error().to_string()));
  REQUIRE(r.ok());
  return *r;
}

}  // namespace tern::test
