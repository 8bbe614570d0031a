// GC in the text format: struct and array type definitions with field identifiers, and the
// instructions whose text immediates differ from their binary ones (field names, reference types
// that become opcodes or cast flags).
#include <algorithm>
#include <catch2/catch.hpp>

#include "engine/text/wast.h"

using tern::text::wat_to_binary;
using Bytes = std::vector<uint8_t>;

namespace {

Bytes encode(std::string_view text) {
  auto r = wat_to_binary(text);
  if (!r.ok()) FAIL(r.error().to_string());
  return r.value();
}

bool contains(const Bytes& b, const Bytes& seq) {
  return std::search(b.begin(), b.end(), seq.begin(), seq.end()) != b.end();
}

}  // namespace

TEST_CASE("struct and array types encode with their fields", "[text][gc]") {
  Bytes b = encode(R"((module
    (type $s (struct (field $x i32) (field $y (mut i64)) (field i8 (mut i16))))
    (type $a (sub (array (mut (ref null $s)))))
    (type $b (sub final $a (array (mut (ref null $s)))))))");
  // 3 entries: struct of 4 fields, sub (array), sub final 1 (array).
  CHECK(
      contains(b, {0x01, 0x18, 0x03, 0x5F, 0x04, 0x7F, 0x00, 0x7E, 0x01, 0x78, 0x00, 0x77, 0x01,
                   0x50, 0x00, 0x5E, 0x63, 0x00, 0x01, 0x4F, 0x01, 0x01, 0x5E, 0x63, 0x00, 0x01}));
}

TEST_CASE("field identifiers name struct fields in instructions", "[text][gc]") {
  Bytes b = encode(R"((module
    (type $s (struct (field $x i32) (field $y (mut i64))))
    (func (param (ref null $s)) (result i64)
      (struct.set $s $y (local.get 0) (i64.const 1))
      (struct.get $s $y (local.get 0)))))");
  CHECK(contains(b, {0xFB, 0x05, 0x00, 0x01}));
  CHECK(contains(b, {0xFB, 0x02, 0x00, 0x01}));
  auto r = wat_to_binary(R"((module (type (struct (field $x i32) (field $x i32)))))");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("duplicate field") != std::string::npos);
  r = wat_to_binary(R"((module (type $s (struct (field $x i32)))
    (func (param (ref $s)) (result i32) (struct.get $s $z (local.get 0)))))");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("unknown field") != std::string::npos);
}

TEST_CASE("casts take reference types, and their nullability picks the encoding", "[text][gc]") {
  Bytes b = encode(R"((module (type $s (struct))
    (func (param anyref) (result i32) (ref.test (ref $s) (local.get 0)))
    (func (param anyref) (result i32) (ref.test structref (local.get 0)))
    (func (param anyref) (result (ref null $s)) (ref.cast (ref null $s) (local.get 0)))
    (func (param anyref) (result anyref)
      (block $l (result (ref $s)) (return (br_on_cast $l anyref (ref $s) (local.get 0)))))
    (global (ref i31) (ref.i31 (i32.const 5)))))");
  CHECK(contains(b, {0xFB, 0x14, 0x00}));                    // ref.test (ref 0)
  CHECK(contains(b, {0xFB, 0x15, 0x6B}));                    // ref.test (ref null struct)
  CHECK(contains(b, {0xFB, 0x17, 0x00}));                    // ref.cast (ref null 0)
  CHECK(contains(b, {0xFB, 0x18, 0x01, 0x00, 0x6E, 0x00}));  // br_on_cast: source nullable
  CHECK(contains(b, {0x41, 0x05, 0xFB, 0x1C, 0x0B}));        // ref.i31 in a global
}
