// The binary decoder: every section, and every structural error with its wording and offset.
#include "engine/decoder/decoder.h"

#include <catch2/catch.hpp>

#include "decoder/module_builder.h"
#include "engine/validator/validator.h"

using namespace tern;
using namespace tern::test;

namespace {

void expect_malformed(const Bytes& b, const std::string& message, uint64_t offset) {
  auto r = decode_module(b);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Malformed);
  CHECK(r.error().message == message);
  CHECK(r.error().offset.value_or(UINT64_MAX) == offset);
}

ModuleInfo decode_ok(const Bytes& b) {
  auto r = decode_module(b);
  if (!r.ok()) FAIL(r.error().to_string());
  return std::move(r).value();
}

const Bytes kTypeVoid = type_section({func_type({}, {})});
const Bytes kI32Zero = {0x41, 0x00, 0x0B};  // i32.const 0; end

}  // namespace

TEST_CASE("header: magic and version", "[decoder]") {
  decode_ok(kHeader);
  expect_malformed({}, "unexpected end", 0);
  expect_malformed({0x00, 0x61, 0x73}, "unexpected end", 0);
  expect_malformed({0x00, 0x61, 0x73, 0x6D, 0x01}, "unexpected end", 4);
  expect_malformed({0x00, 0x41, 0x53, 0x4D, 0x01, 0x00, 0x00, 0x00}, "magic header not detected",
                   0);
  expect_malformed({0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00}, "unknown binary version", 4);
}

TEST_CASE("sections: ids / sizes and order", "[decoder]") {
  expect_malformed(module({{0x0E, 0x00}}), "malformed section id", 8);  // 13 is 3.0's tags
  expect_malformed(module({{0x80, 0x00}}), "malformed section id", 8);
  // Size past the end of the module.
  expect_malformed(module({{0x01, 0x05, 0x00}}), "length out of bounds", 10);
  // Size larger than the contents: the type section ends after one byte of a two-byte section.
  expect_malformed(module({section(1, {0x00, 0x00})}), "section size mismatch", 11);
  // Size smaller than the contents.
  expect_malformed(module({section(1, {0x01, 0x60, 0x00})}),
                   "unexpected end of section or function", 13);
  expect_malformed(module({kTypeVoid, kTypeVoid}), "unexpected content after last section", 14);
  expect_malformed(module({section(3, {0x00}), kTypeVoid}), "unexpected content after last section",
                   11);
  // The data count section goes between elem and code.
  expect_malformed(module({section(10, {0x00}), section(12, {0x00})}),
                   "unexpected content after last section", 11);
  decode_ok(module({section(9, {0x00}), section(12, {0x00}), section(10, {0x00})}));
  // Custom sections may go anywhere, any number of times.
  ModuleInfo m = decode_ok(module({section(0, str("a")), kTypeVoid,
                                   section(0, cat({str("b"), {1, 2}})), section(0, str("a"))}));
  REQUIRE(m.customs.size() == 3);
  CHECK(m.customs[1].name == "b");
  CHECK(m.customs[1].size == 2);
  CHECK(m.bytes[m.customs[1].start] == 1);
  expect_malformed(module({section(0, {0x02, 0xC0, 0x80})}), "malformed UTF-8 encoding", 11);
  expect_malformed(module({section(0, {})}), "unexpected end of section or function", 10);
}

TEST_CASE("type section", "[decoder]") {
  ModuleInfo m = decode_ok(module({type_section(
      {func_type({kI32, kI64}, {kF32, kF64, kV128}), func_type({kFuncRef}, {kExternRef})})}));
  REQUIRE(m.types.size() == 2);
  CHECK(m.types[0].params == std::vector<ValType>{ValType::I32, ValType::I64});
  CHECK(m.types[0].results.size() == 3);
  CHECK(m.types[1].results[0] == ValType::ExternRef);
  expect_malformed(module({section(1, {0x01, 0x61, 0x00, 0x00})}), "malformed function type", 11);
  expect_malformed(module({section(1, {0x01, 0x60, 0x01, 0x7A, 0x00})}), "malformed value type",
                   13);
}

