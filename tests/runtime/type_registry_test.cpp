// Canonical function type ids.
#include <catch2/catch.hpp>

#include "engine/runtime/api_access.h"
#include "engine/runtime/objects.h"

using namespace tern;

TEST_CASE("structurally equal function types share one id", "[types]") {
  Engine engine;
  rt::TypeRegistry& types = detail::Access::types(engine);
  FuncType a{{ValType::I32}, {}};
  FuncType b{{}, {ValType::I32}};
  FuncType c{{ValType::I32, ValType::I64}, {ValType::F32}};
  uint32_t ia = types.intern(a);
  uint32_t ib = types.intern(b);
  uint32_t ic = types.intern(c);
  CHECK(ia != ib);
  CHECK(ib != ic);
  CHECK(ia != ic);
  CHECK(types.intern(FuncType{{ValType::I32}, {}}) == ia);
  CHECK(types.intern(c) == ic);
  CHECK(types.type(ia) == a);
  CHECK(types.type(ic) == c);
  CHECK(types.intern(FuncType{}) == types.intern(FuncType{}));

  Engine other;
  CHECK(detail::Access::types(other).intern(c) == 0);  // ids are per engine
}
