// The precise collector (docs/gc.md, issue 14): programs with known results, each run under a
// GC heap limit small enough that the null collector would trap, so that they pass only if the
// collector runs, and each again with set_gc_stress(true), which collects at every allocation so
// that a missing root corrupts an object at once. Every root kind is covered: globals, tables,
// element segments, exceptions, interpreter locals and operand-stack values across calls (also
// through a host function that re-enters wasm), and references the embedder holds.
//
// Each program runs on the JIT too, under the same limits: there the roots in frames are the
// compiled code's per-call maps (jit/common/frame_roots.h).
#include <catch2/catch.hpp>

#include "tests/runtime/test_util.h"
#include "tests/support/tier.h"

using namespace tern;
using test::must_call;

namespace {

constexpr uint64_t kHeap = 256 << 10;  // every program below allocates several times this
// What may stay live when the program holds nothing: no test keeps more than a few small
// objects in globals once it is done.
constexpr uint64_t kNearlyEmpty = 1 << 10;

// How a program runs: on which tier, and collecting at every allocation or not.
struct Mode {
  bool stress = false;
  Tier tier = Tier::Interp;
};

// The tiers this build has.
std::vector<Tier> gc_tiers() {
  if (Engine::has_tier(Tier::Jit)) return {Tier::Interp, Tier::Jit};
  return {Tier::Interp};
}

// An instance in a store with a `heap` limit, collecting at every allocation when
// `mode.stress`.
struct GcRun {
  Engine engine;
  Store store{engine};
  Instance inst;
  GcRun(std::string_view wat, Mode mode, uint64_t heap = kHeap, Linker linker = Linker())
      : engine(Config{.tier = mode.tier}) {
    StoreLimits limits;
    limits.gc_heap_bytes = heap;
    store.set_limits(limits);
    store.set_gc_stress(mode.stress);
    inst = test::must_instantiate(linker, store, test::must_compile(engine, wat));
  }
  std::vector<Value> call(std::string_view f, std::initializer_list<Value> args = {}) {
    return must_call(store, inst, f, args);
  }
  int32_t i32(std::string_view f, std::initializer_list<Value> args = {}) {
    auto r = call(f, args);
    REQUIRE(r.size() == 1);
    return r[0].i32();
  }
  // The program ran within its limit by collecting.
  void check_collected(uint64_t heap = kHeap) {
    GcStats s = store.gc_stats();
    CHECK(s.collections > 0);
    CHECK(s.live_bytes <= heap);
    CHECK(s.heap_bytes <= heap);
  }
  // After a collection, nothing but a few small objects is left.
  void check_nearly_empty() {
    store.gc();
    GcStats s = store.gc_stats();
    CHECK(s.live_bytes < kNearlyEmpty);
    CHECK(s.heap_bytes < kNearlyEmpty);
  }
};

// Scales a workload: under stress every allocation collects, so far fewer are affordable.
int32_t size(bool stress, int32_t normal, int32_t stressed) {
  return stress ? stressed : normal;
}

// Allocates n arrays of 1000 i64 (8 KB each) and drops them: garbage that forces collections.
constexpr std::string_view kChurn = R"(
    (type $junk (array (mut i64)))
    (func $churn (export "churn") (param $n i32) (result i32)
      (loop $l
        (drop (array.new_default $junk (i32.const 1000)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (i32.const 0)))";

// A module of `imports` (which the text format wants before any function), kChurn and `body`.
std::string with_churn(std::string_view body, std::string_view imports = "") {
  return "(module " + std::string(imports) + std::string(kChurn) + std::string(body) + ")";
}

}  // namespace

TEST_CASE("binary trees are collected between iterations", "[gc][collector]") {
  const bool stress = GENERATE(false, true);
  const Tier tier = GENERATE(Catch::Generators::from_range(gc_tiers()));
  INFO("stress " << stress << " on " << test::tier_name(tier));
  GcRun r(R"((module
    (type $node (struct (field $l (ref null $node)) (field $r (ref null $node)) (field $v i32)))
    (global $long (mut (ref null $node)) (ref.null $node))
    ;; The left subtree waits on the operand stack while the right one is built.
    (func $make (param $d i32) (result (ref $node))
      (if (result (ref $node)) (i32.eqz (local.get $d))
        (then (struct.new $node (ref.null $node) (ref.null $node) (i32.const 1)))
        (else (struct.new $node (call $make (i32.sub (local.get $d) (i32.const 1)))
                                (call $make (i32.sub (local.get $d) (i32.const 1)))
                                (local.get $d)))))
    (func $sum (param $n (ref null $node)) (result i32)
      (if (result i32) (ref.is_null (local.get $n))
        (then (i32.const 0))
        (else (i32.add (struct.get $node $v (local.get $n))
                       (i32.add (call $sum (struct.get $node $l (local.get $n)))
                                (call $sum (struct.get $node $r (local.get $n))))))))
    ;; A long-lived tree in a global, then `iters` short-lived ones: the checksum of all.
    (func (export "trees") (param $d i32) (param $iters i32) (result i32)
      (local $total i32)
      (global.set $long (call $make (local.get $d)))
      (loop $l
        (local.set $total (i32.add (local.get $total) (call $sum (call $make (local.get $d)))))
        (br_if $l (local.tee $iters (i32.sub (local.get $iters) (i32.const 1)))))
      (i32.add (local.get $total) (call $sum (global.get $long))))
    (func (export "drop_long") (global.set $long (ref.null $node)))
  ))",
          {stress, tier});
  // A node is 40 bytes: a tree of depth 10 is 80 KiB, and 20 of them are 1.6 MiB.
  const int32_t depth = size(stress, 10, 5), iters = size(stress, 20, 3);
  auto checksum = [](auto self, int32_t d) -> int32_t {
    return d == 0 ? 1 : d + 2 * self(self, d - 1);
  };
  CHECK(r.i32("trees", {Value::i32(depth), Value::i32(iters)}) ==
        (iters + 1) * checksum(checksum, depth));
  r.check_collected();
  r.store.gc();
  // The long-lived tree is all that is left (40 bytes a node).
  CHECK(r.store.gc_stats().live_bytes >= 40 * ((2u << depth) - 1));
  r.call("drop_long");
  r.check_nearly_empty();
}

