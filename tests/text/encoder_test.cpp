// Byte-exact encodings of small modules, written by hand from the spec's binary format.
#include <catch2/catch.hpp>

#include "engine/text/wast.h"

using tern::text::wat_to_binary;
using Bytes = std::vector<uint8_t>;

namespace {

const Bytes kHeader = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};

Bytes module(std::initializer_list<uint8_t> sections) {
  Bytes b = kHeader;
  b.insert(b.end(), sections);
  return b;
}

Bytes encode(std::string_view text) {
  auto r = wat_to_binary(text);
  if (!r.ok()) FAIL(r.error().to_string());
  return r.value();
}

std::string error_of(std::string_view text) {
  auto r = wat_to_binary(text);
  if (r.ok()) return "accepted";
  CHECK(r.error().kind == tern::ErrorKind::Malformed);
  return r.error().message;
}

}  // namespace

TEST_CASE("empty modules", "[text][encoder]") {
  CHECK(encode("(module)") == kHeader);
  CHECK(encode("(module $m)") == kHeader);
  CHECK(encode("") == kHeader);
}

TEST_CASE("a function with an implicit type / export and folded body", "[text][encoder]") {
  Bytes expected = module({
      0x01, 0x07, 0x01, 0x60, 0x02, 0x7F, 0x7F, 0x01, 0x7F,  // type: (i32 i32) -> i32
      0x03, 0x02, 0x01, 0x00,                                // func: type 0
      0x07, 0x07, 0x01, 0x03, 'a',  'd',  'd',  0x00, 0x00,  // export "add" func 0
      0x0A, 0x09, 0x01, 0x07, 0x00,                          // code: 1 body, 7 bytes, 0 locals
      0x20, 0x00, 0x20, 0x01, 0x6A, 0x0B,                    // local.get 0 local.get 1 i32.add
  });
  // With an identifier, a name section names the function for backtraces.
  Bytes named = expected;
  named.insert(named.end(), {0x00, 0x0D, 0x04, 'n', 'a', 'm', 'e',  // custom section "name"
                             0x01, 0x06, 0x01, 0x00, 0x03, 'a', 'd', 'd'});  // funcs: 0 "add"
  CHECK(encode(R"((module (func $add (export "add") (param $a i32) (param $b i32) (result i32)
                     (i32.add (local.get $a) (local.get $b)))))") == named);
  CHECK(encode(R"((func (export "add") (param i32 i32) (result i32)
                     local.get 0 local.get 1 i32.add))") == expected);
}

TEST_CASE("type uses reuse matching types and append new ones", "[text][encoder]") {
  Bytes expected = module({
      0x01, 0x08, 0x02, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7E, 0x00,  // [] -> [], [i64] -> []
      0x03, 0x04, 0x03, 0x00, 0x01, 0x00,                          // funcs: 0 1 0
      0x0A, 0x0A, 0x03, 0x02, 0x00, 0x0B, 0x02, 0x00, 0x0B, 0x02, 0x00, 0x0B,
  });
  CHECK(encode("(type $v (func)) (func (type $v)) (func (param i64)) (func)") == expected);
  CHECK(error_of("(type $v (func)) (func (type $v) (param i32))").find("inline function type") ==
        0);
  CHECK(error_of("(func (type $nope))").find("unknown type") == 0);
}

TEST_CASE("LEB128 immediates / memargs and blocks", "[text][encoder]") {
  auto bytes = encode(R"((memory 1)
      (func block $b i32.const -123456 i64.const 128 i32.store offset=624485 align=2 br $b end $b))");
  // block (no result), i32.const -123456, i64.const 128, i32.store align=2 offset=624485, br 0.
  Bytes code_body = {0x02, 0x40, 0x41, 0xC0, 0xBB, 0x78, 0x42, 0x80, 0x01,
                     0x36, 0x01, 0xE5, 0x8E, 0x26, 0x0C, 0x00, 0x0B, 0x0B};
  REQUIRE(bytes.size() > code_body.size());
  CHECK(std::search(bytes.begin(), bytes.end(), code_body.begin(), code_body.end()) != bytes.end());
  CHECK(error_of("(memory 1) (func i32.const 0 i32.load align=3 drop)").find("alignment") == 0);
  CHECK(error_of("(func block $a end $b)").find("mismatching label") == 0);
  CHECK(error_of("(func br $x)").find("unknown label") == 0);
}

