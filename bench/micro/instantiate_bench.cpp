// Instantiation with data: a memory initialised by copying its data segments against one mapped
// from a copy-on-write image (Config::memory_images), for 1 MiB and 16 MiB of data, and a whole
// "request" as `tern serve` runs one: instantiate a small handler module, call it, drop it.
#include <benchmark/benchmark.h>

#include <cstring>
#include <memory>
#include <string>

#include "bench/micro/modules.h"

namespace tern::bench {
namespace {

// `bytes` of printable data that differ from page to page.
std::string data_text(size_t bytes) {
  std::string s(bytes, ' ');
  for (size_t i = 0; i < bytes; ++i) s[i] = char('a' + (i / 4096 + i) % 26);
  return s;
}

// A memory of 17 pages more than its data and one data segment of `data_bytes`.
std::vector<uint8_t> data_module(size_t data_bytes) {
  const size_t pages = data_bytes / 65536 + 17;
  return wat("(module (memory (export \"memory\") " + std::to_string(pages) +
             ") (data (i32.const 1024) \"" + data_text(data_bytes) + "\"))");
}

// A WAGI-style handler: 256 KiB of static data (tables, templates) of which it reads a little,
// a counter in data it bumps, and a response it builds in memory and hands to the host, as a
// CGI program writes its headers and body to stdout.
std::vector<uint8_t> handler_module() {
  return wat(R"((module
    (import "env" "write" (func $write (param i32 i32)))
    (memory (export "memory") 8)
    (data (i32.const 0) "\00\00\00\00Content-Type: text/plain\0a\0a")
    (data (i32.const 4096) ")" +
             data_text(256 << 10) + R"(")
    (func (export "handle")
      (local $i i32)
      (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
      (memory.copy (i32.const 0x60000) (i32.const 4) (i32.const 26))
      (loop $body
        (i32.store8 (i32.add (i32.const 0x6001a) (local.get $i))
                    (i32.load8_u (i32.add (i32.const 4096) (i32.mul (local.get $i) (i32.const 4099)))))
        (br_if $body (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                               (i32.const 64))))
      (call $write (i32.const 0x60000) (i32.const 90)))))");
}

struct Compiled {
  Compiled(Tier tier, bool images, const std::vector<uint8_t>& bytes)
      : engine([&] {
          Config c = config_for(tier);
          c.memory_images = images;
          return c;
        }()) {
    if (!Engine::has_tier(tier)) {
      skip_reason = kTierUnavailable;
      return;
    }
    auto compiled = Module::compile(engine, bytes);
    if (compiled) {
      module = std::make_unique<Module>(std::move(compiled).value());
    } else {
      skip_reason = compiled.error().to_string();
    }
  }
  Engine engine;
  std::unique_ptr<Module> module;  // null when skip_reason says why
  std::string skip_reason;
};

void BM_InstantiateData(benchmark::State& state, bool images) {
  const size_t data_bytes = size_t(state.range(0)) << 20;
  Compiled c(Tier::Interp, images, data_module(data_bytes));
  if (!c.module) {
    state.SkipWithError(c.skip_reason.c_str());
    return;
  }
  Linker linker;
  for (auto _ : state) {
    Store store(c.engine);  // dropped each time, so its memory's reservation is pooled again
    auto instance = linker.instantiate(store, *c.module);
    if (!instance) {
      state.SkipWithError(instance.error().to_string().c_str());
      break;
    }
    benchmark::DoNotOptimize(instance);
  }
}
BENCHMARK_CAPTURE(BM_InstantiateData, copy, false)->Arg(1)->Arg(16)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_InstantiateData, image, true)->Arg(1)->Arg(16)->Unit(benchmark::kMicrosecond);

void BM_Request(benchmark::State& state, Tier tier, bool images) {
  Compiled c(tier, images, handler_module());
  if (!c.module) {
    state.SkipWithError(c.skip_reason.c_str());
    return;
  }
  Linker linker;
  size_t written = 0;
  linker.func_wrap("env", "write", [&](Caller& caller, int32_t ptr, int32_t len) {
    // Counted only when this instance's counter went from 0 to 1 and the response is there.
    const uint8_t* m = caller.memory()->data();
    if (m[0] == 1 && std::memcmp(m + ptr, "Content-Type", 12) == 0) written += size_t(len);
  });
  for (auto _ : state) {
    Store store(c.engine);
    auto instance = linker.instantiate(store, *c.module);
    if (!instance) {
      state.SkipWithError(instance.error().to_string().c_str());
      break;
    }
    auto result = instance->get_func("handle")->call(store, std::span<const Value>());
    if (!result) {
      state.SkipWithError(result.error().to_string().c_str());
      break;
    }
  }
  if (written != size_t(state.iterations()) * 90) state.SkipWithError("a request saw another's");
}
BENCHMARK_CAPTURE(BM_Request, interp_copy, Tier::Interp, false)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Request, interp_image, Tier::Interp, true)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Request, jit_copy, Tier::Jit, false)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Request, jit_image, Tier::Jit, true)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace tern::bench
