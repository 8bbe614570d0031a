// The binary format of GC (binary/types.rst, binary/instructions.rst): struct and array types
// with packed and mutable fields, `sub` with supertypes, and the 0xFB instructions' immediates.
#include <catch2/catch.hpp>

#include "decoder/module_builder.h"
#include "engine/decoder/decoder.h"
#include "engine/decoder/instr_reader.h"
#include "engine/decoder/reader.h"

using namespace tern;
using namespace tern::test;

namespace {

Error decode_error(const Bytes& b, const WasmFeatures& features = {}) {
  auto r = decode_module(b, ModuleLimits{}, features);
  REQUIRE_FALSE(r.ok());
  return r.error();
}

// Reads one instruction from `code` with every proposal on.
Instr read_one(const Bytes& code, Result<void>* error = nullptr) {
  Reader r(code, 0, code.size());
  r.set_features(WasmFeatures{});
  Instr in;
  std::vector<uint32_t> targets;
  bool ok = read_instr(r, in, targets, 100, WasmFeatures{});
  if (error) *error = ok ? Result<void>{} : Result<void>(r.error());
  return in;
}

}  // namespace

TEST_CASE("struct, array and sub types decode with their fields", "[decoder][gc]") {
  // rec { 0: sub (struct (field (mut i8)) (field (ref null 1))), 1: sub final 0 (array i16) }
  Bytes types = section(1, {0x01, 0x4E, 0x02, 0x50, 0x00, 0x5F, 0x02, 0x78, 0x01, 0x63, 0x01, 0x00,
                            0x4F, 0x01, 0x00, 0x5E, 0x77, 0x00});
  auto m = decode_module(module({types}));
  if (!m.ok()) FAIL(m.error().to_string());
  REQUIRE(m->type_defs.size() == 2);
  const TypeDef& s = m->type_defs[0];
  CHECK(s.kind == CompositeKind::Struct);
  CHECK_FALSE(s.final);
  CHECK(s.super == kNoSuper);
  CHECK(s.group_size == 2);
  REQUIRE(s.fields.size() == 2);
  CHECK(s.fields[0] == FieldType{ValType::I32, Packed::I8, true});
  CHECK(s.fields[1] == FieldType{ref_to_type(1, true), Packed::None, false});
  const TypeDef& a = m->type_defs[1];
  CHECK(a.kind == CompositeKind::Array);
  CHECK(a.final);
  CHECK(a.super == 0);
  CHECK(a.num_supers == 1);
  REQUIRE(a.fields.size() == 1);
  CHECK(a.fields[0].packed == Packed::I16);
  // Their function-type entries are empty.
  CHECK(m->types[0] == FuncType{});
  CHECK_FALSE(m->is_func_type(0));
}

TEST_CASE("malformed GC types", "[decoder][gc]") {
  // A field's mutability byte is 0 or 1.
  Error e = decode_error(module({section(1, {0x01, 0x5E, 0x7F, 0x02})}));
  CHECK(e.kind == ErrorKind::Malformed);
  CHECK(e.message == "malformed mutability");
  // An unknown composite type form.
  e = decode_error(module({section(1, {0x01, 0x5D, 0x00})}));
  CHECK(e.message == "malformed function type");
  // A struct's field count is bounded.
  ModuleLimits limits;
  limits.struct_fields = 1;
  auto r = decode_module(module({section(1, {0x01, 0x5F, 0x02, 0x7F, 0x00, 0x7F, 0x00})}), limits);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Limit);
  CHECK(r.error().message.find("ModuleLimits::struct_fields = 1") != std::string::npos);
}

TEST_CASE("GC instructions read their immediates", "[decoder][gc]") {
  Instr in = read_one({0xFB, 0x02, 0x03, 0x04});  // struct.get 3 4
  CHECK(in.op == Opcode::StructGet);
  CHECK(in.index == 3);
  CHECK(in.index2 == 4);
  in = read_one({0xFB, 0x08, 0x01, 0x80, 0x01});  // array.new_fixed 1 128
  CHECK(in.op == Opcode::ArrayNewFixed);
  CHECK(in.index2 == 128);
  in = read_one({0xFB, 0x15, 0x6C});  // ref.test (ref null i31)
  CHECK(in.op == Opcode::RefTestNull);
  CHECK(in.type == ref_type(HeapKind::I31, true));
  in = read_one({0xFB, 0x16, 0x05});  // ref.cast (ref 5)
  CHECK(in.op == Opcode::RefCast);
  CHECK(in.type == ref_to_type(5, false));
  // br_on_cast_fail 2 (ref null any) (ref eq): flags bit 0 for the source.
  in = read_one({0xFB, 0x19, 0x01, 0x02, 0x6E, 0x6D});
  CHECK(in.op == Opcode::BrOnCastFail);
  CHECK(in.index == 2);
  CHECK(in.type == ref_type(HeapKind::Any, true));
  CHECK(in.type2 == ref_type(HeapKind::Eq, false));
  in = read_one({0xD3});
  CHECK(in.op == Opcode::RefEq);
  // An unassigned 0xFB opcode.
  Result<void> error;
  read_one({0xFB, 0x1F}, &error);
  REQUIRE_FALSE(error.ok());
  CHECK(error.error().message == "illegal opcode");
}

TEST_CASE("GC instructions name the switch when GC is off", "[decoder][gc]") {
  WasmFeatures no_gc;
  no_gc.gc = false;
  Bytes code = {0x41, 0x00, 0xFB, 0x1C, 0x1A, 0x0B};  // ref.i31 of i32.const 0, dropped
  Bytes b = one_func({}, {}, code);
  auto m = decode_module(b, ModuleLimits{}, no_gc);
  REQUIRE(m.ok());  // bodies are read by the validator
  Reader r(m->bytes, m->bodies[0].start + 1, m->bodies[0].start + m->bodies[0].size);
  r.set_features(no_gc);
  Instr in;
  std::vector<uint32_t> targets;
  CHECK(read_instr(r, in, targets, 100, no_gc));  // i32.const
  CHECK_FALSE(read_instr(r, in, targets, 100, no_gc));
  CHECK(r.error().message ==
        "ref.i31 requires the garbage collection proposal (-W gc), which is not enabled");
}