TEST_CASE("import section: every kind", "[decoder]") {
  Bytes imports = section(2, vec({cat({str("m"), str("f"), {0x00, 0x00}}),
                                  cat({str("m"), str("t"), {0x01, kFuncRef, 0x01, 0x02, 0x03}}),
                                  cat({str("m"), str("mem"), {0x02, 0x00, 0x01}}),
                                  cat({str("m"), str("g"), {0x03, kI64, 0x01}})}));
  ModuleInfo m = decode_ok(module({kTypeVoid, imports}));
  REQUIRE(m.imports.size() == 4);
  CHECK(m.num_imported_funcs == 1);
  CHECK(m.num_imported_tables == 1);
  CHECK(m.num_imported_memories == 1);
  CHECK(m.num_imported_globals == 1);
  CHECK(m.tables[0].limits.min == 2);
  CHECK(m.tables[0].limits.max == 3u);
  CHECK(m.memories[0].limits.min == 1);
  CHECK_FALSE(m.memories[0].limits.max);
  CHECK(m.globals[0] == GlobalType{ValType::I64, true});
  CHECK(m.imports[2].name == "mem");

  expect_malformed(module({section(2, vec({cat({str("m"), str("f"), {0x05, 0x00}})}))}),
                   "malformed import kind", 15);  // 4 is 3.0's tags
  expect_malformed(module({section(2, vec({cat({str("m"), str("g"), {0x03, kI32, 0x02}})}))}),
                   "malformed mutability", 17);
  expect_malformed(module({section(2, vec({cat({str("m"), {0x01, 0xFF}, {0x00, 0x00}})}))}),
                   "malformed UTF-8 encoding", 14);
  expect_malformed(module({section(2, vec({cat({str("m"), str("t"), {0x01, kI32, 0x00, 0x00}})}))}),
                   "malformed reference type", 16);
}

TEST_CASE("table and memory limits flags", "[decoder]") {
  expect_malformed(module({section(4, {0x01, kFuncRef, 0x02, 0x00})}), "integer too large", 12);
  expect_malformed(module({section(4, {0x01, kFuncRef, 0x81, 0x00, 0x00})}),
                   "integer representation too long", 12);
  expect_malformed(module({section(5, {0x01, 0x08, 0x00})}), "integer too large", 11);
  // Bounds are u64s in 3.0: a tenth byte may hold one bit only.
  expect_malformed(module({section(5, {0x01, 0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                                       0x80, 0x02})}),
                   "integer too large", 21);
  ModuleInfo m = decode_ok(module({section(5, {0x01, 0x01, 0x02, 0x03})}));
  CHECK(m.memories[0].limits == Limits{2, 3});
}

TEST_CASE("global / export and start sections", "[decoder]") {
  Bytes globals = section(6, vec({cat({{kI32, 0x00}, {0x41}, sleb(-5), {0x0B}}),
                                  cat({{kF64, 0x01, 0x44, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x0B}})}));
  Bytes exports = section(7, vec({cat({str("f"), {0x00, 0x00}}), cat({str("g"), {0x03, 0x01}})}));
  ModuleInfo m = decode_ok(module({kTypeVoid, func_section({0}), globals, exports,
                                   section(8, {0x00}), code_section({body({0}, {0x0B})})}));
  REQUIRE(m.global_inits.size() == 2);
  CHECK(m.global_inits[0].instrs[0].op == Opcode::I32Const);
  CHECK(int64_t(m.global_inits[0].instrs[0].bits) == -5);
  CHECK(m.global_inits[1].instrs[0].bits == 0x3FF0000000000000u);
  CHECK(m.globals[1].mut);
  REQUIRE(m.exports.size() == 2);
  CHECK(m.exports[1].kind == ExternKind::Global);
  CHECK(m.start == 0u);
  expect_malformed(module({section(7, vec({cat({str("f"), {0x05, 0x00}})}))}),
                   "malformed export kind", 13);  // 4 is 3.0's tags
  // A signed LEB128 in a constant that is too long.
  expect_malformed(
      module({section(6, vec({{kI32, 0x00, 0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0B}}))}),
      "integer representation too long", 18);
  // A constant expression must end.
  expect_malformed(module({section(6, vec({{kI32, 0x00, 0x41, 0x00}}))}),
                   "unexpected end of section or function", 15);
}

