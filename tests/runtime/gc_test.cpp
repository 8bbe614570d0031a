// Wasm GC on every tier: structs and arrays on the store's heap (fields at their packed
// width), casts along declared subtype chains, the store's GC heap limit, the conversions
// between the extern and any hierarchies, GC allocations in constant expressions, and
// call_indirect and import matching by declared subtyping. Each case runs on the interpreter
// and on the JIT, eagerly and lazily (test::tier_cases).
#include <catch2/catch.hpp>

#include "tests/runtime/test_util.h"
#include "tests/support/tier.h"

using namespace tern;
using test::must_call;

namespace {

struct Run {
  Engine engine;
  Store store{engine};
  Instance inst;
  Run(const Config& config, std::string_view wat, const StoreLimits& limits = {}) : engine(config) {
    store.set_limits(limits);
    inst = test::must_instantiate(Linker(), store, test::must_compile(engine, wat));
  }
  std::vector<Value> call(std::string_view f, std::initializer_list<Value> args = {}) {
    return must_call(store, inst, f, args);
  }
  int32_t i32(std::string_view f, std::initializer_list<Value> args = {}) {
    auto r = call(f, args);
    REQUIRE(r.size() == 1);
    return r[0].i32();
  }
  // The trap a call ends in, with its message.
  Trap trap(std::string_view f, std::initializer_list<Value> args = {}) {
    auto r = inst.get_func(f)->call(store, args);
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.error().trap);
    return *r.error().trap;
  }
};

// The tier a test case runs on, one per run of the case.
#define GC_TIER()                                                                          \
  const test::TierCase tier = GENERATE(Catch::Generators::from_range(test::tier_cases())); \
  INFO(tier.name)

}  // namespace

TEST_CASE("struct fields are stored at their packed width", "[gc]") {
  GC_TIER();
  Run r(tier.config, R"((module
    (type $s (struct (field $a (mut i8)) (field $b (mut i16)) (field $c (mut i64))
                     (field $d (mut f32)) (field $e (mut anyref)) (field $f i32)))
    (global $g (mut (ref null $s)) (ref.null $s))
    (func (export "make") (param i32 i32)
      (global.set $g (struct.new $s (local.get 0) (local.get 1) (i64.const -3) (f32.const 1.5)
                                    (ref.i31 (i32.const 9)) (i32.const 77))))
    (func (export "a_s") (result i32) (struct.get_s $s $a (global.get $g)))
    (func (export "a_u") (result i32) (struct.get_u $s $a (global.get $g)))
    (func (export "b_s") (result i32) (struct.get_s $s $b (global.get $g)))
    (func (export "b_u") (result i32) (struct.get_u $s $b (global.get $g)))
    (func (export "c") (result i64) (struct.get $s $c (global.get $g)))
    (func (export "d") (result f32) (struct.get $s $d (global.get $g)))
    (func (export "e") (result i32) (i31.get_s (ref.cast i31ref (struct.get $s $e (global.get $g)))))
    (func (export "f") (result i32) (struct.get $s $f (global.get $g)))
    (func (export "set_a") (param i32) (struct.set $s $a (global.get $g) (local.get 0)))
    (func (export "default_c") (result i64) (struct.get $s $c (struct.new_default $s)))
    (func (export "get_null") (result i32) (struct.get $s $f (ref.null $s)))
    (func (export "set_null") (struct.set $s $a (ref.null $s) (i32.const 0)))
  ))");
  r.call("make", {Value::i32(0x1ff), Value::i32(0x18765)});
  CHECK(r.i32("a_s") == -1);  // 0x1ff wrapped to 0xff
  CHECK(r.i32("a_u") == 0xff);
  CHECK(r.i32("b_s") == -0x789b);  // 0x8765 sign-extended
  CHECK(r.i32("b_u") == 0x8765);
  CHECK(r.call("c")[0].i64() == -3);
  CHECK(r.call("d")[0].f32() == 1.5f);
  CHECK(r.i32("e") == 9);
  CHECK(r.i32("f") == 77);
  r.call("set_a", {Value::i32(0x7f)});
  CHECK(r.i32("a_s") == 0x7f);
  CHECK(r.i32("b_u") == 0x8765);  // the neighbouring field is untouched
  CHECK(r.call("default_c")[0].i64() == 0);
  for (const char* f : {"get_null", "set_null"}) {
    Trap t = r.trap(f);
    CHECK(t.code == TrapCode::NullStructReference);
    CHECK(t.message == "null structure reference");
  }
}

