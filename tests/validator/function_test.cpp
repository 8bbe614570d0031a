// Function bodies: the typing algorithm for every instruction family, the malformed-body errors
// found while reading code, and the FuncConsumer contract.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "decoder/module_builder.h"
#include "engine/decoder/decoder.h"
#include "engine/validator/func_validator.h"
#include "engine/validator/validator.h"

using namespace tern;
using namespace tern::test;

namespace {

struct Outcome {
  Result<void> result;
  uint64_t code_start;  // module offset of the first instruction
};

// Validates a module whose one function has type params -> results, locals `locals` (a vector
// of groups) and instructions `code`.
Outcome check_code(Bytes params, Bytes results, Bytes code, std::initializer_list<Bytes> extra = {},
                   Bytes locals = {0x00}) {
  auto m = decode_module(one_func(params, results, code, extra, locals));
  if (!m.ok()) FAIL(m.error().to_string());
  Result<void> module_ok = validate_module(*m);
  if (!module_ok.ok()) FAIL(module_ok.error().to_string());
  return {validate_function(*m, 0, nullptr), m->bodies[0].start + locals.size()};
}

void expect_ok(Bytes params, Bytes results, Bytes code, std::initializer_list<Bytes> extra = {}) {
  Outcome o = check_code(params, results, code, extra);
  if (!o.result.ok()) FAIL(o.result.error().to_string());
}

// Expects `kind` with `message` at code offset `at` (from the first instruction).
void expect_error(ErrorKind kind, Bytes params, Bytes results, Bytes code,
                  const std::string& message, uint64_t at, std::initializer_list<Bytes> extra = {},
                  Bytes locals = {0x00}) {
  Outcome o = check_code(params, results, code, extra, locals);
  INFO("expecting " << message);
  REQUIRE_FALSE(o.result.ok());
  CHECK(o.result.error().message == message);
  CHECK(o.result.error().kind == kind);
  CHECK(o.result.error().offset.value_or(UINT64_MAX) == o.code_start + at);
}

void expect_invalid(Bytes params, Bytes results, Bytes code, const std::string& message,
                    uint64_t at, std::initializer_list<Bytes> extra = {}) {
  expect_error(ErrorKind::Invalid, params, results, code, message, at, extra);
}

const Bytes kMemory = section(5, {0x01, 0x00, 0x01});
Bytes v128_const() {
  return cat({{0xFD, 0x0C}, Bytes(16, 0)});
}

}  // namespace

TEST_CASE("numeric instructions are typed from their signatures", "[validator]") {
  expect_ok({kI32, kI32}, {kI32}, {0x20, 0x00, 0x20, 0x01, 0x6A, 0x0B});         // i32.add
  expect_ok({kF64}, {kI64}, {0x20, 0x00, 0xB0, 0x0B});                           // i64.trunc_f64_s
  expect_invalid({kI64}, {kI32}, {0x20, 0x00, 0x45, 0x0B}, "type mismatch", 2);  // i32.eqz of i64
  expect_invalid({}, {kI32}, {0x6A, 0x0B}, "type mismatch", 0);                  // nothing to add
  expect_invalid({}, {kI32}, {0x0B}, "type mismatch", 0);                        // missing result
  expect_invalid({}, {}, {0x41, 0x00, 0x0B}, "type mismatch", 2);                // extra value
}

TEST_CASE("unreachable code is polymorphic", "[validator]") {
  expect_ok({}, {kI32}, {0x00, 0x6A, 0x0B});  // unreachable; i32.add
  expect_ok({}, {kI32}, {0x41, 0x00, 0x0C, 0x00, 0x1A, 0x1A, 0x41, 0x00, 0x0B});  // br; drop; drop
  expect_ok({}, {}, {0x00, 0x1B, 0x1A, 0x0B});  // select of unknowns
  expect_invalid({}, {}, {0x00, 0x42, 0x00, 0x6A, 0x1A, 0x0B}, "type mismatch", 3);
  // The polymorphic stack ends with its block.
  expect_invalid({}, {}, {0x02, 0x40, 0x00, 0x0B, 0x1A, 0x0B}, "type mismatch", 4);
}

