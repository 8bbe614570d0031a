// The same modules on both tiers: results and traps must agree.
#include <algorithm>
#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "tests/jit/jit_harness.h"

using namespace tern;
using tern::jit::testing::check_same;
using tern::jit::testing::describe;
using tern::jit::testing::Dual;

namespace {

bool is_quiet_nan(const Value& v) {
  if (v.type() == ValType::F32) {
    uint32_t bits = uint32_t(v.raw());
    return (bits & 0x7fc00000u) == 0x7fc00000u;
  }
  return v.type() == ValType::F64 && (v.raw() & 0x7ff8000000000000u) == 0x7ff8000000000000u;
}

// For arithmetic: a NaN result may be any quiet NaN (the spec's "arithmetic NaN"), so two
// quiet NaNs agree whatever their sign and payload; everything else must match bit for bit.
void check_same_arith(Dual& d, const std::string& name, std::vector<Value> args) {
  auto a = d.interp(name, args);
  auto b = d.jit(name, args);
  INFO(name << ": interp " << describe(a) << " jit " << describe(b));
  bool same = a == b;
  if (!same && !a.trap && !b.trap && a.values.size() == 1 && b.values.size() == 1) {
    same = a.values[0].type() == b.values[0].type() && is_quiet_nan(a.values[0]) &&
           is_quiet_nan(b.values[0]);
  }
  CHECK(same);
}

// A module exporting one function per opcode: (func (export "<op>") (param <params>)
// (result <result>) (<op> (local.get 0) ...)).
std::string op_module(const std::vector<std::string>& ops, const std::string& params,
                      const std::string& result) {
  std::string wat = "(module\n";
  size_t arity = params.empty() ? 0 : 1 + std::count(params.begin(), params.end(), ' ');
  for (const std::string& op : ops) {
    wat += "(func (export \"" + op + "\") (param " + params + ") (result " + result + ") (" + op;
    for (size_t i = 0; i < arity; ++i) wat += " (local.get " + std::to_string(i) + ")";
    wat += "))\n";
  }
  return wat + ")";
}

float f32_bits(uint32_t bits) {
  return std::bit_cast<float>(bits);
}
double f64_bits(uint64_t bits) {
  return std::bit_cast<double>(bits);
}

constexpr double kInf = std::numeric_limits<double>::infinity();

// Edge cases of every float operation: signed zeros, infinities, NaNs of both signs with
// payloads (quiet and signalling), subnormals, and the bounds of each integer conversion.
const std::vector<double> kF64Values = {0.0,
                                        -0.0,
                                        1.0,
                                        -1.0,
                                        0.5,
                                        -0.5,
                                        1.5,
                                        2.5,
                                        -2.5,
                                        -0.9,
                                        1e300,
                                        -1e300,
                                        kInf,
                                        -kInf,
                                        f64_bits(0x7ff8000000000000),
                                        f64_bits(0xfff8000000000000),
                                        f64_bits(0x7ff4000000000001),
                                        f64_bits(0x7ff8000000000123),
                                        f64_bits(1),
                                        2147483647.0,
                                        2147483647.9,
                                        2147483648.0,
                                        -2147483648.0,
                                        -2147483648.9,
                                        -2147483649.0,
                                        4294967295.9,
                                        4294967296.0,
                                        9223372036854774784.0,
                                        9223372036854775808.0,
                                        -9223372036854775808.0,
                                        -9223372036854777856.0,
                                        18446744073709549568.0,
                                        18446744073709551616.0};
const std::vector<float> kF32Values = {0.0f,
                                       -0.0f,
                                       1.0f,
                                       -1.0f,
                                       0.5f,
                                       -0.5f,
                                       1.5f,
                                       2.5f,
                                       -2.5f,
                                       -0.9f,
                                       3e38f,
                                       -3e38f,
                                       float(kInf),
                                       float(-kInf),
                                       f32_bits(0x7fc00000),
                                       f32_bits(0xffc00000),
                                       f32_bits(0x7fa00001),
                                       f32_bits(0x7fc00123),
                                       f32_bits(1),
                                       2147483520.0f,
                                       2147483648.0f,
                                       -2147483648.0f,
                                       -2147483904.0f,
                                       4294967040.0f,
                                       4294967296.0f,
                                       9223371487098961920.0f,
                                       9223372036854775808.0f,
                                       -9223372036854775808.0f,
                                       -9223373136366403584.0f,
                                       18446742974197923840.0f,
                                       18446744073709551616.0f};
const std::vector<int64_t> kI64Values = {0,
                                         1,
                                         -1,
                                         2,
                                         7,
                                         -7,
                                         0x7f,
                                         0x80,
                                         0xff,
                                         0x7fff,
                                         0x8000,
                                         0xffff,
                                         INT32_MAX,
                                         INT32_MIN,
                                         int64_t(UINT32_MAX),
                                         INT64_MAX,
                                         INT64_MIN,
                                         int64_t(0x8000000000000001),
                                         int64_t(0x8000008000000001),
                                         int64_t(0x0020000000000001),
                                         int64_t(0xfffffffffffffbff),
                                         int64_t(0x123456789abcdef0)};

}  // namespace