TEST_CASE("array instructions", "[gc]") {
  GC_TIER();
  Run r(tier.config, R"((module
    (type $a (array (mut i16)))
    (type $r (array (mut funcref)))
    (data $d "\01\00\02\00\03\00\04\00")
    (elem $e func $f $f)
    (func $f)
    (global $g (mut (ref null $a)) (ref.null $a))
    (func (export "new") (param i32 i32) (global.set $g (array.new $a (local.get 0) (local.get 1))))
    (func (export "new_default") (param i32) (global.set $g (array.new_default $a (local.get 0))))
    (func (export "new_fixed") (global.set $g (array.new_fixed $a 3 (i32.const 5) (i32.const 6)
                                                                 (i32.const -1))))
    (func (export "new_data") (param i32 i32)
      (global.set $g (array.new_data $a $d (local.get 0) (local.get 1))))
    (func (export "len") (result i32) (array.len (global.get $g)))
    (func (export "get_s") (param i32) (result i32) (array.get_s $a (global.get $g) (local.get 0)))
    (func (export "get_u") (param i32) (result i32) (array.get_u $a (global.get $g) (local.get 0)))
    (func (export "set") (param i32 i32) (array.set $a (global.get $g) (local.get 0) (local.get 1)))
    (func (export "fill") (param i32 i32 i32)
      (array.fill $a (global.get $g) (local.get 0) (local.get 1) (local.get 2)))
    (func (export "copy") (param i32 i32 i32)
      (array.copy $a $a (global.get $g) (local.get 0) (global.get $g) (local.get 1) (local.get 2)))
    (func (export "init_data") (param i32 i32 i32)
      (array.init_data $a $d (global.get $g) (local.get 0) (local.get 1) (local.get 2)))
    (func (export "elem_null") (param i32) (result i32)
      (ref.is_null (array.get $r (array.new_elem $r $e (i32.const 0) (i32.const 2)) (local.get 0))))
    (func (export "len_null") (result i32) (array.len (ref.null $a)))
  ))");
  r.call("new", {Value::i32(-2), Value::i32(4)});
  CHECK(r.i32("len") == 4);
  CHECK(r.i32("get_s", {Value::i32(3)}) == -2);
  CHECK(r.i32("get_u", {Value::i32(3)}) == 0xfffe);
  r.call("new_default", {Value::i32(5)});
  CHECK(r.i32("len") == 5);
  CHECK(r.i32("get_u", {Value::i32(4)}) == 0);
  r.call("new_fixed");
  CHECK(r.i32("len") == 3);
  CHECK(r.i32("get_s", {Value::i32(0)}) == 5);
  CHECK(r.i32("get_s", {Value::i32(2)}) == -1);
  r.call("new_data", {Value::i32(2), Value::i32(3)});  // byte offset 2: elements 2, 3, 4
  CHECK(r.i32("len") == 3);
  CHECK(r.i32("get_u", {Value::i32(0)}) == 2);
  CHECK(r.i32("get_u", {Value::i32(2)}) == 4);

  r.call("new_default", {Value::i32(6)});
  r.call("fill", {Value::i32(1), Value::i32(9), Value::i32(3)});
  r.call("set", {Value::i32(5), Value::i32(0x10007)});  // wraps to 7
  // [0 9 9 9 0 7]; copy [1, 5) to [2, 6), overlapping: [0 9 9 9 9 0]
  r.call("copy", {Value::i32(2), Value::i32(1), Value::i32(4)});
  int32_t want[] = {0, 9, 9, 9, 9, 0};
  for (int32_t i = 0; i < 6; ++i) CHECK(r.i32("get_u", {Value::i32(i)}) == want[i]);
  r.call("init_data", {Value::i32(4), Value::i32(0), Value::i32(2)});
  CHECK(r.i32("get_u", {Value::i32(4)}) == 1);
  CHECK(r.i32("get_u", {Value::i32(5)}) == 2);
  CHECK(r.i32("elem_null", {Value::i32(1)}) == 0);

  Trap oob = r.trap("get_u", {Value::i32(6)});
  CHECK(oob.code == TrapCode::ArrayOutOfBounds);
  CHECK(oob.message == "out of bounds array access");
  CHECK(r.trap("fill", {Value::i32(5), Value::i32(0), Value::i32(2)}).code ==
        TrapCode::ArrayOutOfBounds);
  CHECK(r.trap("copy", {Value::i32(0), Value::i32(5), Value::i32(2)}).code ==
        TrapCode::ArrayOutOfBounds);
  CHECK(r.trap("init_data", {Value::i32(0), Value::i32(6), Value::i32(2)}).code ==
        TrapCode::MemoryOutOfBounds);
  CHECK(r.trap("new_data", {Value::i32(6), Value::i32(2)}).code == TrapCode::MemoryOutOfBounds);
  CHECK(r.trap("elem_null", {Value::i32(2)}).code == TrapCode::ArrayOutOfBounds);
  Trap null = r.trap("len_null");
  CHECK(null.code == TrapCode::NullArrayReference);
  CHECK(null.message == "null array reference");
}

