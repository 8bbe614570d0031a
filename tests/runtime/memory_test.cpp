// Linear memories through the embedding API: reservation, growth, limits.
#include <catch2/catch.hpp>

#include "engine/runtime/api_access.h"
#include "engine/runtime/objects.h"
#include "tern/tern.h"

using namespace tern;

TEST_CASE("a zero-page memory has a valid base and grows", "[memory]") {
  Engine engine;
  Store store(engine);
  auto mem = Memory::create(store, MemoryType{Limits{0, std::nullopt}});
  REQUIRE(mem.ok());
  CHECK(mem->data() != nullptr);
  CHECK(mem->size_bytes() == 0);
  CHECK(mem->pages() == 0);

  auto old = mem->grow(1);
  REQUIRE(old.ok());
  CHECK(*old == 0);
  CHECK(mem->size_bytes() == kPageSize);
  CHECK(mem->data()[kPageSize - 1] == 0);  // fresh pages read as zero
  mem->data()[kPageSize - 1] = 0xAB;
  CHECK(mem->data()[kPageSize - 1] == 0xAB);
  CHECK(mem->type().limits.min == 1);  // the type tracks the current size
}

TEST_CASE("memory growth stops at the type's maximum", "[memory]") {
  Engine engine;
  Store store(engine);
  auto mem = Memory::create(store, MemoryType{Limits{1, 2}});
  REQUIRE(mem.ok());
  uint8_t* base = mem->data();
  CHECK(mem->grow(0).ok());
  auto old = mem->grow(1);
  REQUIRE(old.ok());
  CHECK(*old == 1);
  CHECK(mem->data() == base);  // the base never moves
  auto fail = mem->grow(1);
  REQUIRE_FALSE(fail.ok());
  CHECK(fail.error().kind == ErrorKind::Limit);
  CHECK(mem->pages() == 2);
  CHECK(mem->grow(0).ok());
  // A delta so large it would overflow a naive bound check.
  CHECK_FALSE(mem->grow(UINT64_MAX).ok());
  CHECK(mem->type().limits.max == 2u);
}

TEST_CASE("memory growth stops at the store's page limit", "[memory]") {
  Engine engine;
  Store store(engine);
  store.set_limits(StoreLimits{.memory_pages = 3});
  auto mem = Memory::create(store, MemoryType{Limits{1, std::nullopt}});
  REQUIRE(mem.ok());
  REQUIRE(mem->grow(2).ok());
  auto fail = mem->grow(1);
  REQUIRE_FALSE(fail.ok());
  CHECK(fail.error().kind == ErrorKind::Limit);
  CHECK(mem->pages() == 3);

  auto too_big = Memory::create(store, MemoryType{Limits{4, std::nullopt}});
  REQUIRE_FALSE(too_big.ok());
  CHECK(too_big.error().kind == ErrorKind::Limit);
}

TEST_CASE("memory types are checked on creation", "[memory]") {
  Engine engine;
  Store store(engine);
  CHECK(Memory::create(store, MemoryType{Limits{2, 1}}).error().kind == ErrorKind::Invalid);
  CHECK(Memory::create(store, MemoryType{Limits{kMaxPages32 + 1, std::nullopt}}).error().kind ==
        ErrorKind::Invalid);
  CHECK(Memory::create(store, MemoryType{Limits{0, kMaxPages32 + 1}}).error().kind ==
        ErrorKind::Invalid);
}

TEST_CASE("memories reserve their guard region and release it with the store", "[memory]") {
  Engine engine;
  for (int round = 0; round < 3; ++round) {
    Store store(engine);
    for (int i = 0; i < 64; ++i) {
      auto mem = Memory::create(store, MemoryType{Limits{1, std::nullopt}});
      REQUIRE(mem.ok());
      const rt::MemoryInstance* raw = detail::Access::memory(*mem);
      // A 32-bit address plus a 32-bit offset stays inside the reservation.
      CHECK(raw->reserved_bytes >= (uint64_t(1) << 33) + 16);
      mem->data()[i] = uint8_t(i);
    }
  }
}

TEST_CASE("a released memory reservation is reused / zeroed and shrunk to the new size",
          "[memory]") {
  Engine engine;
  uint8_t* first_base = nullptr;
  {
    Store store(engine);
    auto mem = Memory::create(store, MemoryType{Limits{2, std::nullopt}});
    REQUIRE(mem.ok());
    first_base = mem->data();
    mem->data()[0] = 0x11;
    mem->data()[kPageSize + 7] = 0x22;
  }
  Store store(engine);
  auto mem = Memory::create(store, MemoryType{Limits{1, std::nullopt}});
  REQUIRE(mem.ok());
  // The pool hands back the reservation just released, holding none of its old contents.
  CHECK(mem->data() == first_base);
  CHECK(mem->size_bytes() == kPageSize);
  CHECK(mem->type().limits.min == 1);
  CHECK(mem->data()[0] == 0);
  auto old = mem->grow(1);
  REQUIRE(old.ok());
  CHECK(*old == 1);
  CHECK(mem->data()[kPageSize + 7] == 0);
}

TEST_CASE("a recycled reservation serves a memory larger than its previous one", "[memory]") {
  Engine engine;
  {
    Store store(engine);
    REQUIRE(Memory::create(store, MemoryType{Limits{1, std::nullopt}}).ok());
  }
  Store store(engine);
  auto mem = Memory::create(store, MemoryType{Limits{3, std::nullopt}});
  REQUIRE(mem.ok());
  CHECK(mem->pages() == 3);
  mem->data()[3 * kPageSize - 1] = 0x33;  // the whole new size is writable
  CHECK(mem->data()[3 * kPageSize - 1] == 0x33);
  CHECK(mem->grow(0).ok());
}
