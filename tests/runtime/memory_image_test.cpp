// Copy-on-write memory images (engine/runtime/memory_image.h): a memory initialised from its
// module's image holds exactly what copying the segments would write, no instance sees
// another's writes, also through a recycled reservation, and untouched data costs no memory.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

#include "engine/runtime/api_access.h"
#include "engine/runtime/objects.h"
#include "support/tier.h"
#include "support/wat.h"

using namespace tern;
using namespace tern::test;

namespace {

constexpr uint64_t kMiB = uint64_t(1) << 20;

// `size` printable bytes that differ from page to page and from `seed` to `seed`.
std::string pattern(size_t size, unsigned seed) {
  std::string s(size, ' ');
  for (size_t i = 0; i < size; ++i) s[i] = char('a' + (i / 4093 + i * 7 + seed) % 26);
  return s;
}

// A module with `pages` pages of memory, a data segment of `data_bytes` at 0x10010 and a small
// one overlapping its start (so segment order matters), a passive segment, and functions to
// load, store and grow.
std::string data_module(uint64_t pages, size_t data_bytes, const std::string& memory_decl = "") {
  return "(module " +
         (memory_decl.empty() ? "(memory (export \"memory\") " + std::to_string(pages) + ")"
                              : memory_decl) +
         "  (data (i32.const 0x10010) \"" + pattern(data_bytes, 1) +
         "\")"
         "  (data (i32.const 0x10020) \"overlap\")"
         "  (data $passive \"passive\")"
         "  (func (export \"load\") (param i32) (result i32) (i32.load8_u (local.get 0)))"
         "  (func (export \"store\") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))"
         "  (func (export \"grow\") (param i32) (result i32) (memory.grow (local.get 0)))"
         "  (func (export \"init\") (param i32) (memory.init $passive (local.get 0)"
         "    (i32.const 0) (i32.const 7))))";
}

struct Running {
  Store store;
  Instance instance;
  Memory memory;
  int32_t call(const char* name, std::vector<Value> args) {
    auto f = instance.get_func(name);
    REQUIRE(f);
    auto r = f->call(store, args);
    REQUIRE(r.ok());
    return r->empty() ? 0 : (*r)[0].i32();
  }
  size_t image_bytes() const { return detail::Access::memory(memory)->image_bytes; }
};

std::unique_ptr<Running> instantiate(Engine& engine, const Module& module) {
  auto r = std::unique_ptr<Running>(new Running{Store(engine), Instance(), Memory()});
  auto inst = Linker().instantiate(r->store, module);
  INFO((inst.ok() ? std::string() : inst.error().to_string()));
  REQUIRE(inst.ok());
  r->instance = *inst;
  auto mem = inst->get_memory("memory");
  REQUIRE(mem);
  r->memory = *mem;
  return r;
}

std::string contents(const Memory& m) {
  return std::string(reinterpret_cast<const char*>(m.data()), m.size_bytes());
}

Config with_images(Config config, bool on) {
  config.memory_images = on;
  return config;
}

uint64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  uint64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * uint64_t(sysconf(_SC_PAGESIZE));
}

}  // namespace

TEST_CASE("an image holds what copying the segments writes, on every tier", "[memory-image]") {
  const std::string wat = data_module(40, 1 * kMiB + 5);
  Engine copying(with_images(Config{.tier = Tier::Interp}, false));
  auto expected = instantiate(copying, must_compile(copying, wat));
  CHECK(expected->image_bytes() == 0);
  for (const TierCase& tc : tier_cases()) {
    DYNAMIC_SECTION(tc.name) {
      Engine engine(with_images(tc.config, true));
      Module module = must_compile(engine, wat);
      auto got = instantiate(engine, module);
      CHECK(got->image_bytes() >= 1 * kMiB);
      CHECK(contents(got->memory) == contents(expected->memory));
      CHECK(got->call("load", {Value::i32(0x10020)}) == 'o');
      CHECK(got->call("load", {Value::i32(0x10010 + 1 * kMiB + 4)}) != 0);
      CHECK(got->call("load", {Value::i32(0x10010 + 1 * kMiB + 5)}) == 0);
      // A passive segment is still there to be initialised from.
      got->call("init", {Value::i32(0x20)});
      CHECK(std::memcmp(got->memory.data() + 0x20, "passive", 7) == 0);
    }
  }
}