TEST_CASE("casts walk declared supertypes", "[gc]") {
  GC_TIER();
  Run r(tier.config, R"((module
    (type $a (sub (struct (field i32))))
    (type $b (sub $a (struct (field i32) (field i64))))
    (type $c (sub $b (struct (field i32) (field i64) (field f32))))
    (type $other (sub (struct (field i64))))  ;; $a's shape would make it $a (iso-recursive)
    (type $arr (array i8))
    (func (export "make") (param i32) (result anyref)
      (block $done (result anyref)
        (drop (br_if $done (struct.new_default $a) (i32.eq (local.get 0) (i32.const 0))))
        (drop (br_if $done (struct.new_default $b) (i32.eq (local.get 0) (i32.const 1))))
        (drop (br_if $done (struct.new_default $c) (i32.eq (local.get 0) (i32.const 2))))
        (drop (br_if $done (struct.new_default $other) (i32.eq (local.get 0) (i32.const 3))))
        (drop (br_if $done (array.new_default $arr (i32.const 1)) (i32.eq (local.get 0) (i32.const 4))))
        (drop (br_if $done (ref.i31 (i32.const 1)) (i32.eq (local.get 0) (i32.const 5))))
        (ref.null any)))
    (func (export "is_a") (param anyref) (result i32) (ref.test (ref $a) (local.get 0)))
    (func (export "is_b") (param anyref) (result i32) (ref.test (ref $b) (local.get 0)))
    (func (export "is_c") (param anyref) (result i32) (ref.test (ref $c) (local.get 0)))
    (func (export "is_null_b") (param anyref) (result i32) (ref.test (ref null $b) (local.get 0)))
    (func (export "is_struct") (param anyref) (result i32) (ref.test (ref struct) (local.get 0)))
    (func (export "is_array") (param anyref) (result i32) (ref.test (ref array) (local.get 0)))
    (func (export "is_eq") (param anyref) (result i32) (ref.test (ref eq) (local.get 0)))
    (func (export "is_any") (param anyref) (result i32) (ref.test (ref any) (local.get 0)))
    (func (export "cast_b") (param anyref) (ref.cast (ref $b) (local.get 0)) (drop))
    (func (export "br_b") (param anyref) (result i32)
      (block $yes (result (ref $b))
        (br_on_cast $yes anyref (ref $b) (local.get 0))
        (drop) (return (i32.const 0)))
      (drop) (i32.const 1))
    (func (export "br_fail_b") (param anyref) (result i32)
      (block $no (result anyref)
        (br_on_cast_fail $no anyref (ref $b) (local.get 0))
        (drop) (return (i32.const 1)))
      (drop) (i32.const 0))
  ))");
  auto obj = [&](int32_t k) { return r.call("make", {Value::i32(k)})[0]; };
  auto test = [&](const char* f, int32_t k) { return r.i32(f, {obj(k)}); };
  // a ← b ← c; other and the array are unrelated.
  CHECK(test("is_a", 0) == 1);
  CHECK(test("is_a", 2) == 1);
  CHECK(test("is_b", 0) == 0);
  CHECK(test("is_b", 1) == 1);
  CHECK(test("is_b", 2) == 1);
  CHECK(test("is_c", 1) == 0);
  CHECK(test("is_a", 3) == 0);
  CHECK(test("is_a", 4) == 0);
  CHECK(test("is_a", 5) == 0);
  CHECK(test("is_b", 6) == 0);
  CHECK(test("is_null_b", 6) == 1);
  for (int32_t k = 0; k <= 6; ++k) {
    INFO(k);
    CHECK(test("is_struct", k) == (k <= 3));
    CHECK(test("is_array", k) == (k == 4));
    CHECK(test("is_eq", k) == (k <= 5));
    CHECK(test("is_any", k) == (k <= 5));
    bool is_b = k == 1 || k == 2;
    CHECK(test("br_b", k) == is_b);
    CHECK(test("br_fail_b", k) == is_b);
  }
  r.call("cast_b", {obj(2)});
  Trap t = r.trap("cast_b", {obj(0)});
  CHECK(t.code == TrapCode::CastFailure);
  CHECK(t.message == "cast failure");
}