TEST_CASE("linked lists are built and summed and dropped", "[gc][collector]") {
  const bool stress = GENERATE(false, true);
  const Tier tier = GENERATE(Catch::Generators::from_range(gc_tiers()));
  INFO("stress " << stress << " on " << test::tier_name(tier));
  GcRun r(R"((module
    (type $cell (struct (field $v i32) (field $next (ref null $cell))))
    (func (export "lists") (param $len i32) (param $rounds i32) (result i32)
      (local $list (ref null $cell)) (local $p (ref null $cell)) (local $i i32) (local $sum i32)
      (loop $round
        (local.set $list (ref.null $cell))
        (local.set $i (i32.const 0))
        (loop $build
          (local.set $list (struct.new $cell (local.get $i) (local.get $list)))
          (br_if $build (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                                  (local.get $len))))
        (local.set $p (local.get $list))
        (block $done
          (loop $walk
            (br_if $done (ref.is_null (local.get $p)))
            (local.set $sum (i32.add (local.get $sum) (struct.get $cell $v (local.get $p))))
            (local.set $p (struct.get $cell $next (local.get $p)))
            (br $walk)))
        (br_if $round (local.tee $rounds (i32.sub (local.get $rounds) (i32.const 1)))))
      (local.get $sum))
  ))",
          {stress, tier});
  // A cell is 32 bytes: 2,000 are 64 KB a round, 30 rounds 1.9 MB.
  const int32_t len = size(stress, 2000, 100), rounds = size(stress, 30, 3);
  CHECK(r.i32("lists", {Value::i32(len), Value::i32(rounds)}) == rounds * (len * (len - 1) / 2));
  r.check_collected();
  // Stress mode collects at every allocation indeed.
  if (stress) CHECK(r.store.gc_stats().collections >= uint64_t(len * rounds));
  r.check_nearly_empty();
}

