// Garbage collection's validation rules (valid/types.rst, valid/matching.rst,
// valid/instructions.rst): declared supertypes, subtyping and canonical equality of struct and
// array types, and the typing of each GC instruction, accepting and rejecting by the rule's name.
#include <catch2/catch.hpp>
#include <string>

#include "decoder/module_builder.h"
#include "engine/decoder/decoder.h"
#include "engine/validator/validator.h"

using namespace tern;
using namespace tern::test;

namespace {

constexpr uint8_t kRef = 0x64, kRefNull = 0x63, kAnyRef = 0x6E;

// Type entries: a struct of fields, an array of one field, and `sub` with a supertype.
Bytes struct_type(std::initializer_list<Bytes> fields) {
  return cat({{0x5F}, vec(fields)});
}
Bytes array_type(Bytes field) {
  return cat({{0x5E}, field});
}
Bytes sub(uint8_t super, Bytes composite, bool final = false) {
  return cat({{uint8_t(final ? 0x4F : 0x50), 0x01, super}, composite});
}
const Bytes kMutI32 = {kI32, 0x01};
const Bytes kI32Field = {kI32, 0x00};
const Bytes kI8Field = {0x78, 0x00};
const Bytes kMutI8 = {0x78, 0x01};

// A function type whose params and results are written back to back: one byte per type, two for
// (ref ht) and (ref null ht) with a one-byte heap type.
Bytes sig(const Bytes& params, const Bytes& results) {
  auto count = [](const Bytes& types) {
    uint64_t n = 0;
    for (size_t i = 0; i < types.size(); ++i, ++n) {
      if (types[i] == kRef || types[i] == kRefNull) ++i;
    }
    return n;
  };
  return cat({{0x60}, uleb(count(params)), params, uleb(count(results)), results});
}

// A module with `types` at indices 1, 2, ... (after an unused `[] -> []` at 0), then the
// function's type `params -> results` (which may refer to them), and one function of that type
// whose body is `code`. `extra` sections go before the code section, or after it for data (11).
Bytes gc_module(Bytes params, Bytes results, std::initializer_list<Bytes> types, Bytes code,
                std::initializer_list<Bytes> extra = {}) {
  Bytes entries = cat({uleb(types.size() + 2), sig({}, {})});
  for (const Bytes& t : types) entries.insert(entries.end(), t.begin(), t.end());
  entries = cat({entries, sig(params, results)});
  Bytes out = kHeader;
  auto add = [&](const Bytes& b) { out.insert(out.end(), b.begin(), b.end()); };
  add(section(1, entries));
  add(func_section({uint8_t(types.size() + 1)}));
  for (const Bytes& s : extra) {
    if (s[0] != 11) add(s);
  }
  add(code_section({body({0x00}, code)}));
  for (const Bytes& s : extra) {
    if (s[0] == 11) add(s);
  }
  return out;
}

Result<void> validate_bytes(const Bytes& b) {
  auto m = decode_module(b);
  if (!m.ok()) return m.error();
  return validate(*m);
}

void expect_valid(const Bytes& b) {
  Result<void> r = validate_bytes(b);
  if (!r.ok()) FAIL(r.error().to_string());
}

void expect_error(const Bytes& b, ErrorKind kind, const std::string& message) {
  Result<void> r = validate_bytes(b);
  INFO("expecting " << message);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == kind);
  CHECK(r.error().message == message);
}

void expect_invalid(const Bytes& b, const std::string& message) {
  expect_error(b, ErrorKind::Invalid, message);
}

}  // namespace

TEST_CASE("a declared supertype must come first, be open and be matched", "[validator][gc]") {
  Bytes base = cat({{0x50, 0x00}, struct_type({kI32Field})});  // open, no supertype
  // type 2 extends type 1 with a field: valid width subtyping.
  expect_valid(gc_module({}, {}, {base, sub(1, struct_type({kI32Field, {kI64, 0x00}}))}, {0x0B}));
  // A final supertype.
  Bytes final_base = cat({{0x4F, 0x00}, struct_type({kI32Field})});
  expect_invalid(gc_module({}, {}, {final_base, sub(1, struct_type({kI32Field}))}, {0x0B}),
                 "sub type: the supertype is final");
  // A field of another type.
  expect_invalid(gc_module({}, {}, {base, sub(1, struct_type({{kI64, 0x00}}))}, {0x0B}),
                 "sub type: type 2 does not match its supertype 1");
  // A mutable field is invariant, an immutable one covariant.
  expect_invalid(
      gc_module({}, {},
                {cat({{0x50, 0x00}, struct_type({kMutI32})}), sub(1, struct_type({kI32Field}))},
                {0x0B}),
      "sub type: type 2 does not match its supertype 1");
  // An array is not a struct's subtype.
  expect_invalid(gc_module({}, {}, {base, sub(1, array_type(kI32Field))}, {0x0B}),
                 "sub type: type 2 does not match its supertype 1");
  // The supertype must precede the subtype.
  expect_invalid(gc_module({}, {}, {sub(2, struct_type({})), base}, {0x0B}), "unknown type 2");
  // At most one supertype.
  expect_invalid(
      gc_module({}, {}, {base, base, cat({{0x50, 0x02, 0x01, 0x02}, struct_type({kI32Field})})},
                {0x0B}),
      "sub type: more than one supertype");
  // Function types: contravariant parameters, covariant results.
  Bytes f_any = cat({{0x50, 0x00}, sig({kAnyRef}, {kAnyRef})});
  expect_valid(gc_module({}, {}, {f_any, sub(1, sig({kAnyRef}, {0x6D}))}, {0x0B}));
  expect_invalid(gc_module({}, {}, {f_any, sub(1, sig({0x6D}, {kAnyRef}))}, {0x0B}),
                 "sub type: type 2 does not match its supertype 1");
}