TEST_CASE("integer arithmetic / locals and constants agree") {
  Dual d(R"((module
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "addk") (param i32) (result i32) (i32.add (local.get 0) (i32.const 7)))
    (func (export "mix") (param i64 i64) (result i64) (local i64)
      (local.set 2 (i64.mul (local.get 0) (local.get 1)))
      (i64.xor (i64.rotl (local.get 2) (i64.const 13)) (i64.shr_s (local.get 0) (local.get 1))))
    (func (export "cmp") (param i32 i32) (result i32)
      (i32.add (i32.lt_s (local.get 0) (local.get 1)) (i32.mul (i32.ge_u (local.get 0) (local.get 1)) (i32.const 2))))
    (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
    (func (export "remu") (param i64 i64) (result i64) (i64.rem_u (local.get 0) (local.get 1)))
    (func (export "ext") (param i32) (result i64) (i64.extend_i32_s (local.get 0)))
    (func (export "wrap") (param i64) (result i32) (i32.wrap_i64 (local.get 0)))
    (func (export "eqz") (param i64) (result i32) (i64.eqz (local.get 0)))
    (func (export "clz") (param i32) (result i32) (i32.clz (local.get 0)))
    (func (export "sel") (param i32 i64 i64) (result i64) (select (local.get 1) (local.get 2) (local.get 0)))
    (func (export "pressure") (param i32) (result i32)
      ;; ten operands live at once: more than the allocatable registers
      (local.get 0) (i32.const 1) (local.get 0) (i32.const 2) (local.get 0)
      (i32.const 3) (local.get 0) (i32.const 4) (local.get 0) (i32.const 5)
      (i32.mul (local.get 0) (i32.const 6))
      (i32.add) (i32.sub) (i32.mul) (i32.add) (i32.xor) (i32.add) (i32.or) (i32.add) (i32.sub)
      (i32.add))
  ))");
  for (int32_t a : {0, 1, -1, 7, INT32_MIN, INT32_MAX}) {
    for (int32_t b : {0, 1, -1, 3, INT32_MIN}) {
      check_same(d, "add", {Value::i32(a), Value::i32(b)});
      check_same(d, "cmp", {Value::i32(a), Value::i32(b)});
      check_same(d, "div", {Value::i32(a), Value::i32(b)});
      check_same(d, "mix", {Value::i64(a), Value::i64(int64_t(b) << 3)});
      check_same(d, "remu", {Value::i64(a), Value::i64(b)});
    }
    check_same(d, "addk", {Value::i32(a)});
    check_same(d, "ext", {Value::i32(a)});
    check_same(d, "wrap", {Value::i64(int64_t(uint64_t(uint32_t(a)) * 0x100000001u))});
    check_same(d, "eqz", {Value::i64(a)});
    check_same(d, "clz", {Value::i32(a)});
    check_same(d, "sel", {Value::i32(a), Value::i64(5), Value::i64(-6)});
    check_same(d, "pressure", {Value::i32(a)});
  }
}