TEST_CASE("arrays of structs and arrays of arrays and packed arrays", "[gc][collector]") {
  const bool stress = GENERATE(false, true);
  const Tier tier = GENERATE(Catch::Generators::from_range(gc_tiers()));
  INFO("stress " << stress << " on " << test::tier_name(tier));
  GcRun r(R"((module
    (type $pt (struct (field $x i32) (field $y i32)))
    (type $pts (array (mut (ref null $pt))))
    (type $row (array (mut i32)))
    (type $grid (array (mut (ref null $row))))
    (type $bytes (array (mut i8)))
    (type $shorts (array (mut i16)))
    ;; Each round: n points (i, 2i) in an array, then their coordinates summed.
    (func (export "points") (param $n i32) (param $rounds i32) (result i32)
      (local $a (ref null $pts)) (local $p (ref null $pt)) (local $i i32) (local $sum i32)
      (loop $round
        (local.set $a (array.new_default $pts (local.get $n)))
        (local.set $i (i32.const 0))
        (loop $fill
          (array.set $pts (local.get $a) (local.get $i)
            (struct.new $pt (local.get $i) (i32.shl (local.get $i) (i32.const 1))))
          (br_if $fill (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                                 (local.get $n))))
        (local.set $i (i32.const 0))
        (loop $read
          (local.set $p (array.get $pts (local.get $a) (local.get $i)))
          (local.set $sum (i32.add (local.get $sum) (i32.add (struct.get $pt $x (local.get $p))
                                                             (struct.get $pt $y (local.get $p)))))
          (br_if $read (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                                 (local.get $n))))
        (br_if $round (local.tee $rounds (i32.sub (local.get $rounds) (i32.const 1)))))
      (local.get $sum))
    ;; Each round: an n x n grid whose row r is filled with r, row n-1 copied over row 0, all
    ;; summed, plus a fixed row (1 2 3).
    (func (export "grid") (param $n i32) (param $rounds i32) (result i32)
      (local $g (ref null $grid)) (local $r i32) (local $c i32) (local $sum i32)
      (loop $round
        (local.set $g (array.new $grid (ref.null $row) (local.get $n)))
        (local.set $r (i32.const 0))
        (loop $rows
          (array.set $grid (local.get $g) (local.get $r) (array.new $row (i32.const -1) (local.get $n)))
          (array.fill $row (array.get $grid (local.get $g) (local.get $r))
                           (i32.const 0) (local.get $r) (local.get $n))
          (br_if $rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1)))
                                 (local.get $n))))
        (array.copy $row $row (array.get $grid (local.get $g) (i32.const 0)) (i32.const 0)
                    (array.get $grid (local.get $g) (i32.sub (local.get $n) (i32.const 1)))
                    (i32.const 0) (local.get $n))
        (local.set $r (i32.const 0))
        (loop $rows
          (local.set $c (i32.const 0))
          (loop $cols
            (local.set $sum (i32.add (local.get $sum)
              (array.get $row (array.get $grid (local.get $g) (local.get $r)) (local.get $c))))
            (br_if $cols (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1)))
                                   (local.get $n))))
          (br_if $rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1)))
                                 (local.get $n))))
        (local.set $g (array.new_fixed $grid 1
          (array.new_fixed $row 3 (i32.const 1) (i32.const 2) (i32.const 3))))
        (local.set $sum (i32.add (local.get $sum)
          (i32.add (array.get $row (array.get $grid (local.get $g) (i32.const 0)) (i32.const 0))
            (i32.add (array.get $row (array.get $grid (local.get $g) (i32.const 0)) (i32.const 1))
                     (array.get $row (array.get $grid (local.get $g) (i32.const 0)) (i32.const 2))))))
        (br_if $round (local.tee $rounds (i32.sub (local.get $rounds) (i32.const 1)))))
      (local.get $sum))
    ;; Each round: n bytes of 0x1ff (stored as 0xff) with the first 10 filled with 0x80 and copied
    ;; to 100; four i16 (0x18000 2 -3 4) copied one up onto themselves; n default i16.
    (func (export "packed") (param $n i32) (param $rounds i32) (result i32)
      (local $b (ref null $bytes)) (local $s (ref null $shorts)) (local $sum i32)
      (loop $round
        (local.set $b (array.new $bytes (i32.const 0x1ff) (local.get $n)))
        (array.fill $bytes (local.get $b) (i32.const 0) (i32.const 0x80) (i32.const 10))
        (array.copy $bytes $bytes (local.get $b) (i32.const 100) (local.get $b) (i32.const 0)
                    (i32.const 10))
        (local.set $s (array.new_fixed $shorts 4 (i32.const 0x18000) (i32.const 2) (i32.const -3)
                                                 (i32.const 4)))
        (array.copy $shorts $shorts (local.get $s) (i32.const 1) (local.get $s) (i32.const 0)
                    (i32.const 3))
        (local.set $sum (i32.add (local.get $sum)
          (i32.add
            (i32.add
              (i32.add (array.get_s $bytes (local.get $b) (i32.const 0))      ;; -128
                       (array.get_u $bytes (local.get $b) (i32.const 0)))     ;; 128
              (i32.add (array.get_s $bytes (local.get $b) (i32.const 105))    ;; -128
                       (array.get_u $bytes (local.get $b)                     ;; 255
                                    (i32.sub (local.get $n) (i32.const 1)))))
            (i32.add
              (i32.add (array.get_s $shorts (local.get $s) (i32.const 1))     ;; -32768
                       (array.get_u $shorts (local.get $s) (i32.const 3)))    ;; 65533
              (i32.add (array.len (local.get $b))                             ;; n
                       (array.len (array.new_default $shorts (local.get $n)))))))) ;; n
        (br_if $round (local.tee $rounds (i32.sub (local.get $rounds) (i32.const 1)))))
      (local.get $sum))
  ))",
          {stress, tier});
  // 1,000 points are 32 KB a round; a 64 x 64 grid 18 KB; 4,000 bytes and shorts 12 KB.
  const int32_t rounds = size(stress, 40, 2);
  const int32_t points = size(stress, 1000, 50);
  CHECK(r.i32("points", {Value::i32(points), Value::i32(rounds)}) ==
        rounds * 3 * (points * (points - 1) / 2));
  const int32_t n = size(stress, 64, 8);
  const int32_t grid_sum = n * (n * (n - 1) / 2) + n * (n - 1) + 6;  // row 0 holds n-1 too
  CHECK(r.i32("grid", {Value::i32(n), Value::i32(rounds)}) == rounds * grid_sum);
  const int32_t len = size(stress, 4000, 200);
  CHECK(r.i32("packed", {Value::i32(len), Value::i32(rounds)}) ==
        rounds * (-128 + 128 - 128 + 255 - 32768 + 65533 + 2 * len));
  r.check_collected();
  r.check_nearly_empty();
}

