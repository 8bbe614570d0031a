// Wasm GC on the JIT (jit/common/func_compiler_gc.cpp): each instruction group run on both
// tiers with the same arguments, results and traps compared (jit_harness.h). References do not
// leave the modules (two stores' heaps differ); the exports return what they read from them.
#include <catch2/catch.hpp>

#include "engine/runtime/api_access.h"
#include "jit/common/module_compiler.h"
#include "tests/jit/jit_harness.h"

using namespace tern;
using jit::testing::check_same;
using jit::testing::Dual;

namespace {

constexpr int32_t kInts[] = {0,         1,          -1,         127,        128,   255,
                             256,       -129,       32767,      65535,      65536, INT32_MAX,
                             INT32_MIN, 0x3fffffff, 0x40000000, -0x40000000};

}  // namespace

TEST_CASE("struct.new / struct.get and struct.set at every field width agree", "[gc]") {
  Dual d(R"((module
    (type $s (struct (field $a (mut i8)) (field $b (mut i16)) (field $c (mut i32))
                     (field $d (mut i64)) (field $e (mut f32)) (field $f (mut f64))
                     (field $g (mut anyref)) (field $h (mut v128))))
    (global $g (mut (ref null $s)) (ref.null $s))
    (func (export "make") (param i32 i64 f32 f64)
      (global.set $g (struct.new $s (local.get 0) (local.get 0) (local.get 0) (local.get 1)
                                    (local.get 2) (local.get 3) (ref.i31 (local.get 0))
                                    (i64x2.splat (local.get 1)))))
    (func (export "a_s") (result i32) (struct.get_s $s $a (global.get $g)))
    (func (export "a_u") (result i32) (struct.get_u $s $a (global.get $g)))
    (func (export "b_s") (result i32) (struct.get_s $s $b (global.get $g)))
    (func (export "b_u") (result i32) (struct.get_u $s $b (global.get $g)))
    (func (export "c") (result i32) (struct.get $s $c (global.get $g)))
    (func (export "d") (result i64) (struct.get $s $d (global.get $g)))
    (func (export "e") (result f32) (struct.get $s $e (global.get $g)))
    (func (export "f") (result f64) (struct.get $s $f (global.get $g)))
    (func (export "g") (result i32) (i31.get_s (ref.cast i31ref (struct.get $s $g (global.get $g)))))
    (func (export "h") (result i64)
      (i64.add (i64x2.extract_lane 0 (struct.get $s $h (global.get $g)))
               (i64x2.extract_lane 1 (struct.get $s $h (global.get $g)))))
    ;; values live in registers around the helper calls
    (func (export "sum") (param i32) (result i64)
      (i64.add (i64.extend_i32_s (local.get 0))
        (i64.add (i64.extend_i32_s (struct.get_s $s $a (global.get $g)))
          (i64.add (struct.get $s $d (global.get $g))
                   (i64.trunc_sat_f64_s (f64.add (f64.promote_f32 (struct.get $s $e (global.get $g)))
                                                 (struct.get $s $f (global.get $g))))))))
    (func (export "set") (param i32 i64 f32 f64)
      (struct.set $s $a (global.get $g) (local.get 0))
      (struct.set $s $b (global.get $g) (i32.add (local.get 0) (i32.const 1)))
      (struct.set $s $c (global.get $g) (i32.mul (local.get 0) (i32.const 3)))
      (struct.set $s $d (global.get $g) (local.get 1))
      (struct.set $s $e (global.get $g) (local.get 2))
      (struct.set $s $f (global.get $g) (local.get 3))
      (struct.set $s $g (global.get $g) (ref.i31 (i32.const 5)))
      (struct.set $s $h (global.get $g) (i32x4.splat (local.get 0))))
    (func (export "default") (result i64)
      (local $t (ref $s))
      (local.set $t (struct.new_default $s))
      (i64.add (i64.extend_i32_u (struct.get_u $s $a (local.get $t)))
        (i64.add (struct.get $s $d (local.get $t))
                 (i64.extend_i32_u (ref.is_null (struct.get $s $g (local.get $t)))))))
    (func (export "get_null") (result i32) (struct.get $s $c (ref.null $s)))
    (func (export "set_null") (struct.set $s $c (ref.null $s) (i32.const 0)))
  ))");
  const char* reads[] = {"a_s", "a_u", "b_s", "b_u", "c", "d", "e", "f", "g", "h", "default"};
  for (int32_t v : kInts) {
    // The multiply wraps, as an i64 would: unsigned, so it is defined.
    for (int64_t w : {int64_t(0), int64_t(uint64_t(int64_t(v)) * 0x100000003u), INT64_MIN}) {
      std::vector<Value> args{Value::i32(v), Value::i64(w), Value::f32(float(v) / 3),
                              Value::f64(double(w) / 7)};
      check_same(d, "make", args);
      for (const char* f : reads) check_same(d, f, {});
      check_same(d, "sum", {Value::i32(v)});
      check_same(d, "set", args);
      for (const char* f : reads) check_same(d, f, {});
    }
  }
  check_same(d, "get_null", {});
  check_same(d, "set_null", {});
}