TEST_CASE("control flow agrees") {
  Dual d(R"((module
    (func (export "fac") (param i64) (result i64) (local i64)
      (local.set 1 (i64.const 1))
      (block (loop
        (br_if 1 (i64.eqz (local.get 0)))
        (local.set 1 (i64.mul (local.get 1) (local.get 0)))
        (local.set 0 (i64.sub (local.get 0) (i64.const 1)))
        (br 0)))
      (local.get 1))
    (func (export "ifelse") (param i32) (result i32)
      (if (result i32) (local.get 0) (then (i32.const 10)) (else (i32.const 20))))
    (func (export "table") (param i32) (result i32)
      (block (block (block (br_table 0 1 2 (local.get 0))) (return (i32.const 100)))
        (return (i32.const 101)))
      (i32.const 102))
    (func (export "bigtable") (param i32) (result i32) (local i32)
      (local.set 1 (i32.add (local.get 0) (i32.const 7)))
      (block (block (block (block (block (block
        (br_table 0 1 2 3 4 5 2 (local.get 0)))
        (return (i32.add (local.get 1) (i32.const 100))))
        (return (i32.const 101)))
        (return (i32.mul (local.get 1) (i32.const 3))))
        (return (i32.const 103)))
        (return (local.get 1)))
      (i32.const 105))
    (func (export "tableval") (param i32) (result i32)
      (i32.add (i32.const 1)
        (block (result i32) (block (result i32) (block (result i32)
          (br_table 0 1 2 1 0 (i32.const 9) (local.get 0)))
          (i32.const 20) (i32.add)) (i32.const 300) (i32.add))))
    (func (export "brval") (param i32) (result i32)
      (block (result i32) (drop (br_if 0 (i32.const 5) (local.get 0))) (i32.const 6)))
    (func (export "multi") (param i32) (result i32 i32)
      (block (result i32 i32) (local.get 0) (i32.const 1) (br_if 0 (local.get 0))
        (drop) (drop) (i32.const 8) (i32.const 9)))
    (func (export "ifparam") (param i32) (result i32)
      (i32.const 40) (if (param i32) (result i32) (local.get 0)
        (then (i32.const 2) (i32.add)) (else (i32.const 3) (i32.sub))))
    (func (export "ret") (param i32) (result i32)
      (if (local.get 0) (then (return (i32.const 1)))) (i32.const 2))
    (func (export "unreach") (unreachable))
  ))");
  for (int64_t n : {0, 1, 5, 20}) check_same(d, "fac", {Value::i64(n)});
  for (int32_t n : {0, 1, 2, 3, 4, 5, 6, 7, 1000, -1}) {
    check_same(d, "bigtable", {Value::i32(n)});
    check_same(d, "tableval", {Value::i32(n)});
  }
  for (int32_t n : {0, 1, 2, 3, 7, -1}) {
    check_same(d, "ifelse", {Value::i32(n)});
    check_same(d, "table", {Value::i32(n)});
    check_same(d, "brval", {Value::i32(n)});
    check_same(d, "multi", {Value::i32(n)});
    check_same(d, "ifparam", {Value::i32(n)});
    check_same(d, "ret", {Value::i32(n)});
  }
  check_same(d, "unreach", {});
}