TEST_CASE("no instance sees another's writes to its image", "[memory-image]") {
  for (const TierCase& tc : tier_cases()) {
    DYNAMIC_SECTION(tc.name) {
      Engine engine(with_images(tc.config, true));
      Module module = must_compile(engine, data_module(20, 256 << 10));
      const int32_t addr = 0x10010 + 4096 * 3 + 5;
      auto first = instantiate(engine, module);
      const int32_t original = first->call("load", {Value::i32(addr)});
      first->call("store", {Value::i32(addr), Value::i32(original + 1)});
      CHECK(first->call("load", {Value::i32(addr)}) == original + 1);
      // Alive at once: the second has its own private pages.
      auto second = instantiate(engine, module);
      CHECK(second->call("load", {Value::i32(addr)}) == original);
      first.reset();
      second.reset();
      // The reservations go back to the pool and come back: still the image, not the writes.
      uint8_t* reused_base = nullptr;
      for (int round = 0; round < 3; ++round) {
        auto next = instantiate(engine, module);
        reused_base = next->memory.data();
        CHECK(next->call("load", {Value::i32(addr)}) == original);
        next->call("store", {Value::i32(addr), Value::i32(original + 2)});
      }
      // A memory without an image in a recycled reservation reads zero where an image was.
      Engine plain(with_images(tc.config, false));
      auto zeroed = instantiate(plain, must_compile(plain,
                                                    "(module (memory (export \"memory\") 20)"
                                                    " (func (export \"load\") (param i32)"
                                                    " (result i32) (i32.load8_u"
                                                    " (local.get 0))))"));
      CHECK(zeroed->memory.data() == reused_base);  // the pool is last in, first out
      CHECK(zeroed->call("load", {Value::i32(addr)}) == 0);
      CHECK(contents(zeroed->memory) == std::string(20 * kPageSize, '\0'));
    }
  }
}

TEST_CASE("a memory grows past its image", "[memory-image]") {
  for (const TierCase& tc : tier_cases()) {
    DYNAMIC_SECTION(tc.name) {
      Engine engine(with_images(tc.config, true));
      auto running = instantiate(engine, must_compile(engine, data_module(18, 1 * kMiB)));
      REQUIRE(running->image_bytes() > 0);
      const std::string before = contents(running->memory);
      CHECK(running->call("grow", {Value::i32(3)}) == 18);
      const int32_t past = int32_t(20 * kPageSize + 9);
      CHECK(running->call("load", {Value::i32(past)}) == 0);
      running->call("store", {Value::i32(past), Value::i32(42)});
      CHECK(running->call("load", {Value::i32(past)}) == 42);
      CHECK(contents(running->memory).substr(0, before.size()) == before);
    }
  }
}

TEST_CASE("a 16 MiB segment costs only the pages touched", "[memory-image]") {
  Engine engine(with_images(Config{.tier = Tier::Interp}, true));
  Module module = must_compile(engine, data_module(300, 16 * kMiB));
  instantiate(engine, module);  // builds the image
  const uint64_t before = resident_bytes();
  auto running = instantiate(engine, module);
  REQUIRE(running->image_bytes() >= 16 * kMiB);
  for (int32_t page = 0; page < 8; ++page) {
    running->call("store", {Value::i32(0x10010 + page * 65536), Value::i32(1)});
  }
  const uint64_t after = resident_bytes();
  CHECK(after < before + 4 * kMiB);

  // Copying writes all of it.
  Engine copying(with_images(Config{.tier = Tier::Interp}, false));
  Module copied = must_compile(copying, data_module(300, 16 * kMiB));
  const uint64_t before_copy = resident_bytes();
  auto copy = instantiate(copying, copied);
  CHECK(resident_bytes() > before_copy + 12 * kMiB);
}