TEST_CASE("allocation past the store's GC heap limit traps", "[gc]") {
  GC_TIER();
  constexpr const char* kAlloc = R"((module
    (type $a (array (mut i64)))
    (type $cell (struct (field (ref $a)) (field (ref null $cell))))
    (global $keep (mut (ref null $cell)) (ref.null $cell))
    (func (export "loop") (param i32)
      (loop $l
        ;; every array stays reachable, so no collection makes room
        (global.set $keep (struct.new $cell (array.new_default $a (i32.const 1000))
                                            (global.get $keep)))
        (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))))
    (func (export "huge") (drop (array.new_default $a (i32.const -1))))
    (func (export "small") (result i32) (array.len (array.new_default $a (i32.const 2))))
  ))";
  StoreLimits limits;
  limits.gc_heap_bytes = 1 << 20;
  Run r(tier.config, kAlloc, limits);
  r.call("loop", {Value::i32(100)});  // 100 arrays of 8 KB fit in 1 MiB
  Trap t = r.trap("loop", {Value::i32(1000)});
  CHECK(t.code == TrapCode::GcHeapExhausted);
  CHECK(t.message == "allocation failed: GC heap limit");
  // The store stays usable: a trap, not a broken heap. 2^32 - 1 elements of 8 bytes exceed even
  // the default limit.
  Run big(tier.config, kAlloc);
  CHECK(big.trap("huge").code == TrapCode::GcHeapExhausted);
  CHECK(big.i32("small") == 2);
}

TEST_CASE("extern and any conversions keep identity and null", "[gc]") {
  GC_TIER();
  Run r(tier.config, R"((module
    (func (export "internalize") (param externref) (result anyref) (any.convert_extern (local.get 0)))
    (func (export "externalize") (param anyref) (result externref) (extern.convert_any (local.get 0)))
    (func (export "is_eq") (param externref) (result i32)
      (ref.test (ref eq) (any.convert_extern (local.get 0))))
    (func (export "round_trip_i31") (param i32) (result i32)
      (i31.get_s (ref.cast i31ref (any.convert_extern (extern.convert_any (ref.i31 (local.get 0)))))))
    (func (export "round_trip_struct") (result i32)
      (local $s (ref $s))
      (local.set $s (struct.new $s (i32.const 3)))
      (ref.eq (local.get $s)
              (ref.cast (ref $s) (any.convert_extern (extern.convert_any (local.get $s))))))
    (type $s (struct (field i32)))
  ))");
  alignas(8) static int64_t host_a = 0, host_b = 0;
  Value a = Value::externref(&host_a), b = Value::externref(&host_b);
  Value any_a = r.call("internalize", {a})[0];
  Value any_a2 = r.call("internalize", {a})[0];
  CHECK(any_a.ref() == any_a2.ref());  // one box per host reference
  CHECK(r.call("internalize", {b})[0].ref() != any_a.ref());
  CHECK(r.call("externalize", {any_a})[0].ref() == a.ref());
  Value null_extern = Value::externref(nullptr);
  CHECK(r.call("internalize", {null_extern})[0].is_null());
  CHECK(r.call("externalize", {Value::ref(ref_type(HeapKind::Any, true), nullptr)})[0].is_null());
  // A host reference is an any, not an eq.
  CHECK(r.i32("is_eq", {a}) == 0);
  CHECK(r.i32("round_trip_i31", {Value::i32(-7)}) == -7);
  CHECK(r.i32("round_trip_struct") == 1);
}