TEST_CASE("calls / globals and recursion agree") {
  Dual d(R"((module
    (global $g (mut i64) (i64.const 3))
    (func $fib (export "fib") (param i32) (result i32)
      (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
        (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                       (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
    (func $swap (param i32 i64) (result i64 i32) (local.get 1) (local.get 0))
    (func (export "useswap") (param i32) (result i64)
      (call $swap (local.get 0) (i64.const 9)) (i64.extend_i32_u) (i64.add))
    (func (export "bump") (result i64)
      (global.set $g (i64.add (global.get $g) (i64.const 2))) (global.get $g))
    (func $inf (export "inf") (param i32) (result i32) (call $inf (local.get 0)))
    (type $t (func (param i32) (result i32)))
    (table funcref (elem $fib $dbl))
    (func $dbl (param i32) (result i32) (i32.shl (local.get 0) (i32.const 1)))
    (func (export "indirect") (param i32 i32) (result i32)
      (call_indirect (type $t) (local.get 1) (local.get 0)))
    (func (export "badtype") (call_indirect (param i64) (i64.const 1) (i32.const 0)))
  ))");
  for (int32_t n : {0, 1, 2, 10, 20}) check_same(d, "fib", {Value::i32(n)});
  check_same(d, "useswap", {Value::i32(4)});
  check_same(d, "bump", {});
  check_same(d, "bump", {});
  check_same(d, "inf", {Value::i32(1)});
  for (int32_t i : {0, 1, 2, -1}) check_same(d, "indirect", {Value::i32(i), Value::i32(7)});
  check_same(d, "badtype", {});
}

TEST_CASE("memory accesses / faults and growth agree") {
  Dual d(R"((module
    (memory 1 3)
    (data (i32.const 8) "\01\02\03\04\05\06\07\08\ff")
    (func (export "ld") (param i32) (result i64) (i64.load (local.get 0)))
    (func (export "ld8s") (param i32) (result i32) (i32.load8_s offset=16 (local.get 0)))
    (func (export "ld16u") (param i32) (result i64) (i64.load16_u (local.get 0)))
    (func (export "st") (param i32 i32) (result i32)
      (i32.store (local.get 0) (local.get 1)) (i32.load (local.get 0)))
    (func (export "st8") (param i32 i64) (result i64)
      (i64.store8 offset=1 (local.get 0) (local.get 1)) (i64.load (local.get 0)))
    (func (export "bigoff") (param i32) (result i32) (i32.load offset=4294967295 (local.get 0)))
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "size") (result i32) (memory.size))
    (func (export "fill") (param i32 i32 i32) (result i64)
      (memory.fill (local.get 0) (local.get 1) (local.get 2)) (i64.load (local.get 0)))
  ))");
  for (int32_t a : {0, 8, 9, 65528, 65529, 65535, 65536, -1, -8}) {
    check_same(d, "ld", {Value::i32(a)});
    check_same(d, "ld8s", {Value::i32(a)});
    check_same(d, "ld16u", {Value::i32(a)});
    check_same(d, "st", {Value::i32(a), Value::i32(0x12345678)});
    check_same(d, "st8", {Value::i32(a), Value::i64(-2)});
    check_same(d, "bigoff", {Value::i32(a)});
  }
  check_same(d, "fill", {Value::i32(100), Value::i32(0xAB), Value::i32(8)});
  check_same(d, "fill", {Value::i32(65530), Value::i32(1), Value::i32(8)});
  check_same(d, "size", {});
  check_same(d, "grow", {Value::i32(1)});
  check_same(d, "size", {});
  check_same(d, "ld", {Value::i32(65536 + 8)});
  check_same(d, "grow", {Value::i32(5)});
}