TEST_CASE("memories with segments that must run in order are copied", "[memory-image]") {
  Engine engine(with_images(Config{.tier = Tier::Auto}, true));
  Store store(engine);
  const std::string big = pattern(128 << 10, 2);
  SECTION("an imported memory") {
    auto imported = Memory::create(store, MemoryType{Limits{4, std::nullopt}});
    REQUIRE(imported.ok());
    Linker linker;
    linker.define("env", "memory", *imported);
    auto inst =
        linker.instantiate(store, must_compile(engine,
                                               "(module (memory (import \"env\" \"memory\") 4)"
                                               " (data (i32.const 16) \"" +
                                                   big + "\"))"));
    REQUIRE(inst.ok());
    CHECK(detail::Access::memory(*imported)->image_bytes == 0);
    CHECK(std::memcmp(imported->data() + 16, big.data(), big.size()) == 0);
  }
  SECTION("an offset read from a global") {
    auto offset = Global::create(store, GlobalType{ValType::I32, false}, Value::i32(32));
    REQUIRE(offset.ok());
    Linker linker;
    linker.define("env", "offset", *offset);
    auto inst =
        linker.instantiate(store, must_compile(engine,
                                               "(module (global (import \"env\" \"offset\") i32)"
                                               " (memory (export \"memory\") 4)"
                                               " (data (global.get 0) \"" +
                                                   big + "\"))"));
    REQUIRE(inst.ok());
    Memory memory = *inst->get_memory("memory");
    CHECK(detail::Access::memory(memory)->image_bytes == 0);
    CHECK(std::memcmp(memory.data() + 32, big.data(), big.size()) == 0);
  }
  SECTION("a segment out of bounds traps after the earlier ones") {
    auto imported = Memory::create(store, MemoryType{Limits{4, std::nullopt}});
    REQUIRE(imported.ok());
    Memory shared = *imported;
    Linker linker;
    linker.define("env", "memory", shared);
    // The defined memory's segment fits, but the imported memory's traps after it; the spec
    // writes the first, and the trap stops instantiation.
    auto inst = linker.instantiate(
        store, must_compile(engine,
                            "(module (memory (import \"env\" \"memory\") 4)"
                            " (memory $own 4)"
                            " (data (memory $own) (i32.const 0) \"" +
                                big +
                                "\")"
                                " (data (memory 0) (i32.const 0) \"early\")"
                                " (data (memory 0) (i32.const 0x40000) \"x\"))"));
    REQUIRE_FALSE(inst.ok());
    CHECK_THAT(inst.error().message, Catch::Contains("out of bounds memory access"));
    CHECK(std::memcmp(shared.data(), "early", 5) == 0);
  }
}

TEST_CASE("each defined memory gets its own image, 64-bit ones too", "[memory-image]") {
  const std::string wat =
      "(module (memory (export \"memory\") 2) (memory (export \"wide\") i64 20)"
      " (data (memory 0) (i32.const 5) \"" +
      pattern(100 << 10, 3) +
      "\")"
      " (data (memory 1) (i64.const 0x30001) \"" +
      pattern(700 << 10, 4) +
      "\")"
      " (data (memory 1) (i64.const 0x30000) \"first\"))";
  Engine copying(with_images(Config{.tier = Tier::Interp}, false));
  Store copied(copying);
  auto expected = Linker().instantiate(copied, must_compile(copying, wat));
  REQUIRE(expected.ok());
  for (Tier tier : {Tier::Interp, Tier::Auto}) {
    Engine engine(with_images(Config{.tier = tier}, true));
    Store store(engine);
    auto inst = Linker().instantiate(store, must_compile(engine, wat));
    REQUIRE(inst.ok());
    for (const char* name : {"memory", "wide"}) {
      Memory got = *inst->get_memory(name);
      CHECK(detail::Access::memory(got)->image_bytes > 0);
      CHECK(contents(got) == contents(*expected->get_memory(name)));
    }
  }
}

TEST_CASE("threads instantiating a module first at once share one image", "[memory-image]") {
  Engine engine(with_images(Config{.tier = Tier::Interp}, true));
  Module module = must_compile(engine, data_module(20, 512 << 10));
  Engine copying(with_images(Config{.tier = Tier::Interp}, false));
  const std::string expected =
      contents(instantiate(copying, must_compile(copying, data_module(20, 512 << 10)))->memory);
  std::vector<std::string> seen(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < seen.size(); ++t) {
    threads.emplace_back([&, t] {
      Store store(engine);
      auto inst = Linker().instantiate(store, module);
      if (inst.ok()) seen[t] = contents(*inst->get_memory("memory"));
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& s : seen) CHECK(s == expected);
}
