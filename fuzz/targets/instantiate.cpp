#include <algorithm>
#include <span>
#include <vector>

#include "fuzz/targets/stub_imports.h"
#include "fuzz/targets/targets.h"
#include "tern/tern.h"

namespace {

// Small enough that one input runs in milliseconds and stays within ASan's stack.
constexpr uint64_t kFuelPerCall = 20000;
constexpr uint64_t kMaxPages = 16;
constexpr uint64_t kMaxTableElements = 1000;

tern::Config fuzz_config() {
  tern::Config config;
  config.features = tern::WasmFeatures::wasm30();  // every proposal Tern has, legacy EH too
  config.max_call_depth = 200;
  config.consume_fuel = true;
  return config;
}

tern::StoreLimits fuzz_limits() {
  tern::StoreLimits limits;
  limits.memory_pages = kMaxPages;
  limits.table_elements = kMaxTableElements;
  limits.instances = 4;
  return limits;
}

}  // namespace

int tern_fuzz_instantiate(const uint8_t* data, size_t size) {
  tern::Engine engine(fuzz_config());
  auto module = tern::Module::compile(engine, std::span<const uint8_t>(data, size));
  if (!module.ok()) return 0;
  tern::Store store(engine);
  store.set_limits(fuzz_limits());
  // A collection at every Wasm GC allocation: an object the collector frees while something
  // still reaches it is then read after its memory was reused, which crashes (or ASan reports)
  // on this very input rather than by chance much later.
  store.set_gc_stress(true);
  tern::Linker linker;
  if (!tern::fuzz::define_stub_imports(store, linker, *module, kMaxTableElements, kMaxPages).ok()) {
    return 0;
  }
  store.set_fuel(kFuelPerCall);  // the start function runs during instantiation
  auto instance = linker.instantiate(store, *module);
  if (!instance.ok()) return 0;
  for (const auto& [name, value] : instance->exports()) {
    const auto* func = std::get_if<tern::Func>(&value);
    if (!func) continue;
    // A non-nullable reference parameter has no zero value, and the embedding API refuses a
    // null for it: such a function is not called.
    const auto& params = func->type().params;
    if (std::any_of(params.begin(), params.end(),
                    [](tern::ValType t) { return tern::is_ref(t) && !tern::is_nullable(t); })) {
      continue;
    }
    std::vector<tern::Value> args;
    for (tern::ValType t : params) args.push_back(tern::Value::zero(t));
    store.set_fuel(kFuelPerCall);
    auto results = func->call(store, args);
    if (results.ok() && results->size() != func->type().results.size()) {
      tern_fuzz_fail("call returned a different number of results than its type says");
    }
    // Exception: a Wasm exception the module threw and did not catch (exception handling).
    if (!results.ok() && results.error().kind != tern::ErrorKind::Trap &&
        results.error().kind != tern::ErrorKind::Exception) {
      tern_fuzz_fail(
          "a call with well-typed arguments failed with something other than a trap or an "
          "uncaught exception");
    }
  }
  return 0;
}