TEST_CASE("dropped cycles are freed and kept ones stay", "[gc][collector]") {
  const bool stress = GENERATE(false, true);
  const Tier tier = GENERATE(Catch::Generators::from_range(gc_tiers()));
  INFO("stress " << stress << " on " << test::tier_name(tier));
  GcRun r(R"((module
    (rec
      (type $a (struct (field $v i32) (field $b (mut (ref null $b)))))
      (type $b (struct (field $w i64) (field $a (mut (ref null $a))))))
    (type $ring (struct (field $v i32) (field $next (mut (ref null $ring)))))
    (global $kept (mut (ref null $a)) (ref.null $a))
    ;; a <-> b, linked both ways; its a's value read back through the cycle.
    (func $pair (param $v i32) (result (ref $a))
      (local $a (ref null $a)) (local $b (ref null $b))
      (local.set $a (struct.new $a (local.get $v) (ref.null $b)))
      (local.set $b (struct.new $b (i64.extend_i32_s (local.get $v)) (local.get $a)))
      (struct.set $a $b (local.get $a) (local.get $b))
      (ref.as_non_null (local.get $a)))
    ;; n pairs and n rings of three, all dropped; the checksum walks each cycle once around.
    (func (export "cycles") (param $n i32) (result i32)
      (local $sum i32) (local $x (ref null $ring)) (local $y (ref null $ring))
      (loop $l
        (local.set $sum (i32.add (local.get $sum)
          (struct.get $a $v (ref.as_non_null (struct.get $b $a (ref.as_non_null
            (struct.get $a $b (call $pair (local.get $n)))))))))
        (local.set $x (struct.new $ring (i32.const 1) (ref.null $ring)))
        (local.set $y (struct.new $ring (i32.const 2) (struct.new $ring (i32.const 3) (local.get $x))))
        (struct.set $ring $next (local.get $x) (local.get $y))
        (local.set $sum (i32.add (local.get $sum)
          (struct.get $ring $v (ref.as_non_null (struct.get $ring $next (ref.as_non_null
            (struct.get $ring $next (ref.as_non_null (struct.get $ring $next (local.get $x))))))))))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (local.get $sum))
    (func (export "keep") (param $v i32) (global.set $kept (call $pair (local.get $v))))
    (func (export "kept") (result i32)
      (i32.wrap_i64 (struct.get $b $w (ref.as_non_null (struct.get $a $b
        (ref.as_non_null (struct.get $b $a (ref.as_non_null (struct.get $a $b (global.get $kept))))))))))
    (func (export "drop") (global.set $kept (ref.null $a)))
  ))",
          {stress, tier});
  // A pair is 64 bytes and a ring 96: 5,000 of each are 800 KB.
  const int32_t n = size(stress, 5000, 50);
  r.call("keep", {Value::i32(77)});
  // Each iteration i reads i back through its pair and 1 through its ring.
  CHECK(r.i32("cycles", {Value::i32(n)}) == n * (n + 1) / 2 + n);
  r.check_collected();
  CHECK(r.i32("kept") == 77);
  r.store.gc();
  GcStats kept = r.store.gc_stats();
  CHECK(kept.live_bytes >= 64);  // the kept pair
  CHECK(kept.live_bytes < kNearlyEmpty);
  r.call("drop");
  r.store.gc();
  CHECK(r.store.gc_stats().live_bytes < kept.live_bytes);
  CHECK(r.store.gc_stats().freed_bytes > 0);
  r.check_nearly_empty();
}