TEST_CASE("array allocations / accesses and bulk operations agree", "[gc]") {
  Dual d(R"((module
    (type $b (array (mut i8)))
    (type $h (array (mut i16)))
    (type $l (array (mut i64)))
    (type $f (array (mut f64)))
    (type $v (array (mut v128)))
    (type $r (array (mut anyref)))
    (data $bytes "\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10\81\82\ff")
    (elem $refs anyref (item (ref.i31 (i32.const 10))) (item (ref.null any))
                       (item (ref.i31 (i32.const -3))))
    (global $a (mut (ref null $b)) (ref.null $b))
    (func (export "new") (param i32 i32) (result i32)
      (global.set $a (array.new $b (local.get 0) (local.get 1)))
      (array.len (global.get $a)))
    (func (export "new_default") (param i32) (result i64)
      (local $t (ref $l))
      (local.set $t (array.new_default $l (local.get 0)))
      (i64.add (i64.extend_i32_u (array.len (local.get $t))) (array.get $l (local.get $t) (i32.const 0))))
    (func (export "fixed") (param i32 i32) (result i32)
      (array.get_s $h (array.new_fixed $h 4 (local.get 1) (i32.const 2) (i32.const -3) (i32.const 40000))
                   (local.get 0)))
    (func (export "fixed_f") (param f64 i32) (result f64)
      (array.get $f (array.new_fixed $f 2 (local.get 0) (f64.neg (local.get 0))) (local.get 1)))
    (func (export "v") (param i64 i32) (result i64)
      (local $t (ref $v))
      (local.set $t (array.new $v (i64x2.splat (local.get 0)) (i32.const 3)))
      (array.set $v (local.get $t) (i32.const 1) (i64x2.replace_lane 1 (i64x2.splat (local.get 0)) (i64.const 9)))
      (i64x2.extract_lane 1 (array.get $v (local.get $t) (local.get 1))))
    (func (export "data") (param i32 i32 i32) (result i32)
      (array.get_u $b (array.new_data $b $bytes (local.get 0) (local.get 1)) (local.get 2)))
    (func (export "data_s") (param i32 i32 i32) (result i32)
      (array.get_s $b (array.new_data $b $bytes (local.get 0) (local.get 1)) (local.get 2)))
    (func (export "elem") (param i32 i32 i32) (result i32)
      (local $r anyref)
      (local.set $r (array.get $r (array.new_elem $r $refs (local.get 0) (local.get 1)) (local.get 2)))
      (if (result i32) (ref.is_null (local.get $r)) (then (i32.const -100))
        (else (i31.get_s (ref.cast i31ref (local.get $r))))))
    (func (export "get_u") (param i32) (result i32) (array.get_u $b (global.get $a) (local.get 0)))
    (func (export "get_s") (param i32) (result i32) (array.get_s $b (global.get $a) (local.get 0)))
    (func (export "set") (param i32 i32) (array.set $b (global.get $a) (local.get 0) (local.get 1)))
    (func (export "fill") (param i32 i32 i32) (array.fill $b (global.get $a) (local.get 0) (local.get 1) (local.get 2)))
    (func (export "copy") (param i32 i32 i32) (array.copy $b $b (global.get $a) (local.get 0) (global.get $a) (local.get 1) (local.get 2)))
    (func (export "init_data") (param i32 i32 i32) (array.init_data $b $bytes (global.get $a) (local.get 0) (local.get 1) (local.get 2)))
    (func (export "init_elem") (param i32 i32 i32) (result i32)
      (local $t (ref $r))
      (local.set $t (array.new_default $r (i32.const 4)))
      (array.init_elem $r $refs (local.get $t) (local.get 0) (local.get 1) (local.get 2))
      (i31.get_u (ref.cast i31ref (array.get $r (local.get $t) (local.get 0)))))
    (func (export "sum") (result i32) (local $i i32) (local $s i32)
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $i) (array.len (global.get $a))))
        (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 31)) (array.get_u $b (global.get $a) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
      (local.get $s))
    (func (export "len_null") (result i32) (array.len (ref.null $b)))
    (func (export "get_null") (result i32) (array.get_u $b (ref.null $b) (i32.const 0)))
    (func (export "set_null") (array.set $b (ref.null $b) (i32.const 0) (i32.const 0)))
    (func (export "fill_null") (array.fill $b (ref.null $b) (i32.const 0) (i32.const 0) (i32.const 0)))
  ))");
  for (int32_t n : {0, 1, 5, 16}) {
    for (int32_t v : {0, 7, -1, 300}) {
      check_same(d, "new", {Value::i32(v), Value::i32(n)});
      check_same(d, "sum", {});
      for (int32_t i : {0, 3, 15, 16, -1}) {
        check_same(d, "get_u", {Value::i32(i)});
        check_same(d, "get_s", {Value::i32(i)});
        check_same(d, "set", {Value::i32(i), Value::i32(v * 3 + i)});
      }
      check_same(d, "sum", {});
      check_same(d, "fill", {Value::i32(1), Value::i32(v + 1), Value::i32(n - 2)});
      check_same(d, "copy", {Value::i32(2), Value::i32(0), Value::i32(n - 3)});
      check_same(d, "copy", {Value::i32(0), Value::i32(1), Value::i32(n)});
      check_same(d, "init_data", {Value::i32(1), Value::i32(v & 7), Value::i32(3)});
      check_same(d, "sum", {});
    }
  }
  for (int32_t i : {0, 1, 2, 3, 4, -1}) {
    check_same(d, "new_default", {Value::i32(i * 3)});
    check_same(d, "fixed", {Value::i32(i), Value::i32(-i * 9000)});
    check_same(d, "fixed_f", {Value::f64(1.5 * i), Value::i32(i)});
    check_same(d, "v", {Value::i64(-i * 77), Value::i32(i)});
    for (int32_t off : {0, 3, 17, 19, 20}) {
      check_same(d, "data", {Value::i32(off), Value::i32(i), Value::i32(1)});
      check_same(d, "data_s", {Value::i32(off), Value::i32(2), Value::i32(i)});
      check_same(d, "elem", {Value::i32(off & 3), Value::i32(i), Value::i32(1)});
      check_same(d, "init_elem", {Value::i32(i), Value::i32(off & 3), Value::i32(1)});
    }
  }
  for (const char* f : {"len_null", "get_null", "set_null", "fill_null"}) check_same(d, f, {});
}

