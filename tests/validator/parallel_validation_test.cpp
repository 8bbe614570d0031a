// validate_functions (parallel_validation.h): every body validated on several threads, the
// first invalid one by index reported, whatever the threads' timing.
#include "engine/validator/parallel_validation.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <new>
#include <set>

#include "decoder/module_builder.h"
#include "engine/decoder/decoder.h"

using namespace tern;
using namespace tern::test;

namespace {

const Bytes kValidCode = {0x41, 0x01, 0x1A, 0x0B};  // i32.const 1, drop, end
const Bytes kInvalidCode = {0x41, 0x01, 0x0B};      // i32.const 1, end: a value left over

// A module of `count` functions of type [] -> []: valid unless their index is in `invalid`.
ModuleInfo module_of(uint32_t count, const std::set<uint32_t>& invalid) {
  Bytes funcs = uleb(count), code = uleb(count);
  for (uint32_t i = 0; i < count; ++i) {
    funcs.push_back(0x00);
    Bytes b = body({0x00}, invalid.count(i) ? kInvalidCode : kValidCode);
    code.insert(code.end(), b.begin(), b.end());
  }
  auto m = decode_module(
      module({type_section({func_type({}, {})}), section(3, funcs), section(10, code)}));
  REQUIRE(m.ok());
  REQUIRE(validate_module(*m).ok());
  return std::move(*m);
}

// The offset validating function `index` alone fails at.
uint64_t error_offset_of(const ModuleInfo& m, uint32_t index) {
  auto r = validate_function(m, index, nullptr);
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().offset);
  return *r.error().offset;
}

// Counts the functions it is handed.
class Counter final : public FuncConsumer {
 public:
  explicit Counter(std::atomic<uint32_t>& begun) : begun_(begun) {}
  void begin(const ModuleInfo&, uint32_t, const FuncType&, std::span<const ValType>) override {
    begun_.fetch_add(1);
  }
  void instr(const Instr&, std::span<const ValType>, std::span<const ValType>, bool) override {}
  std::optional<Error> finish() override { return std::nullopt; }

 private:
  std::atomic<uint32_t>& begun_;
};

// Fails (with a consumer error) the function whose index it is given; throws for another.
class Failing final : public FuncConsumer {
 public:
  Failing(uint32_t fail_at, uint32_t throw_at) : fail_at_(fail_at), throw_at_(throw_at) {}
  void begin(const ModuleInfo& m, uint32_t func_index, const FuncType&,
             std::span<const ValType>) override {
    index_ = func_index - m.num_imported_funcs;
    if (index_ == throw_at_) throw std::bad_alloc();
  }
  void instr(const Instr&, std::span<const ValType>, std::span<const ValType>, bool) override {}
  std::optional<Error> finish() override {
    if (index_ == fail_at_) return Error::invalid("consumer refuses " + std::to_string(index_));
    return std::nullopt;
  }

 private:
  uint32_t fail_at_, throw_at_, index_ = 0;
};

}  // namespace

TEST_CASE("parallel validation accepts a valid module and feeds every function to a consumer",
          "[validator][parallel]") {
  ModuleInfo m = module_of(20000, {});
  for (uint32_t threads : {1u, 2u, 4u}) {
    std::atomic<uint32_t> begun{0};
    auto r =
        validate_functions(m, threads, [&](uint32_t) { return std::make_unique<Counter>(begun); });
    CHECK(r.ok());
    CHECK(begun.load() == 20000);
  }
  CHECK(validate_functions(m, 0).ok());
}

TEST_CASE("parallel validation reports the first invalid function by index",
          "[validator][parallel]") {
  // The later invalid functions sit in batches other threads may reach first.
  ModuleInfo m = module_of(20000, {7001, 7002, 12000, 19999});
  const uint64_t first = error_offset_of(m, 7001);
  for (uint32_t threads : {1u, 2u, 3u, 8u}) {
    for (int repeat = 0; repeat < 20; ++repeat) {
      auto r = validate_functions(m, threads);
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().kind == ErrorKind::Invalid);
      CHECK(r.error().offset == first);
    }
  }
  // As validate() reports it.
  auto whole = validate(m);
  REQUIRE_FALSE(whole.ok());
  CHECK(whole.error().offset == first);
}

TEST_CASE("parallel validation reports a consumer's error, and rethrows a worker's exception",
          "[validator][parallel]") {
  ModuleInfo m = module_of(20000, {});
  auto r = validate_functions(
      m, 4, [](uint32_t) { return std::make_unique<Failing>(15000, UINT32_MAX); });
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "consumer refuses 15000");
  CHECK_THROWS_AS(validate_functions(
                      m, 4, [](uint32_t) { return std::make_unique<Failing>(UINT32_MAX, 17000); }),
                  std::bad_alloc);
}

TEST_CASE("small modules are validated on the calling thread alone", "[validator][parallel]") {
  CHECK(default_validation_threads(module_of(100, {})) == 1);
}
