// Front-end throughput on a large module: decoding alone, decoding plus validation, and the
// whole of Module::compile (which adds lowering for the interpreter, or JIT compilation).
#include <benchmark/benchmark.h>

#include "bench/micro/modules.h"
#include "engine/decoder/decoder.h"
#include "engine/validator/validator.h"

namespace tern::bench {
namespace {

void BM_Decode(benchmark::State& state) {
  const auto& bytes = large_module();
  for (auto _ : state) {
    auto info = decode_module(bytes);
    if (!info) {
      state.SkipWithError(info.error().to_string().c_str());
      break;
    }
    benchmark::DoNotOptimize(info);
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(bytes.size()));
  state.counters["module_bytes"] = double(bytes.size());
}
BENCHMARK(BM_Decode)->Unit(benchmark::kMillisecond);

void BM_DecodeValidate(benchmark::State& state) {
  const auto& bytes = large_module();
  for (auto _ : state) {
    auto info = decode_module(bytes);
    if (!info) {
      state.SkipWithError(info.error().to_string().c_str());
      break;
    }
    auto valid = validate(*info);
    if (!valid) {
      state.SkipWithError(valid.error().to_string().c_str());
      break;
    }
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(bytes.size()));
}
BENCHMARK(BM_DecodeValidate)->Unit(benchmark::kMillisecond);

// `threads`: Config::compile_threads. Timed on the wall clock, with the CPU time of every
// thread of the process: parallel compilation shows as less time for about the same CPU.
void BM_Compile(benchmark::State& state, Tier tier, uint32_t threads) {
  if (!Engine::has_tier(tier)) {
    state.SkipWithError(kTierUnavailable);
    return;
  }
  const auto& bytes = large_module();
  Config config = config_for(tier);
  config.compile_threads = threads;
  Engine engine(config);
  for (auto _ : state) {
    auto module = Module::compile(engine, bytes);
    if (!module) {
      state.SkipWithError(module.error().to_string().c_str());
      break;
    }
    benchmark::DoNotOptimize(module);
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(bytes.size()));
}
BENCHMARK_CAPTURE(BM_Compile, interp, Tier::Interp, 0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();
BENCHMARK_CAPTURE(BM_Compile, jit, Tier::Jit, 0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();
BENCHMARK_CAPTURE(BM_Compile, jit_1thread, Tier::Jit, 1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

}  // namespace
}  // namespace tern::bench