TEST_CASE("blocks / branches and multi-value", "[validator]") {
  Bytes types = type_section({func_type({}, {}), func_type({kI32, kI64}, {kI64, kI32})});
  auto check_with_types = [&](Bytes code) {
    Bytes bytes = cat({kHeader, types, func_section({0}), code_section({body({0x00}, code)})});
    auto m = decode_module(bytes);
    REQUIRE(m.ok());
    return validate(*m);
  };
  // block (type 1) takes i32 i64, leaves i64 i32.
  CHECK(check_with_types({0x41, 0x01, 0x42, 0x02, 0x02, 0x01, 0x1A, 0x1A, 0x42, 0x00, 0x41, 0x00,
                          0x0B, 0x1A, 0x1A, 0x0B})
            .ok());
  CHECK(check_with_types({0x41, 0x01, 0x02, 0x01, 0x0B, 0x0B}).error().message == "type mismatch");
  CHECK(check_with_types({0x02, 0x05, 0x0B, 0x0B}).error().message == "unknown type 5");

  expect_ok({}, {kI32}, {0x02, 0x7F, 0x41, 0x01, 0x0C, 0x00, 0x0B, 0x0B});  // br out with a value
  expect_ok({}, {}, {0x03, 0x40, 0x0C, 0x00, 0x0B, 0x0B});  // br to a loop: no values
  expect_invalid({}, {}, {0x0C, 0x01, 0x0B}, "unknown label 1", 0);
  // if without else must pass its params through unchanged.
  expect_invalid({}, {}, {0x41, 0x00, 0x04, 0x7F, 0x41, 0x01, 0x0B, 0x1A, 0x0B}, "type mismatch",
                 6);
  expect_ok({}, {kI32}, {0x41, 0x00, 0x04, 0x7F, 0x41, 0x01, 0x05, 0x41, 0x02, 0x0B, 0x0B});
  expect_invalid({}, {kI32}, {0x41, 0x00, 0x04, 0x7F, 0x41, 0x01, 0x05, 0x0B, 0x0B},
                 "type mismatch", 7);
  // br_if keeps its label's values.
  expect_ok({}, {kI32}, {0x02, 0x7F, 0x41, 0x01, 0x41, 0x00, 0x0D, 0x00, 0x0B, 0x0B});
}

TEST_CASE("br_table: every label must have the default's arity", "[validator]") {
  // block (result i32) block (result i64): labels of different arity types.
  expect_ok({}, {kI32}, {0x02, 0x7F, 0x41, 0x07, 0x41, 0x00, 0x0E, 0x01, 0x00, 0x00, 0x0B, 0x0B});
  expect_invalid({}, {},
                 {0x02, 0x7F, 0x41, 0x07, 0x41, 0x00, 0x0E, 0x01, 0x00, 0x01, 0x0B, 0x1A, 0x0B},
                 "type mismatch", 6);
  expect_invalid({}, {}, {0x41, 0x00, 0x0E, 0x00, 0x03, 0x0B}, "unknown label 3", 2);
  // In unreachable code the labels' types need only agree in arity.
  expect_ok({}, {},
            {0x02, 0x7E, 0x02, 0x7F, 0x00, 0x0E, 0x01, 0x00, 0x01, 0x0B, 0x1A, 0x42, 0x00, 0x0B,
             0x1A, 0x0B});
}

TEST_CASE("parametric instructions: select and select t", "[validator]") {
  expect_ok({kF32, kF32}, {kF32}, {0x20, 0x00, 0x20, 0x01, 0x41, 0x00, 0x1B, 0x0B});
  expect_invalid({kF32, kI32}, {kF32}, {0x20, 0x00, 0x20, 0x01, 0x41, 0x00, 0x1B, 0x0B},
                 "type mismatch", 6);
  // Untyped select refuses references; select t allows them.
  expect_invalid({}, {}, {0xD0, kFuncRef, 0xD0, kFuncRef, 0x41, 0x00, 0x1B, 0x1A, 0x0B},
                 "type mismatch", 6);
  expect_ok({}, {}, {0xD0, kFuncRef, 0xD0, kFuncRef, 0x41, 0x00, 0x1C, 0x01, kFuncRef, 0x1A, 0x0B});
  expect_invalid({}, {}, {0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0x1C, 0x02, kI32, kI32, 0x1A, 0x0B},
                 "invalid result arity", 6);
  expect_invalid({}, {}, {0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0x1C, 0x00, 0x1A, 0x0B},
                 "invalid result arity", 6);
}