TEST_CASE("GC allocations in constant expressions", "[gc]") {
  GC_TIER();
  Run r(tier.config, R"((module
    (type $s (struct (field i32) (field (ref null $s))))
    (type $a (array i32))
    (global $inner (ref $s) (struct.new $s (i32.const 4) (ref.null $s)))
    (global $outer (ref $s) (struct.new $s (i32.const 5) (global.get $inner)))
    (global $arr (ref $a) (array.new_fixed $a 3 (i32.const 1) (i32.const 2) (i32.const 3)))
    (global $rep (ref $a) (array.new $a (i32.const 8) (i32.const 2)))
    (global $def (ref $s) (struct.new_default $s))
    (table $t 2 (ref null $s) (struct.new_default $s))
    (table $e 2 anyref)
    (elem (table $e) (i32.const 0) anyref (array.new_default $a (i32.const 7))
                                          (any.convert_extern (ref.null extern)))
    (func (export "chain") (result i32)
      (struct.get $s 0 (ref.as_non_null (struct.get $s 1 (global.get $outer)))))
    (func (export "arr") (param i32) (result i32) (array.get $a (global.get $arr) (local.get 0)))
    (func (export "rep") (result i32)
      (i32.add (array.len (global.get $rep)) (array.get $a (global.get $rep) (i32.const 1))))
    (func (export "def") (result i32) (ref.is_null (struct.get $s 1 (global.get $def))))
    (func (export "table_same") (result i32)
      (ref.eq (table.get $t (i32.const 0)) (table.get $t (i32.const 1))))
    (func (export "elem_len") (result i32) (array.len (ref.cast (ref $a) (table.get $e (i32.const 0)))))
    (func (export "elem_null") (result i32) (ref.is_null (table.get $e (i32.const 1))))
  ))");
  CHECK(r.i32("chain") == 4);
  CHECK(r.i32("arr", {Value::i32(2)}) == 3);
  CHECK(r.i32("rep") == 10);
  CHECK(r.i32("def") == 1);
  CHECK(r.i32("table_same") == 1);  // a table initialiser is evaluated once
  CHECK(r.i32("elem_len") == 7);
  CHECK(r.i32("elem_null") == 1);
}

TEST_CASE("call_indirect and imports match a declared subtype", "[gc]") {
  GC_TIER();
  Engine engine(tier.config);
  Store store(engine);
  Module exporter = test::must_compile(engine, R"((module
    (type $super (sub (func (result i32))))
    (type $sub (sub $super (func (result i32))))
    (func (export "f") (type $sub) (i32.const 42))))");
  Instance ex = test::must_instantiate(Linker(), store, exporter);
  Linker linker;
  linker.define_instance("m", ex);
  Module importer = test::must_compile(engine, R"((module
    (type $super (sub (func (result i32))))
    (type $sub (sub $super (func (result i32))))
    (type $unrelated (func (result i32)))
    (import "m" "f" (func $f (type $super)))
    (func $g (type $sub) (i32.const 7))
    (table 2 funcref)
    (elem (i32.const 0) func $f $g)
    (func (export "call_super") (param i32) (result i32)
      (call_indirect (type $super) (local.get 0)))
    (func (export "call_sub") (param i32) (result i32) (call_indirect (type $sub) (local.get 0)))
    (func (export "call_unrelated") (param i32) (result i32)
      (call_indirect (type $unrelated) (local.get 0)))))");
  Instance in = test::must_instantiate(linker, store, importer);
  auto call = [&](const char* f, int32_t i) {
    return in.get_func(f)->call(store, {Value::i32(i)});
  };
  CHECK(call("call_super", 0)->at(0).i32() == 42);
  CHECK(call("call_super", 1)->at(0).i32() == 7);
  CHECK(call("call_sub", 1)->at(0).i32() == 7);
  CHECK(call("call_sub", 0)->at(0).i32() == 42);  // $f is of $sub, imported as its supertype
  for (int32_t i : {0, 1}) {
    auto r = call("call_unrelated", i);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().trap->code == TrapCode::IndirectCallTypeMismatch);
  }

  // An import of the subtype is not matched by a function of the supertype.
  Module narrow = test::must_compile(engine, R"((module
    (type $super (sub (func (result i32))))
    (type $sub (sub $super (func (result i32))))
    (import "m" "g" (func (type $sub)))))");
  Module wide_exporter = test::must_compile(engine, R"((module
    (type $super (sub (func (result i32))))
    (func (export "g") (type $super) (i32.const 1))))");
  Instance wide = test::must_instantiate(Linker(), store, wide_exporter);
  Linker l2;
  l2.define_instance("m", wide);
  auto refused = l2.instantiate(store, narrow);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == ErrorKind::Unlinkable);
}

