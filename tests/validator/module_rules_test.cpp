// Module-level validation rules (valid/modules.rst).
#include <catch2/catch.hpp>

#include "decoder/module_builder.h"
#include "engine/decoder/decoder.h"
#include "engine/validator/validator.h"

using namespace tern;
using namespace tern::test;

namespace {

Result<void> decode_and_validate(const Bytes& b,
                                 const WasmFeatures& features = WasmFeatures::wasm30()) {
  auto m = decode_module(b, ModuleLimits{}, features);
  if (!m.ok()) FAIL(m.error().to_string());
  return validate(*m);
}

void expect_invalid(const Bytes& b, const std::string& message,
                    const WasmFeatures& features = WasmFeatures::wasm30()) {
  Result<void> r = decode_and_validate(b, features);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Invalid);
  CHECK(r.error().message == message);
}

void expect_valid(const Bytes& b, const WasmFeatures& features = WasmFeatures::wasm30()) {
  Result<void> r = decode_and_validate(b, features);
  if (!r.ok()) FAIL(r.error().to_string());
}

const Bytes kTypeVoid = type_section({func_type({}, {})});
const Bytes kOneFunc = func_section({0});
const Bytes kEmptyBody = code_section({body({0}, {0x0B})});
const Bytes kI32Zero = {0x41, 0x00, 0x0B};

Bytes global(uint8_t type, uint8_t mut, Bytes init) {
  return cat({{type, mut}, init});
}
Bytes exported(std::string_view name, uint8_t kind, uint8_t index) {
  return cat({str(name), {kind, index}});
}
Bytes import(std::string_view name, Bytes desc) {
  return cat({str("m"), str(name), desc});
}

}  // namespace

TEST_CASE("limits", "[validator]") {
  expect_valid(module({section(5, {0x01, 0x01, 0x00, 0x80, 0x80, 0x04})}));  // max 65536 pages
  expect_invalid(module({section(5, {0x01, 0x00, 0x81, 0x80, 0x04})}),
                 "memory size must be at most 65536 pages (4GiB)");
  expect_invalid(module({section(5, {0x01, 0x01, 0x00, 0x81, 0x80, 0x04})}),
                 "memory size must be at most 65536 pages (4GiB)");
  expect_invalid(module({section(5, {0x01, 0x01, 0x02, 0x01})}),
                 "size minimum must not be greater than maximum");
  expect_invalid(module({section(4, {0x01, kFuncRef, 0x01, 0x02, 0x01})}),
                 "size minimum must not be greater than maximum");
  expect_valid(module({section(4, {0x01, kFuncRef, 0x01, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F})}));
  // A second memory is the 2.0 error without multi-memory.
  const std::string second_memory =
      "multiple memories (a second memory requires the multi-memory proposal (-W multi-memory), "
      "which is not enabled)";
  expect_invalid(module({section(5, {0x02, 0x00, 0x00, 0x00, 0x00})}), second_memory,
                 WasmFeatures::wasm20());
  expect_invalid(module({section(2, vec({import("mem", {0x02, 0x00, 0x00})})),
                         section(5, {0x01, 0x00, 0x00})}),
                 second_memory, WasmFeatures::wasm20());
  expect_valid(module({section(5, {0x02, 0x00, 0x00, 0x00, 0x00})}));
}

TEST_CASE("constant expressions", "[validator]") {
  Bytes imported_globals =
      section(2, vec({import("c", {0x03, kI32, 0x00}), import("v", {0x03, kI32, 0x01})}));
  expect_valid(module({imported_globals, section(6, vec({global(kI32, 0, {0x23, 0x00, 0x0B})}))}));
  // global.get of a mutable import, of a defined global (3.0: an earlier immutable one only),
  // and arithmetic (extended const in 3.0).
  expect_invalid(module({imported_globals, section(6, vec({global(kI32, 0, {0x23, 0x01, 0x0B})}))}),
                 "constant expression required");
  Bytes reads_earlier_global =
      module({section(6, vec({global(kI32, 0, kI32Zero), global(kI32, 0, {0x23, 0x00, 0x0B})}))});
  expect_invalid(reads_earlier_global, "unknown global 0", WasmFeatures::wasm20());
  expect_valid(reads_earlier_global);
  expect_invalid(
      module({section(6, vec({global(kI32, 0, kI32Zero), global(kI32, 0, {0x23, 0x01, 0x0B})}))}),
      "unknown global 1");
  Bytes adds = module({section(6, vec({global(kI32, 0, {0x41, 0x01, 0x41, 0x02, 0x6A, 0x0B})}))});
  expect_valid(adds);
  expect_invalid(adds,
                 "i32.add in a constant expression requires the extended constant expressions "
                 "proposal (-W extended-const), which is not enabled",
                 WasmFeatures::wasm20());
  // Extended const: operands of the operator's type, one value left.
  expect_invalid(module({section(6, vec({global(kI64, 0, {0x41, 0x01, 0x41, 0x02, 0x7C, 0x0B})}))}),
                 "type mismatch");
  expect_invalid(module({section(6, vec({global(kI32, 0, {0x41, 0x01, 0x6B, 0x0B})}))}),
                 "type mismatch");
  expect_invalid(
      module({section(6, vec({global(kI32, 0, {0x41, 0x01, 0x41, 0x02, 0x6C, 0x6C, 0x0B})}))}),
      "type mismatch");
  expect_invalid(module({section(6, vec({global(kI32, 0, {0x01, 0x0B})}))}),
                 "constant expression required");
  // Nested blocks are read through so the error is about constness, not the format.
  expect_invalid(module({section(6, vec({global(kI32, 0, {0x02, 0x7F, 0x41, 0x00, 0x0B, 0x0B})}))}),
                 "constant expression required");
  // Type mismatches: wrong type, nothing, two values.
  expect_invalid(module({section(6, vec({global(kI64, 0, kI32Zero)}))}), "type mismatch");
  expect_invalid(module({section(6, vec({global(kI32, 0, {0x0B})}))}), "type mismatch");
  expect_invalid(module({section(6, vec({global(kI32, 0, {0x41, 0x00, 0x41, 0x00, 0x0B})}))}),
                 "type mismatch");
  expect_invalid(module({section(6, vec({global(kFuncRef, 0, {0xD0, kExternRef, 0x0B})}))}),
                 "type mismatch");
  // ref.func in a global initialiser: the function must exist.
  expect_invalid(module({section(6, vec({global(kFuncRef, 0, {0xD2, 0x00, 0x0B})}))}),
                 "unknown function 0");
  expect_valid(module({kTypeVoid, kOneFunc,
                       section(6, vec({global(kFuncRef, 0, {0xD2, 0x00, 0x0B})})), kEmptyBody}));
  Bytes v128_const = cat({{0xFD, 0x0C}, Bytes(16, 0), {0x0B}});
  expect_valid(module({section(6, vec({global(kV128, 0, v128_const)}))}));
}

