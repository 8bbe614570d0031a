// Per-call cost of wasm calling an (i32, i32) -> i32 host function from a loop: through
// func_wrap's unboxed trampoline, through a boxed HostCallback (one Value per argument and
// result and a std::function call), and a wasm function doing the same work, for each tier.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "bench/micro/modules.h"

namespace tern::bench {
namespace {

constexpr char kLoopModule[] = R"((module
  (import "env" "add" (func $host_add (param i32 i32) (result i32)))
  (func $wasm_add (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "host_loop") (param $n i32) (result i32) (local $acc i32)
    (loop $again
      (local.set $acc (call $host_add (local.get $acc) (local.get $n)))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc))
  (func (export "wasm_loop") (param $n i32) (result i32) (local $acc i32)
    (loop $again
      (local.set $acc (call $wasm_add (local.get $acc) (local.get $n)))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc))))";

enum class HostPath { Unboxed, Boxed };

void define_add(Linker& linker, HostPath path) {
  if (path == HostPath::Unboxed) {
    linker.func_wrap("env", "add", [](int32_t a, int32_t b) { return a + b; });
    return;
  }
  linker.define_host("env", "add", FuncType{{ValType::I32, ValType::I32}, {ValType::I32}},
                     [](Caller&, std::span<const Value> args, std::span<Value> results) {
                       results[0] = Value::i32(args[0].i32() + args[1].i32());
                       return Result<void>();
                     });
}

void BM_HostAddLoop(benchmark::State& state, Tier tier, HostPath path, const char* export_name) {
  constexpr int32_t kCallsPerIteration = 1000;
  Linker linker;
  define_add(linker, path);
  Instantiated w(tier, kLoopModule, linker);
  if (!w.instance) {
    state.SkipWithError(w.error.c_str());
    return;
  }
  Func loop = *w.instance->get_func(export_name);
  for (auto _ : state) {
    auto results = loop.call(w.store, {Value::i32(kCallsPerIteration)});
    if (!results) {
      state.SkipWithError(results.error().to_string().c_str());
      break;
    }
    benchmark::DoNotOptimize((*results)[0].i32());
  }
  state.SetItemsProcessed(int64_t(state.iterations()) * kCallsPerIteration);
}
BENCHMARK_CAPTURE(BM_HostAddLoop, unboxed_interp, Tier::Interp, HostPath::Unboxed, "host_loop");
BENCHMARK_CAPTURE(BM_HostAddLoop, boxed_interp, Tier::Interp, HostPath::Boxed, "host_loop");
BENCHMARK_CAPTURE(BM_HostAddLoop, wasm_interp, Tier::Interp, HostPath::Unboxed, "wasm_loop");
BENCHMARK_CAPTURE(BM_HostAddLoop, unboxed_jit, Tier::Jit, HostPath::Unboxed, "host_loop");
BENCHMARK_CAPTURE(BM_HostAddLoop, boxed_jit, Tier::Jit, HostPath::Boxed, "host_loop");
BENCHMARK_CAPTURE(BM_HostAddLoop, wasm_jit, Tier::Jit, HostPath::Unboxed, "wasm_loop");

}  // namespace
}  // namespace tern::bench