TEST_CASE("element segments: all eight encodings", "[decoder]") {
  Bytes table = section(4, {0x01, kFuncRef, 0x00, 0x01});
  Bytes ref_func0 = {0xD2, 0x00, 0x0B};
  Bytes ref_null = {0xD0, kFuncRef, 0x0B};
  Bytes elems = section(
      9, vec({cat({{0x00}, kI32Zero, vec({{0x00}})}),                       // active, table 0
              cat({{0x01, 0x00}, vec({{0x00}, {0x00}})}),                   // passive, funcs
              cat({{0x02, 0x00}, kI32Zero, {0x00}, vec({{0x00}})}),         // active, table x
              cat({{0x03, 0x00}, vec({{0x00}})}),                           // declarative, funcs
              cat({{0x04}, kI32Zero, vec({ref_func0, ref_null})}),          // active, exprs
              cat({{0x05, kExternRef}, vec({{0xD0, kExternRef, 0x0B}})}),   // passive, exprs
              cat({{0x06, 0x00}, kI32Zero, {kFuncRef}, vec({ref_func0})}),  // active x, exprs
              cat({{0x07, kFuncRef}, vec({ref_func0})})}));                 // declarative, exprs
  Bytes bytes =
      module({kTypeVoid, func_section({0}), table, elems, code_section({body({0}, {0x0B})})});
  ModuleInfo m = decode_ok(bytes);
  REQUIRE(m.elems.size() == 8);
  const SegmentMode kModes[] = {
      SegmentMode::Active, SegmentMode::Passive, SegmentMode::Active, SegmentMode::Declarative,
      SegmentMode::Active, SegmentMode::Passive, SegmentMode::Active, SegmentMode::Declarative};
  for (int i = 0; i < 8; ++i) CHECK(m.elems[i].mode == kModes[i]);
  CHECK(m.elems[1].inits.size() == 2);
  CHECK(m.elems[1].inits[0].instrs[0].op == Opcode::RefFunc);  // function indices become ref.func
  CHECK(m.elems[4].inits[1].instrs[0].op == Opcode::RefNull);
  CHECK(m.elems[5].type == ValType::ExternRef);
  CHECK(m.elems[0].offset.instrs[0].op == Opcode::I32Const);
  CHECK(m.declared_funcs == std::vector<bool>{true});
  CHECK(validate(m).ok());

  expect_malformed(module({section(9, vec({{0x08}}))}), "malformed elements segment kind", 11);
  expect_malformed(module({section(9, vec({{0x01, 0x01, 0x00}}))}), "malformed element kind", 12);
  expect_malformed(module({section(9, vec({{0x05, kI32, 0x00}}))}), "malformed reference type", 12);
}

TEST_CASE("data segments and the data count section", "[decoder]") {
  Bytes memory = section(5, {0x01, 0x00, 0x01});
  Bytes datas = section(11, vec({cat({{0x00}, kI32Zero, str("ab")}), cat({{0x01}, str("c")}),
                                 cat({{0x02, 0x00}, kI32Zero, str("")})}));
  ModuleInfo m = decode_ok(module({memory, section(12, {0x03}), datas}));
  REQUIRE(m.datas.size() == 3);
  CHECK(m.data_count == 3u);
  CHECK(m.datas[0].mode == SegmentMode::Active);
  CHECK(m.datas[0].data_size == 2);
  CHECK(m.bytes[m.datas[0].data_start] == 'a');
  CHECK(m.datas[1].mode == SegmentMode::Passive);
  CHECK(m.bytes[m.datas[1].data_start] == 'c');
  CHECK(m.datas[2].data_size == 0);
  CHECK(validate(m).ok());

  expect_malformed(module({memory, section(12, {0x02}), datas}),
                   "data count and data section have inconsistent lengths", 18);
  expect_malformed(module({memory, section(12, {0x01})}),
                   "data count and data section have inconsistent lengths", 16);
  expect_malformed(module({section(11, vec({{0x03}}))}), "malformed data segment kind", 11);
  expect_malformed(module({section(11, vec({cat({{0x01}, {0x05, 'a'}})}))}), "length out of bounds",
                   13);
}

