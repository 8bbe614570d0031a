// Engine bugs the differential fuzzer found, each a small module in tests/fuzz/found/, run on
// every tier. A tier that declines a module (the JIT and the memory64 proposal, for now) must
// say why; the others must run it right.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/tier.h"
#include "tests/support/wat.h"

using namespace tern;
using test::tier_cases;
using test::TierCase;

namespace {

std::string read_found(const char* name) {
  std::ifstream in(std::string(TERN_SOURCE_DIR) + "/tests/fuzz/found/" + name);
  std::stringstream text;
  text << in.rdbuf();
  REQUIRE(!text.str().empty());
  return text.str();
}

}  // namespace

TEST_CASE("found by fuzzing / return_call_indirect through a 64-bit table") {
  const std::string wat = read_found("table64_return_call_indirect.wat");
  for (const TierCase& tc : tier_cases()) {
    INFO(tc.name);
    Engine engine(tc.config);
    auto module = test::compile_wat(engine, wat);
    if (!module.ok() && tc.config.tier == Tier::Jit) {
      CHECK_THAT(module.error().message, Catch::Contains("64-bit tables"));
      continue;
    }
    INFO((module.ok() ? "" : module.error().to_string()));
    REQUIRE(module.ok());
    Store store(engine);
    auto instance = Linker().instantiate(store, *module);
    REQUIRE(instance.ok());
    for (const char* name : {"tail", "call"}) {
      INFO(name);
      Func f = *instance->get_func(name);
      CHECK(f.call(store, {Value::i64(0)}).value()[0].i32() == 7);
      CHECK(f.call(store, {Value::i64(1)}).value()[0].i32() == 8);
      // Only the whole 64-bit index is out of bounds: its low 32 bits are 0 and 1.
      for (int64_t index : {int64_t(1) << 32, (int64_t(1) << 32) + 1, int64_t(-1)}) {
        auto r = f.call(store, {Value::i64(index)});
        REQUIRE(!r.ok());
        REQUIRE(r.error().trap);
        CHECK(r.error().trap->code == TrapCode::UndefinedElement);
      }
    }
  }
}