TEST_CASE("floats and conversions agree") {
  Dual d(R"((module
    (func (export "f") (param f64 f64) (result f64)
      (f64.add (f64.mul (local.get 0) (local.get 1)) (f64.sqrt (local.get 0))))
    (func (export "mn") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
    (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
    (func (export "sat") (param f32) (result i64) (i64.trunc_sat_f32_u (local.get 0)))
    (func (export "conv") (param i64) (result f32) (f32.convert_i64_u (local.get 0)))
    (func (export "lt") (param f64 f64) (result i32) (f64.lt (local.get 0) (local.get 1)))
  ))");
  for (double a : {0.0, -0.0, 1.5, -2.75, 1e300, 3e9, -3e9}) {
    for (double b : {0.0, 2.0, -1.0}) {
      check_same(d, "f", {Value::f64(a), Value::f64(b)});
      check_same(d, "lt", {Value::f64(a), Value::f64(b)});
      check_same(d, "mn", {Value::f32(float(a)), Value::f32(float(b))});
    }
    check_same(d, "trunc", {Value::f64(a)});
    check_same(d, "sat", {Value::f32(float(a))});
    check_same(d, "conv", {Value::i64(int64_t(a))});
  }
}

TEST_CASE("float arithmetic agrees on signed zeros / NaNs and infinities") {
  std::vector<std::string> binary = {"add", "sub", "mul", "div", "min", "max"};
  std::vector<std::string> unary = {"sqrt", "ceil", "floor", "trunc", "nearest"};
  std::vector<std::string> bit_ops = {"abs", "neg"};
  std::vector<std::string> compares = {"eq", "ne", "lt", "gt", "le", "ge"};
  for (std::string t : {"f32", "f64"}) {
    auto with_type = [&](const std::vector<std::string>& ops) {
      std::vector<std::string> out;
      for (const auto& op : ops) out.push_back(t + "." + op);
      return out;
    };
    Dual arith(op_module(with_type(binary), t + " " + t, t));
    Dual exact(op_module(with_type({"copysign"}), t + " " + t, t));
    Dual round(op_module(with_type(unary), t, t));
    Dual bits(op_module(with_type(bit_ops), t, t));
    Dual cmp(op_module(with_type(compares), t + " " + t, "i32"));
    std::vector<Value> values;
    if (t == "f32") {
      for (float v : kF32Values) values.push_back(Value::f32(v));
    } else {
      for (double v : kF64Values) values.push_back(Value::f64(v));
    }
    for (const Value& a : values) {
      for (const std::string& op : with_type(unary)) check_same_arith(round, op, {a});
      for (const std::string& op : with_type(bit_ops)) check_same(bits, op, {a});
      for (const Value& b : values) {
        for (const std::string& op : with_type(binary)) check_same_arith(arith, op, {a, b});
        for (const std::string& op : with_type(compares)) check_same(cmp, op, {a, b});
        check_same(exact, t + ".copysign", {a, b});
      }
    }
  }
}

std::vector<Value> values_of(const std::string& type) {
  std::vector<Value> out;
  if (type == "f32") {
    for (float v : kF32Values) out.push_back(Value::f32(v));
  } else if (type == "f64") {
    for (double v : kF64Values) out.push_back(Value::f64(v));
  } else if (type == "i32") {
    for (int64_t v : kI64Values) out.push_back(Value::i32(int32_t(v)));
  } else {
    for (int64_t v : kI64Values) out.push_back(Value::i64(v));
  }
  return out;
}

TEST_CASE("float conversions agree at the bounds of every integer type") {
  for (std::string i : {"i32", "i64"}) {
    for (std::string f : {"f32", "f64"}) {
      std::vector<std::string> truncs, converts;
      for (std::string sign : {"_s", "_u"}) {
        truncs.push_back(i + ".trunc_" + f + sign);
        truncs.push_back(i + ".trunc_sat_" + f + sign);
        converts.push_back(f + ".convert_" + i + sign);
      }
      Dual to_int(op_module(truncs, f, i));
      for (const Value& v : values_of(f)) {
        for (const std::string& op : truncs) check_same(to_int, op, {v});
      }
      Dual to_float(op_module(converts, i, f));
      for (const Value& v : values_of(i)) {
        for (const std::string& op : converts) check_same(to_float, op, {v});
      }
    }
  }
  Dual demote(op_module({"f32.demote_f64"}, "f64", "f32"));
  for (const Value& v : values_of("f64")) check_same_arith(demote, "f32.demote_f64", {v});
  Dual promote(op_module({"f64.promote_f32"}, "f32", "f64"));
  for (const Value& v : values_of("f32")) check_same_arith(promote, "f64.promote_f32", {v});
}

TEST_CASE("reinterpretations keep every bit / through registers / slots and constants") {
  Dual d(R"((module
    (func (export "f2i") (param f32) (result i32) (i32.reinterpret_f32 (local.get 0)))
    (func (export "d2l") (param f64) (result i64) (i64.reinterpret_f64 (local.get 0)))
    (func (export "i2f") (param i32) (result f32) (f32.reinterpret_i32 (local.get 0)))
    (func (export "l2d") (param i64) (result f64) (f64.reinterpret_i64 (local.get 0)))
    (func (export "roundtrip") (param f64) (result f64)
      (f64.reinterpret_i64 (i64.add (i64.reinterpret_f64 (local.get 0)) (i64.const 1))))
    (func (export "const") (result i64) (i64.reinterpret_f64 (f64.const -0x1.8p1)))
  ))");
  for (const Value& v : values_of("f32")) check_same(d, "f2i", {v});
  for (const Value& v : values_of("f64")) {
    check_same(d, "d2l", {v});
    check_same(d, "roundtrip", {v});
  }
  for (const Value& v : values_of("i32")) check_same(d, "i2f", {v});
  for (const Value& v : values_of("i64")) check_same(d, "l2d", {v});
  check_same(d, "const", {});
}

