// Cost of one memory.fill and one memory.copy of 16 B, 4 KiB and 1 MiB, for each tier, from a
// wasm loop of such operations (so the host→wasm call is amortised). Small operations show the
// fixed cost of the instruction (bounds check, helper call), large ones the byte rate.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>

#include "bench/micro/modules.h"

namespace tern::bench {
namespace {

// 64 pages (4 MiB): a copy reads [0, len) and writes [2 MiB, 2 MiB + len), so no overlap.
constexpr char kBulkModule[] = R"((module
  (memory 64)
  (func (export "fill") (param $len i32) (param $n i32)
    (loop $again
      (memory.fill (i32.const 0) (i32.const 0x5a) (local.get $len))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "copy") (param $len i32) (param $n i32)
    (loop $again
      (memory.copy (i32.const 0x200000) (i32.const 0) (local.get $len))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))))";

// state.range(0): bytes per operation.
void BM_Bulk(benchmark::State& state, Tier tier, const char* name) {
  const int32_t len = int32_t(state.range(0));
  // About 4 MiB of work per call, and never fewer than 16 operations.
  const int32_t ops_per_call = std::max<int32_t>(16, (4 << 20) / len);
  Instantiated w(tier, kBulkModule);
  if (!w.instance) {
    state.SkipWithError(w.error.c_str());
    return;
  }
  Func func = *w.instance->get_func(name);
  const Value args[] = {Value::i32(len), Value::i32(ops_per_call)};
  for (auto _ : state) {
    auto results = func.call(w.store, args);
    if (!results) {
      state.SkipWithError(results.error().to_string().c_str());
      break;
    }
  }
  state.SetItemsProcessed(int64_t(state.iterations()) * ops_per_call);
  state.SetBytesProcessed(int64_t(state.iterations()) * ops_per_call * len);
}

#define TERN_BULK_BENCH(name, tier, op) \
  BENCHMARK_CAPTURE(BM_Bulk, name, tier, op)->Arg(16)->Arg(4 << 10)->Arg(1 << 20)
TERN_BULK_BENCH(fill_interp, Tier::Interp, "fill");
TERN_BULK_BENCH(fill_jit, Tier::Jit, "fill");
TERN_BULK_BENCH(copy_interp, Tier::Interp, "copy");
TERN_BULK_BENCH(copy_jit, Tier::Jit, "copy");
#undef TERN_BULK_BENCH

}  // namespace
}  // namespace tern::bench