TEST_CASE("data count section precedes code when memory.init is used", "[text][encoder]") {
  Bytes expected = module({
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x02, 0x01,
      0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x0C, 0x01, 0x01,  // data count 1
      0x0A, 0x0E, 0x01, 0x0C, 0x00, 0x41, 0x00, 0x41, 0x00,
      0x41, 0x00, 0xFC, 0x08, 0x00, 0x00, 0x0B,  // memory.init 0
      0x0B, 0x04, 0x01, 0x01, 0x01, 'x',         // data: passive "x"
  });
  CHECK(encode(R"((memory 1) (func (memory.init $d (i32.const 0) (i32.const 0) (i32.const 0)))
                  (data $d "x"))") == expected);
}

TEST_CASE("inline imports / table elems and memory data", "[text][encoder]") {
  Bytes expected = module({
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x02, 0x07, 0x01, 0x01, 'm',
      0x01, 'f',  0x00, 0x00,  // import "m" "f" func type 0
      0x03, 0x02, 0x01, 0x00, 0x04, 0x05, 0x01, 0x70, 0x01, 0x02, 0x02,  // table funcref 2 2
      0x05, 0x04, 0x01, 0x01, 0x01, 0x01,                                // memory 1 1
      0x09, 0x08, 0x01, 0x00, 0x41, 0x00, 0x0B, 0x02, 0x01, 0x00,        // elem 0: [$g, $f]
      0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B, 0x0B, 0x08, 0x01, 0x00, 0x41,
      0x00, 0x0B, 0x02, 'h',  'i',                                 // data "hi" at 0
      0x00, 0x0E, 0x04, 'n',  'a',  'm',  'e',  0x01, 0x07, 0x02,  // names of 2 functions:
      0x00, 0x01, 'f',  0x01, 0x01, 'g',                           // 0 "f", 1 "g"
  });
  CHECK(encode(R"((func $f (import "m" "f")) (func $g)
                  (table funcref (elem $g $f)) (memory (data "h" "i")))") == expected);
  CHECK(error_of(R"((func) (import "m" "f" (func)))").find("import after function") == 0);
  CHECK(error_of("(func $f) (func $f)").find("duplicate func") == 0);
}

TEST_CASE("SIMD immediates", "[text][encoder]") {
  auto bytes = encode(R"((memory 1) (func (result v128)
      (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31
        (v128.const i32x4 1 -1 0x10 0) (v128.load8_lane offset=1 3 (i32.const 0)
          (v128.const f32x4 1 2 3 4)))))");
  Bytes shuffle = {0xFD, 0x0D, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 31};
  Bytes load_lane = {0xFD, 0x54, 0x00, 0x01, 0x03};
  Bytes i32x4 = {0xFD, 0x0C, 1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x10, 0, 0, 0, 0, 0, 0, 0};
  for (const Bytes* part : {&shuffle, &load_lane, &i32x4}) {
    CHECK(std::search(bytes.begin(), bytes.end(), part->begin(), part->end()) != bytes.end());
  }
  CHECK(error_of("(func (v128.const i32x4 1 2 3) drop)") != "accepted");
  CHECK(error_of("(func (i8x16.shuffle 0 1 2) drop)") != "accepted");
}

TEST_CASE("errors carry line and column", "[text][encoder]") {
  auto r = wat_to_binary("(module\n  (func\n    i32.bogus))");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "unknown operator at 3:5");
  CHECK(r.error().offset == 20u);
}

TEST_CASE("deep nesting is an error / not a crash", "[text][encoder]") {
  auto nested = [](int depth, std::string_view open, std::string_view close) {
    std::string s = "(func ";
    for (int i = 0; i < depth; ++i) s += open;
    for (int i = 0; i < depth; ++i) s += close;
    return s + ")";
  };
  CHECK(wat_to_binary(nested(1000, "(block ", ")")).ok());
  CHECK(wat_to_binary(nested(1000, "block ", "end ")).ok());
  CHECK(error_of(nested(100000, "(block ", ")")).find("nesting too deep") == 0);
  CHECK(error_of(nested(100000, "block ", "end ")).find("nesting too deep") == 0);
  CHECK(error_of(nested(100000, "(i32.add ", ")")).find("nesting too deep") == 0);
}