TEST_CASE("locals and operand-stack values survive calls that collect", "[gc][collector]") {
  const bool stress = GENERATE(false, true);
  const Tier tier = GENERATE(Catch::Generators::from_range(gc_tiers()));
  INFO("stress " << stress << " on " << test::tier_name(tier));
  // The host function re-enters the calling instance's churn, which allocates and collects.
  Linker linker;
  linker.define_host("host", "reenter", FuncType{{ValType::I32}, {ValType::I32}},
                     [](Caller& caller, std::span<const Value> args, std::span<Value> results) {
                       auto churn = std::get<Func>(*caller.get_export("churn"));
                       auto r = churn.call(caller.store(), {args[0]});
                       if (!r.ok()) return Result<void>(r.take_error());
                       results[0] = r->at(0);
                       return Result<void>();
                     });
  GcRun r(with_churn(R"(
    (type $box (struct (field $v i32) (field $w i64)))
    (func $box (param $v i32) (result (ref $box))
      (struct.new $box (local.get $v) (i64.mul (i64.extend_i32_s (local.get $v)) (i64.const 3))))
    ;; v + 3v read back, so that a freed and reused object shows.
    (func $read (param $b (ref $box)) (param $zero i32) (result i32)
      (i32.add (i32.add (struct.get $box $v (local.get $b)) (local.get $zero))
               (i32.wrap_i64 (struct.get $box $w (local.get $b)))))
    (func (export "local") (param $v i32) (param $n i32) (result i32)
      (local $b (ref null $box))
      (local.set $b (call $box (local.get $v)))
      (drop (call $churn (local.get $n)))
      (call $read (ref.as_non_null (local.get $b)) (i32.const 0)))
    (func (export "stack") (param $v i32) (param $n i32) (result i32)
      (call $read (call $box (local.get $v)) (call $churn (local.get $n))))
    (func (export "local_host") (param $v i32) (param $n i32) (result i32)
      (local $b (ref null $box))
      (local.set $b (call $box (local.get $v)))
      (drop (call $reenter (local.get $n)))
      (call $read (ref.as_non_null (local.get $b)) (i32.const 0)))
    (func (export "stack_host") (param $v i32) (param $n i32) (result i32)
      (call $read (call $box (local.get $v)) (call $reenter (local.get $n))))
  )",
                     R"((import "host" "reenter" (func $reenter (param i32) (result i32))))"),
          {stress, tier}, kHeap, linker);
  // 100 arrays of 8 KB are 800 KB a call.
  const int32_t n = size(stress, 100, 4);
  for (const char* f : {"local", "stack", "local_host", "stack_host"}) {
    INFO(f);
    for (int32_t v : {5, 11, 1000}) CHECK(r.i32(f, {Value::i32(v), Value::i32(n)}) == 4 * v);
  }
  r.check_collected();
  r.check_nearly_empty();
}