TEST_CASE("function and code sections must agree", "[decoder]") {
  expect_malformed(module({kTypeVoid, func_section({0, 0}), code_section({body({0}, {0x0B})})}),
                   "function and code section have inconsistent lengths", 21);
  expect_malformed(module({kTypeVoid, func_section({0})}),
                   "function and code section have inconsistent lengths", 18);
  expect_malformed(module({code_section({body({0}, {0x0B})})}),
                   "function and code section have inconsistent lengths", 10);
  // The counts are compared after the last section, so a repeated code section is reported as
  // out of order rather than as a count mismatch.
  expect_malformed(module({kTypeVoid, func_section({0, 0}), code_section({body({0}, {0x0B})}),
                           code_section({body({0}, {0x0B})})}),
                   "unexpected content after last section", 25);
  // A vector length larger than what follows.
  expect_malformed(module({section(4, {0x01})}), "unexpected end of section or function", 11);
  // A body size past the section's end.
  expect_malformed(module({kTypeVoid, func_section({0}), section(10, {0x01, 0x05, 0x00, 0x0B})}),
                   "length out of bounds", 22);
  ModuleInfo m =
      decode_ok(module({kTypeVoid, func_section({0}), code_section({body({0}, {0x0B})})}));
  REQUIRE(m.bodies.size() == 1);
  CHECK(m.bodies[0].size == 2);
  CHECK(m.body_bytes(0)[1] == 0x0B);
}

TEST_CASE("name section: module and function names / a malformed one is ignored", "[decoder]") {
  Bytes names =
      section(0, cat({str("name"), section(0, str("mod")),
                      section(1, vec({cat({{0x00}, str("main")}), cat({{0x01}, str("helper")})})),
                      section(2, {0x00})}));
  ModuleInfo m = decode_ok(module({kTypeVoid, func_section({0, 0}),
                                   code_section({body({0}, {0x0B}), body({0}, {0x0B})}), names}));
  CHECK(m.module_name == "mod");
  CHECK(m.func_names.at(0) == "main");
  CHECK(m.func_names.at(1) == "helper");

  // Truncated function-name subsection, bad UTF-8, subsections out of order: all ignored.
  for (const Bytes& bad : {cat({str("name"), section(0, str("mod")), {0x01, 0x05, 0x01, 0x00}}),
                           cat({str("name"), section(0, {0x01, 0xFF})}),
                           cat({str("name"), section(1, {0x00}), section(0, str("mod"))})}) {
    ModuleInfo ignored = decode_ok(module({section(0, bad)}));
    CHECK(ignored.module_name.empty());
    CHECK(ignored.func_names.empty());
  }
}

TEST_CASE("the decoder fills declared_funcs from exports / elements and globals", "[decoder]") {
  Bytes globals = section(6, vec({{kFuncRef, 0x00, 0xD2, 0x02, 0x0B}}));
  Bytes exports = section(7, vec({cat({str("f"), {0x00, 0x01}})}));
  ModuleInfo m =
      decode_ok(module({kTypeVoid, func_section({0, 0, 0}), globals, exports,
                        code_section({body({0}, {0x0B}), body({0}, {0x0B}), body({0}, {0x0B})})}));
  CHECK(m.declared_funcs == std::vector<bool>{false, true, true});
}