TEST_CASE("ref.i31 / i31.get_s / i31.get_u and ref.eq agree", "[gc]") {
  Dual d(R"((module
    (type $e (struct))
    (global $g (mut i31ref) (ref.i31 (i32.const 0)))
    (func (export "s") (param i32) (result i32) (i31.get_s (ref.i31 (local.get 0))))
    (func (export "u") (param i32) (result i32) (i31.get_u (ref.i31 (local.get 0))))
    (func (export "k") (result i32) (i31.get_s (ref.i31 (i32.const -5))))
    (func (export "via_global") (param i32) (result i32)
      (global.set $g (ref.i31 (local.get 0)))
      (i32.add (i31.get_u (global.get $g)) (i31.get_s (global.get $g))))
    (func (export "null_s") (result i32) (i31.get_s (ref.null i31)))
    (func (export "null_u") (result i32) (i31.get_u (ref.null i31)))
    (func (export "eq") (param i32 i32) (result i32) (ref.eq (ref.i31 (local.get 0)) (ref.i31 (local.get 1))))
    (func (export "eq_null") (param i32) (result i32)
      (i32.add (ref.eq (ref.null eq) (ref.null none))
               (i32.mul (i32.const 2) (ref.eq (ref.i31 (local.get 0)) (ref.null eq)))))
    (func (export "eq_objects") (result i32)
      (local $a eqref) (local $b eqref)
      (local.set $a (struct.new_default $e))
      (local.set $b (struct.new_default $e))
      (i32.add (ref.eq (local.get $a) (local.get $a))
               (i32.mul (i32.const 2) (ref.eq (local.get $a) (local.get $b)))))
    (func (export "eq_branch") (param i32 i32) (result i32)
      (block $yes
        (br_if $yes (ref.eq (ref.i31 (local.get 0)) (ref.i31 (local.get 1))))
        (return (i32.const 0)))
      (i32.const 1))
  ))");
  for (int32_t a : kInts) {
    check_same(d, "s", {Value::i32(a)});
    check_same(d, "u", {Value::i32(a)});
    check_same(d, "via_global", {Value::i32(a)});
    check_same(d, "eq_null", {Value::i32(a)});
    for (int32_t b : {0, 1, -1, INT32_MIN, INT32_MAX, a ^ INT32_MIN}) {
      check_same(d, "eq", {Value::i32(a), Value::i32(b)});
      check_same(d, "eq_branch", {Value::i32(a), Value::i32(b)});
    }
  }
  for (const char* f : {"k", "null_s", "null_u", "eq_objects"}) check_same(d, f, {});
}