TEST_CASE("globals and tables and element segments and exceptions are roots", "[gc][collector]") {
  const bool stress = GENERATE(false, true);
  const Tier tier = GENERATE(Catch::Generators::from_range(gc_tiers()));
  INFO("stress " << stress << " on " << test::tier_name(tier));
  GcRun r(with_churn(R"(
    (type $s (struct (field $v i32)))
    (type $elems (array (ref null $s)))
    (global $g (mut (ref null $s)) (ref.null $s))
    (global $gany (mut anyref) (ref.null any))
    (table $tany 1 anyref)
    (table $teq 1 eqref)
    (table $tstruct 1 structref)
    (elem $seg (ref null $s) (struct.new $s (i32.const 40)) (struct.new $s (i32.const 2)))
    (tag $t (param anyref))  ;; a concrete payload type would not come back in (docs/gc.md)
    (func $new (param $v i32) (result (ref $s)) (struct.new $s (local.get $v)))
    (func $v (param anyref) (result i32) (struct.get $s $v (ref.cast (ref $s) (local.get 0))))
    (func (export "store") (param $v i32)
      (global.set $g (call $new (local.get $v)))
      (global.set $gany (call $new (i32.add (local.get $v) (i32.const 1))))
      (table.set $tany (i32.const 0) (call $new (i32.add (local.get $v) (i32.const 2))))
      (table.set $teq (i32.const 0) (call $new (i32.add (local.get $v) (i32.const 3))))
      (table.set $tstruct (i32.const 0) (call $new (i32.add (local.get $v) (i32.const 4)))))
    (func (export "read") (result i32)
      (i32.add (i32.add (call $v (global.get $g)) (call $v (global.get $gany)))
        (i32.add (call $v (table.get $tany (i32.const 0)))
          (i32.add (call $v (table.get $teq (i32.const 0)))
                   (call $v (table.get $tstruct (i32.const 0)))))))
    ;; The segment's structs exist from instantiation and are reached only through it.
    (func (export "elem") (result i32)
      (local $a (ref $elems))
      (local.set $a (array.new_elem $elems $seg (i32.const 0) (i32.const 2)))
      (i32.add (call $v (array.get $elems (local.get $a) (i32.const 0)))
               (call $v (array.get $elems (local.get $a) (i32.const 1)))))
    ;; The payload is dropped and only the caught exception (an exnref) holds it while churn
    ;; collects; rethrown and caught again, it is read.
    (func (export "exn") (param $v i32) (param $n i32) (result i32)
      (local $e exnref)
      (block $caught (result anyref exnref)
        (try_table (catch_ref $t $caught) (throw $t (call $new (local.get $v))))
        (unreachable))
      (local.set $e)
      (drop)
      (drop (call $churn (local.get $n)))
      (block $again (result anyref)
        (try_table (catch $t $again) (throw_ref (local.get $e)))
        (unreachable))
      (call $v))
    ;; An exception the host holds (uncaught here): its payload must survive too.
    (func (export "throw_out") (param $v i32) (throw $t (call $new (local.get $v))))
    (func (export "value_of") (param anyref) (result i32) (call $v (local.get 0)))
  )"),
          {stress, tier});
  const int32_t n = size(stress, 100, 4);
  r.call("store", {Value::i32(100)});
  must_call(r.store, r.inst, "churn", {Value::i32(n)});
  CHECK(r.i32("read") == 5 * 100 + 10);
  must_call(r.store, r.inst, "churn", {Value::i32(n)});
  CHECK(r.i32("elem") == 42);
  CHECK(r.i32("exn", {Value::i32(7), Value::i32(n)}) == 7);

  auto thrown = r.inst.get_func("throw_out")->call(r.store, {Value::i32(9)});
  REQUIRE_FALSE(thrown.ok());
  std::optional<Exn> exn = Exn::from_error(thrown.error());
  REQUIRE(exn);
  must_call(r.store, r.inst, "churn", {Value::i32(n)});
  r.store.gc();
  CHECK(r.i32("value_of", {exn->payload()[0]}) == 9);
  r.check_collected();
  // The globals and tables still hold their five structs, the segment its two.
  CHECK(r.i32("read") == 5 * 100 + 10);
  CHECK(r.i32("elem") == 42);
}

