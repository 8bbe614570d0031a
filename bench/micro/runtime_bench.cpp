// Costs at the boundary between host and wasm: instantiation of a small module, a host→wasm
// call, a wasm→host call and memory.grow, for each tier.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "bench/micro/modules.h"

namespace tern::bench {
namespace {

// A small module with one of everything instantiation has to set up.
constexpr char kSmallModule[] = R"((module
  (memory (export "memory") 1)
  (global $g (mut i32) (i32.const 7))
  (table 4 funcref)
  (elem (i32.const 0) $a $b $a $b)
  (data (i32.const 16) "a data segment to copy at instantiation")
  (func $a (result i32) (global.get $g))
  (func $b (result i32) (i32.const 1))
  (export "a" (func $a))))";

constexpr char kCallModule[] = R"((module
  (import "env" "host" (func $host))
  (memory 0 16384)
  (func (export "empty"))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "call_host") (param $n i32)
    (loop $again
      (call $host)
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "grow") (param $n i32) (result i32)
    (loop $again
      (drop (memory.grow (i32.const 1)))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (memory.size))))";

// A compiled module on one tier plus a linker that satisfies its imports.
struct Fixture {
  explicit Fixture(Tier tier, const char* source) : engine(config_for(tier)) {
    linker.func_wrap("env", "host", [] {});
    if (!Engine::has_tier(tier)) {
      skip_reason = kTierUnavailable;
      return;
    }
    auto compiled = Module::compile(engine, wat(source));
    if (compiled) {
      module = std::make_unique<Module>(std::move(compiled).value());
    } else {
      skip_reason = compiled.error().to_string();
    }
  }
  Engine engine;
  std::unique_ptr<Module> module;  // null when skip_reason says why
  std::string skip_reason;
  Linker linker;
};

// The exported function `name` of a new instance in `store`, or why there is none.
Result<Func> instantiate_and_get(const Fixture& fx, Store& store, const char* name) {
  auto instance = fx.linker.instantiate(store, *fx.module);
  if (!instance) return instance.take_error();
  auto func = instance->get_func(name);
  if (!func) return Error::unlinkable(std::string("no export ") + name);
  return *func;
}

// The Store alone, to tell its cost from instantiation's in BM_Instantiate.
void BM_StoreCreate(benchmark::State& state) {
  Engine engine(config_for(Tier::Interp));
  for (auto _ : state) {
    Store store(engine);
    benchmark::DoNotOptimize(&store);
  }
}
BENCHMARK(BM_StoreCreate);

void BM_Instantiate(benchmark::State& state, Tier tier) {
  Fixture fx(tier, kSmallModule);
  if (!fx.module) {
    state.SkipWithError(fx.skip_reason.c_str());
    return;
  }
  for (auto _ : state) {
    Store store(fx.engine);  // a fresh store each time: instances live as long as their store
    auto instance = fx.linker.instantiate(store, *fx.module);
    if (!instance) {
      state.SkipWithError(instance.error().to_string().c_str());
      break;
    }
    benchmark::DoNotOptimize(instance);
  }
}
BENCHMARK_CAPTURE(BM_Instantiate, interp, Tier::Interp);
BENCHMARK_CAPTURE(BM_Instantiate, jit, Tier::Jit);

void BM_HostToWasm(benchmark::State& state, Tier tier, const char* name) {
  Fixture fx(tier, kCallModule);
  if (!fx.module) {
    state.SkipWithError(fx.skip_reason.c_str());
    return;
  }
  Store store(fx.engine);
  auto func = instantiate_and_get(fx, store, name);
  if (!func) {
    state.SkipWithError(func.error().to_string().c_str());
    return;
  }
  const bool with_args = !func->type().params.empty();
  const Value args[] = {Value::i32(1), Value::i32(2)};
  const std::span<const Value> arg_span(args, with_args ? 2 : 0);
  for (auto _ : state) {
    auto results = func->call(store, arg_span);
    if (!results) {
      state.SkipWithError(results.error().to_string().c_str());
      break;
    }
    benchmark::DoNotOptimize(results);
  }
}
BENCHMARK_CAPTURE(BM_HostToWasm, empty_interp, Tier::Interp, "empty");
BENCHMARK_CAPTURE(BM_HostToWasm, empty_jit, Tier::Jit, "empty");
BENCHMARK_CAPTURE(BM_HostToWasm, add_interp, Tier::Interp, "add");
BENCHMARK_CAPTURE(BM_HostToWasm, add_jit, Tier::Jit, "add");

// Per-call cost of wasm calling an empty host function, from a loop of 1000 calls.
void BM_WasmToHost(benchmark::State& state, Tier tier) {
  constexpr int32_t kCallsPerIteration = 1000;
  Fixture fx(tier, kCallModule);
  if (!fx.module) {
    state.SkipWithError(fx.skip_reason.c_str());
    return;
  }
  Store store(fx.engine);
  auto func = instantiate_and_get(fx, store, "call_host");
  if (!func) {
    state.SkipWithError(func.error().to_string().c_str());
    return;
  }
  for (auto _ : state) {
    auto results = func->call(store, {Value::i32(kCallsPerIteration)});
    if (!results) {
      state.SkipWithError(results.error().to_string().c_str());
      break;
    }
  }
  state.SetItemsProcessed(int64_t(state.iterations()) * kCallsPerIteration);
}
BENCHMARK_CAPTURE(BM_WasmToHost, interp, Tier::Interp);
BENCHMARK_CAPTURE(BM_WasmToHost, jit, Tier::Jit);

// memory.grow by one page, 1024 times from an empty memory, in a fresh instance each iteration.
void BM_MemoryGrow(benchmark::State& state, Tier tier) {
  constexpr int32_t kGrowsPerIteration = 1024;
  Fixture fx(tier, kCallModule);
  if (!fx.module) {
    state.SkipWithError(fx.skip_reason.c_str());
    return;
  }
  for (auto _ : state) {
    state.PauseTiming();
    auto store = std::make_unique<Store>(fx.engine);
    auto func = instantiate_and_get(fx, *store, "grow");
    state.ResumeTiming();
    if (!func) {
      state.SkipWithError(func.error().to_string().c_str());
      break;
    }
    auto results = func->call(*store, {Value::i32(kGrowsPerIteration)});
    if (!results || (*results)[0].i32() != kGrowsPerIteration) {
      state.SkipWithError(results ? "memory.grow failed" : results.error().to_string().c_str());
      break;
    }
    state.PauseTiming();
    store.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(int64_t(state.iterations()) * kGrowsPerIteration);
}
BENCHMARK_CAPTURE(BM_MemoryGrow, interp, Tier::Interp)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_MemoryGrow, jit, Tier::Jit)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace tern::bench
