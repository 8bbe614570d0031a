// Robustness: every truncation and many single-byte corruptions of a module using most of the
// format must give a value (a module or an Error with an offset inside the input), never a crash.
// Run under the sanitizers to catch out-of-bounds reads.
#include <catch2/catch.hpp>

#include "decoder/module_builder.h"
#include "engine/decoder/decoder.h"
#include "engine/validator/validator.h"

using namespace tern;
using namespace tern::test;

namespace {

Bytes rich_module() {
  Bytes v128 = cat({{0xFD, 0x0C}, Bytes(16, 1)});
  Bytes code = cat({{0x20, 0x00, 0x02, 0x7F, 0x41, 0x01, 0x0B, 0x6A,               // block
                     0x41, 0x00, 0x04, 0x40, 0x01, 0x05, 0x01, 0x0B,               // if/else
                     0x02, 0x40, 0x41, 0x00, 0x0E, 0x01, 0x00, 0x00, 0x0B,         // br_table
                     0x1A, 0x41, 0x00, 0x28, 0x02, 0x04, 0x1A,                     // load
                     0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x08, 0x00, 0x00},  // memory.init
                    v128,
                    {0xFD, 0x15, 0x03, 0x1A,                          // extract lane
                     0xD2, 0x00, 0x1A, 0x41, 0x00, 0x25, 0x00, 0x1A,  // ref.func
                     0x20, 0x00, 0x0B}});
  return module({
      type_section({func_type({kI32}, {kI32}), func_type({kI64, kF32}, {kV128})}),
      section(2, vec({cat({str("env"), str("g"), {0x03, kI32, 0x00}})})),
      func_section({0}),
      section(4, vec({{kFuncRef, 0x01, 0x01, 0x02}})),
      section(5, vec({{0x00, 0x01}})),
      section(6, vec({{kI32, 0x01, 0x23, 0x00, 0x0B}})),
      section(7, vec({cat({str("f"), {0x00, 0x00}})})),
      section(9, vec({cat({{0x00, 0x41, 0x00, 0x0B}, vec({{0x00}})}),
                      cat({{0x05, kFuncRef}, vec({{0xD0, kFuncRef, 0x0B}})})})),
      section(12, {0x01}),
      code_section({body({0x01, 0x02, kF64}, code)}),
      section(11, vec({cat({{0x01}, str("hello")})})),
      section(0, cat({str("name"), section(1, vec({cat({{0x00}, str("f")})}))})),
  });
}

void check_no_crash(const Bytes& bytes) {
  auto m = decode_module(bytes);
  if (!m.ok()) {
    CHECK(m.error().offset.value_or(0) <= bytes.size());
    return;
  }
  Result<void> v = validate(*m);
  if (!v.ok()) CHECK(v.error().offset.value_or(0) <= bytes.size());
}

}  // namespace

TEST_CASE("the rich test module is valid", "[decoder][robustness]") {
  auto m = decode_module(rich_module());
  REQUIRE(m.ok());
  Result<void> v = validate(*m);
  if (!v.ok()) FAIL(v.error().to_string());
  CHECK(m->func_names.at(0) == "f");
}

TEST_CASE("truncations and byte corruptions give errors / not crashes", "[decoder][robustness]") {
  const Bytes original = rich_module();
  for (size_t n = 0; n < original.size(); ++n) {
    check_no_crash(Bytes(original.begin(), original.begin() + n));
  }
  for (size_t i = 8; i < original.size(); ++i) {
    for (uint8_t value : {0x00, 0x01, 0x7F, 0x80, 0xFF, 0x40, 0x0B}) {
      Bytes corrupt = original;
      corrupt[i] = value;
      check_no_crash(corrupt);
    }
  }
}