TEST_CASE("externalised objects and boxed host references survive collections", "[gc][collector]") {
  const bool stress = GENERATE(false, true);
  const Tier tier = GENERATE(Catch::Generators::from_range(gc_tiers()));
  INFO("stress " << stress << " on " << test::tier_name(tier));
  GcRun r(with_churn(R"(
    (type $s (struct (field $v i32)))
    (table $ext 1 externref)
    (global $gext (mut externref) (ref.null extern))
    (global $box (mut anyref) (ref.null any))
    (func $v (param externref) (result i32)
      (struct.get $s $v (ref.cast (ref $s) (any.convert_extern (local.get 0)))))
    (func (export "externalize") (param $v i32)
      (table.set $ext (i32.const 0) (extern.convert_any (struct.new $s (local.get $v))))
      (global.set $gext (extern.convert_any (struct.new $s (i32.add (local.get $v) (i32.const 1))))))
    (func (export "internalize") (result i32)
      (i32.add (call $v (table.get $ext (i32.const 0))) (call $v (global.get $gext))))
    (func (export "box") (param externref) (result anyref) (any.convert_extern (local.get 0)))
    (func (export "keep_box") (param externref) (global.set $box (any.convert_extern (local.get 0))))
    (func (export "kept_box") (result anyref) (global.get $box))
    (func (export "unbox_kept") (result externref) (extern.convert_any (global.get $box)))
  )"),
          {stress, tier});
  const int32_t n = size(stress, 100, 4);
  r.call("externalize", {Value::i32(20)});
  alignas(8) static int64_t host_a = 0, host_b = 0;
  const Value a = Value::externref(&host_a), b = Value::externref(&host_b);
  r.call("keep_box", {a});
  must_call(r.store, r.inst, "churn", {Value::i32(n)});
  r.store.gc();
  CHECK(r.i32("internalize") == 41);
  // The kept box is still the one box of host_a, and still unboxes to it.
  Value kept = r.call("kept_box")[0];
  CHECK(r.call("box", {a})[0].ref() == kept.ref());
  CHECK(r.call("unbox_kept")[0].ref() == a.ref());
  // A box nothing holds may be freed; converting again still gives host_b back.
  for (int i = 0; i < 3; ++i) {
    Value boxed = r.call("box", {b})[0];
    must_call(r.store, r.inst, "churn", {Value::i32(n)});
    CHECK_FALSE(boxed.is_null());
  }
  r.check_collected();
}

TEST_CASE("references the embedder holds are roots", "[gc][collector]") {
  const bool stress = GENERATE(false, true);
  const Tier tier = GENERATE(Catch::Generators::from_range(gc_tiers()));
  INFO("stress " << stress << " on " << test::tier_name(tier));
  GcRun r(with_churn(R"(
    (type $s (struct (field $v i32) (field $w i64)))
    (func (export "make") (param $v i32) (result (ref $s))
      (struct.new $s (local.get $v) (i64.const -1)))
    (func (export "get") (param structref) (result i32)
      (i32.add (struct.get $s $v (ref.cast (ref $s) (local.get 0)))
               (i32.wrap_i64 (struct.get $s $w (ref.cast (ref $s) (local.get 0))))))
    (func (export "big") (result (ref $junk)) (array.new_default $junk (i32.const 8000)))
    (global $g (export "g") (mut anyref) (ref.null any))
    (table $t (export "t") 1 anyref)
    (func (export "fill") (param $v i32)
      (global.set $g (struct.new $s (local.get $v) (i64.const -1)))
      (table.set $t (i32.const 0) (struct.new $s (i32.add (local.get $v) (i32.const 1)) (i64.const -1))))
    (func (export "clear")
      (global.set $g (ref.null any))
      (table.set $t (i32.const 0) (ref.null any)))
  )"),
          {stress, tier});
  const int32_t n = size(stress, 100, 4);
  // Outside any scope: held for the store's life.
  Value held = r.call("make", {Value::i32(31)})[0];
  for (int i = 0; i < 10; ++i) must_call(r.store, r.inst, "churn", {Value::i32(n)});
  r.store.gc();
  CHECK(r.i32("get", {held}) == 30);
  r.check_collected();

  // Read through Global::get and Table::get, then dropped by wasm: the host's copies hold them.
  r.call("fill", {Value::i32(50)});
  Value from_global = r.inst.get_global("g")->get();
  Value from_table = *r.inst.get_table("t")->get(0);
  r.call("clear");
  must_call(r.store, r.inst, "churn", {Value::i32(n)});
  r.store.gc();
  CHECK(r.i32("get", {from_global}) == 49);
  CHECK(r.i32("get", {from_table}) == 50);

  // Inside a scope: held until it ends, then freed by the next collection.
  uint64_t with_big = 0;
  {
    RootScope scope(r.store);
    Value big = r.call("big")[0];  // 64 KB
    Value small = r.call("make", {Value::i32(8)})[0];
    must_call(r.store, r.inst, "churn", {Value::i32(n)});
    r.store.gc();
    CHECK(r.i32("get", {small}) == 7);
    with_big = r.store.gc_stats().heap_bytes;
    CHECK(with_big >= 64000);
    CHECK_FALSE(big.is_null());
  }
  r.store.gc();
  CHECK(r.store.gc_stats().heap_bytes + 64000 <= with_big);
  CHECK(r.i32("get", {held}) == 30);  // the unscoped one is still there
}