TEST_CASE("unknown indices", "[validator]") {
  expect_invalid(module({func_section({0}), kEmptyBody}), "unknown type 0");
  expect_invalid(module({section(2, vec({import("f", {0x00, 0x03})}))}), "unknown type 3");
  expect_invalid(module({kTypeVoid, kOneFunc, section(7, vec({exported("f", 0, 3)})), kEmptyBody}),
                 "unknown function 3");
  expect_invalid(module({section(7, vec({exported("t", 1, 0)}))}), "unknown table 0");
  expect_invalid(module({section(7, vec({exported("m", 2, 0)}))}), "unknown memory 0");
  expect_invalid(module({section(7, vec({exported("g", 3, 1)}))}), "unknown global 1");
  expect_invalid(module({section(9, vec({cat({{0x00}, kI32Zero, vec({})})}))}), "unknown table 0");
  expect_invalid(module({section(11, vec({cat({{0x00}, kI32Zero, str("")})}))}),
                 "unknown memory 0");
  expect_invalid(module({kTypeVoid, kOneFunc, section(8, {0x01}), kEmptyBody}),
                 "unknown function 1");
}

TEST_CASE("exports / start and segments", "[validator]") {
  Bytes exports = section(7, vec({exported("a", 0, 0), exported("a", 0, 0)}));
  expect_invalid(module({kTypeVoid, kOneFunc, exports, kEmptyBody}), "duplicate export name");
  expect_valid(module({kTypeVoid, kOneFunc,
                       section(7, vec({exported("a", 0, 0), exported("b", 0, 0)})), kEmptyBody}));

  expect_valid(module({kTypeVoid, kOneFunc, section(8, {0x00}), kEmptyBody}));
  Bytes typed = type_section({func_type({kI32}, {})});
  expect_invalid(module({typed, kOneFunc, section(8, {0x00}), code_section({body({0}, {0x0B})})}),
                 "start function");

  Bytes funcref_table = section(4, {0x01, kFuncRef, 0x00, 0x01});
  Bytes externref_table = section(4, {0x01, kExternRef, 0x00, 0x01});
  Bytes active_funcs = section(9, vec({cat({{0x00}, kI32Zero, vec({{0x00}})})}));
  expect_valid(module({kTypeVoid, kOneFunc, funcref_table, active_funcs, kEmptyBody}));
  expect_invalid(module({kTypeVoid, kOneFunc, externref_table, active_funcs, kEmptyBody}),
                 "type mismatch");
  // Offsets must be i32 constants; initialisers must have the segment's type.
  expect_invalid(
      module({funcref_table, section(9, vec({cat({{0x00, 0x42, 0x00, 0x0B}, vec({})})}))}),
      "type mismatch");
  expect_invalid(
      module({section(9, vec({cat({{0x05, kExternRef}, vec({{0xD0, kFuncRef, 0x0B}})})}))}),
      "type mismatch");
  expect_invalid(module({section(5, {0x01, 0x00, 0x01}),
                         section(11, vec({cat({{0x00, 0x42, 0x00, 0x0B}, str("")})}))}),
                 "type mismatch");
}

TEST_CASE("ref.func in code needs a declared function", "[validator]") {
  Bytes code = code_section({body({0}, {0xD2, 0x00, 0x1A, 0x0B})});
  expect_invalid(module({kTypeVoid, kOneFunc, code}), "undeclared function reference");
  // Declared by an export, a declarative element segment, or a global initialiser.
  expect_valid(module({kTypeVoid, kOneFunc, section(7, vec({exported("f", 0, 0)})), code}));
  expect_valid(
      module({kTypeVoid, kOneFunc, section(9, vec({cat({{0x03, 0x00}, vec({{0x00}})})})), code}));
  expect_valid(module(
      {kTypeVoid, kOneFunc, section(6, vec({global(kFuncRef, 0, {0xD2, 0x00, 0x0B})})), code}));
  // The start function does not declare.
  expect_invalid(module({kTypeVoid, kOneFunc, section(8, {0x00}), code}),
                 "undeclared function reference");
}