TEST_CASE("variables", "[validator]") {
  expect_ok({kI32}, {kI32}, {0x20, 0x00, 0x22, 0x00, 0x21, 0x00, 0x20, 0x00, 0x0B});
  expect_invalid({kI32}, {}, {0x20, 0x01, 0x1A, 0x0B}, "unknown local 1", 0);
  Bytes globals = section(
      6, vec({cat({{kI32, 0x00}, {0x41, 0x00, 0x0B}}), cat({{kI64, 0x01}, {0x42, 0x00, 0x0B}})}));
  expect_ok({}, {}, {0x42, 0x01, 0x24, 0x01, 0x23, 0x00, 0x1A, 0x0B}, {globals});
  expect_invalid({}, {}, {0x41, 0x01, 0x24, 0x00, 0x0B}, "global is immutable", 2, {globals});
  expect_invalid({}, {}, {0x23, 0x02, 0x1A, 0x0B}, "unknown global 2", 0, {globals});
  // Declared locals follow the parameters.
  Outcome o = check_code({kI32}, {kF64}, {0x20, 0x02, 0x0B}, {}, {0x02, 0x01, kI64, 0x01, kF64});
  CHECK(o.result.ok());
}

TEST_CASE("memory instructions: memory / alignment / bulk memory", "[validator]") {
  expect_ok({}, {kI32}, {0x41, 0x00, 0x28, 0x02, 0x00, 0x0B}, {kMemory});
  expect_invalid({}, {kI32}, {0x41, 0x00, 0x28, 0x02, 0x00, 0x0B}, "unknown memory 0", 2);
  expect_invalid({}, {kI32}, {0x41, 0x00, 0x28, 0x03, 0x00, 0x0B},
                 "alignment must not be larger than natural", 2, {kMemory});
  expect_ok({}, {kI32}, {0x3F, 0x00, 0x40, 0x00, 0x0B}, {kMemory});  // memory.size; memory.grow
  expect_invalid({}, {kI32}, {0x3F, 0x00, 0x0B}, "unknown memory 0", 0);
  Bytes fill = {0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0B, 0x00, 0x0B};
  expect_ok({}, {}, fill, {kMemory});
  Bytes copy = {0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0A, 0x00, 0x00, 0x0B};
  expect_ok({}, {}, copy, {kMemory});
  Bytes init = {0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x08, 0x00, 0x00, 0xFC, 0x09, 0x00, 0x0B};
  Bytes data = section(11, vec({cat({{0x01}, str("x")})}));
  expect_ok({}, {}, init, {kMemory, section(12, {0x01}), data});
  expect_invalid({}, {}, init, "unknown data segment 0", 6, {kMemory, section(12, {0x00})});
  expect_error(ErrorKind::Malformed, {}, {}, init, "data count section required", 6,
               {kMemory, data});
  expect_error(ErrorKind::Malformed, {}, {}, {0xFC, 0x09, 0x00, 0x0B},
               "data count section required", 0);
}