TEST_CASE("a subtype's references match its supertype's, not the other way", "[validator][gc]") {
  Bytes base = cat({{0x50, 0x00}, struct_type({kI32Field})});
  Bytes derived = sub(1, struct_type({kI32Field, kI32Field}));
  // (ref 2) -> (ref 1): upcast by local.get.
  expect_valid(gc_module({kRef, 0x02}, {kRef, 0x01}, {base, derived}, {0x20, 0x00, 0x0B}));
  expect_invalid(gc_module({kRef, 0x01}, {kRef, 0x02}, {base, derived}, {0x20, 0x00, 0x0B}),
                 "type mismatch");
  // Every struct type is below struct, eq and any; above none.
  expect_valid(gc_module({kRef, 0x02}, {kRefNull, 0x6D}, {base, derived}, {0x20, 0x00, 0x0B}));
  expect_valid(gc_module({0x71}, {kRefNull, 0x02}, {base, derived}, {0x20, 0x00, 0x0B}));
  expect_invalid(gc_module({kRef, 0x01}, {kRefNull, 0x6A}, {base}, {0x20, 0x00, 0x0B}),
                 "type mismatch");
  expect_invalid(gc_module({kRef, 0x01}, {kFuncRef}, {base}, {0x20, 0x00, 0x0B}), "type mismatch");
}

TEST_CASE("struct and array types are equal by structure across recursion groups",
          "[validator][gc]") {
  Bytes a = struct_type({kMutI32});
  // Types 1 and 2 are the same struct: a reference to one is a reference to the other.
  expect_valid(gc_module({kRef, 0x01}, {kRef, 0x02}, {a, a}, {0x20, 0x00, 0x0B}));
  // Mutability, packing and the declared supertype are part of a type's identity.
  expect_invalid(
      gc_module({kRef, 0x01}, {kRef, 0x02}, {a, struct_type({kI32Field})}, {0x20, 0x00, 0x0B}),
      "type mismatch");
  expect_invalid(gc_module({kRef, 0x01}, {kRef, 0x02}, {array_type(kMutI8), array_type(kMutI32)},
                           {0x20, 0x00, 0x0B}),
                 "type mismatch");
  Bytes open = cat({{0x50, 0x00}, a});
  expect_invalid(gc_module({kRef, 0x02}, {kRef, 0x03}, {open, open, sub(1, a)}, {0x20, 0x00, 0x0B}),
                 "type mismatch");
}

TEST_CASE("a function's type must be a function type", "[validator][gc]") {
  Bytes b = kHeader;
  for (const Bytes& s :
       {type_section({struct_type({})}), func_section({0}), code_section({body({0x00}, {0x0B})})}) {
    b.insert(b.end(), s.begin(), s.end());
  }
  expect_invalid(b, "type mismatch: type 0 is not a function type");
  // call_indirect through a struct type.
  Bytes table = section(4, {0x01, kFuncRef, 0x00, 0x00});
  expect_invalid(
      gc_module({}, {}, {struct_type({})}, {0x41, 0x00, 0x11, 0x01, 0x00, 0x0B}, {table}),
      "type mismatch: not a function type");
}