TEST_CASE("an immutable global is imported at a supertype of its type", "[gc]") {
  GC_TIER();
  Engine engine(tier.config);
  Store store(engine);
  Module exporter = test::must_compile(engine, R"((module
    (type $point (sub (struct (field i32))))
    (type $point3 (sub $point (struct (field i32) (field i32))))
    (global (export "p") (ref $point3) (struct.new $point3 (i32.const 5) (i32.const 6)))
    (global (export "mp") (mut (ref null $point3)) (ref.null $point3))
    (global (export "f") funcref (ref.null func))))");
  Instance ex = test::must_instantiate(Linker(), store, exporter);
  Linker linker;
  linker.define_instance("m", ex);
  auto links = [&](const std::string& import) {
    Module m = test::must_compile(engine, R"((module
      (type $point (sub (struct (field i32))))
      (type $point3 (sub $point (struct (field i32) (field i32))))
      (type $other (struct (field i64)))
      (type $fn (func))
      )" + import + ")");
    return linker.instantiate(store, m).ok();
  };
  // Immutable: any supertype of (ref $point3) matches.
  for (const char* ok : {"(ref $point3)", "(ref null $point3)", "(ref $point)", "(ref struct)",
                         "(ref eq)", "anyref"}) {
    INFO(ok);
    CHECK(links(std::string(R"((import "m" "p" (global )") + ok + "))"));
  }
  for (const char* no : {"(ref $other)", "(ref array)", "(ref i31)", "externref", "funcref"}) {
    INFO(no);
    CHECK_FALSE(links(std::string(R"((import "m" "p" (global )") + no + "))"));
  }
  // A function reference is no struct; a bottom type matches no non-null import of it.
  CHECK_FALSE(links(R"((import "m" "f" (global (ref null $fn))))"));
  CHECK(links(R"((import "m" "f" (global funcref)))"));
  // Mutable: the type must be equal, since the importer may write it.
  CHECK(links(R"((import "m" "mp" (global (mut (ref null $point3)))))"));
  CHECK_FALSE(links(R"((import "m" "mp" (global (mut (ref null $point)))))"));
  CHECK_FALSE(links(R"((import "m" "mp" (global (mut structref))))"));
}

TEST_CASE("bulk array operations cost fuel by their length", "[gc]") {
  GC_TIER();
  Config config = tier.config;
  config.consume_fuel = true;
  Engine engine(config);
  Store store(engine);
  Instance inst = test::must_instantiate(Linker(), store, test::must_compile(engine, R"((module
    (type $a (array (mut i64)))
    (func (export "fill") (param i32)
      (array.fill $a (array.new_default $a (local.get 0)) (i32.const 0) (i64.const 7)
                  (local.get 0)))
    (func (export "copy") (param i32)
      (local $x (ref $a))
      (local.set $x (array.new_default $a (local.get 0)))
      (array.copy $a $a (local.get $x) (i32.const 0) (local.get $x) (i32.const 0) (local.get 0)))
    (func (export "new") (param i32) (drop (array.new $a (i64.const 1) (local.get 0))))
  ))"));
  auto fuel_trap = [&](const char* f, int32_t n) {
    store.set_fuel(1000);
    auto r = inst.get_func(f)->call(store, {Value::i32(n)});
    return !r.ok() && r.error().trap && r.error().trap->code == TrapCode::OutOfFuel;
  };
  // 8 bytes an element, a unit per 64 bytes: 2^20 elements cost 131,072 units.
  for (const char* f : {"fill", "copy", "new"}) {
    INFO(f);
    CHECK(fuel_trap(f, 1 << 20));
    CHECK_FALSE(fuel_trap(f, 1000));  // 125 units
  }
}