TEST_CASE("a host function's reference arguments stay valid while it collects", "[gc][collector]") {
  const bool stress = GENERATE(false, true);
  const Tier tier = GENERATE(Catch::Generators::from_range(gc_tiers()));
  INFO("stress " << stress << " on " << test::tier_name(tier));
  Linker linker;
  linker.define_host("host", "inspect", FuncType{{ref_type(HeapKind::Any, true)}, {ValType::I32}},
                     [](Caller& caller, std::span<const Value> args, std::span<Value> results) {
                       auto churn = std::get<Func>(*caller.get_export("churn"));
                       if (auto r = churn.call(caller.store(), {Value::i32(20)}); !r.ok())
                         return Result<void>(r.take_error());
                       caller.store().gc();
                       auto get = std::get<Func>(*caller.get_export("get"));
                       auto r = get.call(caller.store(), {args[0]});
                       if (!r.ok()) return Result<void>(r.take_error());
                       results[0] = r->at(0);
                       return Result<void>();
                     });
  GcRun r(with_churn(R"(
    (type $s (struct (field $v i32)))
    (func (export "get") (param anyref) (result i32)
      (struct.get $s $v (ref.cast (ref $s) (local.get 0))))
    (func (export "via_host") (param $v i32) (result i32)
      (call $inspect (struct.new $s (local.get $v))))
  )",
                     R"((import "host" "inspect" (func $inspect (param anyref) (result i32))))"),
          {stress, tier}, kHeap, linker);
  for (int32_t v : {1, 2, 3}) CHECK(r.i32("via_host", {Value::i32(v)}) == v);
  r.check_collected();
  r.check_nearly_empty();
}

TEST_CASE("exhausting the heap with live data traps and the store stays usable",
          "[gc][collector]") {
  const bool stress = GENERATE(false, true);
  const Tier tier = GENERATE(Catch::Generators::from_range(gc_tiers()));
  INFO("stress " << stress << " on " << test::tier_name(tier));
  constexpr uint64_t kSmall = 64 << 10;
  GcRun r(R"((module
    (type $cell (struct (field $v i32) (field $next (ref null $cell))))
    (global $list (mut (ref null $cell)) (ref.null $cell))
    ;; Grows a list in a global forever: only the heap limit stops it.
    (func (export "grow")
      (loop $l
        (global.set $list (struct.new $cell (i32.const 1) (global.get $list)))
        (br $l)))
    (func $length (export "length") (result i32)
      (local $p (ref null $cell)) (local $n i32)
      (local.set $p (global.get $list))
      (block $done
        (loop $walk
          (br_if $done (ref.is_null (local.get $p)))
          (local.set $n (i32.add (local.get $n) (struct.get $cell $v (local.get $p))))
          (local.set $p (struct.get $cell $next (local.get $p)))
          (br $walk)))
      (local.get $n))
    (func (export "reset") (global.set $list (ref.null $cell)))
    (func (export "small") (param $n i32) (result i32)
      (loop $l
        (global.set $list (struct.new $cell (i32.const 1) (global.get $list)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
      (call $length))
  ))",
          {stress, tier}, kSmall);
  auto grown = r.inst.get_func("grow")->call(r.store, {});
  REQUIRE_FALSE(grown.ok());
  REQUIRE(grown.error().trap);
  CHECK(grown.error().trap->code == TrapCode::GcHeapExhausted);
  // Every cell made before the trap is still there: 32 bytes each, most of the heap.
  const int32_t cells = r.i32("length");
  CHECK(cells > int32_t(kSmall / 32 / 2));
  CHECK(cells <= int32_t(kSmall / 32));
  r.check_collected(kSmall);
  r.call("reset");
  CHECK(r.i32("small", {Value::i32(cells / 2)}) == cells / 2);
  r.call("reset");
  r.check_nearly_empty();
}