TEST_CASE("struct instructions type their fields", "[validator][gc]") {
  Bytes s = struct_type({kMutI32, kI8Field});
  // struct.new 1 (i32 i32) -> (ref 1); struct.get_s 1 1 reads the packed field as i32.
  expect_valid(gc_module({}, {kI32}, {s},
                         {0x41, 0x01, 0x41, 0x02, 0xFB, 0x00, 0x01, 0xFB, 0x03, 0x01, 0x01, 0x0B}));
  expect_valid(gc_module({}, {kRef, 0x01}, {s}, {0xFB, 0x01, 0x01, 0x0B}));  // struct.new_default
  // struct.get of a packed field needs a sign or zero extension.
  expect_invalid(
      gc_module({kRefNull, 0x01}, {kI32}, {s}, {0x20, 0x00, 0xFB, 0x02, 0x01, 0x01, 0x0B}),
      "type mismatch");
  expect_invalid(
      gc_module({kRefNull, 0x01}, {kI32}, {s}, {0x20, 0x00, 0xFB, 0x04, 0x01, 0x00, 0x0B}),
      "type mismatch");
  expect_invalid(
      gc_module({kRefNull, 0x01}, {kI32}, {s}, {0x20, 0x00, 0xFB, 0x02, 0x01, 0x05, 0x0B}),
      "unknown field 5");
  // struct.set on the immutable field.
  expect_invalid(
      gc_module({kRefNull, 0x01}, {}, {s}, {0x20, 0x00, 0x41, 0x00, 0xFB, 0x05, 0x01, 0x01, 0x0B}),
      "immutable field");
  expect_valid(
      gc_module({kRefNull, 0x01}, {}, {s}, {0x20, 0x00, 0x41, 0x00, 0xFB, 0x05, 0x01, 0x00, 0x0B}));
  // struct.new_default needs defaultable fields; struct.new an array type.
  expect_invalid(
      gc_module({}, {}, {struct_type({{kRef, 0x70, 0x00}})}, {0xFB, 0x01, 0x01, 0x1A, 0x0B}),
      "type mismatch: field is not defaultable");
  expect_invalid(gc_module({}, {}, {array_type(kI32Field)}, {0xFB, 0x01, 0x01, 0x1A, 0x0B}),
                 "type mismatch: type 1 is not a struct type");
}

TEST_CASE("array instructions type their element and segments", "[validator][gc]") {
  Bytes mut_i8 = array_type(kMutI8);
  Bytes data_count = section(12, {0x01});
  Bytes data = section(11, {0x01, 0x01, 0x00});  // one passive segment, empty
  // array.new_fixed 1 2 (i32 i32); array.len; array.get_u.
  expect_valid(gc_module({}, {kI32}, {mut_i8},
                         {0x41, 0x01, 0x41, 0x02, 0xFB, 0x08, 0x01, 0x02, 0xFB, 0x0F, 0x0B}));
  expect_valid(gc_module({kRefNull, 0x01}, {kI32}, {mut_i8},
                         {0x20, 0x00, 0x41, 0x00, 0xFB, 0x0D, 0x01, 0x0B}));
  expect_invalid(gc_module({kRefNull, 0x01}, {kI32}, {mut_i8},
                           {0x20, 0x00, 0x41, 0x00, 0xFB, 0x0B, 0x01, 0x0B}),
                 "type mismatch");
  // array.set / array.fill on an immutable array.
  expect_invalid(gc_module({kRefNull, 0x01}, {}, {array_type(kI8Field)},
                           {0x20, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFB, 0x0E, 0x01, 0x0B}),
                 "immutable array");
  // array.new_data: a data count section, and numeric elements.
  Bytes new_data = {0x41, 0x00, 0x41, 0x00, 0xFB, 0x09, 0x01, 0x00, 0x1A, 0x0B};
  expect_valid(gc_module({}, {}, {mut_i8}, new_data, {data_count, data}));
  expect_error(gc_module({}, {}, {mut_i8}, new_data, {data}), ErrorKind::Malformed,
               "data count section required");
  expect_invalid(gc_module({}, {}, {array_type({kAnyRef, 0x01})}, new_data, {data_count, data}),
                 "array type is not numeric");
  // array.copy: the source's elements must fit the destination's.
  Bytes copy = {0x20, 0x00, 0x41, 0x00, 0x20, 0x01, 0x41, 0x00,
                0x41, 0x00, 0xFB, 0x11, 0x01, 0x02, 0x0B};
  expect_valid(
      gc_module({kRefNull, 0x01, kRefNull, 0x02}, {}, {mut_i8, array_type(kI8Field)}, copy));
  expect_invalid(
      gc_module({kRefNull, 0x01, kRefNull, 0x02}, {}, {mut_i8, array_type(kI32Field)}, copy),
      "type mismatch");
  // array.new_fixed's operand count is bounded before anything is allocated for it.
  expect_error(gc_module({}, {}, {mut_i8}, {0xFB, 0x08, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x0B}),
               ErrorKind::Limit,
               "array.new_fixed of 4294967295 operands exceeds the limit "
               "ModuleLimits::array_new_fixed_operands = 10000");
}

