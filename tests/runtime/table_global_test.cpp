// Tables and globals through the embedding API.
#include <catch2/catch.hpp>

#include "tern/tern.h"

using namespace tern;

namespace {
Ref fake_ref(uintptr_t n) {
  return reinterpret_cast<Ref>(n);
}
}  // namespace

TEST_CASE("tables get / set and grow within their maximum", "[table]") {
  Engine engine;
  Store store(engine);
  auto table = Table::create(store, TableType{ValType::ExternRef, Limits{2, 4}}, fake_ref(8));
  REQUIRE(table.ok());
  CHECK(table->size() == 2);
  REQUIRE(table->get(1).has_value());
  CHECK(table->get(1)->ref() == fake_ref(8));
  CHECK(table->get(1)->type() == ValType::ExternRef);
  CHECK_FALSE(table->get(2).has_value());

  CHECK(table->set(0, Value::externref(nullptr)));
  CHECK(table->get(0)->is_null());
  CHECK_FALSE(table->set(0, Value::funcref(nullptr)));    // wrong reference type
  CHECK_FALSE(table->set(2, Value::externref(nullptr)));  // out of range

  auto old = table->grow(2, fake_ref(16));
  REQUIRE(old.ok());
  CHECK(*old == 2);
  CHECK(table->get(3)->ref() == fake_ref(16));
  CHECK(table->type().limits.min == 4);
  auto fail = table->grow(1);
  REQUIRE_FALSE(fail.ok());
  CHECK(fail.error().kind == ErrorKind::Limit);
  CHECK(table->size() == 4);
}

TEST_CASE("tables respect the store's element limit", "[table]") {
  Engine engine;
  Store store(engine);
  store.set_limits(StoreLimits{.table_elements = 10});
  auto table = Table::create(store, TableType{ValType::FuncRef, Limits{5, std::nullopt}});
  REQUIRE(table.ok());
  CHECK(table->grow(5).ok());
  CHECK_FALSE(table->grow(1).ok());
  CHECK_FALSE(table->grow(UINT64_MAX).ok());
  auto too_big = Table::create(store, TableType{ValType::FuncRef, Limits{11, std::nullopt}});
  REQUIRE_FALSE(too_big.ok());
  CHECK(too_big.error().kind == ErrorKind::Limit);
  CHECK_FALSE(Table::create(store, TableType{ValType::FuncRef, Limits{3, 2}}).ok());
  CHECK_FALSE(Table::create(store, TableType{ValType::I32, Limits{0, std::nullopt}}).ok());
}

TEST_CASE("globals hold typed values and honour mutability", "[global]") {
  Engine engine;
  Store store(engine);
  auto constant = Global::create(store, GlobalType{ValType::I64, false}, Value::i64(-5));
  REQUIRE(constant.ok());
  CHECK(constant->get().type() == ValType::I64);
  CHECK(constant->get().i64() == -5);
  CHECK_FALSE(constant->set(Value::i64(1)).ok());
  CHECK(constant->get().i64() == -5);

  auto var =
      Global::create(store, GlobalType{ValType::F64, true}, Value::f64_bits(0x7FF0000000000001));
  REQUIRE(var.ok());
  CHECK(var->get().f64_bits() == 0x7FF0000000000001);  // NaN payloads survive
  CHECK(var->set(Value::f64(2.5)).ok());
  CHECK(var->get().f64() == 2.5);
  CHECK_FALSE(var->set(Value::f32(2.5f)).ok());
  CHECK(var->type().mut);

  V128 v{};
  for (int i = 0; i < 16; ++i) v.bytes[i] = uint8_t(i * 3);
  auto vec = Global::create(store, GlobalType{ValType::V128, false}, Value::v128(v));
  REQUIRE(vec.ok());
  CHECK(vec->get().v128() == v);

  auto mismatch = Global::create(store, GlobalType{ValType::I32, false}, Value::f32(1));
  REQUIRE_FALSE(mismatch.ok());
}