TEST_CASE("table and reference instructions", "[validator]") {
  Bytes tables = section(4, vec({{kFuncRef, 0x00, 0x01}, {kExternRef, 0x00, 0x01}}));
  Bytes elems = section(9, vec({cat({{0x05, kExternRef}, vec({})}), cat({{0x01, 0x00}, vec({})})}));
  expect_ok({}, {kExternRef}, {0x41, 0x00, 0x25, 0x01, 0x0B}, {tables});
  expect_invalid({}, {kFuncRef}, {0x41, 0x00, 0x25, 0x01, 0x0B}, "type mismatch", 4, {tables});
  expect_invalid({}, {}, {0x41, 0x00, 0x25, 0x02, 0x1A, 0x0B}, "unknown table 2", 2, {tables});
  expect_ok({}, {}, {0x41, 0x00, 0xD0, kExternRef, 0x26, 0x01, 0x0B}, {tables});
  expect_ok({}, {kI32}, {0xD0, kFuncRef, 0x41, 0x01, 0xFC, 0x0F, 0x00, 0x0B}, {tables});  // grow
  expect_ok({}, {kI32}, {0xFC, 0x10, 0x01, 0x0B}, {tables});                              // size
  expect_ok({}, {}, {0x41, 0x00, 0xD0, kExternRef, 0x41, 0x01, 0xFC, 0x11, 0x01, 0x0B}, {tables});
  Bytes three = {0x41, 0x00, 0x41, 0x00, 0x41, 0x00};
  expect_ok({}, {}, cat({three, {0xFC, 0x0E, 0x00, 0x00, 0x0B}}), {tables});  // table.copy
  expect_invalid({}, {}, cat({three, {0xFC, 0x0E, 0x00, 0x01, 0x0B}}), "type mismatch", 6,
                 {tables});
  expect_ok({}, {}, cat({three, {0xFC, 0x0C, 0x00, 0x01, 0xFC, 0x0D, 0x00, 0x0B}}),
            {tables, elems});
  expect_invalid({}, {}, cat({three, {0xFC, 0x0C, 0x00, 0x00, 0x0B}}), "type mismatch", 6,
                 {tables, elems});
  expect_invalid({}, {}, {0xFC, 0x0D, 0x02, 0x0B}, "unknown elem segment 2", 0, {tables, elems});
  expect_ok({}, {kI32}, {0xD0, kExternRef, 0xD1, 0x0B});
  expect_invalid({}, {kI32}, {0x41, 0x00, 0xD1, 0x0B}, "type mismatch", 2);
  // call_indirect through an externref table is refused.
  expect_ok({}, {}, {0x41, 0x00, 0x11, 0x00, 0x00, 0x0B}, {tables});
  expect_invalid({}, {}, {0x41, 0x00, 0x11, 0x00, 0x01, 0x0B}, "type mismatch", 2, {tables});
  expect_invalid({}, {}, {0x41, 0x00, 0x11, 0x03, 0x00, 0x0B}, "unknown type 3", 2, {tables});
  expect_invalid({}, {}, {0x10, 0x04, 0x0B}, "unknown function 4", 0);
}

TEST_CASE("SIMD: lanes / shuffles / lane memory ops", "[validator]") {
  Bytes v = v128_const();
  expect_ok({}, {kI32}, cat({v, {0xFD, 0x15, 0x0F, 0x0B}}));  // i8x16.extract_lane_s 15
  expect_invalid({}, {kI32}, cat({v, {0xFD, 0x15, 0x10, 0x0B}}), "invalid lane index", 18);
  expect_invalid({}, {kI64}, cat({v, {0xFD, 0x1D, 0x02, 0x0B}}), "invalid lane index", 18);
  expect_ok({}, {kV128},
            cat({v, {0x43, 0, 0, 0, 0, 0xFD, 0x20, 0x03, 0x0B}}));  // f32x4.replace_lane
  expect_ok({}, {kV128}, cat({v, v, {0xFD, 0x0D}, Bytes(16, 31), {0x0B}}));
  expect_invalid({}, {kV128}, cat({v, v, {0xFD, 0x0D}, Bytes(15, 0), {32, 0x0B}}),
                 "invalid lane index", 36);
  expect_ok({}, {kV128}, cat({v, v, {0xFD, 0x4E, 0x0B}}));  // v128.and
  expect_invalid({}, {kV128}, cat({v, {0x41, 0x00, 0xFD, 0x4E, 0x0B}}), "type mismatch", 20);
  expect_ok({}, {kV128}, cat({{0x41, 0x00}, v, {0xFD, 0x57, 0x03, 0x00, 0x01, 0x0B}}), {kMemory});
  expect_invalid({}, {kV128}, cat({{0x41, 0x00}, v, {0xFD, 0x57, 0x03, 0x00, 0x02, 0x0B}}),
                 "invalid lane index", 20, {kMemory});
  expect_invalid({}, {kV128}, cat({{0x41, 0x00}, v, {0xFD, 0x54, 0x01, 0x00, 0x00, 0x0B}}),
                 "alignment must not be larger than natural", 20, {kMemory});
  expect_ok({}, {kV128}, {0x41, 0x00, 0xFD, 0x00, 0x04, 0x00, 0x0B}, {kMemory});  // v128.load
  expect_ok({}, {kI32}, cat({v, {0xFD, 0x63, 0x0B}}));                            // i8x16.all_true
}