TEST_CASE("ref.test / ref.cast / br_on_cast and br_on_cast_fail agree", "[gc]") {
  Dual d(R"((module
    (type $t0 (sub (struct)))
    (type $t1 (sub $t0 (struct (field i32))))
    (type $t2 (sub $t1 (struct (field i32) (field i32))))
    (type $a (array i8))
    (type $f (func))
    (func $fn)
    (elem declare func $fn)
    (table $objs 8 anyref)
    (func (export "init") (param externref)
      (table.set $objs (i32.const 1) (ref.i31 (i32.const 7)))
      (table.set $objs (i32.const 2) (struct.new_default $t0))
      (table.set $objs (i32.const 3) (struct.new_default $t1))
      (table.set $objs (i32.const 4) (struct.new_default $t2))
      (table.set $objs (i32.const 5) (array.new_default $a (i32.const 1)))
      (table.set $objs (i32.const 6) (any.convert_extern (local.get 0))))
    ;; one bit per target the value is of
    (func (export "test") (param $i i32) (result i32)
      (local $r anyref)
      (local.set $r (table.get $objs (local.get $i)))
      (i32.or (i32.or (i32.or (ref.test anyref (local.get $r))
                              (i32.shl (ref.test (ref any) (local.get $r)) (i32.const 1)))
                      (i32.or (i32.shl (ref.test (ref eq) (local.get $r)) (i32.const 2))
                              (i32.shl (ref.test (ref null i31) (local.get $r)) (i32.const 3))))
      (i32.or (i32.or (i32.or (i32.shl (ref.test (ref struct) (local.get $r)) (i32.const 4))
                              (i32.shl (ref.test (ref array) (local.get $r)) (i32.const 5)))
                      (i32.or (i32.shl (ref.test (ref $t0) (local.get $r)) (i32.const 6))
                              (i32.shl (ref.test (ref null $t1) (local.get $r)) (i32.const 7))))
              (i32.or (i32.or (i32.shl (ref.test (ref $t2) (local.get $r)) (i32.const 8))
                              (i32.shl (ref.test nullref (local.get $r)) (i32.const 9)))
                      (i32.shl (ref.test (ref none) (local.get $r)) (i32.const 10))))))
    (func (export "cast_t1") (param $i i32) (result i32)
      (ref.is_null (ref.cast (ref null $t1) (table.get $objs (local.get $i)))))
    (func (export "cast_any") (param $i i32) (result i32)
      (ref.is_null (ref.cast (ref any) (table.get $objs (local.get $i)))))
    (func (export "cast_anyref") (param $i i32) (result i32)
      (ref.is_null (ref.cast anyref (table.get $objs (local.get $i)))))
    (func (export "cast_none") (param $i i32) (result i32)
      (ref.is_null (ref.cast nullref (table.get $objs (local.get $i)))))
    (func (export "cast_i31") (param $i i32) (result i32)
      (i31.get_u (ref.cast (ref i31) (table.get $objs (local.get $i)))))
    (func (export "br") (param $i i32) (result i32)
      (block $is_t1 (result (ref null $t1))
        (block $is_i31 (result i31ref)
          (block $is_any (result (ref any))
            (br_on_cast $is_t1 anyref (ref null $t1) (table.get $objs (local.get $i)))
            (br_on_cast $is_i31 anyref i31ref)
            (br_on_cast $is_any anyref (ref any))
            (drop)
            (return (i32.const -1)))
          (drop)
          (return (i32.const 3)))
        (return (i31.get_u)))
      (drop)
      (i32.const 1))
    (func (export "br_fail") (param $i i32) (result i32)
      (local $r anyref)
      (local.set $r
        (block $not_t2 (result anyref)
          (br_on_cast_fail $not_t2 anyref (ref $t2) (table.get $objs (local.get $i)))
          (drop)
          (return (i32.const 2))))
      (block $non_null (result anyref)
        (br_on_cast_fail $non_null anyref nullref (local.get $r))
        (drop)
        (return (i32.const 4)))
      (drop)
      (i32.const 9))
    (func (export "br_fail_null") (param $i i32) (result i32)
      (block $null (result anyref)
        (br_on_cast_fail $null anyref (ref any) (table.get $objs (local.get $i)))
        (drop)
        (return (i32.const 5)))
      (drop)
      (i32.const 6))
    (func (export "func_test") (result i32)
      (i32.add (ref.test (ref $f) (ref.func $fn)) (ref.test (ref null nofunc) (ref.func $fn))))
  ))");
  check_same(d, "init",
             {Value::ref(ValType::ExternRef, reinterpret_cast<void*>(uintptr_t(0x1230)))});
  for (int32_t i = 0; i < 8; ++i) {
    for (const char* f : {"test", "cast_t1", "cast_any", "cast_anyref", "cast_none", "cast_i31",
                          "br", "br_fail", "br_fail_null"}) {
      check_same(d, f, {Value::i32(i)});
    }
  }
  check_same(d, "func_test", {});
}

