// Cost of one br_table dispatch among k targets on the JIT, from a wasm loop: the index either
// cycles through the targets (a pattern the branch predictor learns) or is pseudo-random (an
// LCG, reduced to [0, k) by a multiply and a shift). The JIT compiles a br_table as a compare
// chain below kMinJumpTable targets (jit/common/control_flow.cpp) and as a jump table from
// there on; docs/jit.md ("vm") has the measurements that chose the threshold, made by building
// with the threshold out of reach and at 2 and comparing these numbers.
#include <benchmark/benchmark.h>

#include <string>

#include "bench/micro/modules.h"

namespace tern::bench {
namespace {

enum class Pattern { Cycle, Random };

// (func (export "run") (param $n i32) (result i32)): $n dispatches among `k` targets, each
// adding a constant of its own to the result.
std::string dispatch_module(int k, Pattern pattern) {
  std::string wat =
      "(module (func (export \"run\") (param $n i32) (result i32)"
      " (local $i i32) (local $acc i32) (local $x i32) (local $c i32)"
      " (local.set $x (i32.const 12345)) (loop $top\n";
  std::string index;
  if (pattern == Pattern::Random) {
    wat +=
        "(local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245))"
        " (i32.const 12345)))\n";
    index = "(i32.shr_u (i32.mul (i32.shr_u (local.get $x) (i32.const 16)) (i32.const " +
            std::to_string(k) + ")) (i32.const 16))";
  } else {
    wat +=
        "(local.set $c (select (i32.const 0) (i32.add (local.get $c) (i32.const 1))"
        " (i32.eq (local.get $c) (i32.const " +
        std::to_string(k - 1) + "))))\n";
    index = "(local.get $c)";
  }
  wat += "(block $end ";
  for (int j = 0; j < k; ++j) wat += "(block ";
  wat += "(br_table";
  for (int j = 0; j < k; ++j) wat += " " + std::to_string(j);
  wat += " " + std::to_string(k - 1) + " " + index + ")\n";
  for (int j = 0; j < k; ++j) {
    wat += ") (local.set $acc (i32.add (local.get $acc) (i32.const " + std::to_string(3 * j + 1) +
           "))) (br $end)\n";
  }
  return wat +
         ") (local.set $i (i32.add (local.get $i) (i32.const 1)))"
         " (br_if $top (i32.lt_u (local.get $i) (local.get $n))))"
         " (local.get $acc)))";
}

// state.range(0): the targets of the br_table (the default aside).
void BM_BrTable(benchmark::State& state, Pattern pattern) {
  constexpr int32_t kDispatchesPerCall = 100000;
  Instantiated w(Tier::Jit, dispatch_module(int(state.range(0)), pattern));
  if (!w.instance) {
    state.SkipWithError(w.error.c_str());
    return;
  }
  Func run = *w.instance->get_func("run");
  for (auto _ : state) {
    auto results = run.call(w.store, {Value::i32(kDispatchesPerCall)});
    if (!results) {
      state.SkipWithError(results.error().to_string().c_str());
      break;
    }
    benchmark::DoNotOptimize((*results)[0].i32());
  }
  state.SetItemsProcessed(int64_t(state.iterations()) * kDispatchesPerCall);
}
void target_counts(benchmark::internal::Benchmark* b) {
  for (int k : {2, 4, 6, 8, 12, 16, 32, 64}) b->Arg(k);
}
BENCHMARK_CAPTURE(BM_BrTable, cycle, Pattern::Cycle)->Apply(target_counts);
BENCHMARK_CAPTURE(BM_BrTable, random, Pattern::Random)->Apply(target_counts);

}  // namespace
}  // namespace tern::bench