TEST_CASE("garbage is collected: a small heap serves many times its size", "[gc]") {
  GC_TIER();
  constexpr const char* kChurn = R"((module
    (type $node (struct (field i32) (field (ref null $node))))
    ;; builds a list of n nodes and sums it; the list is garbage once the call returns
    (func $list (param $n i32) (result i32)
      (local $l (ref null $node)) (local $sum i32)
      (loop $build
        (local.set $l (struct.new $node (local.get $n) (local.get $l)))
        (br_if $build (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (loop $walk
        (local.set $sum (i32.add (local.get $sum) (struct.get $node 0 (local.get $l))))
        (br_if $walk (i32.eqz (ref.is_null (local.tee $l (struct.get $node 1 (local.get $l)))))))
      (local.get $sum))
    (func (export "churn") (param $rounds i32) (result i32)
      (local $total i32)
      (loop $r
        (local.set $total (i32.add (local.get $total) (call $list (i32.const 1000))))
        (br_if $r (local.tee $rounds (i32.sub (local.get $rounds) (i32.const 1)))))
      (local.get $total))
  ))";
  for (bool stress : {false, true}) {
    StoreLimits limits;
    limits.gc_heap_bytes = 64 << 10;  // one list of 1000 nodes takes 32 KB
    Run r(tier.config, kChurn, limits);
    r.store.set_gc_stress(stress);
    int rounds = stress ? 20 : 200;
    CHECK(r.i32("churn", {Value::i32(rounds)}) == rounds * 500500);
    GcStats s = r.store.gc_stats();
    CHECK(s.collections > 0);
    CHECK(s.freed_bytes >= uint64_t(rounds - 2) * 32000);
    r.store.gc();
    CHECK(r.store.gc_stats().heap_bytes == 0);
    // Collected, the heap serves again.
    CHECK(r.i32("churn", {Value::i32(1)}) == 500500);
  }
}

TEST_CASE("the embedder passes structs and arrays back in at their concrete types", "[gc]") {
  GC_TIER();
  Run r(tier.config, R"((module
    (type $point (sub (struct (field i32))))
    (type $point3 (sub $point (struct (field i32) (field i32))))
    (type $other (struct (field i64)))
    (type $bytes (array i8))
    (global (export "g") (ref $point3) (struct.new $point3 (i32.const 5) (i32.const 6)))
    (global (export "mg") (mut (ref null $point)) (ref.null $point))
    (func (export "point3") (result (ref $point3)) (struct.new $point3 (i32.const 1) (i32.const 2)))
    (func (export "other") (result (ref $other)) (struct.new $other (i64.const 3)))
    (func (export "bytes") (result (ref $bytes)) (array.new_default $bytes (i32.const 4)))
    (func (export "x") (param (ref $point)) (result i32) (struct.get $point 0 (local.get 0)))
    (func (export "len") (param (ref null $bytes)) (result i32) (array.len (local.get 0)))
    (func (export "eq") (param eqref) (result i32) (ref.is_null (local.get 0)))
  ))");
  Value p3 = r.call("point3").at(0);
  Value other = r.call("other").at(0);
  Value bytes = r.call("bytes").at(0);
  CHECK(p3.type() == ref_type(HeapKind::Struct, false));  // the API has no struct types yet
  // A $point3 is a $point: accepted, and read.
  CHECK(r.i32("x", {p3}) == 1);
  // An $other or an array is no $point: refused before the call, not a crash inside it.
  for (const Value& wrong : {other, bytes}) {
    auto res = r.inst.get_func("x")->call(r.store, {wrong});
    REQUIRE_FALSE(res.ok());
    CHECK(res.error().kind == ErrorKind::Invalid);
  }
  CHECK(r.i32("len", {bytes}) == 4);
  CHECK_FALSE(r.inst.get_func("len")->call(r.store, {p3}).ok());
  // eqref takes any struct, array or i31.
  CHECK(r.i32("eq", {other}) == 0);
  // Globals report and take the same types.
  Global g = *r.inst.get_global("g");
  CHECK(g.get().type() == ref_type(HeapKind::Struct, false));
  Global mg = *r.inst.get_global("mg");
  CHECK(mg.set(p3).ok());
  CHECK_FALSE(mg.set(other).ok());
  CHECK(mg.get().ref() == p3.ref());
}