TEST_CASE("casts, i31, ref.eq and the any/extern conversions", "[validator][gc]") {
  Bytes s = struct_type({});
  // ref.test (ref 1) and ref.cast (ref null 1) of an anyref.
  expect_valid(gc_module({kAnyRef}, {kI32}, {s}, {0x20, 0x00, 0xFB, 0x14, 0x01, 0x0B}));
  expect_valid(gc_module({kAnyRef}, {kRefNull, 0x01}, {s}, {0x20, 0x00, 0xFB, 0x17, 0x01, 0x0B}));
  // The non-null cast's result is non-null; a cast across hierarchies is refused.
  expect_invalid(gc_module({kAnyRef}, {kRef, 0x01}, {s}, {0x20, 0x00, 0xFB, 0x17, 0x01, 0x0B}),
                 "type mismatch");
  expect_invalid(gc_module({kFuncRef}, {kI32}, {s}, {0x20, 0x00, 0xFB, 0x14, 0x01, 0x0B}),
                 "type mismatch");
  // br_on_cast 0 anyref (ref 1) inside a block of (ref null 1): the fallthrough keeps anyref.
  Bytes br_on_cast = {0x02,    kRefNull, 0x01, 0x20, 0x00, 0xFB, 0x18, 0x01, 0x00,
                      kAnyRef, 0x01,     0x1A, 0xD0, 0x01, 0x0B, 0x1A, 0x0B};
  expect_valid(gc_module({kAnyRef}, {}, {s}, br_on_cast));
  // The target must match the source type.
  Bytes bad_target = br_on_cast;
  bad_target[9] = 0x6A;  // source arrayref: (ref 1) is a struct
  expect_invalid(gc_module({kAnyRef}, {}, {s}, bad_target), "type mismatch");
  // Cast flags above 3 are malformed.
  Bytes bad_flags = br_on_cast;
  bad_flags[7] = 0x04;
  expect_error(gc_module({kAnyRef}, {}, {s}, bad_flags), ErrorKind::Malformed,
               "malformed cast flags");
  // ref.i31, i31.get_s, ref.eq.
  expect_valid(
      gc_module({}, {kI32}, {}, {0x41, 0x07, 0xFB, 0x1C, 0x41, 0x08, 0xFB, 0x1C, 0xD3, 0x0B}));
  expect_valid(gc_module({}, {kI32}, {}, {0x41, 0x07, 0xFB, 0x1C, 0xFB, 0x1D, 0x0B}));
  expect_invalid(gc_module({kFuncRef}, {kI32}, {}, {0x20, 0x00, 0x20, 0x00, 0xD3, 0x0B}),
                 "type mismatch");
  // any.convert_extern keeps the operand's nullability.
  expect_valid(gc_module({kExternRef}, {kAnyRef}, {}, {0x20, 0x00, 0xFB, 0x1A, 0x0B}));
  expect_invalid(gc_module({kExternRef}, {kRef, kAnyRef}, {}, {0x20, 0x00, 0xFB, 0x1A, 0x0B}),
                 "type mismatch");
  expect_valid(gc_module({kRef, kExternRef}, {kRef, kAnyRef}, {}, {0x20, 0x00, 0xFB, 0x1A, 0x0B}));
  expect_valid(gc_module({kAnyRef}, {kExternRef}, {}, {0x20, 0x00, 0xFB, 0x1B, 0x0B}));
  // In unreachable code the operand is the bottom type: the result is non-null.
  expect_valid(gc_module({}, {kRef, kAnyRef}, {}, {0x00, 0xFB, 0x1A, 0x0B}));
}

TEST_CASE("constant expressions may allocate but not read segments", "[validator][gc]") {
  Bytes s = struct_type({kI32Field});
  auto with_global = [&](Bytes global) {
    Bytes b = kHeader;
    for (const Bytes& sec : {type_section({s}), section(6, cat({{0x01}, global}))}) {
      b.insert(b.end(), sec.begin(), sec.end());
    }
    return b;
  };
  // (global (ref 0) (struct.new 0 (i32.const 1)))
  expect_valid(with_global({kRef, 0x00, 0x00, 0x41, 0x01, 0xFB, 0x00, 0x00, 0x0B}));
  // (global (ref i31) (ref.i31 (i32.const 1)))
  expect_valid(with_global({kRef, 0x6C, 0x00, 0x41, 0x01, 0xFB, 0x1C, 0x0B}));
  // struct.new with a missing operand.
  expect_invalid(with_global({kRef, 0x00, 0x00, 0xFB, 0x00, 0x00, 0x0B}), "type mismatch");
  // array.new_data is not constant.
  expect_invalid(with_global({kAnyRef, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFB, 0x09, 0x00, 0x00, 0x0B}),
                 "constant expression required");
}