TEST_CASE("integer division / bit counts and sign extension agree / traps included") {
  for (std::string t : {"i32", "i64"}) {
    Dual div(op_module({t + ".div_s", t + ".div_u", t + ".rem_s", t + ".rem_u"}, t + " " + t, t));
    Dual unary(op_module(
        {t + ".clz", t + ".ctz", t + ".popcnt", t + ".extend8_s", t + ".extend16_s"}, t, t));
    for (const Value& a : values_of(t)) {
      for (const Value& b : values_of(t)) {
        for (std::string op : {".div_s", ".div_u", ".rem_s", ".rem_u"})
          check_same(div, t + op, {a, b});
      }
      for (std::string op : {".clz", ".ctz", ".popcnt", ".extend8_s", ".extend16_s"}) {
        check_same(unary, t + op, {a});
      }
    }
  }
  Dual ext(op_module({"i64.extend32_s"}, "i64", "i64"));
  for (const Value& a : values_of("i64")) check_same(ext, "i64.extend32_s", {a});
}

TEST_CASE("floats live in registers across locals / globals / memory / select and calls") {
  Dual d(R"((module
    (memory 1)
    (global $g (mut f64) (f64.const 0.25))
    (global $h (mut f32) (f32.const -1.5))
    (func $poly (param f64 f32) (result f64)
      (f64.add (f64.mul (local.get 0) (local.get 0)) (f64.promote_f32 (local.get 1))))
    (func (export "mix") (param f64 f32 i32) (result f64) (local f64 f32)
      (local.set 3 (f64.div (local.get 0) (f64.const 3)))
      (local.set 4 (f32.mul (local.get 1) (global.get $h)))
      (f64.store offset=8 (local.get 2) (local.get 3))
      (f32.store offset=4 (local.get 2) (local.get 4))
      (global.set $g (f64.sub (global.get $g) (f64.load offset=8 (local.get 2))))
      (global.set $h (f32.load offset=4 (local.get 2)))
      (f64.add (call $poly (global.get $g) (global.get $h))
               (select (local.get 3) (f64.const 7) (local.get 2))))
    (func (export "pressure") (param f64) (result f64)
      ;; eighteen floats live at once: more than the allocatable registers
      (local.get 0) (f64.const 1) (local.get 0) (f64.const 2) (local.get 0) (f64.const 3)
      (local.get 0) (f64.const 4) (local.get 0) (f64.const 5) (local.get 0) (f64.const 6)
      (local.get 0) (f64.const 7) (local.get 0) (f64.const 8) (local.get 0) (f64.const 9)
      (f64.add) (f64.sub) (f64.mul) (f64.add) (f64.sub) (f64.add) (f64.mul) (f64.add)
      (f64.sub) (f64.add) (f64.mul) (f64.add) (f64.sub) (f64.add) (f64.mul) (f64.add) (f64.sub))
    (func (export "branchy") (param f32 i32) (result f32)
      (block (result f32)
        (br_if 0 (f32.neg (local.get 0)) (local.get 1))
        (drop)
        (if (result f32) (f32.gt (local.get 0) (f32.const 0))
          (then (f32.sqrt (local.get 0))) (else (f32.abs (local.get 0))))))
    (func (export "bigaddr") (param i32) (result f64) (f64.load offset=65530 (local.get 0)))
  ))");
  for (double a : {0.0, -0.0, 1.5, -2.75, 1e300}) {
    for (int32_t p : {0, 8, 16}) {
      check_same(d, "mix", {Value::f64(a), Value::f32(float(a)), Value::i32(p)});
    }
    check_same(d, "pressure", {Value::f64(a)});
    for (int32_t c : {0, 1}) check_same(d, "branchy", {Value::f32(float(a)), Value::i32(c)});
  }
  for (int32_t a : {0, 6, 7, 100}) check_same(d, "bigaddr", {Value::i32(a)});
}
