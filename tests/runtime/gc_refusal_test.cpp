// Until the tiers execute GC (issue 14), a valid module that needs it fails to compile on every
// tier with a Limit error naming what it uses, after it has been validated in full: an invalid
// one is still reported invalid. (i31 and ref.eq, which need no heap, run: i31_test.cpp.)
#include <catch2/catch.hpp>
#include <string>

#include "tests/support/tier.h"
#include "tests/support/wat.h"

using namespace tern;

namespace {

void expect_refused(const Config& config, std::string_view wat, const std::string& what) {
  Engine engine(config);
  Result<Module> m = test::compile_wat(engine, wat);
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().kind == ErrorKind::Limit);
  CHECK(m.error().message ==
        what + " needs garbage collection, which Tern's tiers do not execute yet (issue 14)");
}

}  // namespace

TEST_CASE("GC types and constant expressions are refused by name on every tier", "[gc]") {
  for (const test::TierCase& tier : test::tier_cases()) {
    INFO(tier.name);
    expect_refused(tier.config, "(module (type (struct (field i32))))", "struct type 0");
    expect_refused(tier.config, "(module (type (func)) (type (array i8)))", "array type 1");
    expect_refused(tier.config, "(module (type $f (sub (func))) (type (sub $f (func))))",
                   "a declared supertype (type 1)");
    expect_refused(tier.config, "(module (global anyref (any.convert_extern (ref.null extern))))",
                   "any.convert_extern in a constant expression");
  }
}

TEST_CASE("GC instructions in code are refused by the tier that would run them", "[gc]") {
  constexpr const char* kConvert = R"((module
    (func (export "f") (param externref) (result anyref) (any.convert_extern (local.get 0)))))";
  for (const test::TierCase& tier : test::tier_cases()) {
    INFO(tier.name);
    bool jit = tier.config.tier == Tier::Jit;
    expect_refused(
        tier.config, kConvert,
        std::string(jit ? "the jit" : "the interpreter") + "'s instruction 'any.convert_extern'");
  }
  // Tier::Auto: the JIT's refusal leaves the module to the interpreter, which refuses it too.
  expect_refused(Config{.tier = Tier::Auto}, kConvert,
                 "the interpreter's instruction 'any.convert_extern'");
}

TEST_CASE("an invalid module that uses GC is reported invalid, not refused", "[gc]") {
  for (const test::TierCase& tier : test::tier_cases()) {
    INFO(tier.name);
    Engine engine(tier.config);
    Result<Module> m = test::compile_wat(engine, R"((module
      (type $s (struct (field i32)))
      (func (param (ref $s)) (struct.set $s 0 (local.get 0) (i32.const 1)))))");
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().kind == ErrorKind::Invalid);
    CHECK(m.error().message == "immutable field");
  }
}
