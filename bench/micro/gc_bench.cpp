// Wasm GC on the interpreter and on the JIT (docs/gc.md): allocating short-lived structs,
// building and walking binary trees, and field and element access, each as items/s. The store's
// heap is capped at kHeap, far below what an allocating benchmark allocates in total, so that
// these measure the collector's work along with the allocator's, on either tier.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "bench/micro/modules.h"

namespace tern::bench {
namespace {

constexpr uint64_t kHeap = 4 << 20;

constexpr char kGcModule[] = R"((module
  (type $pair (struct (field $a (mut i32)) (field $b (mut i64))))
  (type $node (struct (field $l (ref null $node)) (field $r (ref null $node))))
  (type $ints (array (mut i32)))
  ;; n structs of 32 bytes, each dead at once.
  (func (export "alloc") (param $n i32) (result i32)
    (local $sum i32)
    (loop $l
      (local.set $sum (i32.add (local.get $sum)
        (struct.get $pair $a (struct.new $pair (local.get $n) (i64.const 0)))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $sum))
  (func $make (param $d i32) (result (ref $node))
    (if (result (ref $node)) (i32.eqz (local.get $d))
      (then (struct.new_default $node))
      (else (struct.new $node (call $make (i32.sub (local.get $d) (i32.const 1)))
                              (call $make (i32.sub (local.get $d) (i32.const 1)))))))
  (func $count (param $n (ref null $node)) (result i32)
    (if (result i32) (ref.is_null (local.get $n))
      (then (i32.const 0))
      (else (i32.add (i32.const 1)
                     (i32.add (call $count (struct.get $node $l (local.get $n)))
                              (call $count (struct.get $node $r (local.get $n))))))))
  ;; A tree of depth d built and counted: its node count.
  (func (export "tree") (param $d i32) (result i32) (call $count (call $make (local.get $d))))
  ;; n rounds of a struct.get and a struct.set on one struct.
  (func (export "fields") (param $n i32) (result i32)
    (local $p (ref $pair))
    (local.set $p (struct.new $pair (i32.const 0) (i64.const 0)))
    (loop $l
      (struct.set $pair $a (local.get $p)
        (i32.add (struct.get $pair $a (local.get $p)) (local.get $n)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (struct.get $pair $a (local.get $p)))
  ;; The sum of an n-element array, one array.get an element.
  (func (export "elements") (param $n i32) (result i32)
    (local $a (ref $ints)) (local $sum i32)
    (local.set $a (array.new $ints (i32.const 3) (local.get $n)))
    (loop $l
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (local.set $sum (i32.add (local.get $sum) (array.get $ints (local.get $a) (local.get $n))))
      (br_if $l (local.get $n)))
    (local.get $sum))
))";

// Calls export `name` with `arg` each iteration in one store on `tier`; `items` per call.
void run_gc(benchmark::State& state, Tier tier, const char* name, int32_t arg, int64_t items) {
  StoreLimits limits;
  limits.gc_heap_bytes = kHeap;
  Instantiated w(tier, kGcModule, Linker(), limits);
  if (!w.instance) {
    state.SkipWithError(w.error.c_str());
    return;
  }
  Func func = *w.instance->get_func(name);
  for (auto _ : state) {
    auto results = func.call(w.store, {Value::i32(arg)});
    if (!results) {
      state.SkipWithError(results.error().to_string().c_str());
      break;
    }
    benchmark::DoNotOptimize(results);
  }
  state.SetItemsProcessed(int64_t(state.iterations()) * items);
  const GcStats stats = w.store.gc_stats();
  state.counters["collections"] = double(stats.collections);
  state.counters["max_pause_us"] = double(stats.max_pause_ns) / 1000;
}

void BM_GcAllocShortLived(benchmark::State& state, Tier tier) {
  run_gc(state, tier, "alloc", 10000, 10000);
}
BENCHMARK_CAPTURE(BM_GcAllocShortLived, interp, Tier::Interp);
BENCHMARK_CAPTURE(BM_GcAllocShortLived, jit, Tier::Jit);

// Items: nodes, 32 bytes each; depth 14 is 32,767 of them, 1 MiB, a quarter of the heap.
void BM_GcBinaryTree(benchmark::State& state, Tier tier) {
  const int32_t depth = int32_t(state.range(0));
  run_gc(state, tier, "tree", depth, (int64_t(2) << depth) - 1);
}
BENCHMARK_CAPTURE(BM_GcBinaryTree, interp, Tier::Interp)
    ->Arg(8)
    ->Arg(14)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_GcBinaryTree, jit, Tier::Jit)->Arg(8)->Arg(14)->Unit(benchmark::kMicrosecond);

void BM_GcStructGetSet(benchmark::State& state, Tier tier) {
  run_gc(state, tier, "fields", 10000, 10000);
}
BENCHMARK_CAPTURE(BM_GcStructGetSet, interp, Tier::Interp);
BENCHMARK_CAPTURE(BM_GcStructGetSet, jit, Tier::Jit);

void BM_GcArrayGet(benchmark::State& state, Tier tier) {
  run_gc(state, tier, "elements", 10000, 10000);
}
BENCHMARK_CAPTURE(BM_GcArrayGet, interp, Tier::Interp);
BENCHMARK_CAPTURE(BM_GcArrayGet, jit, Tier::Jit);

}  // namespace
}  // namespace tern::bench
