#include <algorithm>
#include <cstring>
#include <span>
#include <vector>

#include "engine/runtime/cache_checksum.h"
#include "engine/text/wast.h"
#include "fuzz/targets/targets.h"
#include "tern/tern.h"

namespace {

// Imports, a table, a memory, a data segment, exceptions, a trap and SIMD: every table a cache
// holds has entries.
constexpr const char* kModule = R"((module
  (import "m" "f" (func $f (param i32) (result i32)))
  (memory (export "mem") 1)
  (data (i32.const 8) "cached")
  (type $t (func (param i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $f $g)
  (tag $e (param i32))
  (func $g (type $t) (i32.add (local.get 0) (i32.load8_u (i32.const 8))))
  (func (export "run") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h)
        (throw $e (call_indirect (type $t) (local.get 0) (i32.const 1))))
      (i32.const -1)))
  (func (export "lanes") (param i32) (result i32)
    (i32x4.extract_lane 1 (i32x4.mul (i32x4.splat (local.get 0)) (v128.const i32x4 1 2 3 4))))
  (func (export "trap") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
))";

struct Valid {
  tern::Engine engine;
  std::vector<uint8_t> cache;
};

// The cache every input mutates, made once per process on the default tier (the JIT's code
// where the build has one).
Valid& valid() {
  static Valid* v = [] {
    auto* out = new Valid{tern::Engine(tern::Config{}), {}};
    auto binary = tern::text::wat_to_binary(kModule);
    if (!binary) tern_fuzz_fail("the fixed module does not encode");
    auto module = tern::Module::compile(out->engine, *binary);
    if (!module) tern_fuzz_fail("the fixed module does not compile");
    auto cache = module->serialize();
    if (!cache) tern_fuzz_fail("the fixed module does not serialize");
    out->cache = std::move(*cache);
    return out;
  }();
  return *v;
}

// Runs a cache that loaded unchanged: it must behave as the module.
void check_runs(const tern::Module& module) {
  tern::Store store(valid().engine);
  tern::Linker linker;
  linker.func_wrap("m", "f", [](int32_t x) { return x; });
  auto inst = linker.instantiate(store, module);
  if (!inst) tern_fuzz_fail("an unchanged cache does not instantiate");
  auto run = inst->get_func("run");
  if (!run) tern_fuzz_fail("an unchanged cache lost its export");
  auto result = run->call(store, {tern::Value::i32(1)});
  if (!result || result->size() != 1 || (*result)[0].i32() != 1 + 'c') {
    tern_fuzz_fail("an unchanged cache computes something else");
  }
}

}  // namespace

int tern_fuzz_module_cache(const uint8_t* data, size_t size) {
  Valid& v = valid();
  std::vector<uint8_t> cache = v.cache;
  std::span<const uint8_t> in(data, size);
  uint8_t flags = in.empty() ? 0 : in[0];
  in = in.subspan(std::min<size_t>(1, in.size()));
  auto take_u32 = [&] {
    uint32_t x = 0;
    size_t n = std::min<size_t>(4, in.size());
    std::memcpy(&x, in.data(), n);
    in = in.subspan(n);
    return x;
  };
  if (flags & 2) cache.resize(take_u32() % (cache.size() + 1));
  while (in.size() >= 5 && !cache.empty()) {
    uint32_t at = take_u32() % cache.size();
    uint8_t mask = in[0];
    in = in.subspan(1);
    cache[at] ^= mask ? mask : 1;
  }
  // Resealed: a checksum that matches the corruption, as a forged cache has; the parser past
  // the checksum must still refuse what does not fit.
  bool resealed = (flags & 1) && cache.size() >= tern::rt::kCacheHeaderBytes;
  if (resealed) tern::rt::seal_cache(cache);

  auto loaded = tern::Module::deserialize(v.engine, cache);
  if (cache == v.cache) {
    if (!loaded) tern_fuzz_fail("an unchanged cache is rejected");
    check_runs(*loaded);
  } else if (loaded && !resealed) {
    tern_fuzz_fail("a corrupt cache passed its checksum");
  }
  // A forged cache that loads is never run: its code cannot be verified.
  return 0;
}
