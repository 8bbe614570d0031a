#include "engine/opcodes.h"

#include <catch2/catch.hpp>

#include "tern/error.h"
#include "tern/value.h"

using namespace tern;

TEST_CASE("opcode table lookups agree in both directions") {
  for (size_t i = 0; i < kOpcodeCount; ++i) {
    Opcode op = Opcode(i);
    const OpcodeInfo& o = info(op);
    auto back =
        o.prefix == 0 ? opcode_from_byte(uint8_t(o.code)) : opcode_from_prefixed(o.prefix, o.code);
    REQUIRE(back.has_value());
    CHECK(*back == op);
  }
  CHECK(opcode_from_text("i32.add") == Opcode::I32Add);
  CHECK(opcode_from_text("select") == Opcode::Select);
  CHECK(opcode_from_text("f64x2.convert_low_i32x4_u") == Opcode::F64x2ConvertLowI32x4U);
  CHECK_FALSE(opcode_from_text("i32.bogus"));
  CHECK_FALSE(opcode_from_byte(0x27));  // reserved in every version
  CHECK_FALSE(opcode_from_prefixed(0xFD, 0x9A));
}

TEST_CASE("values print integers in decimal and floats in shortest round-trip form") {
  CHECK(to_string(Value::i32(-7)) == "-7");
  CHECK(to_string(Value::i64(1)) == "1");
  CHECK(to_string(Value::f64(0.3)) == "0.3");
  CHECK(to_string(Value::f32(-0.0f)) == "-0");
  CHECK(to_string(Value::f64(1e300)) == "1e+300");
}

TEST_CASE("errors read with kind / offset and rule") {
  CHECK(Error::malformed("unexpected end", 0x1a).to_string() ==
        "malformed at offset 0x1a: unexpected end");
}