TEST_CASE("any.convert_extern and extern.convert_any agree", "[gc]") {
  Dual d(R"((module
    (global $kept (mut anyref) (ref.null any))
    (func (export "round_trip") (param externref) (result externref)
      (extern.convert_any (any.convert_extern (local.get 0))))
    ;; a host box is an any but not an eq; null stays null
    (func (export "boxed") (param externref) (result i32)
      (global.set $kept (any.convert_extern (local.get 0)))
      (i32.add (ref.test (ref eq) (global.get $kept))
               (i32.mul (i32.const 2) (ref.test (ref any) (global.get $kept)))))
    (func (export "i31_out") (param i32) (result i32)
      (i31.get_s (ref.cast i31ref (any.convert_extern (extern.convert_any (ref.i31 (local.get 0)))))))
    (func (export "null") (result i32)
      (i32.add (ref.is_null (any.convert_extern (ref.null extern)))
               (ref.is_null (extern.convert_any (ref.null any)))))
  ))");
  for (uintptr_t p : {uintptr_t(0), uintptr_t(0x1000), uintptr_t(0xdead0)}) {
    Value host = Value::ref(ValType::ExternRef, reinterpret_cast<void*>(p));
    check_same(d, "round_trip", {host});
    check_same(d, "boxed", {host});
  }
  for (int32_t v : kInts) check_same(d, "i31_out", {Value::i32(v)});
  check_same(d, "null", {});
}