TEST_CASE("malformed bodies are ErrorKind::Malformed", "[validator]") {
  auto malformed = [](Bytes code, const std::string& message, uint64_t at,
                      std::initializer_list<Bytes> extra = {}, Bytes locals = {0x00}) {
    expect_error(ErrorKind::Malformed, {}, {}, code, message, at, extra, locals);
  };
  malformed({0x27, 0x0B}, "illegal opcode", 0);              // reserved in every version
  malformed({0xFD, 0x80, 0x04, 0x0B}, "illegal opcode", 0);  // 0xFD 512
  malformed({0x05, 0x0B}, "illegal opcode", 0);              // else outside if
  malformed({0x01}, "END opcode expected", 1);
  malformed({0x0B, 0x01}, "section size mismatch", 1);
  malformed({0x41, 0x80}, "unexpected end of section or function", 2);
  malformed({0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x1A, 0x0B},
            "integer representation too long", 5);
  // Multi-memory (on by default): memory indices are u32s and memarg flags reach 127, so
  // these are index and alignment errors (the 2.0 preset keeps 2.0's format errors).
  expect_invalid({}, {}, {0x3F, 0x01, 0x1A, 0x0B}, "unknown memory 1", 0, {kMemory});
  expect_ok({}, {}, {0x3F, 0x80, 0x00, 0x1A, 0x0B}, {kMemory});
  expect_invalid({}, {}, {0x41, 0x00, 0x28, 0x20, 0x00, 0x1A, 0x0B},
                 "alignment must not be larger than natural", 2, {kMemory});
  malformed({0x41, 0x00, 0x28, 0x80, 0x01, 0x00, 0x1A, 0x0B}, "malformed memop flags", 3,
            {kMemory});
  malformed({0x02, 0x7A, 0x0B, 0x0B}, "malformed block type", 1);
  malformed({0xD0, 0x7F, 0x1A, 0x0B}, "malformed reference type", 1);
  malformed({0xFD, 0x94, 0x02, 0x0B}, "illegal opcode", 0);  // 0xFD 0x114, after relaxed SIMD
  // GC's opcodes read, and are typed (tests/validator/gc_test.cpp); 0xFB 0x1F is unassigned.
  expect_invalid({}, {}, {0xD3, 0x0B}, "type mismatch", 0);
  expect_invalid({}, {}, {0xFB, 0x00, 0x00, 0x0B}, "type mismatch: type 0 is not a struct type", 0);
  malformed({0xFB, 0x1F, 0x0B}, "illegal opcode", 0);
  // 0xFFFFFFFF + 2 locals overflow the 32-bit count.
  Bytes too_many = cat({{0x02}, uleb(UINT32_MAX), {kI32, 0x02, kI64}});
  Outcome o = check_code({}, {}, {0x0B}, {}, too_many);
  REQUIRE_FALSE(o.result.ok());
  CHECK(o.result.error().kind == ErrorKind::Malformed);
  CHECK(o.result.error().message == "too many locals");
  // Within the format's limit but beyond what the engine accepts.
  Outcome limit =
      check_code({}, {}, {0x0B}, {}, cat({{0x01}, uleb(ModuleLimits{}.locals + 1), {kI32}}));
  REQUIRE_FALSE(limit.result.ok());
  CHECK(limit.result.error().kind == ErrorKind::Limit);
}