TEST_CASE("call_indirect accepts a declared subtype of a type that is not final", "[gc]") {
  Dual d(R"((module
    (type $base (sub (func (result i32))))
    (type $derived (sub $base (func (result i32))))
    (type $other (sub (func (result i32))))
    (type $fin (func (param i32) (result i32)))
    (func $b (type $base) (i32.const 1))
    (func $d (type $derived) (i32.const 2))
    (func $o (type $other) (i32.const 3))
    (func $f (type $fin) (i32.add (local.get 0) (i32.const 4)))
    (table 4 funcref)
    (elem (i32.const 0) func $b $d $o $f)
    (func (export "as_base") (param i32) (result i32) (call_indirect (type $base) (local.get 0)))
    (func (export "as_derived") (param i32) (result i32) (call_indirect (type $derived) (local.get 0)))
    (func (export "as_fin") (param i32) (result i32) (call_indirect (type $fin) (i32.const 5) (local.get 0)))
    (func (export "tail_as_base") (param i32) (result i32)
      (return_call_indirect (type $base) (local.get 0)))
  ))");
  for (int32_t i = 0; i < 5; ++i) {
    for (const char* f : {"as_base", "as_derived", "as_fin", "tail_as_base"}) {
      check_same(d, f, {Value::i32(i)});
    }
  }
  // The derived function, called as its declared supertype.
  jit::testing::Outcome derived = d.jit("as_base", {Value::i32(1)});
  REQUIRE(derived.values.size() == 1);
  CHECK(derived.values[0].i32() == 2);
}

TEST_CASE("the JIT's garbage is collected, and a live set past the limit traps cleanly", "[gc]") {
  Config config{.tier = Tier::Jit};
  Engine engine(config);
  Module module = test::must_compile(engine, R"((module
    (type $a (array (mut i64)))
    (type $cell (struct (field (ref $a)) (field (ref null $cell))))
    ;; n arrays of 8 KB, each garbage at once.
    (func (export "churn") (param i32)
      (loop $l
        (drop (array.new_default $a (i32.const 1000)))
        (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))))
    ;; n arrays kept alive in a list held by a local.
    (func (export "hoard") (param i32) (result i32)
      (local $list (ref null $cell))
      (loop $l
        (local.set $list
          (struct.new $cell (array.new_default $a (i32.const 1000)) (local.get $list)))
        (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
      (array.len (struct.get $cell 0 (ref.as_non_null (local.get $list)))))
  ))");
  Store store(engine);
  StoreLimits limits;
  limits.gc_heap_bytes = 1 << 20;
  store.set_limits(limits);
  Linker linker;
  auto instance = linker.instantiate(store, module);
  REQUIRE(instance.ok());
  Instance inst = *instance;
  // 8 MB of garbage through a 1 MiB heap: collections run while the JIT frame is live.
  CHECK(inst.get_func("churn")->call(store, {Value::i32(1000)}).ok());
  CHECK(store.gc_stats().collections > 0);
  // A live set under the limit fits; one past it traps, and the store stays usable.
  CHECK(inst.get_func("hoard")->call(store, {Value::i32(64)}).ok());
  auto r = inst.get_func("hoard")->call(store, {Value::i32(1000)});
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().trap);
  CHECK(r.error().trap->code == TrapCode::GcHeapExhausted);
  CHECK(inst.get_func("churn")->call(store, {Value::i32(50)}).ok());
}

TEST_CASE("the JIT compiles GC instructions for every tier setting", "[gc]") {
  Engine engine(Config{.tier = Tier::Interp});
  Module m = test::must_compile(engine, R"((module
    (func (export "f") (result i32) (i31.get_u (ref.i31 (i32.const 3))))))");
  const rt::CompiledModule& module = *detail::Access::module(m);
  for (bool lazy : {false, true}) {
    for (Tier tier : {Tier::Auto, Tier::Jit}) {
      CHECK(jit::compile_module(module, Config{.tier = tier, .lazy_compile = lazy}).ok());
    }
  }
}
